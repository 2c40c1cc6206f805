"""Decisions without writing anything: a member's entitlements (why and why not) and the cost of
a settings change before it is saved (what-if)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import ValidationError

from unionaid.core.errors import Code, DomainError, Words
from unionaid.core.host import PluginHost
from unionaid.core.models import Member
from unionaid.core.money import ZERO
from unionaid.core.periods import Period
from unionaid.core.schedules import accepts, require_period
from unionaid.core.services.evaluation import beneficiary, decide, member_facts
from unionaid.core.services.programs import (
    deep_merge,
    effective_settings,
    enabled_pairs,
)
from unionaid.core.services.settings_errors import settings_errors

CHUNK = 5000


async def entitlements(
    host: PluginHost, member_ids: list[int], period: Period
) -> dict[int, list[dict[str, Any]]]:
    """For each member, every rule of every program enabled in their district that pays in
    this period (its schedule accepts it), decided on the period's day of judgement."""
    enabled = await enabled_pairs()
    rows = await Member.filter(id__in=member_ids).values("id", "district_id")
    found: dict[int, list[dict[str, Any]]] = {pk: [] for pk in member_ids}
    for program_id in sorted(host.programs):
        ids = [r["id"] for r in rows if (program_id, r["district_id"]) in enabled]
        if not ids or not host.get(program_id).rules:
            continue
        facts = await member_facts(host, program_id, Member.filter(id__in=ids), period.judged_on)
        settings_by_district: dict[str, Any] = {}
        for fact in facts:
            code = fact["district_code"]
            if code not in settings_by_district:
                settings_by_district[code] = await effective_settings(
                    host, program_id, code, period.judged_on
                )
            effective = settings_by_district[code]
            for rule in host.get(program_id).rules:
                if not accepts(rule, period):
                    continue
                decision = decide(rule, fact, effective.values, period.judged_on)
                found[fact["member_id"]].append(
                    {
                        "program": program_id,
                        "rule": rule,
                        "decision": decision,
                        "settings_version": {
                            "city": effective.city_version,
                            "district": effective.district_version,
                        },
                    }
                )
    return found


async def what_if(
    host: PluginHost,
    program_id: str,
    rule_code: str,
    district_code: str,
    period: Period,
    changes: dict[str, Any],
) -> dict[str, dict[str, Any]]:
    """Beneficiaries and cost under the current settings and under them with ``changes``."""
    if program_id not in host.programs:
        raise DomainError(Code.UNKNOWN_PROGRAM, "programId", program=program_id)
    if (program_id, district_code) not in await enabled_pairs():  # its rules never run there
        raise DomainError(Code.PROGRAM_NOT_ENABLED, "districtCode", program=program_id)
    rule = host.rule(program_id, rule_code)
    if rule is None:
        raise DomainError(
            Code.NOT_FOUND, "ruleCode", what=Words(f"规则 {rule_code}", f"rule {rule_code}")
        )
    require_period(rule, period)  # what a campaign of the rule could use, nothing else
    model = host.settings_model(program_id)
    current = (await effective_settings(host, program_id, district_code, period.judged_on)).values
    if model is None or current is None:
        raise DomainError(
            Code.INVALID_SETTINGS,
            "settings",
            detail=Words("该项目没有设置项", "the program has no settings"),
        )
    if not isinstance(changes, dict) or not changes:
        raise DomainError(
            Code.INVALID_SETTINGS,
            "settings",
            detail=Words("应为一个只含修改项的对象", "an object of changed keys"),
        )
    try:
        proposed = model.model_validate(deep_merge(current.model_dump(mode="json"), changes))
    except ValidationError as exc:
        raise settings_errors(exc) from exc
    totals = {"current": [set(), ZERO], "proposed": [set(), ZERO]}
    query = Member.filter(district_id=district_code, is_active=True)
    key_of = beneficiary(rule)
    after = 0
    while True:
        facts = await member_facts(
            host, program_id, query.filter(id__gt=after).limit(CHUNK), period.judged_on
        )
        if not facts:
            break
        after = facts[-1]["member_id"]
        for fact in facts:
            for label, settings in (("current", current), ("proposed", proposed)):
                decision = decide(rule, fact, settings, period.judged_on)
                key = key_of(fact)
                if decision.eligible and key not in totals[label][0]:
                    totals[label][0].add(key)
                    totals[label][1] += decision.amount
    return {
        label: {"count": len(keys), "total": Decimal(total)}
        for label, (keys, total) in totals.items()
    }
