"""A member's decisions on the API (``Member.entitlements``): every enabled program's rules judged
for one member in a period, with the reasons, and nothing written. The Condition type is shared
with the campaigns' entitlements."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from unionaid.core.graphql.auth import principal
from unionaid.core.graphql.member_fields import request_loader
from unionaid.core.graphql.scalars import Money
from unionaid.core.periods import resolve_period
from unionaid.core.services import previews
from unionaid.core.services.audit import plain


@strawberry.type(name="Condition", description="One condition of a decision, in words")
class ConditionType:
    passed: bool
    zh: str
    en: str


@strawberry.type(description="One rule's decision for a member, with its reasons")
class EntitlementDecision:
    program: str
    rule_code: str
    rule_name: str
    rule_name_en: str
    eligible: bool
    amount: Money
    conditions: list[ConditionType]
    facts: JSON
    settings: JSON
    settings_version: JSON


async def member_entitlements(info: Info, member_pk: int, period: str) -> list[EntitlementDecision]:
    host = info.context.host

    async def decide(member_pks: list[int]) -> dict[int, list[dict[str, Any]]]:
        # The members of a page in one batch, the period resolved once.
        resolved = await resolve_period(period, kinds=host.period_kinds())
        return await previews.entitlements(host, member_pks, resolved)

    decisions = await request_loader(info, ("member_entitlements", period), decide, []).load(
        member_pk
    )
    role, programs = principal(info).role, host.programs
    return [
        EntitlementDecision(
            program=d["program"],
            rule_code=d["rule"].code,
            rule_name=d["rule"].name,
            rule_name_en=d["rule"].name_en,
            eligible=d["decision"].eligible,
            amount=d["decision"].amount,
            conditions=[
                ConditionType(passed=c.passed, zh=c.zh, en=c.en) for c in d["decision"].conditions
            ],
            facts={k: _plain(v) for k, v in (d["decision"].facts or {}).items()},
            settings={k: _plain(v) for k, v in (d["decision"].settings or {}).items()},
            settings_version=d["settings_version"],
        )
        for d in decisions
        if role in programs[d["program"]].info.serves  # never a program the caller is not for
    ]


def _plain(value: Any) -> Any:
    return plain(value)
