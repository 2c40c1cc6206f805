"""Exporting members and enterprises, scoped to the caller, in the reference column format (so an
export with full ID numbers imports back). ID numbers are masked unless the caller may read them
and states a purpose; each disclosed number is logged like any other full-ID read."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from unionaid.core import policy
from unionaid.core.crypto import Vault
from unionaid.core.errors import Code, TopLevelError
from unionaid.core.global_ids import to_global_id
from unionaid.core.identifiers import mask_phone
from unionaid.core.imports.report import safe_cell
from unionaid.core.models import Enterprise, Member
from unionaid.core.policy import Action
from unionaid.core.principal import Principal
from unionaid.core.services import audit

MEMBER_COLUMNS = [
    "name",
    "id_number",
    "gender",
    "birth_date",
    "phone",
    "district_code",
    "enterprise_uscc",
    "is_union_member",
    "employment_status",
    "monthly_income",
    "household_size",
]
CORE_EXPORTS = ("members", "enterprises")  # programs add theirs (register_export_kinds)
ENTERPRISE_COLUMNS = ["name", "uscc", "district_code", "industry", "kind", "is_caring"]


async def export_rows(
    kind: str,
    actor: Principal,
    vault: Vault,
    *,
    district_code: str | None = None,
    full_id_numbers: bool = False,
    purpose: str = "",
) -> tuple[list[str], list[list[Any]]]:
    policy.require_action(actor, Action.READ_RECORDS)
    if kind == "enterprises":
        query = Enterprise.filter(**policy.enterprise_scope(actor))
        if district_code:
            query = query.filter(district_id=district_code)
        values = await query.order_by("id").values(
            "name", "uscc", "district_id", "industry", "kind", "is_caring"
        )
        rows = [
            [
                v["name"],
                v["uscc"],
                v["district_id"],
                v["industry"],
                v["kind"],
                "t" if v["is_caring"] else "f",
            ]
            for v in values
        ]
        await audit.record(
            actor, "exportEnterprises", object_type="Export", changes={"rows": [None, len(rows)]}
        )
        return ENTERPRISE_COLUMNS, rows
    query = Member.filter(**policy.member_scope(actor), anonymised_at__isnull=True)
    if district_code:
        query = query.filter(district_id=district_code)
    values = await query.order_by("id").values(
        "id",
        "name",
        "id_number_enc",
        "id_number_masked",
        "gender",
        "birth_date",
        "phone",
        "district_id",
        "enterprise__uscc",
        "is_union_member",
        "employment_status",
        "monthly_income",
        "household__declared_size",
    )
    if full_id_numbers:
        await _check_disclosure(actor, purpose, values)
    rows = []
    for v in values:
        readable = policy.allows(actor, Action.READ_PHONE, v["district_id"])
        rows.append(
            [
                v["name"],
                vault.decrypt(v["id_number_enc"]) if full_id_numbers else v["id_number_masked"],
                "M" if v["gender"] == "male" else "F",
                v["birth_date"].isoformat(),
                v["phone"] if readable else mask_phone(v["phone"]),
                v["district_id"],
                v["enterprise__uscc"] or "",
                "t" if v["is_union_member"] else "f",
                str(
                    v["employment_status"].value
                    if hasattr(v["employment_status"], "value")
                    else v["employment_status"]
                ),
                audit.plain(v["monthly_income"]) or "",
                v["household__declared_size"] or "",
            ]
        )
    await audit.record(
        actor,
        "exportMembers",
        object_type="Export",
        purpose=purpose or None,
        changes={"rows": [None, len(rows)], "full_id_numbers": [None, full_id_numbers]},
    )
    return MEMBER_COLUMNS, rows


async def _check_disclosure(actor: Principal, purpose: str, values: list[dict]) -> None:
    granted = bool(purpose.strip()) and all(
        policy.allows(actor, Action.READ_FULL_ID, v["district_id"]) for v in values
    )
    outcome = "ok" if granted else "refused"
    await audit.record_many(
        [
            audit.entry(
                actor,
                "revealIdNumber",
                object_type="Member",
                object_id=to_global_id("Member", v["id"]),
                district_code=v["district_id"],
                outcome=outcome,
                purpose=purpose.strip()[:200] or None,
            )
            for v in values
        ]
        if granted
        else [
            audit.entry(
                actor,
                "revealIdNumber",
                object_type="Export",
                outcome=outcome,
                purpose=purpose.strip()[:200] or None,
            )
        ]
    )
    if not granted:
        raise TopLevelError(Code.FORBIDDEN)


def write_file(path: Path, fmt: str, header: list[str], rows: list[list[Any]]) -> None:
    if fmt == "xlsx":
        from openpyxl import Workbook
        from openpyxl.cell import WriteOnlyCell

        book = Workbook(write_only=True)
        sheet = book.create_sheet()
        sheet.append(header)
        for row in rows:
            cells = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"  # text stays text: "=..." is never a formula
                cells.append(cell)
            sheet.append(cells)
        book.save(path)
        return
    with path.open("w", newline="", encoding="utf-8-sig") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        for row in rows:
            writer.writerow([safe_cell(value) for value in row])
