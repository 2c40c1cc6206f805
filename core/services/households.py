"""Households: sizes counted, members and dependents listed. Read by fact loading (services), by
the GraphQL loaders and by programs (``unionaid.core``) alike, a fixed number of statements for
any number of households."""

from __future__ import annotations

import datetime as dt
from typing import NamedTuple

from tortoise.functions import Count

from unionaid.core.global_ids import to_global_id
from unionaid.core.models import Dependent, Member
from unionaid.core.models.member import Gender, Relation, SchoolLevel


class DependentInfo(NamedTuple):
    """A household member who is not a union member (a child, a spouse, a parent); ``id`` is
    its global id (the ``Dependent`` node), ``pk`` its database id."""

    id: str
    pk: int
    household_id: int
    name: str
    relation: Relation
    birth_date: dt.date | None
    gender: Gender | None
    school_level: SchoolLevel | None
    school: str | None


def dependent_info(d: Dependent) -> DependentInfo:
    return DependentInfo(
        to_global_id("Dependent", d.id),
        d.id,
        d.household_id,
        d.name,
        d.relation,
        d.birth_date,
        d.gender,
        d.school_level,
        d.school,
    )


async def household_dependents(
    household_ids: set[int] | list[int],
) -> dict[int, list[DependentInfo]]:
    """The dependents of each household, oldest record first: one statement. Every household
    asked for is in the answer (an empty list when it has none)."""
    found: dict[int, list[DependentInfo]] = {h: [] for h in household_ids}
    if not found:
        return found
    for d in await Dependent.filter(household_id__in=list(found)).order_by("id"):
        found[d.household_id].append(dependent_info(d))
    return found


async def household_members(household_ids: set[int] | list[int]) -> dict[int, list[int]]:
    """The database ids of each household's active members, ascending: one statement. Every
    household asked for is in the answer."""
    found: dict[int, list[int]] = {h: [] for h in household_ids}
    if not found:
        return found
    rows = Member.filter(household_id__in=list(found), is_active=True).order_by("id")
    for member, household in await rows.values_list("id", "household_id"):
        found[household].append(member)
    return found


async def household_sizes(household_ids: set[int]) -> dict[int, int]:
    """Active members plus dependents per household: two statements for any number of households."""
    if not household_ids:
        return {}
    sizes: dict[int, int] = dict.fromkeys(household_ids, 0)
    for model, extra in ((Member, {"is_active": True}), (Dependent, {})):
        counts = (
            await model.filter(household_id__in=household_ids, **extra)
            .annotate(n=Count("id"))
            .group_by("household_id")
            .values("household_id", "n")
        )
        for row in counts:
            sizes[row["household_id"]] += row["n"]
    return sizes


async def child_school_levels(member_ids: list[int]) -> dict[int, list[str]]:
    """The school levels of the children in each member's household, sorted: two statements.
    Every member asked for is in the answer (an empty list when no child is at school)."""
    households = dict(await Member.filter(id__in=member_ids).values_list("id", "household_id"))
    levels: dict[int, list[str]] = {}
    for household, level in await Dependent.filter(
        household_id__in=set(households.values()), relation="child", school_level__isnull=False
    ).values_list("household_id", "school_level"):
        levels.setdefault(household, []).append(str(getattr(level, "value", level)))
    return {m: sorted(levels.get(h, [])) for m, h in households.items()}
