"""The plugin contract has a version; a plugin declares the versions it supports and one that
does not support the core's fails at startup, saying why."""

import re
import sys

import pytest

from unionaid.core import CONTRACT_VERSION, ProgramInfo, hookimpl, hookspecs
from unionaid.core.cli import main
from unionaid.core.host import PluginError, PluginHost


def _plugin(**declared):
    class Plugin:
        @hookimpl
        def register_program(self):
            return ProgramInfo(id="old", name="旧", name_en="Old", version="1", **declared)

    return Plugin()


def test_the_core_declares_its_contract_version():
    assert re.fullmatch(r"\d+\.\d+", CONTRACT_VERSION)
    assert CONTRACT_VERSION == hookspecs.CONTRACT_VERSION == "2.0"


def test_every_builtin_plugin_supports_the_core_contract():
    host = PluginHost.load(builtin_only=True)
    assert all(p.info.supports(CONTRACT_VERSION) for p in host.programs.values())
    assert {p.info.contract_versions for p in host.programs.values()} == {("2",)}


def test_a_plugin_that_declares_no_contract_fails_at_startup():
    with pytest.raises(PluginError) as refused:
        PluginHost().register(_plugin())
    assert str(refused.value) == (
        "old: supports plugin contract versions none, but this unionaid has contract 2.0: "
        "declare contract_versions in its ProgramInfo, or install a release of the plugin for "
        "this contract"
    )


@pytest.mark.parametrize("declared", [("1",), ("3",), ("1", "3.0"), ("2.1",)])
def test_a_plugin_for_another_contract_fails_at_startup(declared):
    with pytest.raises(PluginError, match=rf"versions {', '.join(declared)}, .* contract 2\.0"):
        PluginHost().register(_plugin(contract_versions=declared))


@pytest.mark.parametrize(
    ("declared", "core", "runs"),
    [
        ("2", "2.0", True),
        ("2", "2.7", True),  # a minor release only adds
        ("2.0", "2.3", True),
        ("2.3", "2.3", True),
        ("2.4", "2.3", False),  # needs what 2.4 adds
        ("2", "3.0", False),  # a major release may remove
        ("1", "2.0", False),
    ],
)
def test_which_versions_a_declaration_supports(declared, core, runs, monkeypatch):
    info = ProgramInfo(id="pp", name="项", name_en="P", version="1", contract_versions=declared)
    assert info.supports(core) is runs
    monkeypatch.setattr(hookspecs, "CONTRACT_VERSION", core)
    host = PluginHost()
    if runs:
        assert host.register(_plugin(contract_versions=(declared,))).id == "old"
    else:
        with pytest.raises(PluginError, match="contract"):
            host.register(_plugin(contract_versions=(declared,)))


def test_several_declared_versions_and_a_plain_string():
    assert ProgramInfo("pp", "项", "P", "1", contract_versions=("1", "2")).supports("2.0")
    assert ProgramInfo("pp", "项", "P", "1", contract_versions="2").contract_versions == ("2",)
    assert ProgramInfo("pp", "项", "P", "1", contract_versions=["2.1"]).contract_versions == (
        "2.1",
    )
    assert ProgramInfo("pp", "项", "P", "1", contract_versions=None).contract_versions == ()


@pytest.mark.parametrize("bad", ["two", "2.x", "v2", "2.0.1", ""])
def test_a_malformed_contract_version_is_refused(bad):
    with pytest.raises(ValueError, match="MAJOR"):
        ProgramInfo("pp", "项", "P", "1", contract_versions=(bad,))


def test_an_installed_plugin_for_an_old_contract_stops_the_command(tmp_path, monkeypatch, capsys):
    # Installed the way pip does: a dist-info with an entry point, and the module beside it.
    (tmp_path / "unionaid_old.py").write_text(
        "from unionaid.core import ProgramInfo, hookimpl\n"
        "@hookimpl\n"
        "def register_program():\n"
        '    return ProgramInfo(id="old", name="旧", name_en="Old", version="1",'
        ' contract_versions=("1",))\n',
        encoding="utf-8",
    )
    dist = tmp_path / "unionaid_old-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: unionaid-old\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[unionaid.plugins]\nold = unionaid_old\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setenv("UNIONAID_DATA_KEY", "A" * 43 + "=")
    try:
        assert main(["export-schema", "--all", str(tmp_path / "all.graphql")]) == 2
    finally:
        sys.modules.pop("unionaid_old", None)
    assert "old: supports plugin contract versions 1, but this unionaid has contract 2.0" in (
        capsys.readouterr().err
    )
    assert not (tmp_path / "all.graphql").exists()
