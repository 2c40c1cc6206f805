"""Bulk look-ups by natural key, a few thousand keys per statement."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TypeVar

from unionaid.core.models import District, Enterprise

T = TypeVar("T")
CHUNK = 5000  # well under SQLite's and PostgreSQL's limits on bound parameters


def in_chunks(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    batch: list[T] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


async def district_codes() -> set[str]:
    return set(await District.all().values_list("code", flat=True))


async def enterprises_by_uscc(usccs: Iterable[str]) -> dict[str, tuple[int, str]]:
    """Credit code -> (id, district code)."""
    found = {}
    for chunk in in_chunks(sorted(usccs)):
        for pk, uscc, district in await Enterprise.filter(uscc__in=chunk).values_list(
            "id", "uscc", "district_id"
        ):
            found[uscc] = (pk, district)
    return found
