"""Plugin fields on ``Member`` that load per page, not per member.

A field declares where its value comes from (:class:`MemberSource`: a model, the column holding
the member's id, the columns to read or one expression to compute); :func:`member_field` turns
the declaration into a field whose values for every member of a page are read by one statement.
What cannot be declared goes through :func:`request_loader`: a DataLoader kept in the request's
context, so every member resolved in the same tick shares one batch."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from dataclasses import dataclass
from typing import Any

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

_MISSING = object()  # a member the source found no row for


@dataclass(frozen=True)
class MemberSource:
    """Where a ``Member`` field's value lives.

    ``model``: a Tortoise model; ``key``: its column holding the member's database id
    (``"member_id"``); then exactly one of ``columns`` (the columns read, handed to ``build``
    as a dict per row) or ``expression`` (a Tortoise function such as ``Count("id")``,
    computed per member; ``build`` receives its value). ``many``: a list per member (rows
    ordered by ``order_by``) rather than one row or None; ``filters``: fixed conditions
    (``{"status": "active"}``). A member without rows gets None (``[]`` with ``many``; the
    expression over no rows with ``expression``, e.g. None for Count, which ``build`` maps)."""

    model: type
    key: str
    columns: tuple[str, ...] = ()
    expression: Any = None
    build: Callable[[Any], Any] = lambda value: value
    many: bool = False
    order_by: tuple[str, ...] = ("id",)
    filters: tuple[tuple[str, Any], ...] = ()

    def __post_init__(self) -> None:
        if bool(self.columns) == (self.expression is not None):
            raise ValueError(f"{self.model.__name__}: a MemberSource needs columns or expression")
        if self.expression is not None and self.many:
            raise ValueError(f"{self.model.__name__}: an expression gives one value per member")
        if isinstance(self.filters, dict):
            object.__setattr__(self, "filters", tuple(self.filters.items()))

    async def load(self, member_pks: list[int]) -> dict[int, Any]:
        """The values of the members ``member_pks``: one statement, whatever their number."""
        query = self.model.filter(**{f"{self.key}__in": member_pks}, **dict(self.filters))
        if self.expression is not None:
            rows = await (
                query.annotate(_value=self.expression).group_by(self.key).values(self.key, "_value")
            )
            return {r[self.key]: self.build(r["_value"]) for r in rows}
        columns = dict.fromkeys((self.key, *self.columns))
        rows = await query.order_by(*self.order_by).values(*columns)
        found: dict[int, Any] = {}
        for row in rows:
            if self.many:
                found.setdefault(row[self.key], []).append(self.build(row))
            else:
                found.setdefault(row[self.key], self.build(row))
        return found

    def missing(self) -> Any:
        if self.expression is not None:
            return self.build(None)
        return [] if self.many else None


def request_loader(
    info: Info,
    name: Hashable,
    load: Callable[[list[Any]], Awaitable[dict[Any, Any]]],
    default: Any = None,
) -> DataLoader:
    """The request's DataLoader called ``name``: keys resolved in the same tick are batched
    into one call of ``load(keys) -> {key: value}`` (keys it leaves out get ``default``).
    For a value keyed by member, the key is the member's database id (``self.pk``)."""
    cache = info.context.cache
    slot = ("request_loader", name)
    if slot not in cache:

        async def batch(keys: list[Any]) -> list[Any]:
            found = await load(keys)
            return [found.get(k, default) for k in keys]

        cache[slot] = DataLoader(load_fn=batch)
    return cache[slot]


def member_field(source: MemberSource, *, graphql_type: Any, description: str | None = None):
    """A ``Member`` field of type ``graphql_type`` read from ``source``, one statement per
    page (and per request for members reached elsewhere in the same tick)."""

    async def resolve(root: Any, info: Info) -> Any:
        loader = request_loader(info, ("member_field", id(source)), source.load, _MISSING)
        value = await loader.load(root.pk)
        return source.missing() if value is _MISSING else value

    resolve.__annotations__ = {"root": Any, "info": Info, "return": graphql_type}
    return strawberry.field(resolver=resolve, description=description)
