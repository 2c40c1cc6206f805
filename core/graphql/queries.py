"""The core's root query fields."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.types import Info

from unionaid.core import policy
from unionaid.core.errors import Code, DomainError, Words
from unionaid.core.global_ids import from_global_id
from unionaid.core.graphql import ledger, loaders
from unionaid.core.graphql import selection as sel
from unionaid.core.graphql.auth import principal
from unionaid.core.graphql.composed import MemberRef
from unionaid.core.graphql.connection import Connection, paginate
from unionaid.core.graphql.plugin_nodes import plugin_node
from unionaid.core.graphql.types import District, Enterprise, Fund, Node, Program
from unionaid.core.graphql.views import fund_rows, program_rows
from unionaid.core.graphql.visible import visible_enterprises, visible_members
from unionaid.core.identifiers import parse_id_number
from unionaid.core.models import District as DistrictModel


def _rows(info: Info, load: Any) -> Any:
    """Fetch a page's rows with the joins its ``edges { node { … } }`` selection asks for."""
    selections = sel.at_path(info.selected_fields[0].selections, "edges", "node")
    return lambda page: load(page, selections)


# The core's identities (what ``_node`` resolves, and the core types that are or will be
# nodes): a program's node type may not take one of their names.
CORE_NODES = frozenset(
    {
        "Member",
        "Enterprise",
        "Fund",
        "LedgerEntry",
        "Dependent",
        "Household",
        "Campaign",
        "Entitlement",
        "Job",
    }
)


async def _node(info: Info, id: str) -> Any | None:
    decoded = from_global_id(id)
    if decoded is None:
        return None
    type_name, pk = decoded
    selections = info.selected_fields[0].selections
    if type_name == "Member":
        row = await loaders.member_by_pk(info, pk, selections)
    elif type_name == "Enterprise":
        row = await loaders.enterprise_by_pk(info, pk, selections)
    elif type_name == "Fund":
        rows = await fund_rows(info, pk=pk)
        row = rows[0] if rows else None
    elif type_name == "LedgerEntry":
        row = await ledger.entry_by_pk(info, pk)
    elif type_name == "Dependent":
        row = await loaders.dependent_by_pk(info, pk)
    else:
        return await plugin_node(info, type_name, pk)
    if row is None:
        return None
    return strawberry.cast(info.schema.get_type_by_name(type_name).origin, row)


@strawberry.type
class CoreQuery:
    @strawberry.field(description="The districts you may see")
    async def districts(self, info: Info) -> list[District]:
        scope = policy.district_scope(principal(info))
        rows = await DistrictModel.filter(**scope).order_by("code").values("code", "name")
        return [District(code=r["code"], name=r["name"]) for r in rows]

    @strawberry.field(description="Members on the register, in your districts")
    async def members(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        district_code: str | None = None,
        search: Annotated[
            str | None,
            strawberry.argument(description="Part of a name, or a whole resident ID number"),
        ] = None,
        include_inactive: bool = False,
    ) -> Connection[MemberRef]:
        query = visible_members(info)
        if district_code is not None:
            query = query.filter(district_id=district_code)
        if not include_inactive:
            query = query.filter(is_active=True)
        if search:
            resident = parse_id_number(search.strip())
            if resident is not None:
                # Under either key while a key rotation is unfinished.
                hashes = info.context.vault.lookup_hashes(resident.number)
                query = query.filter(id_number_hash__in=hashes)
            else:
                query = query.filter(name__icontains=search.strip())
        return await paginate(
            query, first=first, after=after, rows=_rows(info, loaders.load_members)
        )

    @strawberry.field(
        description="One member; null with NOT_FOUND when it does not exist or you cannot see it"
    )
    async def member(self, info: Info, id: strawberry.ID) -> MemberRef | None:
        decoded = from_global_id(id)
        row = None
        if decoded is not None and decoded[0] == "Member":
            row = await loaders.member_by_pk(info, decoded[1], info.selected_fields[0].selections)
        if row is None:
            raise DomainError(Code.NOT_FOUND, what=Words("会员", "member"))
        return row

    @strawberry.field(description="Enterprises in your districts")
    async def enterprises(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        district_code: str | None = None,
        is_caring: bool | None = None,
        search: str | None = None,
    ) -> Connection[Enterprise]:
        query = visible_enterprises(info)
        if district_code is not None:
            query = query.filter(district_id=district_code)
        if is_caring is not None:
            query = query.filter(is_caring=is_caring)
        if search:
            query = query.filter(name__icontains=search.strip())
        return await paginate(
            query, first=first, after=after, rows=_rows(info, loaders.load_enterprises)
        )

    @strawberry.field(
        description="Any object by its global ID; null with NOT_FOUND when it does not exist or "
        "you cannot see it (the two are indistinguishable)"
    )
    async def node(self, info: Info, id: strawberry.ID) -> Node | None:
        row = await _node(info, id)
        if row is None:
            raise DomainError(Code.NOT_FOUND, what=Words("记录", "record"))
        return row

    @strawberry.field(description="Funds of the city and of your districts")
    async def funds(self, info: Info, district_code: str | None = None) -> list[Fund]:
        return await fund_rows(info, district_code=district_code)

    @strawberry.field(description="Installed programs, with their state in your districts")
    async def programs(self, info: Info) -> list[Program]:
        return await program_rows(info)

    @strawberry.field(description="One installed program")
    async def program(self, info: Info, id: str) -> Program | None:
        if id not in info.context.host.programs:
            raise DomainError(Code.UNKNOWN_PROGRAM, program=id)
        return (await program_rows(info, only=id))[0]
