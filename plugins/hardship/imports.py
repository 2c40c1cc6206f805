"""The hardship columns of the members register: ``hardship_level`` and ``model_worker_level``.

The core hands them over through the import hook; the program stores them in its own table."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

from unionaid.core import ImportColumn, Principal, audit_entries, one_of, to_global_id
from unionaid.plugins.hardship.models import HardshipLevel, HardshipProfile, ModelWorkerLevel

LEVEL_ALIASES = {"无": "none", "困难": "difficult", "特困": "extreme", "": "none"}
TITLE_ALIASES = {"无": "none", "市级": "city", "省级": "provincial", "全国": "national"}
CHUNK = 5000


def _reader(enum: type[StrEnum], aliases: dict[str, str]):
    def parse(text: str) -> StrEnum:
        value = aliases.get(text.strip(), text.strip().lower())
        try:
            return enum(value)
        except ValueError:
            raise ValueError(one_of([e.value for e in enum])) from None

    return parse


def _storer(field: str, none: StrEnum):
    async def store(values: dict[int, Any], actor: Principal) -> int:
        """Create profiles for members with a level, change those whose level differs."""
        ids = sorted(values)
        current: dict[int, Any] = {}
        for start in range(0, len(ids), CHUNK):
            rows = await HardshipProfile.filter(member_id__in=ids[start : start + CHUNK]).values(
                "member_id", field
            )
            current.update({r["member_id"]: r[field] for r in rows})
        new = [m for m in ids if m not in current and values[m] != none]
        changed = [m for m in ids if m in current and current[m] != values[m]]
        await HardshipProfile.bulk_create(
            [HardshipProfile(member_id=m, **{field: values[m]}) for m in new], batch_size=2000
        )
        by_value: dict[Any, list[int]] = {}
        for m in changed:
            by_value.setdefault(values[m], []).append(m)
        for value, members in by_value.items():
            for start in range(0, len(members), CHUNK):
                await HardshipProfile.filter(member_id__in=members[start : start + CHUNK]).update(
                    **{field: value}
                )
        await audit_entries(
            actor,
            "importHardshipProfile",
            [
                (to_global_id("Member", m), {field: [current.get(m, none).value, values[m].value]})
                for m in new + changed
            ],
        )
        return len(new) + len(changed)

    return store


COLUMNS = [
    ImportColumn(
        kind="members",
        name="hardship_level",
        parse=_reader(HardshipLevel, LEVEL_ALIASES),
        store=_storer("level", HardshipLevel.NONE),
    ),
    ImportColumn(
        kind="members",
        name="model_worker_level",
        parse=_reader(ModelWorkerLevel, TITLE_ALIASES),
        store=_storer("model_worker_level", ModelWorkerLevel.NONE),
    ),
]
