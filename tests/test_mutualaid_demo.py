"""``serve --demo`` loads each program's demo through the ``load_demo_data`` hook: mutual aid
has a 2027 plan in 惠山区 and 滨湖区 with enrolments (some by an enterprise), a refund waiting
for approval, and a report that reconciles with the ledger."""

import datetime as dt

from unionaid.core.crypto import Vault
from unionaid.core.demo import load_demo
from unionaid.core.models import ProgramEnablement
from unionaid.plugins.mutualaid.claim_models import Claim, ClaimKind, ClaimState
from unionaid.plugins.mutualaid.graphql.reports import report
from unionaid.plugins.mutualaid.models import Channel, Enrolment, Plan, RefundState

DAY = dt.date(2026, 11, 29)


async def test_hook_load_demo_data_loads_mutual_aid_into_the_demo_districts(settings, orm, host):
    assert await load_demo(host, Vault(settings.data_key), members_per_district=12, today=DAY)
    plans = await Plan.all().order_by("scope")
    assert [(p.plan_year, p.scope) for p in plans] == [(2027, "320206"), (2027, "320211")]
    on = await ProgramEnablement.filter(program="mutualaid", enabled=True).values_list(
        "district_id", flat=True
    )
    assert sorted(on) == ["320206", "320211"]
    for plan in plans:
        rows = await Enrolment.filter(plan_id=plan.id)
        channels = {e.channel for e in rows}
        assert channels == {Channel.ENTERPRISE, Channel.CASEWORKER}
        assert [e.refund_state for e in rows].count(RefundState.DUE) == 1
    states = {(c.kind, c.status) for c in await Claim.all()}
    assert {s for _, s in states} == set(ClaimState)  # claims in every state
    assert await Claim.filter(kind=ClaimKind.CONDOLENCE).count() >= 4
    figures = await report(2027, ["320206", "320211"])
    assert len(figures.districts) == 2
    assert all(d.reconciles and d.collected > 0 and d.paid > 0 for d in figures.districts)
    # Loaded once: a second start finds the demo and adds nothing.
    assert not await load_demo(host, Vault(settings.data_key), members_per_district=12, today=DAY)
    assert await Plan.all().count() == 2
