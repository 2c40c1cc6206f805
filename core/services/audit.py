"""The audit trail: who changed what, when, from what to what, in which request.

Call :func:`record` inside the same transaction as the change, so a change and its entry commit
or roll back together. Sensitive values (ID numbers, phones) are masked before they are stored;
the trail itself never holds what it protects."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from enum import Enum
from typing import Any

from unionaid.core.identifiers import mask_id_number, mask_phone
from unionaid.core.models import AuditEntry
from unionaid.core.principal import Principal

# Field names whose values are masked in the trail, wherever they occur.
MASKED_FIELDS = {
    "id_number": mask_id_number,
    "phone": mask_phone,
    "contact_phone": mask_phone,
}


def plain(value: Any) -> Any:
    """A JSON-safe form: money as a string with two decimals, dates in ISO form."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def _masked(key: str, value: Any) -> Any:
    if value is None:
        return None
    mask = MASKED_FIELDS.get(key)
    return mask(str(value)) if mask else plain(value)


def diff(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> dict[str, list]:
    """``{field: [before, after]}`` for the fields that differ (all of them for a creation)."""
    before, after = before or {}, after or {}
    changed = {}
    for key in sorted(set(before) | set(after)):
        old, new = _masked(key, before.get(key)), _masked(key, after.get(key))
        if old != new:
            changed[key] = [old, new]
    return changed


def entry(
    actor: Principal,
    operation: str,
    *,
    object_type: str = "",
    object_id: str = "",
    district_code: str | None = None,
    changes: dict[str, list] | None = None,
    outcome: str = "ok",
    purpose: str | None = None,
    at: dt.datetime | None = None,
) -> AuditEntry:
    """An unsaved entry, for :func:`record_many`; ``at`` is when (the machine's clock when
    None: the trail's own time)."""
    return AuditEntry(
        at=at or dt.datetime.now(dt.UTC),
        user_id=actor.user_id,
        username=actor.username,
        role=actor.role,
        request_id=actor.request_id,
        operation=operation,
        object_type=object_type,
        object_id=object_id,
        district_code=district_code,
        outcome=outcome,
        purpose=purpose,
        changes=changes or {},
    )


async def write(entries: list[AuditEntry]) -> None:
    """The one place entries reach the database (one statement for several)."""
    if len(entries) == 1:
        await entries[0].save()
    elif entries:
        await AuditEntry.bulk_create(entries)


async def record(actor: Principal, operation: str, **details: Any) -> AuditEntry:
    """Append one entry (see :func:`entry` for the details)."""
    found = entry(actor, operation, **details)
    await write([found])
    return found


async def record_many(entries: list[AuditEntry]) -> None:
    """Append several entries in one statement (e.g. a page of ID-number reads)."""
    await write(entries)


async def record_changes(
    actor: Principal, operation: str, changes: list[tuple[str, dict[str, list]]], **details: Any
) -> None:
    """One entry per (object id, changes) pair, in one statement: bulk operations."""
    await record_many(
        [entry(actor, operation, object_id=oid, changes=c, **details) for oid, c in changes]
    )
