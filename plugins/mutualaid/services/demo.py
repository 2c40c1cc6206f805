"""The demo's mutual aid (``serve --demo``): a 2027 plan in each demo district, members enrolled
by a caseworker and a whole enterprise enrolled collectively, one cancellation with its refund
waiting for approval, claims in every state and condolences (July 2027: the demo shows a plan
year under way). Loaded through the program's own services, as its mutations would, on the
days they would have happened."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from typing import Any

from unionaid.core import Principal, district_members, effective_settings
from unionaid.plugins.mutualaid.models import Enrolment
from unionaid.plugins.mutualaid.services import enrolment as enrolments
from unionaid.plugins.mutualaid.services import plans

PROGRAM = "mutualaid"
YEAR = 2027
ENROLLED_ON = dt.date(2026, 11, 2)  # in the window: the demo's enrolments are last autumn's
CANCELLED_ON = dt.date(2026, 11, 9)  # within the cooling-off period: refunded


def staff(name: str) -> Principal:
    return Principal.system(f"demo-{name}", name)


async def load(actor: Principal, today: dt.date, district_funds: dict[str, int], host: Any) -> None:
    for code, fund_id in sorted(district_funds.items()):
        settings = (await effective_settings(host, PROGRAM, code, today)).values
        plan = await plans.publish_plan(
            actor,
            settings,
            plan_year=YEAR,
            district_code=code,
            name=f"{YEAR}年职工互助保障计划",
            fund_id=fund_id,
            params=plans.PlanParameters(
                starts_on=dt.date(YEAR, 1, 1),
                enrol_from=dt.date(YEAR - 1, 10, 15),
                enrol_until=dt.date(YEAR - 1, 12, 15),
            ),
        )
        people = await district_members(code, limit=200)
        firms = Counter(m.enterprise_id for m in people if m.enterprise_id is not None)
        unit = firms.most_common(1)[0][0] if firms else None
        caseworker = staff(f"{code}-caseworker")
        batch = enrolments.new_batch()
        for m in people:
            if m.enterprise_id == unit:
                await enrolments.enrol_one(
                    staff(f"{code}-enterprise"),
                    plan,
                    enrolments.Applicant(m.id, 2),
                    district_code=code,
                    today=ENROLLED_ON,
                    enterprise_id=unit,
                    batch=batch,
                )
        singles = [m for m in people if m.enterprise_id != unit][:8]
        for i, m in enumerate(singles):
            await enrolments.enrol_one(
                caseworker,
                plan,
                enrolments.Applicant(m.id, 1 + i % settings.max_shares),
                district_code=code,
                today=ENROLLED_ON,
                enterprise_id=None,
                batch=None,
            )
        if singles:
            last = await Enrolment.get(member_id=singles[-1].id, plan_year=YEAR)
            await enrolments.cancel_enrolment(
                staff(f"{code}-admin"), host, last, settings, today=CANCELLED_ON
            )
        enrolled = [
            e.member_id
            for e in await Enrolment.filter(plan_id=plan.id, state="active").order_by("id")
        ]
        outsider = next((m.id for m in people if m.id not in set(enrolled)), None)
        await claims_in_every_state(code, host, enrolled, outsider)


# --- claims and condolences -------------------------------------------------------------------
CLAIMS_ON = dt.date(YEAR, 7, 1)  # the demo's claims: mid-year, through mc's services
CLAIMED_AT = dt.datetime(YEAR, 7, 1, 2, 0, tzinfo=dt.UTC)  # 10:00 in Wuxi on CLAIMS_ON
PAID_AT = dt.datetime(YEAR, 7, 2, 2, 0, tzinfo=dt.UTC)


async def claims_in_every_state(
    code: str, host: Any, enrolled: list[int], outsider: int | None
) -> None:
    """Paid, approved, assessed, submitted and rejected claims, and condolences (one paid, one
    waiting), each moved by the people the workflow asks for."""
    from unionaid.core import ProgramScope
    from unionaid.plugins.mutualaid.claim_models import AccidentOutcome, ClaimKind
    from unionaid.plugins.mutualaid.services import claims

    if len(enrolled) < 4:
        return
    scope = ProgramScope(PROGRAM, frozenset({code}), lambda c: c == code)
    caseworker, assessor = staff(f"{code}-caseworker"), staff(f"{code}-assessor")
    approver, payer = staff(f"{code}-approver"), staff(f"{code}-admin")

    def stay(day: int, days: int, hospital: str = "无锡市人民医院") -> claims.StayFacts:
        admitted = dt.date(YEAR, 6, day)
        return claims.StayFacts(
            hospital, admitted, admitted + dt.timedelta(days=days), Decimal("3200.00")
        )

    async def submit(member: int, kind: ClaimKind, **facts: Any) -> int:
        made = await claims.submit_claim(
            caseworker,
            scope,
            host,
            member_id=member,
            kind=kind,
            today=CLAIMS_ON,
            now=CLAIMED_AT,
            **facts,
        )
        return made.id

    async def to(claim_id: int, state: str) -> None:
        await claims.assess_claim(assessor, scope, host, claim_id, today=CLAIMS_ON, now=CLAIMED_AT)
        if state in ("approved", "paid"):
            await claims.approve_claim(approver, scope, claim_id, now=PAID_AT)
        if state == "paid":
            await claims.pay_claim(payer, scope, host, claim_id, f"demo-{claim_id}", now=PAID_AT)

    first = stay(2, 8)
    await to(await submit(enrolled[0], ClaimKind.HOSPITAL, stay=first), "paid")
    await to(await submit(enrolled[0], ClaimKind.CONDOLENCE, stay=first), "paid")
    critical = claims.CriticalFacts("恶性肿瘤", dt.date(YEAR, 5, 20))
    await to(await submit(enrolled[1], ClaimKind.CRITICAL_ILLNESS, critical=critical), "approved")
    await to(await submit(enrolled[2], ClaimKind.HOSPITAL, stay=stay(10, 5)), "assessed")
    accident = claims.AccidentFacts(
        dt.date(YEAR, 6, 20), AccidentOutcome.MEDICAL, expense=Decimal("800.00")
    )
    await submit(enrolled[3], ClaimKind.ACCIDENT, accident=accident)  # submitted
    await submit(enrolled[3], ClaimKind.CONDOLENCE, stay=stay(21, 4, "江南大学附属医院"))
    if outsider is not None:  # not enrolled: the assessment rejects it, the trace says why
        await to(await submit(outsider, ClaimKind.HOSPITAL, stay=stay(12, 6)), "rejected")
