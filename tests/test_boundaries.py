"""The layers, enforced: who may import whom, read from the source (every import statement,
including those inside functions: an import moved into a function to dodge a cycle is still a
cycle).

- the core never imports a plugin;
- of unionaid's modules a plugin imports only ``unionaid.core`` (the package root, never a
  submodule), ``unionaid.testing`` in its tests, and its own package; so plugins never import
  each other;
- services never import the GraphQL layer, models import neither services nor GraphQL (directly
  or through another module);
- no import cycle among the core's modules.

Importing a submodule also runs its parents' ``__init__``; those implicit imports are not edges
here (as with import-linter): ``unionaid.core/__init__`` is the public API, built on top."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = {"core": "unionaid.core", "plugins": "unionaid.plugins", "testing": "unionaid.testing"}
SAMPLE_PLUGIN = ROOT / "tests" / "sample_plugin" / "unionaid_sample"


def _module_name(path: Path, base: Path, package: str) -> str:
    parts = list(path.relative_to(base).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join([package, *parts])


def _sources() -> dict[str, Path]:
    found = {}
    for folder, package in PACKAGES.items():
        for path in sorted((ROOT / folder).rglob("*.py")):
            found[_module_name(path, ROOT / folder, package)] = path
    return found


SOURCES = _sources()


def imported_names(module: str, path: Path) -> list[tuple[int, str]]:
    """(line, dotted name) of everything ``path`` imports, at any depth of the syntax tree.
    ``from a.b import c`` yields ``a.b.c`` (a module or a name in ``a.b``); relative imports are
    made absolute."""
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
                base = f"{anchor}.{base}" if base else anchor
            names += [(node.lineno, f"{base}.{alias.name}") for alias in node.names]
    return names


def _known(name: str) -> str | None:
    """The module of ours that ``name`` is or is defined in, or None when it is not ours."""
    while name and name not in SOURCES:
        name = name.rpartition(".")[0]
    return name or None


def import_graph() -> dict[str, set[str]]:
    """Module -> the modules of ours it imports."""
    graph = {}
    for module, path in SOURCES.items():
        graph[module] = {t for _, n in imported_names(module, path) if (t := _known(n))}
    return graph


GRAPH = import_graph()


def _reachable(start: str) -> dict[str, str]:
    """Every module ``start`` imports, directly or not, each with the module that imports it."""
    via: dict[str, str] = {}
    stack = [start]
    while stack:
        current = stack.pop()
        for target in GRAPH[current]:
            if target not in via and target != start:
                via[target] = current
                stack.append(target)
    return via


def _chain(start: str, end: str, via: dict[str, str]) -> str:
    path = [end]
    while path[-1] != start:
        path.append(via[path[-1]])
    return " → ".join(reversed(path))


def _in(module: str, package: str) -> bool:
    return module == package or module.startswith(package + ".")


def test_the_walk_sees_imports_inside_functions():
    # hardship's plugin module imports its GraphQL types inside a hook: those edges count.
    assert "unionaid.plugins.hardship.graphql" in GRAPH["unionaid.plugins.hardship.plugin"]
    assert len(SOURCES) > 100


def test_the_core_never_imports_a_plugin():
    offences = [
        f"{module}:{line} imports {name}"
        for module, path in SOURCES.items()
        if _in(module, "unionaid.core")
        for line, name in imported_names(module, path)
        if _in(name, "unionaid.plugins")
    ]
    assert offences == []


def test_the_core_and_the_plugins_never_import_the_test_kit():
    # The kit (unionaid.testing) sits above them: a plugin's tests use it, nothing else does.
    offences = [
        f"{module}:{line} imports {name}"
        for module, path in SOURCES.items()
        if not _in(module, "unionaid.testing") and not _is_test_module(module)
        for line, name in imported_names(module, path)
        if _in(name, "unionaid.testing")
    ]
    assert offences == []


def test_the_test_kit_never_imports_a_plugin():
    kit = {t for m, targets in GRAPH.items() if _in(m, "unionaid.testing") for t in targets}
    assert kit and not any(_in(t, "unionaid.plugins") for t in kit)


def _public_api() -> set[str]:
    """``unionaid.core.<name>`` for every name in the package root's ``__all__``."""
    tree = ast.parse((ROOT / "core" / "__init__.py").read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.Assign) and [t.id for t in node.targets] == ["__all__"]:
            return {f"unionaid.core.{name}" for name in ast.literal_eval(node.value)}
    raise AssertionError("unionaid.core declares no __all__")


PUBLIC_API = _public_api()


def _is_test_module(module: str) -> bool:
    """A plugin's test code: a ``tests`` package (in its package or beside it, as
    ``unionaid new-plugin`` writes it), a ``conftest`` or a ``test_*`` module."""
    parts = module.split(".")
    return any(
        p in ("tests", "conftest") or p.startswith("test_") or p.endswith("_tests") for p in parts
    )


def _plugin_offences(plugin: str, files: dict[str, Path]) -> list[str]:
    """``files``: {module name: path} of a plugin's code and its tests."""
    offences = []
    for module, path in files.items():
        in_tests = _is_test_module(module)
        for line, name in imported_names(module, path):
            if not _in(name, "unionaid"):
                continue  # third-party libraries are the plugin's own business
            from_root = name == "unionaid.core" or name in PUBLIC_API
            own = _in(name, plugin)
            if not (own or from_root or (in_tests and _in(name, "unionaid.testing"))):
                offences.append(f"{module}:{line} imports {name}")
    return offences


PLUGINS = sorted(p.name for p in (ROOT / "plugins").iterdir() if (p / "plugin.py").exists())


@pytest.mark.parametrize("plugin", PLUGINS)
def test_a_plugin_imports_only_the_public_api_and_itself(plugin):
    package = f"unionaid.plugins.{plugin}"
    files = {m: p for m, p in SOURCES.items() if _in(m, package)}
    assert files
    assert _plugin_offences(package, files) == []


def test_the_third_party_sample_plugin_imports_only_the_public_api():
    # Its package, and its tests beside it (sample_tests/, which may use the kit).
    paths = sorted(SAMPLE_PLUGIN.parent.rglob("*.py"))
    files = {_module_name(p, SAMPLE_PLUGIN.parent, "").lstrip("."): p for p in paths}
    assert any(_is_test_module(m) for m in files)
    assert _plugin_offences("unionaid_sample", files) == []


def test_the_plugin_rule_catches_submodules_and_other_plugins(tmp_path):
    # The rule itself, on a plugin written to break it.
    bad = tmp_path / "plugins" / "rogue" / "plugin.py"
    bad.parent.mkdir(parents=True)
    bad.write_text(
        "from unionaid.core import hookimpl, models\n"
        "def hook():\n"
        "    from unionaid.core.graphql.loaders import household_loader\n"
        "    from unionaid.plugins.hardship.models import HardshipProfile\n"
        "    import unionaid.testing\n"
    )
    fine = tmp_path / "plugins" / "rogue" / "tests" / "test_rogue.py"
    fine.parent.mkdir()
    fine.write_text("from unionaid.testing import GQL\nfrom unionaid.core import hookimpl\n")
    offences = _plugin_offences(
        "unionaid.plugins.rogue",
        {"unionaid.plugins.rogue.plugin": bad, "unionaid.plugins.rogue.tests.test_rogue": fine},
    )
    assert offences == [
        "unionaid.plugins.rogue.plugin:1 imports unionaid.core.models",
        "unionaid.plugins.rogue.plugin:3 imports unionaid.core.graphql.loaders.household_loader",
        "unionaid.plugins.rogue.plugin:4 imports unionaid.plugins.hardship.models.HardshipProfile",
        "unionaid.plugins.rogue.plugin:5 imports unionaid.testing",
    ]


@pytest.mark.parametrize("plugin", PLUGINS)
def test_plugins_never_import_each_other(plugin):
    package = f"unionaid.plugins.{plugin}"
    others = {
        target
        for module, targets in GRAPH.items()
        if _in(module, package)
        for target in targets
        if _in(target, "unionaid.plugins") and not _in(target, package)
    }
    assert others == set()


@pytest.mark.parametrize(
    ("layer", "forbidden"),
    [
        ("unionaid.core.services", ("unionaid.core.graphql",)),
        ("unionaid.core.models", ("unionaid.core.graphql", "unionaid.core.services")),
    ],
)
def test_lower_layers_never_import_upper_ones(layer, forbidden):
    # Through any chain, and never the package root either (it re-exports GraphQL helpers).
    offences = []
    for module in sorted(m for m in GRAPH if _in(m, layer)):
        via = _reachable(module)
        offences += [
            _chain(module, target, via)
            for target in sorted(via)
            if target == "unionaid.core" or any(_in(target, f) for f in forbidden)
        ]
    assert offences == []


# Edges left in a cycle on purpose, each with its reason. Everything else must be acyclic.
CYCLE_ALLOWLIST = {
    # The schema itself is recursive here: Fund.ledger lists LedgerEntry, whose fund is a Fund and
    # whose campaign is a Campaign (graphql.campaigns), whose fund is a Fund again; Household
    # (graphql.types) has payments (graphql.ledger) of its members. Fund's and Household's
    # resolvers import graphql.ledger when called. Splitting these types over modules without a
    # function-level import would take a lazy string reference, which only hides the same edge.
    ("unionaid.core.graphql.types", "unionaid.core.graphql.ledger"),
}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph.get(child, ())))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1 or node in graph.get(node, ()):
                    found.append(sorted(component))
    return found


def test_no_import_cycle_among_core_modules():
    core = {
        m: {t for t in targets if _in(t, "unionaid.core") and (m, t) not in CYCLE_ALLOWLIST}
        for m, targets in GRAPH.items()
        if _in(m, "unionaid.core")
    }
    assert _cycles(core) == []


def test_the_cycle_allowlist_is_not_stale():
    assert {(m, t) for m, t in CYCLE_ALLOWLIST if t in GRAPH[m]} == CYCLE_ALLOWLIST


def test_the_cycle_finder_finds_cycles_hidden_in_functions():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]
