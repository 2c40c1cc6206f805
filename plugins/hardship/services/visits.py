"""Visits (走访慰问): who visited whom, when, and what was handed over. Cash is never written to
the ledger here: it joins the district's open visit campaign for the occasion's period and fund
as an entitlement (rule ``visit_cash``), which a second person approves and an administrator
pays like any campaign. The visit, its campaign and its entitlement are written together or not
at all."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from unionaid.core import (
    Action,
    Code,
    DomainError,
    EntitlementEvent,
    ProgramScope,
    TextKind,
    Words,
    add_entitlement,
    clean_text,
    max_length,
    open_campaign,
    parse_period,
    record_audit,
    require,
    to_global_id,
)
from unionaid.plugins.hardship import PROGRAM_ID
from unionaid.plugins.hardship.models import Occasion, Visit, VisiteeKind

CASH_RULE = "visit_cash"  # the rule a visit's cash is paid under (rules.py)


@dataclass
class NewVisit:
    district_code: str
    visitee_name: str
    visitee_kind: VisiteeKind
    visited_by: str
    visited_on: dt.date
    occasion: Occasion
    member_pk: int | None = None  # when the person is on the register (needed for cash)
    workplace: str | None = None
    cash: Decimal | None = None
    fund_pk: int | None = None  # the fund the cash is paid from (needed for cash)
    gifts: str = ""
    gift_value: Decimal | None = None


def period_of(occasion: Occasion, day: dt.date) -> str:
    """The period whose campaign collects a visit's cash (the festival whose window holds the
    day, else the year): it dates and groups the payment; what is paid once is the visit."""
    if occasion == Occasion.SPRING_FESTIVAL:
        for year in (day.year, day.year + 1):
            if parse_period(f"{year}-spring-festival").contains(day):
                return f"{year}-spring-festival"
    if occasion == Occasion.MID_AUTUMN:
        return f"{day.year}-mid-autumn"
    return f"{day.year}"


def visit_key(day: dt.date) -> str:
    """What visit cash is paid once for (the rule is one-off): a visit, that is one person on one
    day — recording the same visit twice never pays twice; visits on other days each pay."""
    return f"visit:{day.isoformat()}"


def _texts(new: NewVisit) -> dict[str, str | None]:
    return {
        "visitee_name": clean_text(
            new.visitee_name,
            "visiteeName",
            max_length=max_length(Visit, "visitee_name"),
            kind=TextKind.NAME,
            required=True,
        ),
        "visited_by": clean_text(
            new.visited_by,
            "visitedBy",
            max_length=max_length(Visit, "visited_by"),
            required=True,
        ),
        "workplace": clean_text(
            new.workplace, "workplace", max_length=max_length(Visit, "workplace")
        ),
        "gifts": clean_text(new.gifts, "gifts", max_length=max_length(Visit, "gifts")) or "",
    }


async def _cash_entitlement(
    scope: ProgramScope, host: Any, new: NewVisit, cash: Decimal, visited_by: str
) -> tuple[int, int]:
    """Add the visit's cash to the district's open visit campaign: (campaign id, entitlement
    id). Only for a member on the register, from a named fund."""
    if new.member_pk is None:
        raise DomainError(
            Code.REQUIRED,
            "memberId",
            detail=Words("慰问金只能发给已登记的会员", "cash is paid to a registered member"),
        )
    if new.fund_pk is None:
        raise DomainError(Code.REQUIRED, "fundId")
    who = scope.principal
    period = period_of(Occasion(new.occasion), new.visited_on)
    campaign = await open_campaign(
        who,
        host,
        name=f"走访慰问 {period}",
        program=PROGRAM_ID,
        rule_code=CASH_RULE,
        period_code=period,
        district_code=new.district_code,
        fund_id=new.fund_pk,
    )
    entitlement_id = await add_entitlement(
        who,
        host,
        campaign.id,
        new.member_pk,
        amount=cash,
        explanation_zh=f"{new.visited_on} 走访慰问（{new.visited_by}）",
        explanation_en=f"visit on {new.visited_on} by {visited_by}",
        facts={"visited_on": new.visited_on, "occasion": Occasion(new.occasion).value},
        occurrence_key=visit_key(new.visited_on),
    )
    return campaign.id, entitlement_id


async def record_visit(
    scope: ProgramScope, host: Any, new: NewVisit, *, today: dt.date, member_given: bool = False
) -> Visit:
    """Record a visit in ``new.district_code``. ``member_given``: the caller named a member
    (``new.member_pk`` None then means one that does not exist: NOT_FOUND)."""
    who = scope.principal
    scope.require(new.district_code, "districtCode")
    require(who, Action.WRITE_RECORDS, new.district_code, "districtCode", Words("区", "district"))
    texts = _texts(new)
    if new.visited_on > today:
        raise DomainError(Code.INVALID_DATE, "visitedOn")
    if member_given or new.member_pk is not None:
        member = None
        if new.member_pk is not None:
            try:  # in another district, on or off, the member is not found here
                member = await scope.member(new.member_pk)
            except DomainError:
                member = None
        if member is None or member.district_code != new.district_code:
            raise DomainError(Code.NOT_FOUND, "memberId", what=Words("会员", "member"))
    async with in_transaction():
        cash = new.cash or Decimal("0")
        campaign_id = entitlement_id = None
        if cash > 0:
            campaign_id, entitlement_id = await _cash_entitlement(
                scope, host, new, cash, texts["visited_by"]
            )
        visit = await Visit.create(
            district_code=new.district_code,
            member_id=new.member_pk,
            visitee_kind=new.visitee_kind,
            visited_on=new.visited_on,
            occasion=new.occasion,
            cash=cash,
            gift_value=new.gift_value or Decimal("0"),
            campaign_id=campaign_id,
            entitlement_id=entitlement_id,
            recorded_by=who.username,
            **texts,
        )
        await record_audit(
            who,
            "recordVisit",
            object_type="Visit",
            object_id=to_global_id("Visit", visit.id),
            district_code=new.district_code,
            changes={
                "visitee": [None, visit.visitee_name],
                "cash": [None, f"{cash:.2f}"],
                "gift_value": [None, f"{visit.gift_value:.2f}"],
            },
        )
    return visit


def visible(
    scope: ProgramScope,
    district_code: str | None = None,
    *,
    occasion: Occasion | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    cash_paid: bool | None = None,
) -> Any:
    """The visits the caller may list (an enterprise contact: only its own employees'),
    filtered; ``cash_paid``: only those whose cash was paid (and not reversed), or only the
    others. A queryset, unordered."""
    query = Visit.filter(district_code__in=scope.districts(district_code))
    if cash_paid is True:
        query = query.filter(payment_entry_id__isnull=False, reversal_entry_id__isnull=True)
    elif cash_paid is False:
        query = query.filter(Q(payment_entry_id__isnull=True) | Q(reversal_entry_id__isnull=False))
    if scope.enterprise_ids is not None:
        query = query.filter(member__enterprise_id__in=scope.enterprise_ids)
    if occasion is not None:
        query = query.filter(occasion=occasion)
    if since is not None:
        query = query.filter(visited_on__gte=since)
    if until is not None:
        query = query.filter(visited_on__lte=until)
    return query


async def _mark(payments: list[EntitlementEvent], column: str) -> None:
    """Keep each visit's ledger entry in ``column``: one read and one write for a whole batch
    (``payCampaign`` tells up to a thousand payments at once)."""
    entries = {p.entitlement_id: p.ledger_entry_id for p in payments if p.rule_code == CASH_RULE}
    if not entries:
        return
    found = await Visit.filter(entitlement_id__in=list(entries))
    for visit in found:
        setattr(visit, column, entries[visit.entitlement_id])
    if found:
        await Visit.bulk_update(found, fields=[column])


async def cash_paid(payments: list[EntitlementEvent]) -> None:
    """The core paid entitlements of the program: visits whose cash they were keep the debit."""
    await _mark(payments, "payment_entry_id")


async def cash_reversed(payments: list[EntitlementEvent]) -> None:
    """The core reversed paid entitlements: visits whose cash they were keep the credit."""
    await _mark(payments, "reversal_entry_id")
