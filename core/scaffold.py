"""``unionaid new-plugin NAME``: a working program package written from the template in
``plugin_template/`` (shipped as package data). Its files are ``*.tmpl`` with ``{{name}}``
(the program id), ``{{Name}}`` (its class prefix), ``{{package}}``, ``{{dist}}`` and
``{{contract}}`` (the contract major version) filled in; ``package/`` becomes the package's
folder and ``tests/test_plugin.py`` becomes ``tests/test_NAME.py``."""

from __future__ import annotations

from pathlib import Path

from unionaid.core.hookspecs import CONTRACT_VERSION
from unionaid.core.plugin_types import ProgramInfo

TEMPLATE = Path(__file__).parent / "plugin_template"


def default_folder(name: str) -> Path:
    return Path(f"unionaid-{name}")


def write_plugin(name: str, folder: Path) -> list[Path]:
    """Write the program ``name`` into ``folder`` (new or empty); the files written, sorted."""
    ProgramInfo(id=name, name=name, name_en=name, version="0")  # raises on an invalid id
    if folder.exists() and any(folder.iterdir()):
        raise FileExistsError(f"{folder} exists and is not empty")
    words = {
        "{{name}}": name,
        "{{Name}}": name.capitalize(),
        "{{package}}": f"unionaid_{name}",
        "{{dist}}": f"unionaid-{name}",
        "{{contract}}": CONTRACT_VERSION.split(".")[0],
    }
    written = []
    for source in sorted(TEMPLATE.rglob("*.tmpl")):
        parts = list(source.relative_to(TEMPLATE).with_suffix("").parts)
        parts = [words["{{package}}"] if part == "package" else part for part in parts]
        if parts == ["tests", "test_plugin.py"]:
            parts[-1] = f"test_{name}.py"
        text = source.read_text(encoding="utf-8")
        for placeholder, value in words.items():
            text = text.replace(placeholder, value)
        target = folder.joinpath(*parts)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        written.append(target)
    return written
