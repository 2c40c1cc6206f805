"""Household sizes, counted: read by fact loading (services) and by the GraphQL loaders alike."""

from __future__ import annotations

from tortoise.functions import Count

from unionaid.core.models import Dependent, Member


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
