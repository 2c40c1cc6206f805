"""Who members are and whom an enterprise employs, for programs that act on people they did
not register themselves (an enterprise enrolling its staff, a plan counting a unit's
headcount). Plain values, no model instances: plugins never touch core models."""

from __future__ import annotations

from typing import NamedTuple

from tortoise.functions import Count

from unionaid.core.models import EmploymentStatus, Member


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
