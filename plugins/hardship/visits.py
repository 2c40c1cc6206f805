"""Visits on the API: record one (its cash joins the district's visit campaign as an
entitlement: approved by a second person, paid from a fund), list them, and report them."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import strawberry
from strawberry.types import Info
from tortoise.transactions import in_transaction

from unionaid.core import (
    Action,
    Code,
    DomainError,
    MemberRef,
    Money,
    TextKind,
    UserError,
    Words,
    add_entitlement,
    clean_text,
    max_length,
    open_campaign,
    parse_period,
    pk_of,
    principal,
    program_scope,
    record_audit,
    require,
    run_mutation,
    to_global_id,
    visible_member_loader,
)
from unionaid.plugins.hardship.models import Occasion, Visit, VisiteeKind

PROGRAM = "hardship"
OccasionType = strawberry.enum(Occasion, name="VisitOccasion")
KindType = strawberry.enum(VisiteeKind, name="VisiteeKind")


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


@strawberry.type(name="Visit", description="A visit (走访慰问) and what was handed over")
class VisitType:
    id: strawberry.ID
    district_code: str
    visitee_name: str
    visitee_kind: KindType
    workplace: str | None
    visited_by: str
    visited_on: dt.date
    occasion: OccasionType
    cash: Money
    gifts: str
    gift_value: Money
    campaign_id: strawberry.ID | None = strawberry.field(description="Where its cash is paid")
    member_pk: strawberry.Private[int | None]

    @strawberry.field
    async def member(self, info: Info) -> MemberRef | None:
        if self.member_pk is None:
            return None
        return await visible_member_loader(info).load(self.member_pk)


def visit_of(v: Visit) -> VisitType:
    return VisitType(
        id=strawberry.ID(to_global_id("Visit", v.id)),
        district_code=v.district_code,
        visitee_name=v.visitee_name,
        visitee_kind=v.visitee_kind,
        workplace=v.workplace,
        visited_by=v.visited_by,
        visited_on=v.visited_on,
        occasion=v.occasion,
        cash=v.cash,
        gifts=v.gifts,
        gift_value=v.gift_value,
        campaign_id=strawberry.ID(to_global_id("Campaign", v.campaign_id))
        if v.campaign_id
        else None,
        member_pk=v.member_id,
    )


@strawberry.type(description="Visits and what they handed over, by district and occasion")
class VisitReportRow:
    district_code: str
    occasion: OccasionType
    visits: int
    people: int = strawberry.field(description="Distinct people visited")
    cash: Money
    gift_value: Money


@strawberry.input
class RecordVisitInput:
    district_code: str
    visitee_name: str
    visitee_kind: KindType
    visited_by: str
    visited_on: dt.date
    occasion: OccasionType
    member_id: strawberry.ID | None = strawberry.field(
        default=None, description="When the person is on the register (needed for cash)"
    )
    workplace: str | None = None
    cash: Money | None = None
    fund_id: strawberry.ID | None = strawberry.field(
        default=None, description="The fund the cash is paid from (needed for cash)"
    )
    gifts: str = ""
    gift_value: Money | None = None


@strawberry.type
class RecordVisitPayload:
    visit: VisitType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


async def _visible_visits(info: Info, district_code: str | None) -> Any:
    scope = await program_scope(info, PROGRAM)
    query = Visit.filter(district_code__in=scope.districts(district_code))
    if scope.enterprise_ids is not None:  # only visits to the enterprise's own employees
        query = query.filter(member__enterprise_id__in=scope.enterprise_ids)
    return query


@strawberry.type
class VisitQuery:
    @strawberry.field(description="Visits in your districts where the program runs")
    async def visits(
        self,
        info: Info,
        district_code: str | None = None,
        occasion: OccasionType | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        first: int = 50,
    ) -> list[VisitType]:
        query = await _visible_visits(info, district_code)
        if occasion is not None:
            query = query.filter(occasion=occasion)
        if since is not None:
            query = query.filter(visited_on__gte=since)
        if until is not None:
            query = query.filter(visited_on__lte=until)
        return [
            visit_of(v)
            for v in await query.order_by("-visited_on", "-id").limit(min(max(first, 1), 200))
        ]

    @strawberry.field(description="Visits, people, cash and gift value by district and occasion")
    async def visit_report(
        self, info: Info, since: dt.date | None = None, until: dt.date | None = None
    ) -> list[VisitReportRow]:
        query = await _visible_visits(info, None)
        if since is not None:
            query = query.filter(visited_on__gte=since)
        if until is not None:
            query = query.filter(visited_on__lte=until)
        groups: dict[tuple, list] = {}
        for v in await query.values(
            "district_code", "occasion", "visitee_name", "member_id", "cash", "gift_value"
        ):
            slot = groups.setdefault(
                (v["district_code"], v["occasion"]), [0, set(), Decimal("0"), Decimal("0")]
            )
            slot[0] += 1
            slot[1].add(v["member_id"] or v["visitee_name"])
            slot[2] += Decimal(v["cash"])
            slot[3] += Decimal(v["gift_value"])
        return [
            VisitReportRow(
                district_code=d, occasion=o, visits=n, people=len(p), cash=c, gift_value=g
            )
            for (d, o), (n, p, c, g) in sorted(
                groups.items(), key=lambda i: (i[0][0], str(i[0][1]))
            )
        ]


@strawberry.type
class VisitMutation:
    @strawberry.mutation(description="Record a visit; its cash becomes an entitlement to approve")
    async def record_visit(self, info: Info, input: RecordVisitInput) -> RecordVisitPayload:
        async def action() -> dict[str, Any]:
            who = principal(info)
            (await program_scope(info, PROGRAM)).require(input.district_code, "districtCode")
            require(
                who,
                Action.WRITE_RECORDS,
                input.district_code,
                "districtCode",
                Words("区", "district"),
            )
            visitee_name = clean_text(
                input.visitee_name,
                "visiteeName",
                max_length=max_length(Visit, "visitee_name"),
                kind=TextKind.NAME,
                required=True,
            )
            visited_by = clean_text(
                input.visited_by,
                "visitedBy",
                max_length=max_length(Visit, "visited_by"),
                required=True,
            )
            workplace = clean_text(
                input.workplace, "workplace", max_length=max_length(Visit, "workplace")
            )
            gifts = clean_text(input.gifts, "gifts", max_length=max_length(Visit, "gifts")) or ""
            if input.visited_on > info.context.today:
                raise DomainError(Code.INVALID_DATE, "visitedOn")
            member_pk = pk_of(input.member_id, "Member") if input.member_id else None
            if input.member_id is not None:
                loaded = await visible_member_loader(info).load(member_pk) if member_pk else None
                if loaded is None or loaded.district_code != input.district_code:
                    raise DomainError(Code.NOT_FOUND, "memberId", what=Words("会员", "member"))
            # The visit, its campaign and its entitlement are written together or not at all.
            async with in_transaction():
                cash = input.cash or Decimal("0")
                campaign_id = entitlement_id = None
                if cash > 0:
                    if member_pk is None:
                        raise DomainError(
                            Code.REQUIRED,
                            "memberId",
                            detail=Words(
                                "慰问金只能发给已登记的会员", "cash is paid to a registered member"
                            ),
                        )
                    fund_pk = pk_of(input.fund_id, "Fund") if input.fund_id else None
                    if fund_pk is None:
                        raise DomainError(Code.REQUIRED, "fundId")
                    period = period_of(Occasion(input.occasion), input.visited_on)
                    campaign = await open_campaign(
                        who,
                        info.context.host,
                        name=f"走访慰问 {period}",
                        program=PROGRAM,
                        rule_code="visit_cash",
                        period_code=period,
                        district_code=input.district_code,
                        fund_id=fund_pk,
                    )
                    campaign_id = campaign.id
                    entitlement_id = await add_entitlement(
                        who,
                        info.context.host,
                        campaign.id,
                        member_pk,
                        amount=cash,
                        explanation_zh=f"{input.visited_on} 走访慰问（{input.visited_by}）",
                        explanation_en=f"visit on {input.visited_on} by {visited_by}",
                        facts={
                            "visited_on": input.visited_on,
                            "occasion": Occasion(input.occasion).value,
                        },
                        occurrence_key=visit_key(input.visited_on),
                    )
                visit = await Visit.create(
                    district_code=input.district_code,
                    member_id=member_pk,
                    visitee_name=visitee_name,
                    visitee_kind=input.visitee_kind,
                    workplace=workplace,
                    visited_by=visited_by,
                    visited_on=input.visited_on,
                    occasion=input.occasion,
                    cash=cash,
                    gifts=gifts,
                    gift_value=input.gift_value or Decimal("0"),
                    campaign_id=campaign_id,
                    entitlement_id=entitlement_id,
                    recorded_by=who.username,
                )
                await record_audit(
                    who,
                    "recordVisit",
                    object_type="Visit",
                    object_id=to_global_id("Visit", visit.id),
                    district_code=input.district_code,
                    changes={
                        "visitee": [None, visit.visitee_name],
                        "cash": [None, f"{cash:.2f}"],
                        "gift_value": [None, f"{visit.gift_value:.2f}"],
                    },
                )
            return {"visit": visit_of(visit)}

        return await run_mutation(info, RecordVisitPayload, action)
