"""Limits on what one GraphQL document may ask for, each refused with its own code before
anything executes: the document's size, depth, aliases, directives, tokens and cost. Every field
counts — ``__typename`` and the introspection meta-fields too, in every mode — and every
directive, wherever it sits (fields, fragments, spreads, the operation). Defaults suit the
frontends we know; every one is a setting (``UNIONAID_MAX_*``)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValidationRule,
    VariableNode,
)
from strawberry.extensions import SchemaExtension

from unionaid.core.errors import Code, TopLevelError
from unionaid.core.graphql.relay import DEFAULT_PAGE, MAX_PAGE

# The largest document a frontend of ours sends is GraphiQL's introspection query, about 2 KB
# (measured in tests/test_limits.py); 64 KB leaves room for generated documents many times that
# and sits well under the body limit, so a document of comments alone cannot be big.
DEFAULT_DOCUMENT_BYTES = 64 * 1024


@dataclass(frozen=True)
class Limits:
    depth: int = 15
    aliases: int = 30
    directives: int = 20
    tokens: int = 5000
    cost: int = 20000
    document: int = DEFAULT_DOCUMENT_BYTES  # bytes of UTF-8, comments and whitespace included

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Limits:
        env = os.environ if env is None else env
        values = {}
        for name in ("depth", "aliases", "directives", "tokens", "cost"):
            raw = env.get(f"UNIONAID_MAX_{name.upper()}")
            if raw:
                values[name] = int(raw)
        raw = env.get("UNIONAID_MAX_DOCUMENT_KB")
        if raw:
            values["document"] = int(raw) * 1024
        return cls(**values)


def _error(code: Code, detail: str) -> GraphQLError:
    # The message is rendered in the request's language when the error is shaped.
    return GraphQLError(detail, extensions={"code": code.value, "detail": detail})


def _page(field: FieldNode) -> int:
    """How many items a field with a ``first`` argument may return (a variable: the maximum);
    a connection (it selects ``edges``) without one returns a default page."""
    for argument in field.arguments or ():
        if argument.name.value == "first":
            if isinstance(argument.value, IntValueNode):
                return max(1, min(int(argument.value.value), MAX_PAGE))
            if isinstance(argument.value, VariableNode):
                return MAX_PAGE
    selected = _selections(field.selection_set)
    if any(isinstance(s, FieldNode) and s.name.value == "edges" for s in selected):
        return DEFAULT_PAGE
    return 1


@dataclass
class Measure:
    deepest: int = 0
    aliases: int = 0
    directives: int = 0
    cost: int = 0


def _measure(
    selection_set: SelectionSetNode | None,
    fragments: dict[str, FragmentDefinitionNode],
    depth: int,
    total: Measure,
    seen: frozenset[str] = frozenset(),
) -> int:
    """Walk a selection set with fragments spread in (each fragment once per path), adding
    aliases and directives to ``total``; returns the cost of the selection set and raises
    ``total.deepest`` to the deepest field level found."""
    cost = 0
    for node in _selections(selection_set):
        total.directives += len(node.directives or ())
        if isinstance(node, FieldNode):
            total.deepest = max(total.deepest, depth + 1)
            total.aliases += 1 if node.alias else 0
            below = _measure(node.selection_set, fragments, depth + 1, total, seen)
            cost += 1 + _page(node) * below
        elif isinstance(node, InlineFragmentNode):
            cost += _measure(node.selection_set, fragments, depth, total, seen)
        elif isinstance(node, FragmentSpreadNode) and node.name.value not in seen:
            fragment = fragments.get(node.name.value)
            if fragment is not None:
                total.directives += len(fragment.directives or ())
                inner = seen | {node.name.value}
                cost += _measure(fragment.selection_set, fragments, depth, total, inner)
    return cost


def _selections(selection_set: SelectionSetNode | None) -> Iterator:
    return iter(selection_set.selections) if selection_set is not None else iter(())


def rule(limits: Limits) -> type[ValidationRule]:
    class DocumentLimits(ValidationRule):
        def enter_document(self, node, *_args):
            fragments = {
                d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)
            }
            for operation in node.definitions:
                if not isinstance(operation, OperationDefinitionNode):
                    continue
                total = Measure(directives=len(operation.directives or ()))
                for variable in operation.variable_definitions or ():
                    total.directives += len(variable.directives or ())
                total.cost = _measure(operation.selection_set, fragments, 0, total)
                checks = (
                    (total.deepest, limits.depth, Code.QUERY_TOO_DEEP),
                    (total.aliases, limits.aliases, Code.TOO_MANY_ALIASES),
                    (total.directives, limits.directives, Code.TOO_MANY_DIRECTIVES),
                    (total.cost, limits.cost, Code.QUERY_TOO_COSTLY),
                )
                for found, allowed, code in checks:
                    if found > allowed:
                        self.report_error(_error(code, f"{found} > {allowed}"))
            return self.BREAK

    return DocumentLimits


def document_cap(limits: Limits) -> type[SchemaExtension]:
    """Refuses a document over ``limits.document`` bytes before it is parsed (or looked up in
    the parser cache): comments and whitespace count, so padding cannot slip through."""

    class DocumentCap(SchemaExtension):
        def on_parse(self) -> Iterator[None]:
            query = self.execution_context.query or ""
            # Characters never outnumber UTF-8 bytes: encode only when it could matter.
            if len(query) * 4 > limits.document and len(query.encode()) > limits.document:
                raise GraphQLError(
                    "document too large",
                    extensions={"code": Code.DOCUMENT_TOO_LARGE.value},
                    original_error=TopLevelError(Code.DOCUMENT_TOO_LARGE, max=limits.document),
                )
            yield

    return DocumentCap
