"""The ledger on the API: ``Fund.ledger`` (every entry of a fund, paged) and
``Household.payments`` (what a household has been paid). What an entry pays or moves, and a
payment's entries, come from per-request DataLoaders: one statement per kind of thing asked for,
whatever the page size."""

from __future__ import annotations

import datetime as dt
from collections.abc import Awaitable, Callable
from enum import StrEnum
from typing import Any

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from unionaid.core import policy
from unionaid.core.errors import Code, TopLevelError
from unionaid.core.global_ids import to_global_id
from unionaid.core.graphql.auth import principal
from unionaid.core.graphql.campaigns import Campaign, Entitlement, campaign_of, entitlement_of
from unionaid.core.graphql.composed import MemberRef
from unionaid.core.graphql.connection import Connection, paginate
from unionaid.core.graphql.loaders import visible_member_loader
from unionaid.core.graphql.scalars import Money
from unionaid.core.graphql.types import Fund, LedgerKind, Node
from unionaid.core.graphql.views import fund_rows
from unionaid.core.models import Campaign as CampaignModel
from unionaid.core.models import LedgerEntry as LedgerEntryModel
from unionaid.core.models import LedgerKind as Kind
from unionaid.core.services import ledger as service
from unionaid.core.timezone import SHANGHAI


def _loader(info: Info, name: str, load: Callable[[list[Any]], Awaitable[list[Any]]]) -> Any:
    cache = info.context.cache
    if name not in cache:
        cache[name] = DataLoader(load_fn=load)
    return cache[name]


def _visible_funds(info: Info) -> DataLoader[int, Any]:
    async def load(pks: list[int]) -> list[Any]:
        rows = {r.pk: r for r in await fund_rows(info, pks=pks)}
        return [rows.get(pk) for pk in pks]

    return _loader(info, "ledger.funds", load)


def _entitlements(info: Info) -> DataLoader[tuple, dict[str, Any] | None]:
    """(entry id, kind, reference) -> the entitlement, if the caller sees its district."""

    async def load(keys: list[tuple]) -> list[dict[str, Any] | None]:
        entries = [{"id": i, "kind": k, "reference": r} for i, k, r in keys]
        found = await service.entitlements_of_entries(entries)
        who = principal(info)
        rows = [found.get(i) for i, _, _ in keys]
        return [r if r and who.sees_district(r["district_code"]) else None for r in rows]

    return _loader(info, "ledger.entitlements", load)


def _counterparts(info: Info) -> DataLoader[tuple, dict[str, Any] | None]:
    async def load(keys: list[tuple]) -> list[dict[str, Any] | None]:
        entries = [{"id": i, "kind": k, "reference": r} for i, k, r in keys]
        found = await service.counterparts(entries)
        return [found.get(i) for i, _, _ in keys]

    return _loader(info, "ledger.counterparts", load)


def _campaigns(info: Info) -> DataLoader[int, Campaign | None]:
    async def load(pks: list[int]) -> list[Campaign | None]:
        who = principal(info)
        rows = {c.id: c for c in await CampaignModel.filter(id__in=pks)}
        return [
            campaign_of(rows[pk])
            if pk in rows and all(who.sees_district(d) for d in rows[pk].district_codes)
            else None
            for pk in pks
        ]

    return _loader(info, "ledger.campaigns", load)


def _payment_entries(info: Info) -> DataLoader[tuple, dict[Kind, dict[str, Any]]]:
    """(entitlement id, payment_entry_id) -> its ledger entries by kind."""

    async def load(keys: list[tuple]) -> list[dict[Kind, dict[str, Any]]]:
        found = await service.payment_entries([{"id": e, "payment_entry_id": p} for e, p in keys])
        return [found.get(e, {}) for e, _ in keys]

    return _loader(info, "ledger.payment_entries", load)


def _household_payments(info: Info) -> DataLoader[int, list[dict[str, Any]]]:
    async def load(ids: list[int]) -> list[list[dict[str, Any]]]:
        found = await service.household_payments(ids, principal(info).district_codes)
        return [found[i] for i in ids]

    return _loader(info, "ledger.household_payments", load)


def _kind(value: Any) -> Kind:
    return Kind(getattr(value, "value", value))


@strawberry.type(description="One entry of a fund's append-only ledger")
class LedgerEntry(Node):
    amount: Money = strawberry.field(description="Signed: + money in, - money out")
    balance_after: Money = strawberry.field(description="The fund's balance after this entry")
    kind: LedgerKind
    actor: str = strawberry.field(description="Who wrote it (a user name, or cli:… for the CLI)")
    created_at: dt.datetime
    memo: str
    reference: str | None = strawberry.field(
        description="entitlement:ID for payments and reversals, transfer:… shared by both legs "
        "of a transfer, the contributor's own for contributions"
    )
    program: str | None
    district_code: str | None
    period_code: str | None
    fund_pk: strawberry.Private[int]
    key: strawberry.Private[tuple]

    @strawberry.field(description="The fund it belongs to")
    async def fund(self, info: Info) -> Fund | None:
        return await _visible_funds(info).load(self.fund_pk)

    @strawberry.field(
        description="Payments and reversals: the entitlement paid or undone (null outside your "
        "districts)"
    )
    async def entitlement(self, info: Info) -> Entitlement | None:
        row = await _entitlements(info).load(self.key)
        return entitlement_of(row) if row is not None else None

    @strawberry.field(description="Payments and reversals: the campaign the entitlement is of")
    async def campaign(self, info: Info) -> Campaign | None:
        row = await _entitlements(info).load(self.key)
        return await _campaigns(info).load(row["campaign_id"]) if row is not None else None

    @strawberry.field(
        description="Transfers: the other fund's entry (null if you cannot see that fund)"
    )
    async def counterpart(self, info: Info) -> LedgerEntry | None:
        row = await _counterparts(info).load(self.key)
        if row is None or await _visible_funds(info).load(row["fund_id"]) is None:
            return None
        return entry_of(row)


def entry_of(row: dict[str, Any]) -> LedgerEntry:
    kind = _kind(row["kind"])
    return LedgerEntry(
        id=strawberry.ID(to_global_id("LedgerEntry", row["id"])),
        amount=row["amount"],
        balance_after=row["balance_after"],
        kind=kind,
        actor=row["actor"],
        created_at=row["created_at"],
        memo=row["memo"],
        reference=row["reference"],
        program=row["program"],
        district_code=row["district_code"],
        period_code=row["period_code"],
        fund_pk=row["fund_id"],
        key=(row["id"], kind, row["reference"]),
    )


async def fund_ledger(
    fund_pk: int,
    first: int | None,
    after: str | None,
    kind: Kind | None,
    since: dt.date | None,
    until: dt.date | None,
) -> Connection[LedgerEntry]:
    """The ledger of a fund the caller already sees (Fund rows are scoped when loaded)."""
    query = service.entries_of(fund_pk, kind, since, until)
    return await paginate(query, first=first, after=after, rows=lambda q: q.values(), node=entry_of)


async def entry_by_pk(info: Info, pk: int) -> LedgerEntry | None:
    """One entry, if the caller sees its fund (``node(id:)``)."""
    rows = await LedgerEntryModel.filter(id=pk).values()
    if not rows or await _visible_funds(info).load(rows[0]["fund_id"]) is None:
        return None
    return entry_of(rows[0])


@strawberry.enum(description="paid, or paid and then undone by a compensating entry")
class PaymentStatus(StrEnum):
    PAID = "paid"
    REVERSED = "reversed"


@strawberry.type(description="Money paid from a fund to a household or one of its members")
class Payment:
    entitlement_id: strawberry.ID = strawberry.field(description="The entitlement paid")
    program: str
    rule_code: str
    rule_name: str | None = strawberry.field(description="Null when the program is removed")
    rule_name_en: str | None
    period_code: str = strawberry.field(description="The period paid, e.g. 2027-spring-festival")
    occurrence: str = strawberry.field(
        description="What was paid once: the festival, quarter or month (spring-festival:2027, "
        "2027-Q1), or a one-off key (visit:2027-01-20, once)"
    )
    amount: Money
    status: PaymentStatus
    paid_at: dt.datetime | None
    paid_on: dt.date | None = strawberry.field(description="The day paid, in Asia/Shanghai")
    district_code: str
    member_pk: strawberry.Private[int]
    campaign_pk: strawberry.Private[int]
    key: strawberry.Private[tuple]

    @strawberry.field(description="The member paid (for household rules: the one entitled)")
    async def member(self, info: Info) -> MemberRef | None:
        return await visible_member_loader(info).load(self.member_pk)

    @strawberry.field
    async def campaign(self, info: Info) -> Campaign | None:
        return await _campaigns(info).load(self.campaign_pk)

    @strawberry.field(description="The fund's debit that paid it")
    async def ledger_entry(self, info: Info) -> LedgerEntry | None:
        row = (await _payment_entries(info).load(self.key)).get(Kind.PAYMENT)
        return entry_of(row) if row is not None else None

    @strawberry.field(description="The compensating credit, when the payment was reversed")
    async def reversal_entry(self, info: Info) -> LedgerEntry | None:
        row = (await _payment_entries(info).load(self.key)).get(Kind.REVERSAL)
        return entry_of(row) if row is not None else None


def _payment_of(info: Info, row: dict[str, Any]) -> Payment:
    host = info.context.host
    rule = host.rule(row["program"], row["rule_code"]) if row["program"] in host.programs else None
    paid_at = row["paid_at"]
    return Payment(
        entitlement_id=strawberry.ID(to_global_id("Entitlement", row["id"])),
        program=row["program"],
        rule_code=row["rule_code"],
        rule_name=rule.name if rule is not None else None,
        rule_name_en=rule.name_en if rule is not None else None,
        period_code=row["period_code"],
        occurrence=row["occurrence"],
        amount=row["amount"],
        status=PaymentStatus(getattr(row["status"], "value", row["status"])),
        paid_at=paid_at,
        paid_on=paid_at.astimezone(SHANGHAI).date() if paid_at is not None else None,
        district_code=row["district_code"],
        member_pk=row["member_id"],
        campaign_pk=row["campaign_id"],
        key=(row["id"], row["payment_entry_id"]),
    )


async def household_payments(info: Info, household_pk: int) -> list[Payment]:
    """What a household (the caller already sees it through a member) was paid, in the caller's
    districts. An enterprise contact is refused: welfare payments are not an employer's
    business."""
    if not policy.sees_payments(principal(info)):
        raise TopLevelError(Code.FORBIDDEN)
    rows = await _household_payments(info).load(household_pk)
    return [_payment_of(info, r) for r in rows]
