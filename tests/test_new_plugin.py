"""``unionaid new-plugin``: the template writes a program package that loads, migrates and
answers, within its size budget. CI (``.ci/run``) installs one and runs its own tests."""

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.test_boundaries import _plugin_offences
from unionaid.core import to_global_id
from unionaid.core.cli import main
from unionaid.core.scaffold import write_plugin
from unionaid.core.services import programs

NAME = "eldercare"
SET = """mutation($m: ID!) { setEldercareLevel(input: {memberId: $m, level: HIGH})
  { level userErrors { field code } } }"""


def _python(folder: Path) -> list[Path]:
    """The plugin's Python without tests and migrations (what the budget counts)."""
    package = folder / f"unionaid_{NAME}"
    return sorted(p for p in package.rglob("*.py") if "migrations" not in p.parts)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("new") / f"unionaid-{NAME}"
    assert main(["new-plugin", NAME, "--dir", str(folder)]) == 0
    return folder


@pytest.fixture(scope="module")
def generated_module(generated: Path):
    """The generated plugin module, imported as if installed (its folder on sys.path only while
    importing, so no other test sees it)."""
    with pytest.MonkeyPatch.context() as patch:
        patch.syspath_prepend(str(generated))
        yield importlib.import_module(f"unionaid_{NAME}.plugin")
    for module in [m for m in sys.modules if m.startswith(f"unionaid_{NAME}")]:
        del sys.modules[module]


@pytest.fixture
def unionaid_plugin(generated_module):
    return generated_module


@pytest.fixture
def program_districts():
    return ("320206",)  # the kit's default (tests/conftest.py enables nothing)


def test_new_plugin_writes_every_part(generated: Path):
    package = f"unionaid_{NAME}"
    written = {str(p.relative_to(generated)) for p in generated.rglob("*") if p.is_file()}
    assert written == {
        "pyproject.toml",
        "README.md",
        f"{package}/__init__.py",
        f"{package}/plugin.py",
        f"{package}/settings.py",
        f"{package}/models.py",
        f"{package}/rules.py",
        f"{package}/graphql.py",
        f"{package}/migrations/__init__.py",
        f"{package}/migrations/0001_initial.py",
        "tests/conftest.py",
        f"tests/test_{NAME}.py",
    }
    pyproject = (generated / "pyproject.toml").read_text()
    assert f'{NAME} = "{package}.plugin"' in pyproject
    assert not any("{{" in (generated / f).read_text() for f in written)


def test_the_template_is_at_most_150_lines_of_python(generated: Path):
    lines = [line for path in _python(generated) for line in path.read_text().splitlines()]
    assert 100 < len([line for line in lines if line.strip()]) <= 150


def test_the_template_imports_only_the_public_api_and_the_kit(generated: Path):
    package = f"unionaid_{NAME}"
    files = {
        ".".join(p.relative_to(generated).with_suffix("").parts): p for p in generated.rglob("*.py")
    }
    assert _plugin_offences(package, files) == []


async def test_the_generated_plugin_migrates_and_answers(host, gql, add_member, orm):
    # The kit gave this test a database migrated with the plugin's own migration, and the app
    # with the program enabled in 320206 only.
    assert list(host.programs) == [NAME]
    member = await add_member("320206")
    done = await gql.ok(SET, {"m": to_global_id("Member", member.pk)})
    assert done["setEldercareLevel"] == {"level": "HIGH", "userErrors": []}
    assert await programs.enabled_districts(NAME) == ["320206"]


@pytest.mark.parametrize("name", ["Elder", "e", "core", "elder-care"])
def test_new_plugin_refuses_an_invalid_program_id(name, tmp_path):
    with pytest.raises(ValueError):
        write_plugin(name, tmp_path / "x")


def test_new_plugin_never_writes_over_a_folder(tmp_path, capsys):
    (tmp_path / "keep.txt").write_text("mine")
    assert main(["new-plugin", NAME, "--dir", str(tmp_path)]) == 2
    assert "not empty" in capsys.readouterr().err
    assert [p.name for p in tmp_path.iterdir()] == ["keep.txt"]


def test_the_generated_plugins_own_tests_pass(generated: Path, tmp_path):
    # What the author runs after `pip install -e`: the entry point comes from a dist-info on the
    # path (as an install would write it), the tests from the generated folder, in a new process.
    info = tmp_path / f"unionaid_{NAME}-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: unionaid-{NAME}\nVersion: 0.1.0\n")
    (info / "entry_points.txt").write_text(f"[unionaid.plugins]\n{NAME} = unionaid_{NAME}.plugin\n")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(generated), str(tmp_path)])}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:logging"],
        cwd=generated,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-2000:]


def test_the_template_is_lint_clean_and_formatted_whatever_the_programs_name(tmp_path):
    # CI runs `ruff check` and `ruff format --check` in the generated plugin: a program id is 2
    # to 31 characters, and lines holding it must neither grow past 100 nor be re-wrapped.
    names = ["ab", "kitpg", NAME, "a" * 20, "abcdefghijklmnopqrstuvwxyzabcde"]
    for name in names:
        write_plugin(name, tmp_path / name)
    for command in (["check", "--no-cache"], ["format", "--check", "--no-cache"]):
        run = subprocess.run(
            [sys.executable, "-m", "ruff", *command, "."],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert run.returncode == 0, run.stdout[-4000:] + run.stderr[-1000:]
