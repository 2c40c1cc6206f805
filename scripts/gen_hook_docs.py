"""Write docs/hooks.md, the hook reference, from core/hookspecs.py: one source for the contract.

    python scripts/gen_hook_docs.py           # rewrite docs/hooks.md
    python scripts/gen_hook_docs.py --check   # exit 1 if docs/hooks.md is stale

Hooks keep their order in hookspecs.py and fall under its banner comments; signatures come from
the source (annotations are strings there), the index's ``firstresult`` column from the
hookspec marker (tests/test_hook_docs.py checks each docstring says the same).
"""

from __future__ import annotations

import ast
import inspect
import re
import sys
from pathlib import Path

from unionaid.core import hookspecs

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "docs" / "hooks.md"
BANNER = re.compile(r"^# -{20,}\n# (?P<title>[^\n]+)\n# -{20,}$", re.MULTILINE)
ROLE = re.compile(r":(?:class|mod|func|meth|attr):`~?(?:[\w.]+\.)?(?P<name>\w+)`")


def markdown(text: str) -> str:
    """The reStructuredText bits the docstrings use, as Markdown."""
    text = ROLE.sub(r"`\g<name>`", text)
    text = text.replace("``", "`")
    return re.sub(r"::$", ":", text, flags=re.MULTILINE)


def hooks() -> list[tuple[str, str, str, bool]]:
    """(group, name, signature, firstresult) of every hookspec, in the source's order."""
    source = inspect.getsource(hookspecs)
    banners = [(source[: m.start()].count("\n") + 1, m["title"]) for m in BANNER.finditer(source)]
    found = []
    for node in ast.parse(source).body:
        spec = getattr(hookspecs, getattr(node, "name", ""), None)
        opts = getattr(spec, f"{hookspecs.PROJECT}_spec", None)
        if not isinstance(node, ast.FunctionDef) or opts is None:
            continue
        group = next((t for line, t in reversed(banners) if line < node.lineno), "Hooks")
        returns = f" -> {ast.unparse(node.returns)}" if node.returns else ""
        signature = f"def {node.name}({ast.unparse(node.args)}){returns}"
        found.append((group, node.name, signature, bool(opts.get("firstresult"))))
    return found


def render() -> str:
    listed = hooks()
    out = [
        "# Hook reference",
        "",
        "<!-- Generated from core/hookspecs.py by scripts/gen_hook_docs.py: edit the docstrings",
        "     there, then run `python scripts/gen_hook_docs.py`. tests/test_hook_docs.py fails",
        "     when this file is stale. -->",
        "",
        markdown(inspect.cleandoc(hookspecs.__doc__ or "")),
        "",
        "Writing a program step by step: [plugins.md](plugins.md).",
        "",
        "| Hook | Called | `firstresult` |",
        "| --- | --- | --- |",
    ]
    for group, name, _, first in listed:
        out.append(f"| [`{name}`](#{name}) | {group} | {'yes' if first else 'no'} |")
    current = None
    for group, name, signature, _ in listed:
        if group != current:
            out += ["", f"## {group}"]
            current = group
        doc = markdown(inspect.cleandoc(getattr(hookspecs, name).__doc__ or ""))
        out += ["", f"### {name}", "", "```python", f"{signature}: ...", "```", "", doc]
    return "\n".join(out) + "\n"


def main(argv: list[str]) -> int:
    text = render()
    if "--check" in argv:
        if OUTPUT.read_text(encoding="utf-8") != text:
            print("docs/hooks.md is stale: run python scripts/gen_hook_docs.py", file=sys.stderr)
            return 1
        return 0
    OUTPUT.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
