"""The sample's jobs, import and export: one of each kind, through ``unionaid.core`` only.

The sample keeps no tables: greetings live in this dict, {member id: (district, greeting)}
(a real program writes its own models)."""

from __future__ import annotations

from unionaid.core import (
    Code,
    ExportKind,
    ExportRequest,
    ImportKind,
    ImportRow,
    ImportRun,
    PlannedRow,
    ProgramJob,
    Words,
)

GREETINGS: dict[int, tuple[str, str]] = {}


class GreetingImporter:
    """greetings.csv: ``id_number,greeting``; a member is matched by ID number."""

    required = ("id_number", "greeting")
    optional = ()
    tables = ()

    async def plan(self, run: ImportRun, rows: list[ImportRow]) -> list[PlannedRow]:
        members = await run.find_members(cells["id_number"] for _, cells in rows)
        plan = []
        for line, cells in rows:
            member = members.get(cells["id_number"])
            if member is None:  # unknown, or not the importer's to see
                run.reject(line, "id_number", Code.NOT_FOUND, what=Words("会员", "member"))
                continue
            if not run.check_district(line, "id_number", member.district_code):
                continue
            current = GREETINGS.get(member.pk)
            action = "create" if current is None else "update"
            if current is not None and current[1] == cells["greeting"]:
                action = "unchanged"
            values = {"greeting": cells["greeting"]}
            plan.append(
                PlannedRow(line, action, values, pk=member.pk, district=member.district_code)
            )
        return plan

    async def create(self, run: ImportRun, batch: list[PlannedRow]) -> None:
        for item in batch:
            GREETINGS[item.pk] = (item.district, item.values["greeting"])

    async def update(self, run: ImportRun, item: PlannedRow) -> None:
        GREETINGS[item.pk] = (item.district, item.values["greeting"])


async def greeting_rows(request: ExportRequest) -> list[list]:
    return [
        [pk, district, greeting]
        for pk, (district, greeting) in sorted(GREETINGS.items())
        if district in request.district_codes
    ]


async def count_greetings(job: ProgramJob) -> dict:
    """A job: count the greetings of the districts it may act in."""
    found = [pk for pk, (district, _) in GREETINGS.items() if district in job.district_codes]
    await job.progress(len(found), len(found))
    return {"districts": sorted(job.district_codes), "greetings": len(found), **job.params}


IMPORTS = [ImportKind("sample-greetings", GreetingImporter, "import_files")]
EXPORTS = [
    ExportKind(
        "sample-greetings", ("member", "district_code", "greeting"), greeting_rows, "read_records"
    )
]
JOBS = {"sample-count": count_greetings}
