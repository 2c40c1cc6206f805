"""Enterprises (enterprises.csv): matched by Unified Social Credit Code."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from unionaid.core import policy
from unionaid.core.errors import Code, Words
from unionaid.core.global_ids import to_global_id
from unionaid.core.identifiers import is_valid_uscc
from unionaid.core.imports.engine import Planned, Row, Run
from unionaid.core.imports.lookup import district_codes, in_chunks
from unionaid.core.models import Enterprise
from unionaid.core.policy import Action
from unionaid.core.services import audit
from unionaid.core.services.validation import TextKind, clean_text, max_length

COMPARED = ("name", "district_id", "industry", "kind")
TEXT = {
    "name": {"max_length": max_length(Enterprise, "name"), "kind": TextKind.NAME, "required": True},
    "industry": {"max_length": max_length(Enterprise, "industry")},
    "kind": {"max_length": max_length(Enterprise, "kind")},
}


class EnterpriseImporter:
    kind = "enterprises"
    tables = ("enterprise",)
    required = ("name", "uscc", "district_code")
    optional = ("industry", "kind")

    async def plan(self, run: Run, rows: list[Row]) -> list[Planned]:
        districts = await district_codes()
        parsed, seen = [], {}
        for number, v in rows:
            # The checks createEnterprise runs, so both accept and refuse the same values.
            text = {
                column: run.checked(number, column, clean_text, v.get(column), column, **rules)
                for column, rules in TEXT.items()
            }
            ok = run.ok(number)
            uscc = v["uscc"]
            if not is_valid_uscc(uscc):
                run.reject(number, "uscc", Code.INVALID_USCC)
                ok = False
            elif uscc in seen:
                run.reject(
                    number,
                    "uscc",
                    Code.DUPLICATE,
                    detail=Words(f"与第 {seen[uscc]} 行重复", f"row {seen[uscc]}"),
                )
                ok = False
            code = v["district_code"]
            if code not in districts or not run.actor.sees_district(code):
                run.reject(
                    number,
                    "district_code",
                    Code.NOT_FOUND,
                    what=Words(f"区 {code}", f"district {code}"),
                )
                ok = False
            elif not policy.allows(run.actor, Action.REGISTER_ENTERPRISES, code):
                run.reject(number, "district_code", Code.FORBIDDEN)
                ok = False
            if ok:
                seen[uscc] = number
                values = {
                    "name": text["name"],
                    "uscc": uscc,
                    "district_id": code,
                    "industry": text["industry"] or None,
                    "kind": text["kind"] or None,
                }
                parsed.append((number, values, v.get("id") or None))
        existing = {}
        for chunk in in_chunks([values["uscc"] for _, values, _ in parsed]):
            for row in await Enterprise.filter(uscc__in=chunk).values(
                "id", "uscc", "version", *COMPARED
            ):
                existing[row["uscc"]] = row
        plan = []
        for number, values, ref in parsed:
            current = existing.get(values["uscc"])
            if current is None:
                plan.append(Planned(number, "create", values | {"source_ref": ref}))
                continue
            if not policy.sees_enterprise(run.actor, current["district_id"], current["id"]):
                run.reject(
                    number,
                    "uscc",
                    Code.NOT_FOUND,
                    what=Words("企业（属于其他区）", "enterprise (of another district)"),
                )
                continue
            changes = {k: values[k] for k in COMPARED if values[k] != current[k]}
            plan.append(
                Planned(
                    number, "update" if changes else "unchanged", changes, current, current["id"]
                )
            )
        return plan

    async def create(self, run: Run, batch: list[Planned]) -> None:
        from unionaid.core.db import reserve_ids

        async with in_transaction() as conn:
            ids = await reserve_ids(conn, "enterprise", len(batch))
            for item, pk in zip(batch, ids, strict=True):
                item.pk = pk
            await Enterprise.bulk_create(
                [Enterprise(id=item.pk, **item.values) for item in batch], using_db=conn
            )

    async def update(self, run: Run, item: Planned) -> None:
        current = item.current
        assert current is not None
        async with in_transaction():
            await Enterprise.filter(id=current["id"]).update(
                **item.values, version=current["version"] + 1
            )
            await audit.record(
                run.actor,
                "importEnterprise",
                object_type="Enterprise",
                object_id=to_global_id("Enterprise", current["id"]),
                district_code=item.values.get("district_id", current["district_id"]),
                changes=audit.diff({k: current[k] for k in item.values}, item.values),
            )
