"""Turning members into facts and facts into decisions: shared by campaign evaluation, the
entitlement preview and the what-if preview, so all three always agree."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

import orjson
from pydantic import BaseModel

from unionaid.core.db import raw_values
from unionaid.core.graphql.loaders import household_sizes
from unionaid.core.host import PluginHost
from unionaid.core.identifiers import age_on
from unionaid.core.money import to_fen
from unionaid.core.rules import BenefitRule, Condition, Decision
from unionaid.core.services import audit

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
    rows = await raw_values(query.order_by("id"), *FACT_COLUMNS)
    if not rows:
        return []
    undeclared = {r["household_id"] for r in rows if r["household__declared_size"] is None}
    counted = await household_sizes(undeclared)
    program = await _program_facts(host, program_id, [r["id"] for r in rows])
    facts = []
    for r in rows:
        income = r["monthly_income"]
        if income is not None:
            income = to_fen(Decimal(income))
        size = r["household__declared_size"] or counted.get(r["household_id"]) or 1
        born = r["birth_date"]
        if not isinstance(born, dt.date):  # SQLite gives ISO text
            born = dt.date.fromisoformat(born)
        fact = {
            "member_id": r["id"],
            "household_id": r["household_id"],
            "district_code": r["district_id"],
            "age": age_on(born, on),
            "gender": r["gender"],
            "employment_status": r["employment_status"],
            "monthly_income": income,
            "is_union_member": bool(r["is_union_member"]),
            "household_size": size,
            "per_capita_income": to_fen(income / size) if income is not None else None,
        }
        extra = program.get(r["id"])
        if extra:
            fact.update(extra)
        facts.append(fact)
    return facts


async def _program_facts(host: PluginHost, program_id: str, ids: list[int]) -> dict[int, dict]:
    found = host.call(program_id, "load_member_facts", member_ids=ids)
    if inspect.isawaitable(found):
        found = await found
    return found or {}


def decide(rule: BenefitRule, facts: dict[str, Any], settings: BaseModel, on: dt.date) -> Decision:
    """The rule's decision with its amount in yuan to the fen (zero when not eligible)."""
    decision = rule.evaluate(facts, settings, on)
    if decision.eligible:
        if type(decision.amount) is Decimal and decision.amount.as_tuple().exponent == -2:
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


def beneficiary(rule: BenefitRule, facts: dict[str, Any]) -> str:
    unit = str(getattr(rule.unit, "value", rule.unit))
    return (
        f"household:{facts['household_id']}"
        if unit == "household"
        else f"member:{facts['member_id']}"
    )
