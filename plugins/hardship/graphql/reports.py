"""The program's reports on the API: ``hardshipReport`` and ``visitReport``."""

from __future__ import annotations

import datetime as dt

import strawberry
from strawberry.types import Info

from unionaid.core import Money, program_scope, to_global_id
from unionaid.plugins.hardship import PROGRAM_ID
from unionaid.plugins.hardship.graphql.visits import OccasionType
from unionaid.plugins.hardship.services import reports


@strawberry.type(description="Paid hardship benefits, by campaign, district, level and period")
class HardshipReportRow:
    campaign_id: strawberry.ID
    district_code: str
    rule_code: str
    period_code: str
    level: str
    households: int
    people: int = strawberry.field(description="Household members covered")
    amount: Money


@strawberry.type(description="Visits and what they handed over, by district and occasion")
class VisitReportRow:
    district_code: str
    occasion: OccasionType
    visits: int
    people: int = strawberry.field(description="Distinct people visited")
    cash: Money
    gift_value: Money
    cash_paid: Money = strawberry.field(
        description="Of the cash, what was paid from the fund (payments reversed left out)"
    )


@strawberry.type
class ReportQuery:
    @strawberry.field(description="Households and people paid and amounts (the program's report)")
    async def hardship_report(
        self, info: Info, period: str | None = None, district_code: str | None = None
    ) -> list[HardshipReportRow]:
        scope = await program_scope(info, PROGRAM_ID)
        return [
            HardshipReportRow(
                campaign_id=strawberry.ID(to_global_id("Campaign", g.campaign_id)),
                district_code=g.district_code,
                rule_code=g.rule_code,
                period_code=g.period_code,
                level=g.level,
                households=g.households,
                people=g.people,
                amount=g.amount,
            )
            for g in await reports.paid(scope, period, district_code)
        ]

    @strawberry.field(description="Visits, people, cash and gift value by district and occasion")
    async def visit_report(
        self, info: Info, since: dt.date | None = None, until: dt.date | None = None
    ) -> list[VisitReportRow]:
        scope = await program_scope(info, PROGRAM_ID)
        return [
            VisitReportRow(
                district_code=g.district_code,
                occasion=g.occasion,
                visits=g.visits,
                people=g.people,
                cash=g.cash,
                gift_value=g.gift_value,
                cash_paid=g.cash_paid,
            )
            for g in await reports.visited(scope, since, until)
        ]
