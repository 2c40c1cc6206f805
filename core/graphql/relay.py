"""Global IDs, opaque cursors and page arguments (Relay style: ``first``/``after``)."""

from __future__ import annotations

import base64
import binascii

import strawberry

from unionaid.core.errors import Code, TopLevelError

DEFAULT_PAGE = 20
MAX_PAGE = 100


def to_global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def from_global_id(global_id: str) -> tuple[str, int] | None:
    """(type name, primary key), or None when the ID is malformed."""
    try:
        type_name, _, pk = base64.b64decode(global_id, validate=True).decode().partition(":")
        return type_name, int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None


def pk_of(global_id: str | None, type_name: str) -> int | None:
    """The primary key when ``global_id`` names an object of ``type_name``."""
    decoded = from_global_id(global_id) if global_id else None
    if decoded is None or decoded[0] != type_name:
        return None
    return decoded[1]


def encode_cursor(pk: int) -> str:
    return base64.b64encode(f"cursor:{pk}".encode()).decode()


def decode_cursor(cursor: str) -> int:
    try:
        prefix, _, pk = base64.b64decode(cursor, validate=True).decode().partition(":")
        if prefix == "cursor":
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
