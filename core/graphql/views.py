"""Rows for funds and programs, loaded in a fixed number of statements."""

from __future__ import annotations

from types import SimpleNamespace as Row

from strawberry.types import Info
from tortoise.expressions import Q
from tortoise.queryset import QuerySet

from unionaid.core import policy
from unionaid.core.global_ids import to_global_id
from unionaid.core.graphql.auth import principal
from unionaid.core.models import District, Fund
from unionaid.core.services import funds as fund_service
from unionaid.core.services.programs import effective_for_districts


def visible_funds(info: Info, district_code: str | None = None) -> QuerySet[Fund]:
    """City funds and the funds of the principal's districts (of ``district_code`` only)."""
    who = principal(info)
    if not policy.sees_funds(who):
        return Fund.filter(id__in=[])
    query = Fund.all()
    codes = who.district_codes
    if codes is not None:
        query = query.filter(Q(district_id__isnull=True) | Q(district_id__in=codes))
    if district_code is not None:
        query = query.filter(district_id=district_code)
    return query


async def fund_rows(
    info: Info,
    *,
    pk: int | None = None,
    district_code: str | None = None,
    pks: list[int] | None = None,
) -> list[Row]:
    """City funds and the funds of the principal's districts (``pks``: only those)."""
    query = visible_funds(info, district_code)
    if pk is not None:
        query = query.filter(id=pk)
    if pks is not None:
        query = query.filter(id__in=pks)
    return await funds_of(query.order_by("id"))


async def funds_of(query: QuerySet[Fund]) -> list[Row]:
    """The funds ``query`` selects, with their balances: two statements for any number."""
    values = await query.values("id", "code", "name", "purpose", "district_id", "district__name")
    balances = await fund_service.balances([v["id"] for v in values]) if values else {}
    return [
        Row(
            id=to_global_id("Fund", v["id"]),
            pk=v["id"],
            code=v["code"],
            name=v["name"],
            purpose=v["purpose"],
            district=Row(code=v["district_id"], name=v["district__name"])
            if v["district_id"]
            else None,
            balance=balances[v["id"]],
        )
        for v in values
    ]


async def program_rows(info: Info, only: str | None = None) -> list[Row]:
    ctx = info.context
    query = District.filter(**policy.district_scope(principal(info))).order_by("code")
    districts = await query.values("code", "name")
    enabled = await ctx.enabled()
    rows = []
    for program in ctx.host.programs.values():
        if only is not None and program.id != only:
            continue
        model = program.settings_model
        settings = await effective_for_districts(
            ctx.host, program.id, [d["code"] for d in districts], ctx.today
        )
        rows.append(
            Row(
                id=program.id,
                name=program.info.name,
                name_en=program.info.name_en,
                version=program.info.version,
                description=program.info.description,
                settings_schema=model.model_json_schema() if model else {},
                default_settings=model().model_dump(mode="json") if model else {},
                districts=[
                    Row(
                        district=Row(code=d["code"], name=d["name"]),
                        enabled=(program.id, d["code"]) in enabled,
                        settings=settings[d["code"]].as_json(),
                        city_settings_version=settings[d["code"]].city_version,
                        district_settings_version=settings[d["code"]].district_version,
                    )
                    for d in districts
                ],
            )
        )
    return rows
