"""Exports of a program's data (``register_export_kinds``): the program reads the rows, the
core decides what they may cover, writes them (``export.write_file``: formula-safe) and audits
the export."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from unionaid.core import policy
from unionaid.core.errors import Code, TopLevelError, Words
from unionaid.core.host import PluginHost
from unionaid.core.principal import Principal
from unionaid.core.program_reach import ProgramReach
from unionaid.core.services import audit


@dataclass(frozen=True)
class ExportRequest:
    """What a program's export reads: only rows of ``district_codes`` (where the program is on
    and the caller may do the kind's action; or the one district asked for) and, for an
    enterprise contact, of its own enterprises' employees (``enterprise_ids``; None for
    everybody else). ``member_filter(prefix)`` gives both as queryset filters."""

    kind: str
    actor: Principal
    district_codes: frozenset[str]
    enterprise_ids: frozenset[int] | None
    today: dt.date
    now: dt.datetime

    def member_filter(self, prefix: str = "") -> dict[str, Any]:
        """Filters keeping the members the export covers; ``prefix`` names the relation from
        the queried model (``"member__"``)."""
        scope: dict[str, Any] = {f"{prefix}district_id__in": sorted(self.district_codes)}
        if self.enterprise_ids is not None:
            scope[f"{prefix}enterprise_id__in"] = sorted(self.enterprise_ids)
        return scope


async def export_program_rows(
    kind: str,
    actor: Principal,
    host: PluginHost,
    now: dt.datetime,
    today: dt.date,
    *,
    district_code: str | None = None,
) -> tuple[list[str], list[list[Any]]]:
    """Header and rows of a program's export ``kind``, audited. TopLevelError: NOT_FOUND (an
    unknown kind, or a district the caller cannot see), PROGRAM_NOT_ENABLED, FORBIDDEN."""
    found = host.export_kind(kind)
    if found is None:
        raise TopLevelError(Code.NOT_FOUND, what=Words(f"导出类型 {kind}", f"export kind {kind}"))
    program_id, spec = found
    reach = await ProgramReach.of(host, program_id, actor, spec.action)
    if district_code is not None and (refused := reach.refusal(district_code)) is not None:
        raise TopLevelError(refused.code, **refused.params)
    enterprises = actor.enterprise_ids if policy.is_enterprise_contact(actor) else None
    request = ExportRequest(
        kind,
        actor,
        reach.districts(district_code),
        frozenset(enterprises) if enterprises is not None else None,
        today,
        now,
    )
    rows = [list(row) for row in await spec.rows(request)] if request.district_codes else []
    width = len(spec.columns)
    if any(len(row) != width for row in rows):
        raise ValueError(f"{kind}: every row must have {width} cells, like its columns")
    await audit.record(
        actor,
        "export" + "".join(word.capitalize() for word in kind.split("-")),
        object_type="Export",
        object_id=kind,
        district_code=district_code,
        changes={"rows": [None, len(rows)], "districts": [None, sorted(request.district_codes)]},
    )
    return list(spec.columns), rows
