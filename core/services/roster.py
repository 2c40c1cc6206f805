"""Who members are and whom an enterprise employs, for programs that act on people they did
not register themselves (an enterprise enrolling its staff, a plan counting a unit's
headcount). Plain values, no model instances: plugins never touch core models."""

from __future__ import annotations

from decimal import Decimal
from typing import NamedTuple

from tortoise.functions import Count, Sum

from unionaid.core.models import EmploymentStatus, Fund, LedgerEntry, Member
from unionaid.core.money import to_fen


class MemberBrief(NamedTuple):
    id: int
    name: str
    district_code: str
    enterprise_id: int | None
    is_union_member: bool
    is_active: bool


async def member_briefs(member_ids: list[int] | set[int]) -> dict[int, MemberBrief]:
    """The members that exist among ``member_ids`` (one statement); the caller checks scope."""
    rows = await Member.filter(id__in=list(member_ids)).values(
        "id", "name", "district_id", "enterprise_id", "is_union_member", "is_active"
    )
    return {
        r["id"]: MemberBrief(
            r["id"],
            r["name"],
            r["district_id"],
            r["enterprise_id"],
            r["is_union_member"],
            r["is_active"],
        )
        for r in rows
    }


async def district_members(district_code: str, limit: int = 100) -> list[MemberBrief]:
    """A district's active members, oldest registration first (demo data, batch work)."""
    rows = (
        await Member.filter(district_id=district_code, is_active=True)
        .order_by("id")
        .limit(limit)
        .values("id", "name", "district_id", "enterprise_id", "is_union_member", "is_active")
    )
    return [
        MemberBrief(
            r["id"],
            r["name"],
            r["district_id"],
            r["enterprise_id"],
            r["is_union_member"],
            r["is_active"],
        )
        for r in rows
    ]


async def enterprise_headcounts(enterprise_ids: list[int] | set[int]) -> dict[int, int]:
    """How many active, employed members each enterprise has on the register (its staff, as a
    collective enrolment's minimum share counts them)."""
    rows = (
        await Member.filter(
            enterprise_id__in=list(enterprise_ids),
            is_active=True,
            employment_status=EmploymentStatus.EMPLOYED,
        )
        .annotate(n=Count("id"))
        .group_by("enterprise_id")
        .values("enterprise_id", "n")
    )
    found = {r["enterprise_id"]: r["n"] for r in rows}
    return {e: found.get(e, 0) for e in enterprise_ids}


async def fund_districts(fund_ids: list[int] | set[int]) -> dict[int, str | None]:
    """The owner of each fund that exists among ``fund_ids`` (None: a city fund), so a program
    can refuse a fund outside the scope it acts for."""
    rows = await Fund.filter(id__in=list(fund_ids)).values("id", "district_id")
    return {r["id"]: r["district_id"] for r in rows}


async def ledger_totals(
    program: str, period_code: str, district_codes: list[str] | set[str] | frozenset[str]
) -> dict[tuple[str, str], Decimal]:
    """A program's ledger in a period summed by (district, entry kind): what reports reconcile
    with (entries are tagged with program, district and period when written)."""
    rows = (
        await LedgerEntry.filter(
            program=program, period_code=period_code, district_code__in=list(district_codes)
        )
        .annotate(total=Sum("amount"))
        .group_by("district_code", "kind")
        .values("district_code", "kind", "total")
    )
    return {(r["district_code"], str(r["kind"])): to_fen(Decimal(str(r["total"]))) for r in rows}
