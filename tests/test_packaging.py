"""Every package folder ships, under the distinctive import name ``unionaid``."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).parent.parent
FOLDERS = (
    ("core", "unionaid.core"),
    ("plugins", "unionaid.plugins"),
    ("testing", "unionaid.testing"),
)


def test_every_package_folder_is_listed_in_pyproject():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    listed = set(config["tool"]["setuptools"]["packages"])
    assert config["tool"]["setuptools"]["package-dir"] == dict((n, t) for t, n in FOLDERS)
    found = set()
    for top, name in FOLDERS:
        for init in (ROOT / top).rglob("__init__.py"):
            parts = init.parent.relative_to(ROOT / top).parts
            found.add(".".join((name, *parts)))
    assert found == listed


def test_builtin_plugins_are_entry_points_with_the_same_shape():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    eps = config["project"]["entry-points"]["unionaid.plugins"]
    assert set(eps) == {"hardship", "yuanmeng", "mutualaid", "jobs4050"}
    for name in eps:
        folder = ROOT / "plugins" / name
        for part in ("plugin.py", "settings.py", "README.md", "migrations/__init__.py"):
            assert (folder / part).exists(), f"plugins/{name}/{part}"


def test_model_docstrings_are_safe_for_sqlite_migrations():
    # Tortoise turns the first docstring line into a table comment and its SQLite migrator
    # splits statements on ';' (a docstring with one broke a migration once).
    from tortoise.models import Model

    import unionaid.core.models as models

    for value in vars(models).values():
        if isinstance(value, type) and issubclass(value, Model) and value.__doc__:
            first = value.__doc__.strip().splitlines()[0]
            assert ";" not in first and '"' not in first, value


def test_the_test_kit_is_a_pytest_plugin_of_the_distribution():
    import importlib.metadata

    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["project"]["entry-points"]["pytest11"] == {
        "unionaid": "unionaid.testing.fixtures"
    }
    installed = importlib.metadata.entry_points(group="pytest11", name="unionaid")
    assert [ep.value for ep in installed] == ["unionaid.testing.fixtures"]


def test_the_plugin_template_ships_as_package_data():
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    assert config["tool"]["setuptools"]["package-data"]["unionaid.core"] == [
        "plugin_template/**/*.tmpl"
    ]
    files = [p for p in (ROOT / "core" / "plugin_template").rglob("*") if p.is_file()]
    assert files and all(p.suffix == ".tmpl" for p in files)
