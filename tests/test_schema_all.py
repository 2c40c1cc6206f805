"""``unionaid export-schema --all``: the SDL of everything installed, third-party plugins too,
while the committed SDL stays the core and the built-in programs."""

from pathlib import Path

import pytest

from unionaid.core.cli import main
from unionaid.core.graphql.schema import build_schema, sdl
from unionaid.core.host import PluginHost

COMMITTED = Path(__file__).parent.parent / "schema" / "schema.graphql"
SAMPLE_FIELDS = ("sampleDistricts:", "sampleTouch(", "sampleGreeting:")


@pytest.fixture
def data_key(monkeypatch):
    monkeypatch.setenv("UNIONAID_DATA_KEY", "A" * 43 + "=")


def test_export_schema_all_includes_installed_third_party_plugins(
    tmp_path, data_key, sample_installed
):
    everything, builtin = tmp_path / "all.graphql", tmp_path / "builtin.graphql"
    assert main(["export-schema", "--all", str(everything)]) == 0
    assert main(["export-schema", str(builtin)]) == 0

    text = everything.read_text(encoding="utf-8")
    assert all(field in text for field in SAMPLE_FIELDS)
    assert text == sdl(build_schema(PluginHost.load()))
    # The built-in export (the committed file) ignores the installed sample plugin.
    assert builtin.read_text(encoding="utf-8") == COMMITTED.read_text(encoding="utf-8")
    assert not any(field in COMMITTED.read_text(encoding="utf-8") for field in SAMPLE_FIELDS)


def test_export_schema_all_to_stdout(data_key, sample_installed, capsys):
    assert main(["export-schema", "--all", "-"]) == 0
    out = capsys.readouterr().out
    assert out == sdl(build_schema(PluginHost.load()))
    assert all(field in out for field in SAMPLE_FIELDS)


def test_export_schema_all_never_overwrites_the_committed_file(
    tmp_path, data_key, sample_installed, monkeypatch, capsys
):
    monkeypatch.chdir(tmp_path)
    assert main(["export-schema", "--all"]) == 2
    assert "--all needs a PATH" in capsys.readouterr().err
    assert not (tmp_path / "schema").exists()
