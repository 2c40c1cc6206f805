"""Docs from one source, checked the datasette way: parametrized over the plugin manager's
hookspecs, so a new hook without a substantive docstring, without its entry in the generated
reference, or without a test named for it fails the suite.

The test convention: a test function anywhere under tests/ whose name starts with
``test_hook_`` and contains the hook's name (``test_hook_register_rules_...``) and drives the hook
through the host (see tests/test_hooks.py).
"""

from __future__ import annotations

import ast
import importlib.util
import inspect
import re
import textwrap
from pathlib import Path

import graphql
import pytest

from unionaid.core import hookspecs
from unionaid.core.host import PluginHost

ROOT = Path(__file__).resolve().parent.parent
TESTS = ROOT / "tests"
REFERENCE = ROOT / "docs" / "hooks.md"
HOOKS = sorted(name for name in vars(PluginHost().pm.hook) if not name.startswith("_"))


def generator():
    path = ROOT / "scripts" / "gen_hook_docs.py"
    spec = importlib.util.spec_from_file_location("gen_hook_docs", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def hook_test_names() -> set[str]:
    names = set()
    for path in TESTS.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            # (functions only: an ``except`` clause's name may be None)
            function = isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
            if function and node.name.startswith("test_hook_"):
                names.add(node.name)
    return names


def test_every_hookspec_is_seen():
    declared = {n for n, f in vars(hookspecs).items() if hasattr(f, f"{hookspecs.PROJECT}_spec")}
    assert set(HOOKS) == declared and len(HOOKS) >= 12


def test_committed_hook_reference_is_current():
    assert REFERENCE.read_text(encoding="utf-8") == generator().render(), (
        "docs/hooks.md is stale: run `python scripts/gen_hook_docs.py`"
    )


def test_the_generator_command_checks_the_committed_file(capsys):
    assert generator().main(["--check"]) == 0
    assert capsys.readouterr().err == ""


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_is_documented(hook):
    spec = getattr(hookspecs, hook)
    doc = " ".join((spec.__doc__ or "").split())  # phrases may be wrapped
    assert len(doc) >= 250, f"{hook}: the docstring is too thin to write a plugin from"
    assert "Called" in doc, f"{hook}: say when the host calls it"
    assert "Return" in doc or "return" in doc, f"{hook}: say what to return"
    args = list(inspect.signature(spec).parameters)
    assert args or "Takes no arguments" in doc, f"{hook}: say that it takes no arguments"
    for arg in args:
        assert f"``{arg}``" in doc, f"{hook}: describe the argument {arg}"
    first = getattr(spec, f"{hookspecs.PROJECT}_spec")["firstresult"]
    claim = f"``firstresult``: {'yes' if first else 'no'} — "
    assert claim in doc, f"{hook}: say whether it is firstresult ({claim!r}), as its marker does"
    reference = REFERENCE.read_text(encoding="utf-8")
    assert f"\n### {hook}\n" in reference and f"def {hook}(" in reference, hook


@pytest.mark.parametrize("hook", HOOKS)
def test_every_hook_has_a_test_named_for_it(hook):
    named = sorted(t for t in hook_test_names() if hook in t)
    assert named, f"no test named test_hook_{hook}...: write one that drives it through the host"


def fenced(language: str) -> list[tuple[str, str]]:
    """(file, code) of every ``language`` block in docs/*.md, indented ones included."""
    pattern = re.compile(rf"^( *)```{language}\n(.*?)^\1```$", re.MULTILINE | re.DOTALL)
    found = []
    for path in sorted((ROOT / "docs").glob("*.md")):
        for match in pattern.finditer(path.read_text(encoding="utf-8")):
            code = textwrap.dedent(match[2])
            found.append((path.name, code))
    return found


def test_the_guides_python_compiles_and_imports_only_the_public_api():
    import unionaid.core

    blocks = fenced("python")
    assert len(blocks) >= 4
    for name, code in blocks:
        for node in ast.walk(ast.parse(code, filename=name)):
            if isinstance(node, ast.ImportFrom) and node.module == "unionaid.core":
                private = {a.name for a in node.names} - set(unionaid.core.__all__)
                assert not private, f"{name} imports non-public names {private}"


def test_the_guides_graphql_is_valid_against_the_committed_schema():
    schema = graphql.build_schema((ROOT / "schema" / "schema.graphql").read_text(encoding="utf-8"))
    blocks = fenced("graphql")
    assert blocks, "the guide walks through a campaign in GraphQL"
    for name, code in blocks:
        assert graphql.validate(schema, graphql.parse(code)) == [], (name, code)
