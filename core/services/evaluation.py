"""Turning members into facts and facts into decisions: shared by campaign evaluation, the
entitlement preview and the what-if preview, so all three always agree."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

import orjson
from pydantic import BaseModel

from unionaid.core.db import raw_rows
from unionaid.core.host import PluginHost
from unionaid.core.identifiers import age_on
from unionaid.core.models import ProgramEnablement
from unionaid.core.money import FEN, to_fen
from unionaid.core.rules import PROGRAMS_OFF, BenefitRule, Condition, Decision
from unionaid.core.services import audit
from unionaid.core.services.households import household_sizes

FACT_COLUMNS = (
    "id",
    "household_id",
    "district_id",
    "birth_date",
    "gender",
    "employment_status",
    "monthly_income",
    "is_union_member",
    "household__declared_size",
)


async def member_facts(
    host: PluginHost, program_id: str, query: Any, on: dt.date
) -> list[dict[str, Any]]:
    """Facts of the members ``query`` selects, judged on ``on``: a fixed number of statements."""
    rows = await raw_rows(query.order_by("id"), *FACT_COLUMNS)
    if not rows:
        return []
    undeclared = {r[1] for r in rows if r[8] is None}
    counted = await household_sizes(undeclared)
    program = await _program_facts(host, program_id, [r[0] for r in rows])
    shared, off = await _required_facts(host, program_id, rows)
    facts = []
    for member, household, district, born, gender, status, income, union, declared in rows:
        if income is not None:
            income = to_fen(Decimal(income))
        size = declared or counted.get(household) or 1
        if not isinstance(born, dt.date):  # SQLite gives ISO text
            born = dt.date.fromisoformat(born)
        fact = {
            "member_id": member,
            "household_id": household,
            "district_code": district,
            "age": age_on(born, on),
            "gender": gender,
            "employment_status": status,
            "monthly_income": income,
            "is_union_member": bool(union),
            "household_size": size,
            "per_capita_income": to_fen(income / size) if income is not None else None,
        }
        extra = program.get(member)
        if extra:
            fact.update(extra)
        if off is not None:
            fact[PROGRAMS_OFF] = off.get(district, NONE_OFF)
            extra = shared.get(member)
            if extra:
                fact.update(extra)
        facts.append(fact)
    return facts


NONE_OFF: dict[str, tuple[str, str]] = {}


async def _required_facts(
    host: PluginHost, program_id: str, rows: list[tuple]
) -> tuple[dict[int, dict], dict[str, dict[str, tuple[str, str]]] | None]:
    """The facts the programs ``program_id`` requires publish, as "<id>.<name>", for the members
    in districts where each is enabled: one enablement read and one ``load_member_facts`` call
    per required program, whatever the number of members. Also, per district, the required
    programs that are off there ({id: (name, English name)}). (None for "requires nothing".)"""
    requires = host.get(program_id).info.requires
    if not requires:
        return {}, None
    districts = {r[2] for r in rows}
    enabled = set(
        await ProgramEnablement.filter(
            enabled=True, program__in=requires, district_id__in=districts
        ).values_list("program", "district_id")
    )
    shared: dict[int, dict] = {}
    off: dict[str, dict[str, tuple[str, str]]] = {}
    for required in requires:
        info = host.get(required).info
        for district in districts:
            if (required, district) not in enabled:
                off.setdefault(district, {})[required] = (info.name, info.name_en)
        ids = [r[0] for r in rows if (required, r[2]) in enabled]
        if not ids or not info.publishes:
            continue
        for member, values in (await _program_facts(host, required, ids)).items():
            published = shared.setdefault(member, {})
            for name, key in info.publishes.items():
                if key in values:
                    published[f"{required}.{name}"] = values[key]
    return shared, off


async def _program_facts(host: PluginHost, program_id: str, ids: list[int]) -> dict[int, dict]:
    found = host.call(program_id, "load_member_facts", member_ids=ids)
    if inspect.isawaitable(found):
        found = await found
    return found or {}


def decide(rule: BenefitRule, facts: dict[str, Any], settings: BaseModel, on: dt.date) -> Decision:
    """The rule's decision with its amount in yuan to the fen (zero when not eligible)."""
    decision = rule.evaluate(facts, settings, on)
    if decision.eligible:
        if type(decision.amount) is Decimal and decision.amount.same_quantum(FEN):
            return decision  # already in fen (the usual case: a settings amount): no copy
        amount = to_fen(Decimal(decision.amount))
    else:
        amount = NOTHING
    return Decision(
        decision.eligible, amount, decision.conditions, decision.facts, decision.settings
    )


NOTHING = Decimal("0.00")


def json_safe(values: dict[str, Any]) -> dict[str, Any]:
    return {key: audit.plain(value) for key, value in values.items()}


def to_json(value: Any) -> str:
    """JSON text in the trail's conventions (money with two decimals, ISO dates), for columns
    written in bulk: serialising once here is cheaper than a dict per row handed to the driver."""
    return orjson.dumps(value, default=audit.plain).decode()


def explanation(conditions: Iterable[Condition]) -> list[dict[str, Any]]:
    return [{"passed": c.passed, "zh": c.zh, "en": c.en} for c in conditions]


def beneficiary(rule: BenefitRule) -> Callable[[dict[str, Any]], str]:
    """The function naming who a decision of ``rule`` pays, from a member's facts: the member,
    or the household for household rules (paid once, whoever in it qualifies)."""
    if str(getattr(rule.unit, "value", rule.unit)) == "household":
        return lambda facts: f"household:{facts['household_id']}"
    return lambda facts: f"member:{facts['member_id']}"
