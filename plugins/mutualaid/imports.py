"""``unionaid import mutualaid-enrolments FILE``: enrolments from a file
(``plan_year,id_number,shares``), row errors as the core's import gives them.

An enterprise contact's file is a collective enrolment of its own staff, paid by the
enterprise: the unit's minimum share and equal shares are judged on the whole file (with the
unit's enrolments already in the plan year); when the unit falls short, every row of the file
is refused with that code (a collective enrolment is all of the unit's people or none). A file
from the federation's staff enrols each member one by one, paying for themselves."""

from __future__ import annotations

from collections import defaultdict

from unionaid.core import (
    Code,
    DomainError,
    ImportKind,
    ImportRow,
    ImportRun,
    PlannedRow,
    Words,
    effective_settings,
)
from unionaid.plugins.mutualaid.errors import ENROL, TOO_MANY_SHARES
from unionaid.plugins.mutualaid.models import Enrolment, Plan, PlanState
from unionaid.plugins.mutualaid.services import enrolment as enrolments
from unionaid.plugins.mutualaid.services.plans import CITY, plan_terms

PROGRAM = "mutualaid"
MEMBER = Words("会员", "member")


class EnrolmentImporter:
    required = ("plan_year", "id_number", "shares")
    optional = ()
    tables = ("mutualaid_enrolment", "mutualaid_contribution", "ledger_entry")

    def __init__(self) -> None:
        self.host = None

    async def plan(self, run: ImportRun, rows: list[ImportRow]) -> list[PlannedRow]:
        actor = run.actor
        enterprise_id = None
        if actor.role == "enterprise":
            enterprise_id = min(actor.enterprise_ids) if len(actor.enterprise_ids) == 1 else None
        members = await run.find_members(cells["id_number"] for _, cells in rows)
        plans = {(p.plan_year, p.scope): p for p in await Plan.filter(state=PlanState.PUBLISHED)}
        settings_of: dict[str, object] = {}
        planned: list[PlannedRow] = []
        seen: dict[int, int] = {}
        for line, cells in rows:
            member = members.get(cells["id_number"])
            if member is None:
                run.reject(line, "id_number", Code.NOT_FOUND, what=MEMBER)
                continue
            if not run.check_district(line, "id_number", member.district_code):
                continue
            try:
                year = int(cells["plan_year"])
            except ValueError:
                run.reject(line, "plan_year", Code.INVALID_INPUT, detail=Words("年度", "year"))
                continue
            plan = plans.get((year, member.district_code)) or plans.get((year, CITY))
            if plan is None:
                run.reject(line, "plan_year", Code.NOT_FOUND, what=Words("计划", "plan"))
                continue
            terms = await plan_terms(plan.id, run.today)
            if not terms.enrolment_open(run.today):
                run.reject(
                    line,
                    "plan_year",
                    enrolments.ENROLMENT_CLOSED,
                    since=terms.enrol_from,
                    until=terms.enrol_until,
                )
                continue
            code = plan.district_code
            if code not in settings_of:
                settings_of[code] = (
                    await effective_settings(self._host(run), PROGRAM, code, run.today)
                ).values
            settings = settings_of[code]
            try:
                shares = int(cells["shares"])
            except ValueError:
                shares = 0
            if not 1 <= shares <= settings.max_shares:
                run.reject(line, "shares", TOO_MANY_SHARES, max=settings.max_shares)
                continue
            if enterprise_id is not None and member.enterprise_id != enterprise_id:
                run.reject(line, "id_number", enrolments.NOT_EMPLOYEE)
                continue
            if member.pk in seen:
                run.reject(
                    line,
                    "id_number",
                    Code.DUPLICATE,
                    detail=Words(f"与第 {seen[member.pk]} 行重复", f"row {seen[member.pk]}"),
                )
                continue
            seen[member.pk] = line
            planned.append(
                PlannedRow(
                    line,
                    "create",
                    {
                        "plan": plan,
                        "shares": shares,
                        "settings": settings,
                        "enterprise_id": enterprise_id,
                    },
                    pk=member.pk,
                    district=member.district_code,
                )
            )
        taken = set(
            await Enrolment.filter(
                once_key__in=[
                    enrolments.once_key(p.pk, p.values["plan"].plan_year) for p in planned
                ]
            ).values_list("member_id", flat=True)
        )
        fresh = []
        for p in planned:
            if p.pk in taken:
                run.reject(
                    p.row,
                    "id_number",
                    Code.DUPLICATE,
                    detail=Words("本计划年度已参保", "enrolled this plan year"),
                )
            else:
                fresh.append(p)
        if enterprise_id is None:
            return fresh
        return await self._whole_units(run, fresh, enterprise_id)

    async def _whole_units(
        self, run: ImportRun, planned: list[PlannedRow], enterprise_id: int
    ) -> list[PlannedRow]:
        """A collective enrolment per plan: the unit's minimum and equal shares on the file."""
        by_plan: dict[int, list[PlannedRow]] = defaultdict(list)
        for p in planned:
            by_plan[p.values["plan"].id].append(p)
        kept = []
        for rows in by_plan.values():
            plan, settings = rows[0].values["plan"], rows[0].values["settings"]
            applicants = [
                enrolments.Applicant(p.pk, p.values["shares"], f"row{p.row}") for p in rows
            ]
            try:
                await enrolments.check_unit(plan, enterprise_id, applicants, settings)
            except DomainError as refused:
                for p in rows:
                    column = (
                        "shares"
                        if refused.code == enrolments.SHARES_DIFFER_IN_UNIT
                        else "id_number"
                    )
                    run.reject(p.row, column, refused.code, **refused.params)
                continue
            kept.extend(rows)
        return kept

    async def create(self, run: ImportRun, batch: list[PlannedRow]) -> None:
        batches: dict[int, str] = {}
        for item in batch:
            plan = item.values["plan"]
            enterprise_id = item.values["enterprise_id"]
            if enterprise_id is not None and plan.id not in batches:
                batches[plan.id] = enrolments.new_batch()
            made = await enrolments.enrol_one(
                run.actor,
                plan,
                enrolments.Applicant(item.pk, item.values["shares"], "id_number"),
                district_code=item.district,
                today=run.today,
                enterprise_id=enterprise_id,
                batch=batches.get(plan.id),
            )
            item.pk = made.id

    async def update(self, run: ImportRun, item: PlannedRow) -> None:  # never planned
        raise AssertionError("enrolments are only created")

    def _host(self, run: ImportRun):
        return run.host


IMPORTS = [
    ImportKind(
        "mutualaid-enrolments",
        EnrolmentImporter,
        ENROL,
        description="参保名单：plan_year,id_number,shares（单位联系人上传即为集体参保）",
    )
]
