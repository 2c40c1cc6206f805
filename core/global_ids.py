"""Global IDs (``base64("Type:pk")``), the names objects go by in the API, audit entries, exports
and job results. Below services and the GraphQL layer, which both name objects."""

from __future__ import annotations

import base64
import binascii

# Every object the API names has a 32-bit key (PostgreSQL ``integer``): a larger number cannot
# name one, and sent to the database it would overflow (an internal error, not "not found").
MAX_PK = 2**31 - 1


def to_global_id(type_name: str, pk: int) -> str:
    return base64.b64encode(f"{type_name}:{pk}".encode()).decode()


def from_global_id(global_id: str) -> tuple[str, int] | None:
    """(type name, primary key), or None when the ID is malformed."""
    try:
        type_name, _, pk = base64.b64decode(global_id, validate=True).decode().partition(":")
        number = int(pk)
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    return (type_name, number) if 0 < number <= MAX_PK else None


def pk_of(global_id: str | None, type_name: str) -> int | None:
    """The primary key when ``global_id`` names an object of ``type_name``."""
    decoded = from_global_id(global_id) if global_id else None
    if decoded is None or decoded[0] != type_name:
        return None
    return decoded[1]
