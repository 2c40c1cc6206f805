"""Authentication at the door: a request without a valid principal reaches only the public root
fields (signing in, and the schema itself outside production). Everything else is refused with
``UNAUTHENTICATED`` before any resolver runs, so no resolver can forget to check."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult, Info

from unionaid.core.errors import Code, TopLevelError, message
from unionaid.core.principal import Principal

# Root fields reachable without a principal: signing in, and the schema itself. Programs add
# query fields of their own (``GraphQLContribution.public_fields``); a mutation never is.
PUBLIC_QUERIES = frozenset({"__typename", "__schema", "__type"})
PUBLIC_MUTATIONS = frozenset({"login", "__typename"})


def _root_fields(
    selection_set: SelectionSetNode, fragments: dict[str, FragmentDefinitionNode]
) -> Iterator[str]:
    for node in selection_set.selections:
        if isinstance(node, FieldNode):
            yield node.name.value
        elif isinstance(node, InlineFragmentNode):
            yield from _root_fields(node.selection_set, fragments)
        elif isinstance(node, FragmentSpreadNode) and node.name.value in fragments:
            yield from _root_fields(fragments[node.name.value].selection_set, fragments)


def root_fields(document, operation_name: str | None) -> dict[OperationType, set[str]]:
    """The root fields the request would run, by operation type (query, mutation...)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    found: dict[OperationType, set[str]] = {}
    for op in operations:
        found.setdefault(op.operation, set()).update(_root_fields(op.selection_set, fragments))
    return found


class Authentication(SchemaExtension):
    """``public_queries``: the programs' public query fields (GraphQL names), reachable
    without a token beside the core's; anything else in the same request still needs one."""

    def __init__(self, *, public_queries: frozenset[str] = frozenset(), **kwargs) -> None:
        super().__init__(**kwargs)
        self.public = {
            OperationType.QUERY: PUBLIC_QUERIES | public_queries,
            OperationType.MUTATION: PUBLIC_MUTATIONS,
        }

    def is_public(self, document, operation_name: str | None) -> bool:
        asked = root_fields(document, operation_name)
        return all(names <= self.public.get(kind, frozenset()) for kind, names in asked.items())

    def on_execute(self) -> Iterator[None]:
        run = self.execution_context
        context = run.context
        code = context.refusal
        if code is None and (
            context.credentials_refused
            or (
                context.principal is None
                and not self.is_public(run.graphql_document, run.operation_name)
            )
        ):
            code = Code.UNAUTHENTICATED
        if code is not None:
            run.result = ExecutionResult(
                data=None,
                errors=[GraphQLError(message(code, context.lang), extensions={"code": code.value})],
            )
        yield


def principal(info: Info) -> Principal:
    """The request's principal. Non-public fields only run with one (see Authentication)."""
    found = info.context.principal
    if found is None:  # only a public field that forgot it is public could get here
        raise TopLevelError(Code.UNAUTHENTICATED)
    return found
