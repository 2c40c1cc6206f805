"""Reading the ledger: a fund's entries, what each one pays or moves, and what a household has
been paid. Every look-up takes a batch (a page of entries, a page of households) and costs one
statement whatever its size. Writes live in funds.py and campaigns.py."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from tortoise.expressions import Q

from unionaid.core.errors import Code, DomainError
from unionaid.core.models import Entitlement, EntitlementStatus, LedgerEntry, LedgerKind
from unionaid.core.timezone import SHANGHAI

ENTITLEMENT_REFERENCE = "entitlement:"
TRANSFERS = (LedgerKind.TRANSFER_IN, LedgerKind.TRANSFER_OUT)
# What a household "has been paid": money that left a fund for it, undone or not.
PAID_STATUSES = (EntitlementStatus.PAID, EntitlementStatus.REVERSED)


def day_bounds(
    since: dt.date | None, until: dt.date | None
) -> tuple[dt.datetime | None, dt.datetime | None]:
    """[start, end) instants of the days ``since`` to ``until`` (both included), judged in
    Asia/Shanghai: an entry written at 23:30 in Wuxi belongs to that day, not to the next UTC
    one."""
    if since is not None and until is not None and since > until:
        raise DomainError(
            Code.INVALID_DATE_RANGE, "until", since=since.isoformat(), until=until.isoformat()
        )

    def midnight(day: dt.date) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(), SHANGHAI).astimezone(dt.UTC)

    start = midnight(since) if since is not None else None
    end = midnight(until + dt.timedelta(days=1)) if until is not None else None
    return start, end


def entries_of(
    fund_id: int,
    kind: LedgerKind | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
) -> Any:
    """A fund's entries, filtered (a queryset: the caller pages and counts it)."""
    start, end = day_bounds(since, until)
    query = LedgerEntry.filter(fund_id=fund_id)
    if kind is not None:
        query = query.filter(kind=kind)
    if start is not None:
        query = query.filter(created_at__gte=start)
    if end is not None:
        query = query.filter(created_at__lt=end)
    return query


def entitlement_id(reference: str | None) -> int | None:
    """The entitlement a payment or reversal entry names in its reference, if any."""
    if reference and reference.startswith(ENTITLEMENT_REFERENCE):
        tail = reference[len(ENTITLEMENT_REFERENCE) :]
        if tail.isdigit():
            return int(tail)
    return None


async def entitlements_of_entries(entries: Iterable[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Entry id -> the entitlement it pays or reverses (every column), in one statement. An entry
    names its entitlement by reference; one without that reference is found through the
    entitlement's ``payment_entry_id``."""
    by_reference: dict[int, int] = {}  # entry id -> entitlement id
    unnamed: list[int] = []
    for entry in entries:
        if entry["kind"] not in (LedgerKind.PAYMENT, LedgerKind.REVERSAL):
            continue
        named = entitlement_id(entry["reference"])
        if named is not None:
            by_reference[entry["id"]] = named
        else:
            unnamed.append(entry["id"])
    if not by_reference and not unnamed:
        return {}
    condition = Q(id__in=list(set(by_reference.values())))
    if unnamed:
        condition |= Q(payment_entry_id__in=unnamed)
    rows = await Entitlement.filter(condition).values()
    by_id = {row["id"]: row for row in rows}
    found = {entry: by_id[e] for entry, e in by_reference.items() if e in by_id}
    for row in rows:
        if row["payment_entry_id"] in unnamed:
            found[row["payment_entry_id"]] = row
    return found


async def counterparts(entries: Iterable[dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """Entry id -> the other leg of its transfer (the entry in the other fund), in one statement."""
    legs = {e["id"]: e["reference"] for e in entries if e["kind"] in TRANSFERS and e["reference"]}
    if not legs:
        return {}
    rows = await LedgerEntry.filter(
        reference__in=list(set(legs.values())), kind__in=TRANSFERS
    ).values()
    found: dict[int, dict[str, Any]] = {}
    for entry, reference in legs.items():
        other = [r for r in rows if r["reference"] == reference and r["id"] != entry]
        if other:
            found[entry] = other[0]
    return found


async def household_payments(
    household_ids: list[int], district_codes: Iterable[str] | None
) -> dict[int, list[dict[str, Any]]]:
    """Household id -> its paid and reversed entitlements, newest first, in one statement. Only
    entitlements of ``district_codes`` (None: every district) are returned."""
    query = Entitlement.filter(household_id__in=household_ids, status__in=PAID_STATUSES)
    if district_codes is not None:
        query = query.filter(district_code__in=list(district_codes))
    rows = await query.order_by("-paid_at", "-id").values(
        "id",
        "campaign_id",
        "program",
        "rule_code",
        "period_code",
        "occurrence",
        "member_id",
        "household_id",
        "district_code",
        "amount",
        "status",
        "paid_at",
        "payment_entry_id",
    )
    found: dict[int, list[dict[str, Any]]] = {h: [] for h in household_ids}
    for row in rows:
        found[row["household_id"]].append(row)
    return found


async def payment_entries(
    entitlements: Iterable[dict[str, Any]],
) -> dict[int, dict[LedgerKind, dict[str, Any]]]:
    """Entitlement id -> its ledger entries by kind (the payment, and the reversal if undone), in
    one statement: through ``payment_entry_id`` when it is set, else the reference."""
    wanted = list(entitlements)
    if not wanted:
        return {}
    references = [f"{ENTITLEMENT_REFERENCE}{e['id']}" for e in wanted]
    linked = [e["payment_entry_id"] for e in wanted if e.get("payment_entry_id")]
    condition = Q(reference__in=references)
    if linked:
        condition |= Q(id__in=linked)
    rows = await LedgerEntry.filter(condition).order_by("id").values()
    owner = {e["payment_entry_id"]: e["id"] for e in wanted if e.get("payment_entry_id")}
    found: dict[int, dict[LedgerKind, dict[str, Any]]] = {e["id"]: {} for e in wanted}
    for row in rows:
        kind = LedgerKind(row["kind"])
        if row["id"] in owner:  # the link, when set, is the payment's entry
            found[owner[row["id"]]][LedgerKind.PAYMENT] = row
            continue
        named = entitlement_id(row["reference"])
        if named not in found or (kind == LedgerKind.PAYMENT and named in owner.values()):
            continue
        found[named].setdefault(kind, row)
    return found
