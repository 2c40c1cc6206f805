"""A third-party program as an outside developer writes one: only ``unionaid.core`` imports."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import strawberry
from pydantic import BaseModel, ConfigDict, Field
from strawberry.types import Info

from unionaid.core import (
    Condition,
    Decision,
    GraphQLContribution,
    Job,
    ProgramInfo,
    Schedule,
    Unit,
    UserError,
    Yuan,
    hookimpl,
    program_scope,
    queue_job,
    run_mutation,
)
from unionaid_sample import extras, work

CALLS: list[tuple[str, str]] = []


class SampleSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    greeting: str = "你好"
    gift_amount: Yuan = Decimal("500.00")
    gift_income_ceiling: Yuan = Decimal("3000.00")  # monthly income below this
    gift_min_age: int = Field(18, ge=0)


class FestivalGift:
    """The reference example of a benefit rule: a festival gift for union members with a low
    income. Decides from facts and settings only; says why, condition by condition."""

    code = "gift"
    name = "节日慰问"
    name_en = "Festival gift"
    schedule = Schedule.FESTIVAL  # campaigns for it use only spring festivals: 2027-spring-festival
    festival = "spring-festival"
    unit = Unit.MEMBER

    def candidates(self, settings: SampleSettings) -> dict:
        # Database-side pre-filter: only these members are evaluated in Python.
        return {"is_union_member": True, "monthly_income__lt": settings.gift_income_ceiling}

    def evaluate(self, facts: dict, settings: SampleSettings, on: dt.date) -> Decision:
        union, income, age = facts["is_union_member"], facts["monthly_income"], facts["age"]
        ceiling, min_age, day = settings.gift_income_ceiling, settings.gift_min_age, on.isoformat()
        low = income is not None and income < ceiling
        adult = age >= min_age
        eligible = union and low and adult
        return Decision(
            eligible,
            settings.gift_amount if eligible else Decimal("0"),
            [
                Condition(union, "是工会会员", "is a union member"),
                Condition(
                    low,
                    f"月收入 {income} 元低于 {ceiling} 元"
                    if income is not None
                    else f"月收入未登记（须低于 {ceiling} 元）",
                    f"monthly income {income} below {ceiling}"
                    if income is not None
                    else f"monthly income not recorded (must be below {ceiling})",
                ),
                Condition(
                    adult,
                    f"{day} 时年满 {min_age} 岁（{age} 岁）",
                    f"aged {min_age} or over on {day} ({age})",
                ),
            ],
            facts={"is_union_member": union, "monthly_income": income, "age": age},
            settings={
                "gift_amount": settings.gift_amount,
                "gift_income_ceiling": ceiling,
                "gift_min_age": min_age,
            },
        )


@strawberry.type
class SampleMemberFields:
    @strawberry.field(description="A greeting for the member (sample program)")
    async def sample_greeting(self, info: Info) -> str | None:
        return f"{info.context.host.programs['sample'].info.name}: {self.name}"


@strawberry.type
class SampleQuery(extras.SampleNoticeQuery):
    @strawberry.field(description="Districts where the sample program runs for you")
    async def sample_districts(self, info: Info) -> list[str]:
        return sorted((await program_scope(info, "sample")).district_codes)


@strawberry.input
class SampleTouchInput:
    district_code: str


@strawberry.type
class SampleTouchPayload:
    touched: str | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SampleCountPayload:
    job: Job | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SampleMutation(extras.SampleGreetMutation):
    @strawberry.mutation
    async def sample_touch(self, info: Info, input: SampleTouchInput) -> SampleTouchPayload:
        async def action():
            (await program_scope(info, "sample")).require(input.district_code, "districtCode")
            return {"touched": input.district_code}

        return await run_mutation(info, SampleTouchPayload, action)

    @strawberry.mutation(description="Count the district's greetings, as a job")
    async def sample_count(self, info: Info, input: SampleTouchInput) -> SampleCountPayload:
        async def action():
            params = {"asked": input.district_code}
            return {
                "job": await queue_job(
                    info, "sample-count", params, district_code=input.district_code
                )
            }

        return await run_mutation(info, SampleCountPayload, action)


@hookimpl
def register_program() -> ProgramInfo:
    return ProgramInfo(
        id="sample", name="示例项目", name_en="Sample", version="1.0", contract_versions=("2",)
    )


@hookimpl
def register_settings() -> type[SampleSettings]:
    return SampleSettings


class HouseholdVisit:
    """A household rule: paid once per household, whoever in it qualifies."""

    code = "visit"
    name = "困难家庭走访"
    name_en = "Household visit"
    schedule = Schedule.ANNUAL
    unit = Unit.HOUSEHOLD

    def evaluate(self, facts: dict, settings: SampleSettings, on: dt.date) -> Decision:
        per_capita = facts["per_capita_income"]
        low = per_capita is not None and per_capita < Decimal("1000")
        conditions = [
            Condition(
                low,
                f"人均月收入 {per_capita} 元低于 1000 元"
                if per_capita is not None
                else "人均月收入未知（须低于 1000 元）",
                f"income per head {per_capita} below 1000"
                if per_capita is not None
                else "income per head unknown (must be below 1000)",
            )
        ]
        return Decision(low, Decimal("300.00") if low else Decimal("0"), conditions)


class TermGift(FestivalGift):
    """The same gift at the start of each school term: a term rule (periods 2027-autumn-term,
    whose dates the city sets)."""

    code = "term_gift"
    name = "开学慰问"
    name_en = "Term gift"
    schedule = Schedule.TERM


class WelcomeGift(FestivalGift):
    """A one-off rule: the gift once ever per member, whatever the campaign's period. (A rule
    paying once per something else says so: ``def occurrence(self, facts) -> str``.)"""

    code = "welcome_gift"
    name = "入会慰问"
    name_en = "Welcome gift"
    schedule = Schedule.ONE_OFF


class HolidayGift(FestivalGift):
    """The gift once per holiday season, a period kind the sample adds and the city dates
    (``2027-holiday-season``, set with ``setPeriodDates``)."""

    code = "holiday_gift"
    name = "假期慰问"
    name_en = "Holiday gift"
    schedule = Schedule.DATED
    period_kind = extras.HOLIDAY.name


@hookimpl
def register_rules() -> list:
    return [FestivalGift(), HouseholdVisit(), TermGift(), WelcomeGift(), HolidayGift()]


@hookimpl
def register_error_codes() -> list:
    return [extras.QUOTA_EXCEEDED]


@hookimpl
def register_actions() -> list:
    return [extras.GREET]


@hookimpl
def register_period_kinds() -> list:
    return [extras.HOLIDAY]


@hookimpl
def register_node_types() -> list:
    return [extras.CARDS]


@hookimpl
def register_graphql() -> GraphQLContribution:
    return GraphQLContribution(
        query=SampleQuery,
        mutation=SampleMutation,
        member_fields=SampleMemberFields,
        public_fields=("sample_notice",),
    )


@hookimpl
def on_program_enabled(district_code: str, actor: str) -> None:
    CALLS.append(("enabled", district_code))


@hookimpl
def on_program_disabled(district_code: str, actor: str) -> None:
    CALLS.append(("disabled", district_code))


@hookimpl
def on_entitlements_paid(payments: list, actor: str) -> None:
    CALLS.extend(("paid", f"{p.record_type}:{p.record_id}:{p.entitlement_id}") for p in payments)


@hookimpl
async def on_entitlements_reversed(payments: list, reason: str, actor: str) -> None:
    CALLS.extend(("reversed", f"{p.record_type}:{p.record_id}:{reason}") for p in payments)


@hookimpl
def register_job_handlers() -> dict:
    return work.JOBS


@hookimpl
def register_import_kinds() -> list:
    return work.IMPORTS


@hookimpl
def register_export_kinds() -> list:
    return work.EXPORTS
