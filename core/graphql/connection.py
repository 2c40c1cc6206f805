"""One Relay connection for every list a frontend pages through, core and plugins alike.

    @strawberry.field
    async def campaigns(self, info, first: int | None = None, after: str | None = None)
            -> Connection[Campaign]:
        return await paginate(query, first=first, after=after, node=campaign_of)

``Connection[Campaign]`` is the GraphQL type ``CampaignConnection`` (edges of ``CampaignEdge``,
a complete ``PageInfo``, ``totalCount``). Cursors point at a row's key; ``first`` is 20 by
default and at most 100 (``PAGE_SIZE_EXCEEDED`` above, never a silent cap)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any, Generic, TypeVar

import strawberry

from unionaid.core.graphql.relay import PageInfo, decode_cursor, encode_cursor, page_size

T = TypeVar("T")


@strawberry.type(description="One item of a page, with the cursor that points at it")
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of a list, the way to the next one, and the list's size")
class Connection(Generic[T]):
    edges: list[Edge[T]]
    page_info: PageInfo
    _count: strawberry.Private[Callable[[], Awaitable[int]]]

    @strawberry.field(description="Items matching the filters, over all pages")
    async def total_count(self) -> int:
        # Counted only when asked for: one statement.
        return await self._count()

    @property
    def nodes(self) -> list[T]:
        """The page's items (for Python callers and tests; not a GraphQL field)."""
        return [e.node for e in self.edges]


def _key(row: Any) -> int:
    return row["id"] if isinstance(row, dict) else row.pk


async def paginate(
    query: Any,
    *,
    first: int | None,
    after: str | None,
    node: Callable[[Any], Any] | None = None,
    rows: Callable[[Any], Awaitable[Sequence[Any]]] | None = None,
    newest_first: bool = False,
    key: Callable[[Any], int] = _key,
) -> Connection[Any]:
    """A page of the Tortoise queryset ``query`` (already filtered and scoped), ordered by its
    primary key (``newest_first``: descending), in two statements at most whatever the page
    size: the page (``first + 1`` rows, to learn whether another page follows) and, when the
    client selects ``totalCount``, one ``COUNT``.

    ``rows(queryset)`` fetches the ordered, limited queryset (default: model instances; pass
    ``lambda q: q.values()`` for dicts, or a loader that joins what the selection asks for);
    ``node(row)`` shapes one fetched row into the GraphQL object (default: the row itself).
    ``key(row)`` is the row's primary key (default ``row["id"]`` or ``row.pk``). Raises
    ``PAGE_SIZE_EXCEEDED`` (``first`` > 100), ``BAD_USER_INPUT`` (negative) and
    ``INVALID_CURSOR``."""
    limit = page_size(first)
    page = query
    if after is not None:
        bound = decode_cursor(after)
        page = page.filter(id__lt=bound) if newest_first else page.filter(id__gt=bound)
    page = page.order_by("-id" if newest_first else "id").limit(limit + 1)
    fetched = list(await (rows(page) if rows is not None else page))
    has_next = len(fetched) > limit
    fetched = fetched[:limit]
    keys = [key(r) for r in fetched]
    shape = node or (lambda r: r)
    return Connection(
        edges=[
            Edge(cursor=encode_cursor(k), node=shape(r)) for k, r in zip(keys, fetched, strict=True)
        ],
        page_info=PageInfo(
            has_next_page=has_next,
            has_previous_page=after is not None,
            start_cursor=encode_cursor(keys[0]) if keys else None,
            end_cursor=encode_cursor(keys[-1]) if keys else None,
        ),
        _count=query.count,
    )
