"""Districts (districts.csv): matched by administrative code; city administrators only."""

from __future__ import annotations

import re

from tortoise.transactions import in_transaction

from unionaid.core import policy
from unionaid.core.errors import Code, Words
from unionaid.core.imports.engine import Planned, Row, Run
from unionaid.core.models import District
from unionaid.core.policy import Action
from unionaid.core.services import audit
from unionaid.core.services.validation import clean_text, max_length

_CODE = re.compile(r"[0-9]{6}", re.ASCII)
NAME = {"max_length": max_length(District, "name"), "required": True}
KIND = {"max_length": max_length(District, "kind")}
COMPARED = ("name", "kind")


class DistrictImporter:
    kind = "districts"
    tables = ("district",)
    required = ("code", "name")
    optional = ("kind",)

    async def plan(self, run: Run, rows: list[Row]) -> list[Planned]:
        allowed = policy.allows(run.actor, Action.MANAGE_DISTRICTS, None)
        existing = {d["code"]: d for d in await District.all().values("code", *COMPARED)}
        plan, seen = [], set()
        for number, v in rows:
            code = v["code"]
            if not allowed:
                run.reject(number, "code", Code.FORBIDDEN)
            elif not _CODE.fullmatch(code):
                run.reject(
                    number, "code", Code.INVALID_INPUT, detail=Words("应为 6 位数字", "6 digits")
                )
            elif code in seen:
                run.reject(number, "code", Code.DUPLICATE, detail=code)
            else:
                name = run.checked(number, "name", clean_text, v["name"], "name", **NAME)
                kind = run.checked(number, "kind", clean_text, v.get("kind"), "kind", **KIND)
                if not run.ok(number):
                    continue
                seen.add(code)
                values = {"code": code, "name": name, "kind": kind or None}
                current = existing.get(code)
                if current is None:
                    plan.append(Planned(number, "create", values | {"source_ref": v.get("id")}))
                else:
                    changes = {k: values[k] for k in COMPARED if values[k] != current[k]}
                    action = "update" if changes else "unchanged"
                    plan.append(Planned(number, action, changes, current))
        return plan

    async def create(self, run: Run, batch: list[Planned]) -> None:
        async with in_transaction():
            for item in batch:
                await District.create(**item.values)
                await audit.record(
                    run.actor,
                    "importDistrict",
                    object_type="District",
                    object_id=item.values["code"],
                    district_code=item.values["code"],
                    changes=audit.diff(None, item.values),
                )

    async def update(self, run: Run, item: Planned) -> None:
        assert item.current is not None
        code = item.current["code"]
        async with in_transaction():
            await District.filter(code=code).update(**item.values)
            await audit.record(
                run.actor,
                "importDistrict",
                object_type="District",
                object_id=code,
                district_code=code,
                changes=audit.diff({k: item.current[k] for k in item.values}, item.values),
            )
