"""What a claim is judged under: the plan version in force on the event's day, its coverage
parameters (``PlanVersion.coverages``), and the district's settings for whatever the plan does
not say. A coverage the plan's ``coverages`` does not name is not covered."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from unionaid.plugins.mutualaid.models import Plan, PlanVersion
from unionaid.plugins.mutualaid.services.assessment import (
    AccidentCover,
    CondolenceTerms,
    CriticalCover,
    HospitalCover,
    HospitalMode,
    PlanTerms,
)
from unionaid.plugins.mutualaid.settings import MutualAidSettings


async def version_on(plan_id: int, day: dt.date) -> PlanVersion | None:
    """The plan's version in force on ``day`` (the newest effective by then, else the first)."""
    versions = await PlanVersion.filter(plan_id=plan_id).order_by("version")
    valid = [v for v in versions if v.effective_from <= day]
    return (valid or versions or [None])[-1]


def _d(params: dict[str, Any], key: str, default: Decimal) -> Decimal:
    value = params.get(key)
    return default if value is None else Decimal(str(value))


def plan_terms(plan: Plan, version: PlanVersion, s: MutualAidSettings) -> PlanTerms:
    c: dict[str, Any] = version.coverages or {}
    hospital = critical = accident = None
    if (h := c.get("hospital")) is not None:
        hospital = HospitalCover(
            mode=HospitalMode(h.get("mode", s.claim_hospital_mode)),
            daily_amount=_d(h, "daily_amount", s.hospitalisation_daily),
            deductible=_d(h, "deductible", s.claim_hospital_deductible),
            ratio=_d(h, "ratio", s.claim_hospital_ratio),
            cap_per_stay=_d(h, "cap_per_stay", s.claim_hospital_cap_per_stay),
        )
    if (k := c.get("critical_illness")) is not None:
        critical = CriticalCover(
            amount=_d(k, "amount", s.critical_illness_amount),
            categories=tuple(k.get("categories") or s.claim_critical_categories),
        )
    if (a := c.get("accident")) is not None:
        # 'amount' is the key plans published before this fix hold for the same figure.
        death = _d(a, "death", _d(a, "amount", s.accident_amount))
        ratios = a.get("grade_ratios") or s.claim_accident_grade_ratios
        accident = AccidentCover(
            death=death,
            grades={int(g): death * Decimal(str(r)) for g, r in ratios.items()},
            medical_ratio=_d(a, "medical_ratio", s.claim_accident_medical_ratio),
            medical_cap=_d(a, "medical_cap", s.claim_accident_medical_cap),
        )
    return PlanTerms(
        plan_id=plan.id,
        name=plan.name,
        version=version.version,
        starts=version.starts_on,
        ends=version.ends_on,
        waiting_days=version.illness_waiting_days,
        yearly_cap=_d(c, "yearly_cap", s.claim_yearly_cap),
        hospital=hospital,
        critical=critical,
        accident=accident,
    )


def condolence_terms(s: MutualAidSettings) -> CondolenceTerms:
    return CondolenceTerms(
        amount=s.member_hospital_condolence,
        min_days=s.condolence_min_days,
        per_year=s.condolence_per_year,
        only_without_claim=s.condolence_stacking == "no_claim",
    )
