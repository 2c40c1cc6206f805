"""Every built-in rule (the shipped programs' and the sample plugin's) run over members of every
shape and districts of every setting, for the tests that hold all rules to the same contract:
snapshots (test_rule_snapshots), rounding (test_rounding), words (test_languages)."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from unionaid.core.host import PluginHost

ON = dt.date(2027, 1, 26)
CORE = {
    "member_id": 1,
    "household_id": 1,
    "district_code": "320206",
    "age": 45,
    "gender": "female",
    "employment_status": "employed",
    "monthly_income": Decimal("900.00"),
    "is_union_member": True,
    "household_size": 2,
    "per_capita_income": Decimal("450.00"),
}
# Members of every shape the rules tell apart: no file; no income on the register; each level
# with and without assessed means, reasons, model-worker standing and children at school.
MEMBERS: list[dict[str, Any]] = [
    {"children_school_levels": []},
    {
        "monthly_income": None,
        "per_capita_income": None,
        "age": 16,
        "is_union_member": False,
        "household_size": 1,
    },
    {
        "hardship_status": "active",
        "hardship_stage": "verified",
        "hardship_level": "extreme",
        "hardship_reasons": ["serious_illness", "low_income"],
        "model_worker_level": "none",
        "model_worker_in_difficulty": False,
        "hardship_assessed_income": Decimal("300.00"),
        "hardship_assessed_size": 3,
        "children_school_levels": ["primary", "university"],
    },
    {
        "hardship_status": "active",
        "hardship_stage": "verified",
        "hardship_level": "difficult",
        "hardship_reasons": ["unemployment"],
        "model_worker_level": "provincial",
        "model_worker_in_difficulty": True,
        "hardship_assessed_income": None,
        "hardship_assessed_size": None,
        "children_school_levels": ["senior_high"],
    },
    {
        "hardship_status": "closed",
        "hardship_stage": "closed",
        "hardship_level": "extreme",
        "hardship_reasons": ["disaster"],
        "model_worker_level": "none",
        "model_worker_in_difficulty": False,
        "hardship_assessed_income": Decimal("1200.50"),
        "hardship_assessed_size": None,
        "children_school_levels": [],
    },
    {
        "hardship_status": "active",
        "hardship_stage": "verified",
        "hardship_level": "none",
        "hardship_reasons": [],
        "model_worker_level": "city",
        "model_worker_in_difficulty": False,
        "hardship_assessed_income": None,
        "hardship_assessed_size": 4,
        "children_school_levels": ["kindergarten", "junior_high"],
    },
    {  # registered, not yet verified: pays nothing
        "hardship_status": "active",
        "hardship_stage": "registered",
        "hardship_level": "extreme",
        "hardship_reasons": ["serious_illness"],
        "model_worker_level": "none",
        "model_worker_in_difficulty": True,
        "hardship_assessed_income": Decimal("500.00"),
        "hardship_assessed_size": 2,
        "children_school_levels": ["primary"],
    },
]


def facts_of(member: dict[str, Any]) -> dict[str, Any]:
    return {**CORE, **member}


def rules(host: PluginHost) -> Iterator[tuple[str, Any, type[BaseModel]]]:
    """(program id, rule, settings model) of every rule the host's programs contribute."""
    for program in host.programs.values():
        for rule in program.rules:
            yield program.id, rule, program.settings_model


def settings_variants(model: type[BaseModel]) -> list[BaseModel]:
    """The defaults, and every combination of the model's switches turned the other way."""
    defaults = model()
    switches = [name for name, value in defaults if isinstance(value, bool)]
    found = []
    for flips in itertools.product((False, True), repeat=len(switches)):
        changed = {
            n: not getattr(defaults, n) for n, flip in zip(switches, flips, strict=True) if flip
        }
        found.append(model.model_validate({**defaults.model_dump(), **changed}))
    return found


class ReadFacts(dict):
    """A member's facts that remember which keys a rule looked at."""

    def __init__(self, values: dict[str, Any]) -> None:
        super().__init__(values)
        self.read: set[str] = set()

    def __getitem__(self, key: str) -> Any:
        self.read.add(key)
        return super().__getitem__(key)

    def get(self, key: str, default: Any = None) -> Any:
        self.read.add(key)
        return super().get(key, default)

    def __contains__(self, key: object) -> bool:
        self.read.add(str(key))
        return super().__contains__(key)

    def __iter__(self):
        self.read.update(super().keys())
        return super().__iter__()

    def keys(self):
        self.read.update(super().keys())
        return super().keys()

    def items(self):
        self.read.update(super().keys())
        return super().items()

    def values(self):
        self.read.update(super().keys())
        return super().values()


class ReadSettings:
    """A district's settings that remember which of them a rule looked at."""

    def __init__(self, settings: BaseModel) -> None:
        object.__setattr__(self, "_settings", settings)
        object.__setattr__(self, "read", set())

    def __getattr__(self, name: str) -> Any:
        fields = type(self._settings).model_fields
        if name in fields:
            self.read.add(name)
        elif name.startswith("model_dump") or name == "__dict__":
            self.read.update(fields)  # the whole model
        return getattr(self._settings, name)
