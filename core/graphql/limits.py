"""Limits on what one GraphQL document may ask for, each refused with its own code before
anything executes: depth, aliases, directives, tokens and cost. Defaults suit the frontends we
know; every one is a setting (``UNIONAID_MAX_*``)."""

from __future__ import annotations

import os
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

from unionaid.core.errors import Code
from unionaid.core.graphql.relay import MAX_PAGE


@dataclass(frozen=True)
class Limits:
    depth: int = 15
    aliases: int = 30
    directives: int = 20
    tokens: int = 5000
    cost: int = 20000

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Limits:
        env = os.environ if env is None else env
        values = {}
        for name in ("depth", "aliases", "directives", "tokens", "cost"):
            raw = env.get(f"UNIONAID_MAX_{name.upper()}")
            if raw:
                values[name] = int(raw)
        return cls(**values)


def _error(code: Code, detail: str) -> GraphQLError:
    # The message is rendered in the request's language when the error is shaped.
    return GraphQLError(detail, extensions={"code": code.value, "detail": detail})


def _fields(selection_set: SelectionSetNode | None, fragments, seen=frozenset()):
    """Fields of a selection set, fragments spread in (each fragment once per path)."""
    if selection_set is None:
        return
    for node in selection_set.selections:
        if isinstance(node, FieldNode):
            yield node
        elif isinstance(node, InlineFragmentNode):
            yield from _fields(node.selection_set, fragments, seen)
        elif isinstance(node, FragmentSpreadNode) and node.name.value not in seen:
            fragment = fragments.get(node.name.value)
            if fragment is not None:
                yield from _fields(fragment.selection_set, fragments, seen | {node.name.value})


def _page(field: FieldNode) -> int:
    """How many items a field with a ``first`` argument may return (a variable: the maximum)."""
    for argument in field.arguments or ():
        if argument.name.value == "first":
            if isinstance(argument.value, IntValueNode):
                return max(1, min(int(argument.value.value), MAX_PAGE))
            if isinstance(argument.value, VariableNode):
                return MAX_PAGE
    return 1


def _measure(selection_set, fragments, depth: int) -> tuple[int, int, int, int]:
    """(deepest level, aliases, directives, cost) below a selection set."""
    deepest, aliases, directives, cost = depth, 0, 0, 0
    for field in _fields(selection_set, fragments):
        if field.name.value.startswith("__"):
            continue  # introspection is switched off in production
        aliases += 1 if field.alias else 0
        directives += len(field.directives or ())
        d, a, r, c = _measure(field.selection_set, fragments, depth + 1)
        deepest, aliases, directives = max(deepest, d), aliases + a, directives + r
        cost += 1 + _page(field) * c
    return deepest, aliases, directives, cost


def rule(limits: Limits) -> type[ValidationRule]:
    class DocumentLimits(ValidationRule):
        def enter_document(self, node, *_args):
            fragments = {
                d.name.value: d for d in node.definitions if isinstance(d, FragmentDefinitionNode)
            }
            for operation in node.definitions:
                if not isinstance(operation, OperationDefinitionNode):
                    continue
                depth, aliases, directives, cost = _measure(operation.selection_set, fragments, 0)
                directives += len(operation.directives or ())
                checks = (
                    (depth, limits.depth, Code.QUERY_TOO_DEEP),
                    (aliases, limits.aliases, Code.TOO_MANY_ALIASES),
                    (directives, limits.directives, Code.TOO_MANY_DIRECTIVES),
                    (cost, limits.cost, Code.QUERY_TOO_COSTLY),
                )
                for found, allowed, code in checks:
                    if found > allowed:
                        self.report_error(_error(code, f"{found} > {allowed}"))
            return self.BREAK

    return DocumentLimits
