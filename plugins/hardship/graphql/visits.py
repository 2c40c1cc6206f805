"""Visits on the API: ``recordVisit`` (its cash becomes an entitlement to approve) and
``visits``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from unionaid.core import (
    Connection,
    MemberRef,
    Money,
    Node,
    NodeType,
    UserError,
    paginate,
    pk_of,
    program_scope,
    request_today,
    run_mutation,
    to_global_id,
    visible_member_loader,
)
from unionaid.plugins.hardship import PROGRAM_ID
from unionaid.plugins.hardship.models import Occasion, Visit, VisiteeKind
from unionaid.plugins.hardship.services import visits

OccasionType = strawberry.enum(Occasion, name="VisitOccasion")
KindType = strawberry.enum(VisiteeKind, name="VisiteeKind")


@strawberry.type(
    name="Visit", description="A visit (走访慰问) and what was handed over; node(id:) finds it"
)
class VisitType(Node):
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
    entitlement_id: strawberry.ID | None = strawberry.field(
        description="Its cash as an entitlement of that campaign (approved, then paid)"
    )
    cash_paid: bool = strawberry.field(
        description="Its cash was paid from the fund (and the payment not reversed)"
    )
    payment_id: strawberry.ID | None = strawberry.field(
        description="The ledger debit that paid its cash (a LedgerEntry; node(id:) finds it)"
    )
    reversal_id: strawberry.ID | None = strawberry.field(
        description="The ledger credit that reversed that payment, if it was reversed"
    )
    member_pk: strawberry.Private[int | None]

    @strawberry.field
    async def member(self, info: Info) -> MemberRef | None:
        if self.member_pk is None:
            return None
        return await visible_member_loader(info).load(self.member_pk)


def _global(type_name: str, pk: int | None) -> strawberry.ID | None:
    return strawberry.ID(to_global_id(type_name, pk)) if pk else None


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
        campaign_id=_global("Campaign", v.campaign_id),
        entitlement_id=_global("Entitlement", v.entitlement_id),
        cash_paid=v.payment_entry_id is not None and v.reversal_entry_id is None,
        payment_id=_global("LedgerEntry", v.payment_entry_id),
        reversal_id=_global("LedgerEntry", v.reversal_entry_id),
        member_pk=v.member_id,
    )


async def _load_visits(pks: list[int]) -> dict[int, VisitType]:
    """``node(id:)`` for visits: a request's ids in one statement."""
    return {v.id: visit_of(v) for v in await Visit.filter(id__in=pks)}


# Enterprise contacts never read a visit by id (``enterprise`` left None): the program serves
# staff only.
VISIT_NODE = NodeType(VisitType, _load_visits)


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


@strawberry.type
class VisitQuery:
    @strawberry.field(
        description="Visits in your districts where the program runs, newest recorded first"
    )
    async def visits(
        self,
        info: Info,
        district_code: str | None = None,
        occasion: OccasionType | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
        cash_paid: Annotated[
            bool | None,
            strawberry.argument(
                description="true: only visits whose cash was paid (not reversed); false: the "
                "others"
            ),
        ] = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[VisitType]:
        scope = await program_scope(info, PROGRAM_ID)
        occasion = Occasion(occasion) if occasion is not None else None
        query = visits.visible(
            scope, district_code, occasion=occasion, since=since, until=until, cash_paid=cash_paid
        )
        # Newest recorded first: pages follow the record's key, whatever day it was made.
        return await paginate(query, first=first, after=after, node=visit_of, newest_first=True)


@strawberry.type
class VisitMutation:
    @strawberry.mutation(description="Record a visit; its cash becomes an entitlement to approve")
    async def record_visit(self, info: Info, input: RecordVisitInput) -> RecordVisitPayload:
        new = visits.NewVisit(
            district_code=input.district_code,
            visitee_name=input.visitee_name,
            visitee_kind=input.visitee_kind,
            visited_by=input.visited_by,
            visited_on=input.visited_on,
            occasion=input.occasion,
            member_pk=pk_of(input.member_id, "Member") if input.member_id else None,
            workplace=input.workplace,
            cash=input.cash,
            fund_pk=pk_of(input.fund_id, "Fund") if input.fund_id else None,
            gifts=input.gifts,
            gift_value=input.gift_value,
        )

        async def action() -> dict[str, Any]:
            scope = await program_scope(info, PROGRAM_ID)
            visit = await visits.record_visit(
                scope,
                info.context.host,
                new,
                today=request_today(info),
                member_given=input.member_id is not None,
            )
            return {"visit": visit_of(visit)}

        return await run_mutation(info, RecordVisitPayload, action)
