"""Compose one strawberry schema from the core and every loaded plugin, at startup."""

from __future__ import annotations

import copy
import threading

import strawberry
from strawberry.exceptions import DuplicatedTypeName
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxTokensLimiter,
    ParserCache,
    ValidationCache,
)
from strawberry.schema.config import StrawberryConfig
from strawberry.schema.name_converter import NameConverter
from strawberry.tools import merge_types
from strawberry.types.base import get_object_definition

from unionaid.core.graphql import composed
from unionaid.core.graphql.access import AccessMutation, AccessQuery
from unionaid.core.graphql.auth import Authentication
from unionaid.core.graphql.campaigns import CampaignMutation, CampaignQuery
from unionaid.core.graphql.gate import ProgramGate, ProgramRootGate
from unionaid.core.graphql.imports import ImportQuery, import_mutation
from unionaid.core.graphql.limits import Limits, document_cap
from unionaid.core.graphql.limits import rule as limits_rule
from unionaid.core.graphql.mutations import CoreMutation
from unionaid.core.graphql.personal_data import PersonalDataMutation
from unionaid.core.graphql.plugin_nodes import PluginNodes
from unionaid.core.graphql.queries import CORE_NODES, CoreQuery
from unionaid.core.graphql.scalars import SCALAR_MAP
from unionaid.core.graphql.statements import SqlStatements
from unionaid.core.graphql.text_guard import TextGuard
from unionaid.core.graphql.types import Enterprise, Fund, Household, MemberBase, Node
from unionaid.core.host import PluginError, PluginHost
from unionaid.core.imports.run import import_kinds
from unionaid.core.plugin_types import GraphQLContribution

# Lazy references resolve through the module attribute ``composed.Member`` while a schema is
# being built; builds are serialised so two schemas in one process never see each other's type.
_build_lock = threading.Lock()


def _field_names(cls: type) -> dict[str, str]:
    return {
        f.python_name: f.graphql_name or f.python_name
        for f in get_object_definition(cls, strict=True).fields
    }


def _check_clashes(kind: str, pieces: list[tuple[str, type]]) -> None:
    owner: dict[str, str] = {}
    for who, cls in pieces:
        for name in _field_names(cls):
            if name in owner:
                raise PluginError(f"{kind} field {name!r} of {who} clashes with {owner[name]}")
            owner[name] = who


def _compose_member(extensions: list[tuple[str, type]]) -> type:
    """Member = MemberBase + every plugin's member fields, each behind the program gate."""
    _check_clashes("Member", [("core", MemberBase), *extensions])
    namespace: dict[str, object] = {"__annotations__": {}}
    for program_id, mixin in extensions:
        for field in get_object_definition(mixin, strict=True).fields:
            if field.base_resolver is None:
                raise PluginError(f"{program_id}: Member.{field.python_name} needs a resolver")
            gated = copy.copy(field)
            gated.extensions = [*field.extensions, ProgramGate(program_id)]
            namespace[field.python_name] = gated
    cls = type("Member", (MemberBase,), namespace)
    return strawberry.type(cls, name="Member", description="A worker on the register")


def _gate_root(program_id: str, cls: type) -> type:
    """A plugin's Query or Mutation piece with every field behind the program's root gate."""
    namespace: dict[str, object] = {"__annotations__": {}}
    for field in get_object_definition(cls, strict=True).fields:
        if field.base_resolver is None:
            raise PluginError(f"{program_id}: root field {field.python_name} needs a resolver")
        gated = copy.copy(field)
        gated.extensions = [*field.extensions, ProgramRootGate(program_id)]
        namespace[field.python_name] = gated
    return strawberry.type(type(cls.__name__, (), namespace))


class Schema(strawberry.Schema):
    """strawberry's schema without its error log: that log prints each error with the document
    lines around it, literals and all. The app logs codes (``observability``) and the stacks of
    unexpected errors (``errors.shape_error``) instead."""

    def process_errors(self, errors, execution_context=None) -> None:
        return None


def build_schema(
    host: PluginHost,
    *,
    production: bool = False,
    limits: Limits | None = None,
    observer: type | None = None,
) -> strawberry.Schema:
    contributions = [(pid, host.graphql(pid)) for pid in sorted(host.programs)]
    contributions = [(pid, c) for pid, c in contributions if c is not None]
    core_queries = [
        ("core", CoreQuery),
        ("core", AccessQuery),
        ("core", ImportQuery),
        ("core", CampaignQuery),
    ]
    core_mutations = [
        ("core", CoreMutation),
        ("core", AccessMutation),
        ("core", PersonalDataMutation),
        ("core", import_mutation(import_kinds(host))),
        ("core", CampaignMutation),
    ]
    queries = core_queries + [(p, _gate_root(p, c.query)) for p, c in contributions if c.query]
    public = frozenset(name for p, c in contributions for name in _public_fields(p, c))
    nodes = _node_types(host)
    mutations = core_mutations + [
        (p, _gate_root(p, c.mutation)) for p, c in contributions if c.mutation
    ]
    _check_clashes("Query", queries)
    _check_clashes("Mutation", mutations)
    limits = limits or Limits.from_env()
    extensions = [] if production else [SqlStatements]  # first: it counts the others' too
    extensions += [
        lambda: Authentication(public_queries=public),
        document_cap(limits),
        lambda: MaxTokensLimiter(max_token_count=limits.tokens),
        lambda: AddValidationRules([limits_rule(limits)]),
        lambda: ParserCache(maxsize=512),
        lambda: ValidationCache(maxsize=512),
        TextGuard,
    ]
    if production:
        extensions.append(DisableIntrospection)
    if observer is not None:
        extensions.append(observer)
    with _build_lock:
        composed.Member = _compose_member(
            [(p, c.member_fields) for p, c in contributions if c.member_fields]
        )
        query = merge_types("Query", tuple(cls for _, cls in queries))
        mutation = merge_types("Mutation", tuple(cls for _, cls in mutations))
        extra_types = [composed.Member, Enterprise, Fund, Household]
        for _, contribution in contributions:
            extra_types.extend(contribution.types)
        extra_types.extend(spec.type for _, spec in nodes.values())
        try:
            schema = Schema(
                query=query,
                mutation=mutation,
                types=extra_types,
                extensions=extensions,
                config=StrawberryConfig(
                    scalar_map=SCALAR_MAP,
                    sort_schema=True,
                    disable_field_suggestions=production,
                ),
            )
        except DuplicatedTypeName as exc:
            raise PluginError(f"a program's type name is taken: {exc}") from exc
    schema.plugin_nodes = nodes
    return schema


def _public_fields(program_id: str, contribution: GraphQLContribution) -> list[str]:
    """The GraphQL names of a program's public query fields; a name that is not one of its
    query fields (a mutation, a misspelling) fails at startup."""
    if not contribution.public_fields:
        return []
    fields = {} if contribution.query is None else _graphql_names(contribution.query)
    unknown = [name for name in contribution.public_fields if name not in fields]
    if unknown:
        raise PluginError(
            f"{program_id}: public_fields {unknown} are not fields of its query type "
            "(mutations are never public)"
        )
    return [fields[name] for name in contribution.public_fields]


def _graphql_names(cls: type) -> dict[str, str]:
    convert = NameConverter()
    return {
        f.python_name: convert.get_graphql_name(f)
        for f in get_object_definition(cls, strict=True).fields
    }


def _node_types(host: PluginHost) -> PluginNodes:
    """Every program's node types by GraphQL name, each implementing ``Node``."""
    found: PluginNodes = {}
    for program_id in sorted(host.programs):
        for spec in host.node_types(program_id):
            if not (isinstance(spec.type, type) and issubclass(spec.type, Node)):
                raise PluginError(f"{program_id}: node type {spec.name} must implement Node")
            if spec.name in found or spec.name in CORE_NODES:
                owner = found[spec.name][0] if spec.name in found else "the core"
                raise PluginError(f"{program_id}: node type name {spec.name} is {owner}'s")
            found[spec.name] = (program_id, spec)
    return found


def sdl(schema: strawberry.Schema) -> str:
    return str(schema).rstrip() + "\n"
