"""The demo's mutual aid (``serve --demo``): a 2027 plan in each demo district, members enrolled
by a caseworker and a whole enterprise enrolled collectively, one cancellation with its refund
waiting for approval; mc's part adds claims in every state and condolences. Loaded through the
program's own services, as its mutations would, on the days they would have happened."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from unionaid.core import Principal, district_members, effective_settings
from unionaid.plugins.mutualaid import enrolment as enrolments
from unionaid.plugins.mutualaid import plans
from unionaid.plugins.mutualaid.models import Enrolment

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
    # --- claims and condolences (mc) ----------------------------------------------------------
