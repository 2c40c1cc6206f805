"""Loading by selection: one statement per root field, with the joins the query asks for, into
plain rows whose fields resolve synchronously. DataLoaders only for what look-ahead cannot reach
(a member's household with its dependents)."""

from __future__ import annotations

from collections.abc import Iterable
from types import SimpleNamespace as Row
from typing import Any

from strawberry.dataloader import DataLoader
from strawberry.types import Info
from strawberry.types.nodes import Selection

from unionaid.core.global_ids import to_global_id
from unionaid.core.graphql import selection as sel
from unionaid.core.graphql.visible import visible_enterprises, visible_members
from unionaid.core.models import Dependent
from unionaid.core.services.households import (
    dependent_info,
    household_dependents,
    household_sizes,
)

_MEMBER_COLUMNS = (
    "id",
    "name",
    "id_number_masked",
    "gender",
    "birth_date",
    "phone",
    "employment_status",
    "monthly_income",
    "is_union_member",
    "is_active",
    "version",
    "district_id",
    "enterprise_id",
    "household_id",
)
_ENTERPRISE_COLUMNS = ("id", "name", "uscc", "is_caring", "contact_name", "district_id")


def _district(code: str, name: str | None) -> Row:
    return Row(code=code, name=name)


def enterprise_row(v: dict[str, Any], prefix: str = "") -> Row:
    """An enterprise from a values() dict, its columns named with ``prefix`` when joined."""
    pk = v[f"{prefix}id"] if f"{prefix}id" in v else v["enterprise_id"]
    return Row(
        id=to_global_id("Enterprise", pk),
        pk=pk,
        name=v[f"{prefix}name"],
        uscc=v[f"{prefix}uscc"],
        is_caring=v[f"{prefix}is_caring"],
        contact_name=v[f"{prefix}contact_name"],
        district=_district(v[f"{prefix}district_id"], v.get(f"{prefix}district__name")),
    )


def member_rows(values: Iterable[dict[str, Any]], sizes: dict[int, int] | None) -> list[Row]:
    rows = []
    for v in values:
        enterprise = None
        if v["enterprise_id"] is not None and "enterprise__name" in v:
            enterprise = enterprise_row(v, "enterprise__")
        rows.append(
            Row(
                id=to_global_id("Member", v["id"]),
                pk=v["id"],
                district_code=v["district_id"],
                household_id=v["household_id"],
                name=v["name"],
                id_number=v["id_number_masked"],
                gender=v["gender"],
                birth_date=v["birth_date"],
                phone=v["phone"],
                employment_status=v["employment_status"],
                monthly_income=v["monthly_income"],
                is_union_member=v["is_union_member"],
                is_active=v["is_active"],
                version=v["version"],
                district=_district(v["district_id"], v.get("district__name")),
                enterprise=enterprise,
                household_size=sizes.get(v["household_id"], 0) if sizes is not None else None,
            )
        )
    return rows


def member_columns(fields: set[str]) -> list[str]:
    columns = list(_MEMBER_COLUMNS)
    if "district" in fields:
        columns.append("district__name")
    if "enterprise" in fields:
        columns += [f"enterprise__{c}" for c in _ENTERPRISE_COLUMNS[1:]]
        columns.append("enterprise__district__name")
    return columns


async def load_members(query: Any, selections: list[Selection]) -> list[Row]:
    """Run a Member queryset, fetching the columns and joins ``selections`` need."""
    fields = sel.names(selections)
    values = await query.values(*member_columns(fields))
    sizes = None
    if "householdSize" in fields:
        sizes = await household_sizes({v["household_id"] for v in values})
    return member_rows(values, sizes)


async def load_enterprises(query: Any, selections: list[Selection]) -> list[Row]:
    fields = sel.names(selections)
    columns = list(_ENTERPRISE_COLUMNS)
    if "district" in fields:
        columns.append("district__name")
    return [enterprise_row(v) for v in await query.values(*columns)]


async def member_by_pk(info: Info, pk: int, selections: list) -> Any | None:
    rows = await load_members(visible_members(info).filter(id=pk), selections)
    return rows[0] if rows else None


async def enterprise_by_pk(info: Info, pk: int, selections: list) -> Any | None:
    rows = await load_enterprises(visible_enterprises(info).filter(id=pk), selections)
    return rows[0] if rows else None


def household_loader(info: Info) -> DataLoader[int, Row]:
    cache = info.context.cache
    if "household" not in cache:
        cache["household"] = DataLoader(load_fn=_load_households)
    return cache["household"]


async def _load_households(ids: list[int]) -> list[Row]:
    sizes = await household_sizes(set(ids))
    dependents = await household_dependents(ids)
    return [
        Row(id=to_global_id("Household", i), pk=i, size=sizes[i], dependents=dependents[i])
        for i in ids
    ]


async def dependent_by_pk(info: Info, pk: int) -> Row | None:
    """A dependent, when the caller may see a member of its household: two statements."""
    found = await Dependent.filter(id=pk).first()
    if (
        found is None
        or not await visible_members(info).filter(household_id=found.household_id).exists()
    ):
        return None
    return Row(**dependent_info(found)._asdict())  # a row strawberry.cast can mark


def visible_member_loader(info: Info) -> DataLoader[int, Row | None]:
    """Members by database id, as the principal may see them (None otherwise): one statement
    per batch. For plugins and core types that point at members."""
    cache = info.context.cache
    if "visible_member" not in cache:

        async def load(ids: list[int]) -> list[Row | None]:
            rows = await load_members(visible_members(info).filter(id__in=ids), [])
            by_pk = {r.pk: r for r in rows}
            return [by_pk.get(i) for i in ids]

        cache["visible_member"] = DataLoader(load_fn=load)
    return cache["visible_member"]
