"""Plans, enrolments and their reports on the API, thin over ``services/plans.py`` and
``services/enrolment.py`` (the claims part is ``claims.py``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from unionaid.core import (
    Code,
    Connection,
    DomainError,
    MemberRef,
    Money,
    Node,
    NodeType,
    TopLevelError,
    UserError,
    Words,
    effective_settings,
    fund_districts,
    paginate,
    pk_of,
    principal,
    program_scope,
    program_settings,
    require,
    run_mutation,
    to_global_id,
    visible_member_loader,
)
from unionaid.plugins.mutualaid.errors import ENROL, PUBLISH_PLAN
from unionaid.plugins.mutualaid.graphql import key_of, reports
from unionaid.plugins.mutualaid.models import (
    Channel,
    Coverage,
    Enrolment,
    EnrolmentState,
    Payer,
    Plan,
    PlanState,
    PlanVersion,
    RefundState,
)
from unionaid.plugins.mutualaid.services import enrolment as enrolments
from unionaid.plugins.mutualaid.services import plans

PROGRAM = "mutualaid"
PLAN = Words("互助保障计划", "mutual-aid plan")
ENROLMENT = Words("参保记录", "enrolment")

CoverageType = strawberry.enum(Coverage, name="MutualAidCoverage")
PlanStateType = strawberry.enum(PlanState, name="MutualAidPlanState")
EnrolmentStateType = strawberry.enum(EnrolmentState, name="MutualAidEnrolmentState")
ChannelType = strawberry.enum(Channel, name="MutualAidChannel")
PayerType = strawberry.enum(Payer, name="MutualAidPayer")
RefundStateType = strawberry.enum(RefundState, name="MutualAidRefundState")


@strawberry.type(name="MutualAidCoverageTerms", description="A coverage a plan includes")
class CoverageTerms:
    coverage: CoverageType
    parameters: JSON = strawberry.field(description="Its parameters (per share; money as text)")


@strawberry.type(name="MutualAidPlanVersion", description="A plan's parameters from a day on")
class PlanVersionType:
    version: int
    effective_from: dt.date
    starts_on: dt.date
    ends_on: dt.date
    enrol_from: dt.date
    enrol_until: dt.date
    share_price: Money
    illness_waiting_days: int = strawberry.field(
        description="Illness is covered after these days; accidents from the first day"
    )
    coverages: list[CoverageTerms]
    reason: str


def version_of(v: PlanVersion) -> PlanVersionType:
    return PlanVersionType(
        version=v.version,
        effective_from=v.effective_from,
        starts_on=v.starts_on,
        ends_on=v.ends_on,
        enrol_from=v.enrol_from,
        enrol_until=v.enrol_until,
        share_price=v.share_price,
        illness_waiting_days=v.illness_waiting_days,
        coverages=[
            CoverageTerms(coverage=Coverage(k), parameters=p) for k, p in v.coverages.items()
        ],
        reason=v.reason,
    )


@strawberry.type(name="MutualAidPlan", description="A mutual-aid plan (互助保障计划) of a year")
class PlanType(Node):
    plan_year: int
    district_code: str | None = strawberry.field(description="None: a city plan")
    name: str
    fund_id: strawberry.ID
    state: PlanStateType
    version: int = strawberry.field(description="The newest version")
    versions: list[PlanVersionType] = strawberry.field(description="Oldest first")

    @strawberry.field(description="The version in force today")
    def current(self) -> PlanVersionType:
        return self.versions[-1]


async def plans_of(rows: list[Plan]) -> list[PlanType]:
    """Shape plans with their versions (one statement for a whole page)."""
    by_plan: dict[int, list[PlanVersion]] = {}
    for v in await PlanVersion.filter(plan_id__in=[p.id for p in rows]).order_by("version"):
        by_plan.setdefault(v.plan_id, []).append(v)
    return [
        PlanType(
            id=strawberry.ID(to_global_id("MutualAidPlan", p.id)),
            plan_year=p.plan_year,
            district_code=p.district_code,
            name=p.name,
            fund_id=strawberry.ID(to_global_id("Fund", p.fund_id)),
            state=p.state,
            version=p.version,
            versions=[version_of(v) for v in by_plan.get(p.id, [])],
        )
        for p in rows
    ]


@strawberry.type(name="MutualAidEnrolment", description="A member in a plan, with shares")
class EnrolmentType(Node):
    plan_id: strawberry.ID
    plan_year: int
    district_code: str
    shares: int
    amount: Money
    channel: ChannelType
    payer: PayerType
    enterprise_id: strawberry.ID | None
    state: EnrolmentStateType
    enrolled_on: dt.date
    cover_from: dt.date
    cancelled_on: dt.date | None
    refund_state: RefundStateType
    refund_amount: Money
    member_pk: strawberry.Private[int]
    enterprise_pk: strawberry.Private[int | None]

    @strawberry.field
    async def member(self, info: Info) -> MemberRef | None:
        return await visible_member_loader(info).load(self.member_pk)


def enrolment_of(e: Enrolment) -> EnrolmentType:
    return EnrolmentType(
        id=strawberry.ID(to_global_id("MutualAidEnrolment", e.id)),
        plan_id=strawberry.ID(to_global_id("MutualAidPlan", e.plan_id)),
        plan_year=e.plan_year,
        district_code=e.district_code,
        shares=e.shares,
        amount=e.amount,
        channel=e.channel,
        payer=e.payer,
        enterprise_id=strawberry.ID(to_global_id("Enterprise", e.enterprise_id))
        if e.enterprise_id
        else None,
        state=e.state,
        enrolled_on=e.enrolled_on,
        cover_from=e.cover_from,
        cancelled_on=e.cancelled_on,
        refund_state=e.refund_state,
        refund_amount=e.refund_amount,
        member_pk=e.member_id,
        enterprise_pk=e.enterprise_id,
    )


@strawberry.input(name="MutualAidCoverageInput")
class CoverageInput:
    coverage: CoverageType
    parameters: JSON | None = strawberry.field(
        default=None, description="Overrides of the settings' parameters (money as text)"
    )


@strawberry.input(name="MutualAidPlanParametersInput")
class ParametersInput:
    starts_on: dt.date = strawberry.field(description="The term runs 12 months (a setting) from it")
    enrol_from: dt.date
    enrol_until: dt.date
    coverages: list[CoverageInput] | None = strawberry.field(
        default=None, description="Default: every coverage with the settings' parameters"
    )
    share_price: Money | None = strawberry.field(default=None, description="Default: a setting")
    illness_waiting_days: int | None = strawberry.field(
        default=None, description="Default: a setting"
    )

    def parameters(self) -> plans.PlanParameters:
        return plans.PlanParameters(
            starts_on=self.starts_on,
            enrol_from=self.enrol_from,
            enrol_until=self.enrol_until,
            coverages=None if self.coverages is None else _coverages(self.coverages),
            share_price=self.share_price,
            illness_waiting_days=self.illness_waiting_days,
        )


def _coverages(given: list[CoverageInput]) -> dict[str, Any]:
    """Each coverage once; its parameters as given (the service checks them)."""
    chosen = {Coverage(c.coverage).value: c.parameters for c in given}
    if len(chosen) != len(given):
        raise DomainError(
            Code.INVALID_INPUT,
            "coverages",
            detail=Words("保障项目重复", "a coverage is given twice"),
        )
    return chosen


@strawberry.input(name="PublishMutualAidPlanInput")
class PublishPlanInput:
    plan_year: int
    name: str
    fund_id: strawberry.ID = strawberry.field(description="The mutual-aid fund contributions go to")
    parameters: ParametersInput
    district_code: str | None = strawberry.field(default=None, description="None: a city plan")


@strawberry.type(name="MutualAidPlanPayload")
class PlanPayload:
    plan: PlanType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(name="MutualAidApplicantInput")
class ApplicantInput:
    member_id: strawberry.ID
    shares: int = 1


@strawberry.type(name="MutualAidEnrolmentsPayload")
class EnrolmentsPayload:
    enrolments: list[EnrolmentType] = strawberry.field(default_factory=list)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type(name="MutualAidEnrolmentPayload")
class EnrolmentPayload:
    enrolment: EnrolmentType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


async def settings_for(info: Info, district_code: str | None) -> Any:
    if district_code is not None:
        return await program_settings(info, PROGRAM, district_code)
    return (await effective_settings(info.context.host, PROGRAM, None, info.context.today)).values


async def visible_plan(info: Info, plan_id: strawberry.ID, field: str = "planId") -> Plan:
    """The plan if the caller may act on it: a district's plan where the program runs for the
    caller; a city plan wherever it runs for the caller."""
    scope = await program_scope(info, PROGRAM)
    plan = await Plan.get_or_none(id=key_of(plan_id, "MutualAidPlan", field))
    if plan is None:
        raise DomainError(Code.NOT_FOUND, field, what=PLAN)
    if plan.district_code is not None:
        scope.require(plan.district_code, field)
    elif not scope.serves_caller:
        raise TopLevelError(Code.FORBIDDEN)
    elif not scope.district_codes:  # a city plan: the program runs nowhere for the caller
        raise DomainError(Code.PROGRAM_NOT_ENABLED, field, program=PROGRAM)
    return plan


@strawberry.type
class PlanQuery:
    @strawberry.field(description="Mutual-aid plans in force in your districts (and the city's)")
    async def mutual_aid_plans(
        self,
        info: Info,
        plan_year: int | None = None,
        district_code: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[PlanType]:
        scope = await program_scope(info, PROGRAM)
        districts = scope.districts(district_code)
        query = Plan.filter(scope__in=[*districts, plans.CITY] if districts else [])
        if plan_year is not None:
            query = query.filter(plan_year=plan_year)

        async def rows(q: Any) -> list[PlanType]:
            return await plans_of(list(await q))

        return await paginate(
            query, first=first, after=after, rows=rows, key=lambda p: pk_of(p.id, "MutualAidPlan")
        )

    @strawberry.field(description="Enrolments in your scope (an enterprise contact: its staff's)")
    async def mutual_aid_enrolments(
        self,
        info: Info,
        plan_id: strawberry.ID | None = None,
        district_code: str | None = None,
        enterprise_id: strawberry.ID | None = None,
        state: EnrolmentStateType | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[EnrolmentType]:
        scope = await program_scope(info, PROGRAM)
        query = Enrolment.filter(district_code__in=scope.districts(district_code))
        if scope.enterprise_ids is not None:
            query = query.filter(member__enterprise_id__in=scope.enterprise_ids)
        if plan_id is not None:
            query = query.filter(plan_id=key_of(plan_id, "MutualAidPlan", "planId"))
        if enterprise_id is not None:
            query = query.filter(enterprise_id=key_of(enterprise_id, "Enterprise", "enterpriseId"))
        if state is not None:
            query = query.filter(state=EnrolmentState(state))
        return await paginate(query, first=first, after=after, node=enrolment_of)

    @strawberry.field(
        description="Enrolments, shares and contributions of a plan year by district and enterprise"
    )
    async def mutual_aid_report(
        self, info: Info, plan_year: int, district_code: str | None = None
    ) -> reports.ReportType:
        scope = await program_scope(info, PROGRAM)
        if scope.enterprise_ids is not None:  # money of the whole district: staff only
            raise TopLevelError(Code.FORBIDDEN)
        return await reports.report(plan_year, scope.districts(district_code))


@strawberry.type
class PlanMutation:
    @strawberry.mutation(description="Publish a mutual-aid plan for a year (district or city)")
    async def publish_mutual_aid_plan(self, info: Info, input: PublishPlanInput) -> PlanPayload:
        async def action() -> dict[str, Any]:
            who = principal(info)
            if input.district_code is not None:
                (await program_scope(info, PROGRAM)).require(input.district_code, "districtCode")
            require(
                who,
                PUBLISH_PLAN,
                input.district_code,
                "districtCode",
                Words("区", "district"),
            )
            settings = await settings_for(info, input.district_code)
            plan = await plans.publish_plan(
                who,
                settings,
                plan_year=input.plan_year,
                district_code=input.district_code,
                name=input.name,
                fund_id=await _fund(info, input.fund_id, input.district_code),
                params=input.parameters.parameters(),
            )
            return {"plan": (await plans_of([plan]))[0]}

        return await run_mutation(info, PlanPayload, action)

    @strawberry.mutation(description="New parameters of a plan from a day on (a new version)")
    async def revise_mutual_aid_plan(
        self,
        info: Info,
        plan_id: strawberry.ID,
        effective_from: dt.date,
        parameters: ParametersInput,
        reason: str,
    ) -> PlanPayload:
        async def action() -> dict[str, Any]:
            who = principal(info)
            plan = await visible_plan(info, plan_id)
            require(who, PUBLISH_PLAN, plan.district_code, "planId", PLAN)
            settings = await settings_for(info, plan.district_code)
            await plans.revise_plan(
                who,
                settings,
                plan,
                effective_from=effective_from,
                params=parameters.parameters(),
                reason=reason,
            )
            return {"plan": (await plans_of([plan]))[0]}

        return await run_mutation(info, PlanPayload, action)

    @strawberry.mutation(description="Enrol one member who pays for themselves (a caseworker)")
    async def enrol_in_mutual_aid(
        self, info: Info, plan_id: strawberry.ID, member_id: strawberry.ID, shares: int = 1
    ) -> EnrolmentPayload:
        async def action() -> dict[str, Any]:
            made = await _enrol(
                info, plan_id, [ApplicantInput(member_id=member_id, shares=shares)], None
            )
            return {"enrolment": made[0]}

        return await run_mutation(info, EnrolmentPayload, action)

    @strawberry.mutation(
        description="Enrol an enterprise's employees collectively; the enterprise pays"
    )
    async def enrol_employees_in_mutual_aid(
        self,
        info: Info,
        plan_id: strawberry.ID,
        enterprise_id: strawberry.ID,
        employees: list[ApplicantInput],
    ) -> EnrolmentsPayload:
        async def action() -> dict[str, Any]:
            return {"enrolments": await _enrol(info, plan_id, employees, enterprise_id)}

        return await run_mutation(info, EnrolmentsPayload, action)

    @strawberry.mutation(
        description="Cancel an enrolment: in the cooling-off period its contribution is due back"
    )
    async def cancel_mutual_aid_enrolment(
        self, info: Info, enrolment_id: strawberry.ID
    ) -> EnrolmentPayload:
        async def action() -> dict[str, Any]:
            who = principal(info)
            scope = await program_scope(info, PROGRAM)
            row = await Enrolment.get_or_none(
                id=key_of(enrolment_id, "MutualAidEnrolment", "enrolmentId")
            )
            if row is None or (
                scope.enterprise_ids is not None and row.enterprise_id not in scope.enterprise_ids
            ):
                raise DomainError(Code.NOT_FOUND, "enrolmentId", what=ENROLMENT)
            scope.require(row.district_code, "enrolmentId")
            require(who, ENROL, row.district_code, "enrolmentId", ENROLMENT)
            settings = await program_settings(info, PROGRAM, row.district_code)
            done = await enrolments.cancel_enrolment(
                who, info.context.host, row, settings, today=info.context.today
            )
            return {"enrolment": enrolment_of(done)}

        return await run_mutation(info, EnrolmentPayload, action)

    @strawberry.mutation(
        description="Approve a cancelled enrolment's refund (not who enrolled or cancelled it)"
    )
    async def approve_mutual_aid_refund(
        self, info: Info, enrolment_id: strawberry.ID
    ) -> EnrolmentPayload:
        async def action() -> dict[str, Any]:
            row = await _staff_enrolment(info, enrolment_id)
            await enrolments.approve_refund(principal(info), row, now=info.context.now)
            return {"enrolment": enrolment_of(row)}

        return await run_mutation(info, EnrolmentPayload, action)

    @strawberry.mutation(description="Pay an approved refund from the plan's fund")
    async def pay_mutual_aid_refund(
        self, info: Info, enrolment_id: strawberry.ID, idempotency_key: str
    ) -> EnrolmentPayload:
        async def action() -> dict[str, Any]:
            row = await _staff_enrolment(info, enrolment_id)
            await enrolments.pay_refund(
                principal(info), info.context.host, row, key=idempotency_key, now=info.context.now
            )
            await row.refresh_from_db()
            return {"enrolment": enrolment_of(row)}

        return await run_mutation(info, EnrolmentPayload, action)


async def _staff_enrolment(info: Info, enrolment_id: strawberry.ID) -> Enrolment:
    """An enrolment in the caller's districts, for the federation's staff (refunds are money)."""
    scope = await program_scope(info, PROGRAM)
    if scope.enterprise_ids is not None:
        raise TopLevelError(Code.FORBIDDEN)
    row = await Enrolment.get_or_none(id=key_of(enrolment_id, "MutualAidEnrolment", "enrolmentId"))
    if row is None:
        raise DomainError(Code.NOT_FOUND, "enrolmentId", what=ENROLMENT)
    scope.require(row.district_code, "enrolmentId")
    return row


async def _fund(info: Info, fund_id: strawberry.ID, district_code: str | None) -> int:
    """The fund, when it is the plan's scope's own (a district plan: its district's fund)."""
    pk = key_of(fund_id, "Fund", "fundId")
    owners = await fund_districts([pk])
    if pk not in owners or owners[pk] != district_code:
        raise DomainError(Code.NOT_FOUND, "fundId", what=Words("资金", "fund"))
    return pk


async def _enrol(
    info: Info,
    plan_id: strawberry.ID,
    applicants: list[ApplicantInput],
    enterprise_id: strawberry.ID | None,
) -> list[EnrolmentType]:
    who = principal(info)
    scope = await program_scope(info, PROGRAM)
    plan = await visible_plan(info, plan_id)
    enterprise_pk = None
    if enterprise_id is not None:
        enterprise_pk = key_of(enterprise_id, "Enterprise", "enterpriseId")
        if scope.enterprise_ids is not None and enterprise_pk not in scope.enterprise_ids:
            raise DomainError(Code.NOT_FOUND, "enterpriseId", what=Words("企业", "enterprise"))
    elif scope.enterprise_ids is not None:  # a contact enrols only collectively, its own staff
        raise DomainError(Code.REQUIRED, "enterpriseId")
    parsed = [
        enrolments.Applicant(
            key_of(a.member_id, "Member", f"members.{i}.memberId"),
            a.shares,
            f"members.{i}.memberId",
        )
        for i, a in enumerate(applicants)
    ]
    # A city plan is enrolled in from the caller's districts (each member's is checked).
    require(who, ENROL, plan.district_code or _single_district(scope), "planId", PLAN)
    settings = await settings_for(info, plan.district_code)
    made = await enrolments.enrol(
        who,
        plan,
        parsed,
        settings,
        today=info.context.today,
        visible_districts=scope.district_codes,
        enterprise_id=enterprise_pk,
    )
    return [enrolment_of(e) for e in made]


def _single_district(scope: Any) -> str | None:
    return min(scope.district_codes) if scope.district_codes else None


async def _plans(pks: list[int]) -> dict[int, PlanType]:
    """``node(id:)`` for district plans (a city plan has no district to scope it by: it is
    read through ``mutualAidPlans``)."""
    rows = await Plan.filter(id__in=pks, district_code__not_isnull=True)
    return {p.id: shaped for p, shaped in zip(rows, await plans_of(list(rows)), strict=True)}


async def _enrolments(pks: list[int]) -> dict[int, EnrolmentType]:
    """``node(id:)`` for enrolments; an enterprise contact reads its unit's (the payer's)."""
    return {e.id: enrolment_of(e) for e in await Enrolment.filter(id__in=pks)}


NODE_TYPES = [
    NodeType(PlanType, _plans),
    NodeType(EnrolmentType, _enrolments, enterprise="enterprise_pk"),
]
