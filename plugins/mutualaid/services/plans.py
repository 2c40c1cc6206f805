"""Plans: publish one per plan year and scope, revise its parameters (a new version from a day
on), and read the terms in force on a day (:func:`plan_terms`, what claims assess against)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from unionaid.core import (
    Code,
    DomainError,
    Principal,
    Words,
    clean_text,
    max_length,
    record_audit,
    to_global_id,
)
from unionaid.plugins.mutualaid.models import Coverage, Enrolment, EnrolmentState, Plan, PlanVersion
from unionaid.plugins.mutualaid.services.plan_checks import checked_overrides
from unionaid.plugins.mutualaid.settings import MutualAidSettings

CITY = "city"
# Plan years (and terms) a union could mean; outside them a date is a typing slip.
YEARS = range(2000, 2101)


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (the month's last day when it has fewer days)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return dt.date(year, month, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def default_coverages(settings: MutualAidSettings) -> dict[str, dict[str, Any]]:
    """Each coverage's parameters a new plan starts from (per share), from the settings."""
    return {
        Coverage.HOSPITAL.value: {"daily_amount": str(settings.hospitalisation_daily)},
        Coverage.CRITICAL_ILLNESS.value: {"amount": str(settings.critical_illness_amount)},
        Coverage.ACCIDENT.value: {"death": str(settings.accident_amount)},
    }


def _parsed(value: Any) -> Any:
    """Decimals are stored as strings in JSON; give them back as Decimal."""
    if isinstance(value, str):
        try:
            return Decimal(value)
        except InvalidOperation:
            return value
    if isinstance(value, dict):
        return {k: _parsed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_parsed(v) for v in value]
    return value


@dataclass(frozen=True)
class PlanTerms:
    """A plan's parameters as one version has them."""

    plan_id: int
    plan_year: int
    version: int
    effective_from: dt.date
    starts_on: dt.date
    ends_on: dt.date
    enrol_from: dt.date
    enrol_until: dt.date
    share_price: Decimal
    illness_waiting_days: int
    coverages: dict[str, dict[str, Any]]

    def covers(self, coverage: str) -> bool:
        return str(coverage) in self.coverages

    def in_term(self, day: dt.date) -> bool:
        return self.starts_on <= day <= self.ends_on

    def enrolment_open(self, day: dt.date) -> bool:
        return self.enrol_from <= day <= self.enrol_until


def terms_of(row: PlanVersion, plan_year: int) -> PlanTerms:
    return PlanTerms(
        plan_id=row.plan_id,
        plan_year=plan_year,
        version=row.version,
        effective_from=row.effective_from,
        starts_on=row.starts_on,
        ends_on=row.ends_on,
        enrol_from=row.enrol_from,
        enrol_until=row.enrol_until,
        share_price=Decimal(row.share_price),
        illness_waiting_days=row.illness_waiting_days,
        coverages={k: _parsed(v) for k, v in row.coverages.items()},
    )


async def plan_terms(plan_id: int, on: dt.date) -> PlanTerms:
    """The version of the plan in force on ``on``: the newest whose ``effective_from`` is not
    after it, else the first (a day before the plan's first version reads version 1)."""
    plan = await Plan.get(id=plan_id)
    rows = await PlanVersion.filter(plan_id=plan_id).order_by("version")
    chosen = rows[0]
    for row in rows:
        if row.effective_from <= on:
            chosen = row
    return terms_of(chosen, plan.plan_year)


async def enrolment_on(member_id: int, day: dt.date) -> Enrolment | None:
    """The member's active enrolment whose plan year holds ``day`` (the plan's term is read
    from its version in force that day)."""
    for enrolment in await Enrolment.filter(
        member_id=member_id, state=EnrolmentState.ACTIVE
    ).order_by("-plan_year"):
        if (await plan_terms(enrolment.plan_id, day)).in_term(day):
            return enrolment
    return None


@dataclass(frozen=True)
class PlanParameters:
    """What a person gives when publishing or revising a plan (None: from the settings)."""

    starts_on: dt.date
    enrol_from: dt.date
    enrol_until: dt.date
    coverages: dict[str, dict[str, Any]] | None = None  # {coverage: parameter overrides}
    share_price: Decimal | None = None
    illness_waiting_days: int | None = None


def _check_plan_year(plan_year: int, starts_on: dt.date) -> None:
    """A plan year's term starts in that year (or, for a December start, the year before)."""
    if plan_year not in YEARS or starts_on.year not in (plan_year - 1, plan_year):
        raise DomainError(
            Code.INVALID_INPUT,
            "planYear",
            detail=Words("计划年度与保障期不符", "the plan year does not match the term"),
        )


def _version_values(params: PlanParameters, settings: MutualAidSettings) -> dict[str, Any]:
    if params.starts_on.year not in YEARS:
        raise DomainError(
            Code.INVALID_INPUT,
            "startsOn",
            detail=Words("保障期开始日不在 2000–2100 年", "the term starts outside 2000–2100"),
        )
    if params.enrol_from > params.enrol_until:
        raise DomainError(
            Code.INVALID_DATE_RANGE, "enrolUntil", since=params.enrol_from, until=params.enrol_until
        )
    ends_on = add_months(params.starts_on, settings.plan_term_months) - dt.timedelta(days=1)
    if params.enrol_until > ends_on:
        raise DomainError(
            Code.INVALID_INPUT,
            "enrolUntil",
            detail=Words(
                "报名截止日不能晚于保障期结束", "enrolment must close before the term ends"
            ),
        )
    price = settings.plan_contribution if params.share_price is None else params.share_price
    if price <= 0 or price != price.quantize(Decimal("0.01")):
        raise DomainError(Code.INVALID_AMOUNT, "sharePrice")
    waiting = (
        settings.illness_waiting_days
        if params.illness_waiting_days is None
        else params.illness_waiting_days
    )
    if not 0 <= waiting <= 365:
        raise DomainError(
            Code.INVALID_INPUT,
            "illnessWaitingDays",
            detail=Words("等待期应为 0–365 天", "the waiting period is 0–365 days"),
        )
    defaults = default_coverages(settings)
    chosen = params.coverages if params.coverages is not None else {k: {} for k in defaults}
    if not chosen:
        raise DomainError(Code.REQUIRED, "coverages")
    coverages = {}
    for name, overrides in chosen.items():
        if name not in defaults:
            raise DomainError(
                Code.INVALID_INPUT, "coverages", detail=Words("未知保障项目", "unknown coverage")
            )
        coverages[name] = {**defaults[name], **checked_overrides(name, overrides)}
    return {
        "starts_on": params.starts_on,
        "ends_on": ends_on,
        "enrol_from": params.enrol_from,
        "enrol_until": params.enrol_until,
        "share_price": price,
        "illness_waiting_days": waiting,
        "coverages": coverages,
    }


async def publish_plan(
    actor: Principal,
    settings: MutualAidSettings,
    *,
    plan_year: int,
    district_code: str | None,
    name: str,
    fund_id: int,
    params: PlanParameters,
) -> Plan:
    """A plan for ``plan_year`` in the district (None: the city), published at once with its
    first version. DUPLICATE when the scope already has a plan that year."""
    name = clean_text(name, "name", max_length=max_length(Plan, "name"), required=True)
    _check_plan_year(plan_year, params.starts_on)
    values = _version_values(params, settings)
    scope = district_code or CITY
    try:
        async with in_transaction():
            plan = await Plan.create(
                plan_year=plan_year,
                scope=scope,
                district_code=district_code,
                name=name,
                fund_id=fund_id,
                published_by=actor.username,
            )
            await PlanVersion.create(
                plan_id=plan.id,
                version=1,
                effective_from=values["starts_on"],
                created_by=actor.username,
                **values,
            )
            await record_audit(
                actor,
                "mutualaid.publishPlan",
                object_type="MutualAidPlan",
                object_id=to_global_id("MutualAidPlan", plan.id),
                district_code=district_code,
                changes={
                    "plan_year": [None, plan_year],
                    "share_price": [None, f"{values['share_price']:.2f}"],
                },
            )
            return plan
    except IntegrityError as exc:
        raise DomainError(
            Code.DUPLICATE, "planYear", detail=Words("本年度已有计划", "a plan for this year")
        ) from exc


async def revise_plan(
    actor: Principal,
    settings: MutualAidSettings,
    plan: Plan,
    *,
    effective_from: dt.date,
    params: PlanParameters,
    reason: str,
) -> PlanVersion:
    """A new version of the plan's parameters from ``effective_from`` on; claims on events
    before it keep reading the version they were under."""
    reason = clean_text(
        reason, "reason", max_length=max_length(PlanVersion, "reason"), required=True
    )
    _check_plan_year(plan.plan_year, params.starts_on)
    values = _version_values(params, settings)
    # A version in force after the term would never be read, and would block every later one.
    if effective_from > values["ends_on"]:
        raise DomainError(
            Code.INVALID_INPUT,
            "effectiveFrom",
            detail=Words("生效日晚于保障期结束", "takes effect after the term ends"),
        )
    async with in_transaction():
        locked = await Plan.filter(id=plan.id).select_for_update().first()
        newest = await PlanVersion.filter(plan_id=plan.id).order_by("-version").first()
        if newest is not None and effective_from < newest.effective_from:
            raise DomainError(
                Code.INVALID_INPUT,
                "effectiveFrom",
                detail=Words(
                    "生效日不能早于上一版本", "cannot take effect before the last version"
                ),
            )
        version = locked.version + 1
        row = await PlanVersion.create(
            plan_id=plan.id,
            version=version,
            effective_from=effective_from,
            reason=reason,
            created_by=actor.username,
            **values,
        )
        await Plan.filter(id=plan.id).update(version=version)
        await record_audit(
            actor,
            "mutualaid.revisePlan",
            object_type="MutualAidPlan",
            object_id=to_global_id("MutualAidPlan", plan.id),
            district_code=plan.district_code,
            changes={"version": [version - 1, version]},
        )
        plan.version = version
        return row
