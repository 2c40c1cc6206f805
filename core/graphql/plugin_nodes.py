"""``node(id:)`` for the types programs declare (``register_node_types``), with the scope
checked here as for the core's nodes: plugins only load objects, never decide who sees them."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.types import Info

from unionaid.core.errors import Code, DomainError
from unionaid.core.graphql.auth import principal
from unionaid.core.graphql.gate import program_scope
from unionaid.core.graphql.member_fields import request_loader
from unionaid.core.plugin_types import NodeType
from unionaid.core.policy import is_enterprise_contact, sees_district

# What ``build_schema`` attaches to a schema: GraphQL type name -> (program id, declaration).
PluginNodes = dict[str, tuple[str, NodeType]]


async def plugin_node(info: Info, type_name: str, pk: int) -> Any | None:
    """The object, None when the caller may not know it exists (NOT_FOUND), or
    PROGRAM_NOT_ENABLED for a visible object of a district where the program is off. The
    ``node`` fields of one request share one ``load`` call per type."""
    declared: PluginNodes = getattr(info.schema, "plugin_nodes", {})
    if type_name not in declared:
        return None
    program_id, spec = declared[type_name]
    found = await request_loader(info, ("node", type_name), spec.load).load(pk)
    if found is None:
        return None
    who, district = principal(info), getattr(found, spec.district)
    if not sees_district(who, district):
        return None
    if is_enterprise_contact(who) and (
        spec.enterprise is None or getattr(found, spec.enterprise) not in who.enterprise_ids
    ):
        return None
    scope = await program_scope(info, program_id)
    if not scope.serves_caller:
        return None
    if district not in scope.district_codes:
        raise DomainError(Code.PROGRAM_NOT_ENABLED, program=program_id)
    try:
        return strawberry.cast(spec.type, found)
    except AttributeError:  # a frozen dataclass, a named tuple: mark a stand-in instead
        return strawberry.cast(spec.type, _StandIn(found))


class _StandIn:
    """Reads through to an object that cannot carry strawberry's type mark itself."""

    def __init__(self, wrapped: Any) -> None:
        self.__dict__["_wrapped"] = wrapped

    def __getattr__(self, name: str) -> Any:
        return getattr(self.__dict__["_wrapped"], name)
