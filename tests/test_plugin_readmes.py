"""Every program's README has the model program's sections and names everything the program
contributes (issue 16 item 12): its models, settings, rules, queries, mutations and
migrations — read from the program itself, so the README cannot fall behind."""

import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest
from strawberry.types.base import get_object_definition
from tortoise.models import Model

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("## Models", "## Settings", "## Rules", "## Queries", "## Mutations", "## Migrations")
# The programs shaped like the model one.
PROGRAMS = ("hardship", "yuanmeng", "jobs4050", "mutualaid")


def _fields(piece: type | None) -> set[str]:
    if piece is None:
        return set()
    return {f.graphql_name or _camel(f.python_name) for f in get_object_definition(piece).fields}


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


def contributed(host, program_id: str) -> dict[str, set[str]]:
    """What ``program_id`` contributes, by README section."""
    program = host.programs[program_id]
    found: dict[str, set[str]] = {s: set() for s in SECTIONS}
    if program.settings_model is not None:
        found["## Settings"] = set(program.settings_model.model_fields)
    found["## Rules"] = {rule.code for rule in program.rules}
    if program.models is not None:
        for module in program.models.modules:
            found["## Models"] |= {
                name
                for name, value in vars(importlib.import_module(module)).items()
                if inspect.isclass(value) and issubclass(value, Model) and value is not Model
            }
        migrations = importlib.import_module(program.models.migrations)
        found["## Migrations"] = {m.name for m in pkgutil.iter_modules(migrations.__path__)}
    register = getattr(program.plugin, "register_graphql", None)
    contribution = register() if register is not None else None
    if contribution is not None:
        found["## Queries"] = _fields(contribution.query) | _fields(contribution.member_fields)
        found["## Mutations"] = _fields(contribution.mutation)
    return found


def _named(name: str, text: str) -> bool:
    """In code: `name`, `name(args)` or `Type.name`."""
    return re.search(rf"`(\w+\.)?{re.escape(name)}[`(]", text) is not None


@pytest.mark.parametrize("program_id", PROGRAMS)
def test_a_programs_readme_has_the_sections_and_names_all_it_contributes(builtin_host, program_id):
    text = (ROOT / "plugins" / program_id / "README.md").read_text(encoding="utf-8")
    sections = {s: text.index(s) for s in SECTIONS if s in text}
    assert list(sections) == list(SECTIONS), f"{program_id}: sections missing or out of order"
    ends = [*sorted(sections.values())[1:], len(text)]
    for (section, start), end in zip(sections.items(), ends, strict=True):
        body = text[start:end]
        wanted = contributed(builtin_host, program_id)[section]
        missing = sorted(name for name in wanted if not _named(name, body))
        assert missing == [], f"{program_id} README, {section}: not named {missing}"
        if not wanted:
            assert "none yet" in body.lower(), f"{program_id} README, {section}: say none yet"
