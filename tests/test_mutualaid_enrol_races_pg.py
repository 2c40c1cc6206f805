"""Enrolling one member twice at once on PostgreSQL (issue 17): another server process holds
its enrolment uncommitted while this one enrols the same member in the same plan year; this
one waits on the unique key, then finds it taken (DUPLICATE) and writes nothing: one
enrolment, one contribution, one ledger entry."""

import asyncio

import pytest

from tests import test_mutualaid_enrolment
from tests.test_campaign_races_pg import holding, until_blocked
from tests.test_mutualaid_enrolment import HUISHAN
from unionaid.core import Code, DomainError, Principal, pk_of
from unionaid.core.models import LedgerEntry
from unionaid.plugins.mutualaid.models import Contribution, Enrolment, Plan
from unionaid.plugins.mutualaid.services.enrolment import Applicant, enrol
from unionaid.plugins.mutualaid.settings import MutualAidSettings

pytestmark = pytest.mark.postgres
world = test_mutualaid_enrolment.world  # 惠山区's 2027 plan and ten employees


def caseworker(name: str) -> Principal:
    return Principal(None, name, "caseworker", frozenset({HUISHAN}), frozenset(), f"req-{name}")


async def test_enrolment_twice_at_once_enrols_once(world, settings, host, app_clock):
    plan = await Plan.get(id=pk_of(world["plan"]["id"], "MutualAidPlan"))
    member = pk_of(world["staff"][0], "Member")
    today = app_clock().date()
    ready, go = asyncio.Event(), asyncio.Event()

    def enrolling(name: str, shares: int):
        return enrol(
            caseworker(name),
            plan,
            [Applicant(member, shares)],
            MutualAidSettings(),
            today=today,
            visible_districts=frozenset({HUISHAN}),
        )

    async def lock():
        await enrolling("ann", 1)

    async def then():
        return None

    other = asyncio.create_task(holding(settings, host, lock, then, ready, go))
    await ready.wait()
    ours = asyncio.create_task(enrolling("bob", 2))
    await until_blocked(settings)
    go.set()
    await other
    with pytest.raises(DomainError) as lost:
        await ours
    assert lost.value.code == Code.DUPLICATE
    assert [(e.enrolled_by, e.shares) for e in await Enrolment.filter(member_id=member)] == [
        ("ann", 1)
    ]
    assert await Contribution.filter(member_id=member).count() == 1
    assert await LedgerEntry.filter(program="mutualaid").count() == 1
