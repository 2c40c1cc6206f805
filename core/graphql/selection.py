"""Look-ahead: which fields a query selects, so loaders fetch exactly that in one statement."""

from __future__ import annotations

from collections.abc import Iterable

from strawberry.types.nodes import FragmentSpread, InlineFragment, SelectedField, Selection


def _fields(selections: Iterable[Selection]) -> Iterable[SelectedField]:
    for sel in selections:
        if isinstance(sel, SelectedField):
            yield sel
        elif isinstance(sel, (FragmentSpread, InlineFragment)):
            yield from _fields(sel.selections)


def children(selections: Iterable[Selection], name: str) -> list[Selection]:
    """The selections under every occurrence of field ``name`` (aliases included)."""
    found: list[Selection] = []
    for field in _fields(selections):
        if field.name == name:
            found.extend(field.selections)
    return found


def names(selections: Iterable[Selection]) -> set[str]:
    return {field.name for field in _fields(selections)}


def at_path(selections: Iterable[Selection], *path: str) -> list[Selection]:
    current = list(selections)
    for name in path:
        current = children(current, name)
    return current
