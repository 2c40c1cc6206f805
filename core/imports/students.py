"""Students (students.csv): household children of members. They have no ID number of their own,
so a child is matched by the parent's ID number, the child's name and birth date."""

from __future__ import annotations

from tortoise.transactions import in_transaction

from unionaid.core import policy
from unionaid.core.errors import Code, Words, reason_of
from unionaid.core.global_ids import to_global_id
from unionaid.core.identifiers import parse_id_number
from unionaid.core.imports import cells
from unionaid.core.imports.engine import Planned, Row, Run
from unionaid.core.imports.lookup import in_chunks
from unionaid.core.models import Dependent, Gender, Member, Relation, SchoolLevel
from unionaid.core.policy import Action
from unionaid.core.services import audit
from unionaid.core.services.validation import TextKind, clean_text, max_length

COMPARED = ("gender", "school_level")
SCHOOL_ALIASES = {
    "小学": "primary",
    "初中": "junior_high",
    "高中": "senior_high",
    "中职": "secondary_vocational",
    "高职": "higher_vocational",
    "本科": "undergraduate",
    "大学": "university",
}
NAME = {"max_length": max_length(Dependent, "name"), "kind": TextKind.NAME, "required": True}


class StudentImporter:
    kind = "students"
    tables = ("dependent",)
    required = ("member_id_number", "name", "birth_date")
    optional = ("gender", "school_level")

    async def plan(self, run: Run, rows: list[Row]) -> list[Planned]:
        digests = {}
        for _, v in rows:
            resident = parse_id_number(v["member_id_number"])
            if resident is not None:
                digests[v["member_id_number"]] = run.vault.lookup_hash(resident.number)
        parents = {}
        for chunk in in_chunks(sorted(set(digests.values()))):
            for row in await Member.filter(id_number_hash__in=chunk).values(
                "id", "id_number_hash", "household_id", "district_id", "enterprise_id"
            ):
                parents[row["id_number_hash"]] = row
        parsed, seen = [], {}
        for number, v in rows:
            parent = parents.get(digests.get(v["member_id_number"], ""))
            values = self._parse(run, number, v, parent)
            if values is None:
                continue
            key = (values["household_id"], values["name"], values["birth_date"])
            if key in seen:
                run.reject(
                    number,
                    "name",
                    Code.DUPLICATE,
                    detail=Words(f"与第 {seen[key]} 行重复", f"row {seen[key]}"),
                )
                continue
            seen[key] = number
            parsed.append((number, values, parent))
        existing = {}
        households = sorted({values["household_id"] for _, values, _ in parsed})
        for chunk in in_chunks(households):
            for row in await Dependent.filter(household_id__in=chunk).values(
                "id", "household_id", "name", "birth_date", *COMPARED
            ):
                existing[(row["household_id"], row["name"], row["birth_date"])] = row
        plan = []
        for number, values, parent in parsed:
            key = (values["household_id"], values["name"], values["birth_date"])
            current = existing.get(key)
            if current is None:
                plan.append(
                    Planned(number, "create", values, extra={"district": parent["district_id"]})
                )
                continue
            changes = {
                k: values[k] for k in COMPARED if values[k] is not None and values[k] != current[k]
            }
            item = Planned(
                number, "update" if changes else "unchanged", changes, current, current["id"]
            )
            item.current["district_id"] = parent["district_id"]
            plan.append(item)
        return plan

    def _parse(self, run: Run, number: int, v: dict[str, str], parent: dict | None):
        ok = True

        def bad(column: str, code: Code, **params) -> None:
            nonlocal ok
            ok = False
            run.reject(number, column, code, **params)

        if parse_id_number(v["member_id_number"]) is None:
            bad("member_id_number", Code.INVALID_ID_NUMBER)
        elif parent is None or not policy.sees_member(
            run.actor, parent["district_id"], parent["enterprise_id"]
        ):
            bad("member_id_number", Code.NOT_FOUND, what=Words("会员（家长）", "member (parent)"))
        elif not policy.allows(run.actor, Action.WRITE_RECORDS, parent["district_id"]):
            bad("member_id_number", Code.FORBIDDEN)
        # The checks addDependent runs, so both accept and refuse the same values.
        name = run.checked(number, "name", clean_text, v["name"], "name", **NAME)
        values = {"name": name, "relation": Relation.CHILD, "source_ref": v.get("id") or None}
        for column, read in (
            ("birth_date", cells.date),
            ("gender", lambda t: Gender(cells.gender(t))),
            ("school_level", lambda t: cells.choice(SchoolLevel, t, SCHOOL_ALIASES)),
        ):
            values[column] = None
            if v.get(column):
                try:
                    values[column] = read(v[column])
                except ValueError as exc:
                    bad(column, Code.INVALID_INPUT, detail=reason_of(exc))
        if values["birth_date"] is None and ok:
            bad("birth_date", Code.REQUIRED)
        elif values["birth_date"] is not None:
            born = values["birth_date"]
            run.checked(number, "birth_date", run.bounds.check_birth_date, born, run.today, None)
        if not ok or not run.ok(number) or parent is None:
            return None
        values["household_id"] = parent["household_id"]
        return values

    async def create(self, run: Run, batch: list[Planned]) -> None:
        async with in_transaction() as conn:
            await Dependent.bulk_create([Dependent(**item.values) for item in batch], using_db=conn)

    async def update(self, run: Run, item: Planned) -> None:
        assert item.current is not None
        async with in_transaction():
            await Dependent.filter(id=item.current["id"]).update(**item.values)
            await audit.record(
                run.actor,
                "importStudent",
                object_type="Household",
                object_id=to_global_id("Household", item.current["household_id"]),
                district_code=item.current["district_id"],
                changes=audit.diff({k: item.current[k] for k in item.values}, item.values),
            )
