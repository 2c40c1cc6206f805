"""Queries never hand the database a NUL (PostgreSQL refuses one: the request would end in
INTERNAL_ERROR) nor any other text no field may hold. Their text arguments, variables and
literals alike, are screened before execution and refused with a top-level ``INVALID_TEXT``;
mutations are screened by ``run_mutation``, where a refusal is a ``userErrors`` entry."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import ExecutionResult, StringValueNode, Visitor, visit
from strawberry.extensions import SchemaExtension
from strawberry.types.graphql import OperationType

from unionaid.core.errors import DomainError
from unionaid.core.graphql.errors import top_level
from unionaid.core.services.validation import screen


class _Literals(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def enter_string_value(self, node: StringValueNode, *_: object) -> None:
        self.found.append(node.value)


class TextGuard(SchemaExtension):
    def on_execute(self) -> Iterator[None]:
        ctx = self.execution_context
        if ctx.operation_type is not OperationType.MUTATION and ctx.graphql_document is not None:
            literals = _Literals()
            visit(ctx.graphql_document, literals)
            try:
                screen(ctx.variables or {})
                screen(literals.found)
            except DomainError as err:
                lang = getattr(ctx.context, "lang", "zh")
                ctx.result = ExecutionResult(None, [top_level(err.code, lang, **err.params)])
        yield
