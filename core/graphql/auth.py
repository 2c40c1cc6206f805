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
    SelectionSetNode,
)
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionResult, Info

from unionaid.core.errors import Code, TopLevelError, message
from unionaid.core.principal import Principal

PUBLIC_FIELDS = frozenset({"login", "__typename", "__schema", "__type"})


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


def root_fields(document, operation_name: str | None) -> set[str]:
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if operation_name is not None:
        operations = [o for o in operations if o.name and o.name.value == operation_name]
    return {name for op in operations for name in _root_fields(op.selection_set, fragments)}


class Authentication(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        run = self.execution_context
        context = run.context
        code = context.refusal
        if code is None and (
            context.credentials_refused
            or (
                context.principal is None
                and not root_fields(run.graphql_document, run.operation_name) <= PUBLIC_FIELDS
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
