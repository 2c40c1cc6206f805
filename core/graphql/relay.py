"""Opaque cursors and page arguments (Relay style: ``first``/``after``). Global IDs are in
``unionaid.core.global_ids``."""

from __future__ import annotations

import base64
import binascii

import strawberry

from unionaid.core.errors import Code, TopLevelError
from unionaid.core.global_ids import MAX_PK

DEFAULT_PAGE = 20
MAX_PAGE = 100


def encode_cursor(pk: int) -> str:
    return base64.b64encode(f"cursor:{pk}".encode()).decode()


def decode_cursor(cursor: str, max_pk: int = MAX_PK) -> int:
    """The key a cursor points after; one no page could have issued (beyond the column's
    ``max_pk``, which would overflow in the database) is ``INVALID_CURSOR``."""
    try:
        prefix, _, pk = base64.b64decode(cursor, validate=True).decode().partition(":")
        if prefix == "cursor" and 0 <= int(pk) <= max_pk:
            return int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise TopLevelError(Code.INVALID_CURSOR)


def page_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_PAGE
    if first < 0:
        raise TopLevelError(Code.BAD_USER_INPUT)
    if first > MAX_PAGE:
        raise TopLevelError(Code.PAGE_SIZE_EXCEEDED, max=MAX_PAGE)
    return first


@strawberry.type
class PageInfo:
    has_next_page: bool
    end_cursor: str | None
    has_previous_page: bool = strawberry.field(
        default=False, description="Paging forward: true when `after` was given"
    )
    start_cursor: str | None = None


def page_info(pks: list[int], has_next: bool, after: str | None) -> PageInfo:
    """The page's info from the primary keys of its items, in order."""
    return PageInfo(
        has_next_page=has_next,
        end_cursor=encode_cursor(pks[-1]) if pks else None,
        has_previous_page=after is not None,
        start_cursor=encode_cursor(pks[0]) if pks else None,
    )
