"""Mutual-aid claims racing on PostgreSQL: another process (a pool of its own) holds the
member's claim lock while this one's request starts; the test waits until PostgreSQL shows this
one blocked, then lets the other commit. Two overlapping stays: one is recorded, the other is
DUPLICATE. Two assessments that together pass the plan-year cap: together they pay the cap."""

import asyncio
import datetime as dt
from decimal import Decimal

import pytest

from tests import test_mutualaid_claims
from tests.test_campaign_races_pg import holding, until_blocked
from tests.test_mutualaid_claims import HUISHAN
from unionaid.core import Code, DomainError, Principal, ProgramScope, pk_of
from unionaid.core.models import LedgerEntry
from unionaid.plugins.mutualaid.claim_models import Claim, ClaimKind, MemberLock, Stay
from unionaid.plugins.mutualaid.models import PlanVersion
from unionaid.plugins.mutualaid.services import claims

pytestmark = pytest.mark.postgres
world = test_mutualaid_claims.world
TODAY = dt.date(2026, 11, 29)
NOW = dt.datetime(2026, 11, 29, 3, 0, tzinfo=dt.UTC)


def person(name: str, role: str = "caseworker") -> Principal:
    return Principal(None, name, role, frozenset({HUISHAN}), frozenset(), f"req-{name}")


SCOPE = ProgramScope("mutualaid", frozenset({HUISHAN}), lambda code: code == HUISHAN)


def stay(admitted: str, discharged: str, hospital: str = "无锡市人民医院") -> claims.StayFacts:
    return claims.StayFacts(
        hospital, dt.date.fromisoformat(admitted), dt.date.fromisoformat(discharged)
    )


async def _lock_row(member_pk: int) -> None:
    await MemberLock.bulk_create([MemberLock(member_id=member_pk)], ignore_conflicts=True)


@pytest.mark.parametrize(
    ("theirs", "ours"),
    [
        (("2026-06-01", "2026-06-11"), ("2026-06-01", "2026-06-11")),  # the same stay
        (("2026-06-01", "2026-06-11"), ("2026-06-05", "2026-06-20")),  # overlapping dates
    ],
)
async def test_two_racing_claims_for_one_stay_record_one(world, settings, host, theirs, ours):
    _city, _people, members, _fund = world
    member = pk_of(members["住院甲"], "Member")
    await _lock_row(member)
    ready, go = asyncio.Event(), asyncio.Event()

    async def lock():
        await MemberLock.filter(member_id=member).select_for_update().first()

    def submit(who, dates, hospital):
        return claims.submit_claim(
            person(who),
            SCOPE,
            host,
            member_id=member,
            kind=ClaimKind.HOSPITAL,
            today=TODAY,
            now=NOW,
            stay=stay(*dates, hospital),
        )

    other = asyncio.create_task(
        holding(settings, host, lock, lambda: submit("ann", theirs, "无锡市人民医院"), ready, go)
    )
    await ready.wait()
    hospital = "无锡市人民医院" if theirs == ours else "江南大学附属医院"
    ours_task = asyncio.create_task(submit("bob", ours, hospital))
    await until_blocked(settings)
    go.set()
    won = await other
    with pytest.raises(DomainError) as lost:
        await ours_task
    assert lost.value.code == Code.DUPLICATE
    assert [c.id for c in await Claim.filter(member_id=member)] == [won.id]
    assert await Stay.filter(member_id=member).count() == 1


async def test_two_racing_assessments_pay_at_most_the_yearly_cap(world, settings, host):
    _city, _people, members, _fund = world
    member = pk_of(members["住院甲"], "Member")
    version = await PlanVersion.get(plan__district_code=HUISHAN)
    version.coverages = dict(version.coverages, yearly_cap="600.00")  # 1,200.00 for 2 shares
    await version.save()
    made = []
    for dates in (("2026-06-01", "2026-06-11"), ("2026-07-01", "2026-07-11")):
        made.append(
            await claims.submit_claim(
                person("cw"),
                SCOPE,
                host,
                member_id=member,
                kind=ClaimKind.HOSPITAL,
                today=TODAY,
                now=NOW,
                stay=stay(*dates),
            )
        )
    await _lock_row(member)
    ready, go = asyncio.Event(), asyncio.Event()

    async def lock():
        await MemberLock.filter(member_id=member).select_for_update().first()

    def assess(who, claim):
        return claims.assess_claim(person(who), SCOPE, host, claim.id, today=TODAY, now=NOW)

    other = asyncio.create_task(
        holding(settings, host, lock, lambda: assess("ann", made[0]), ready, go)
    )
    await ready.wait()
    ours = asyncio.create_task(assess("bob", made[1]))
    await until_blocked(settings)
    go.set()
    first, second = await other, await ours
    assert (first.amount, second.amount) == (Decimal("1000.00"), Decimal("200.00"))
    # both approved by someone else and paid: the fund pays the cap, no more
    for claim in (first, second):
        await claims.approve_claim(person("chk", "approver"), SCOPE, claim.id, now=NOW)
        await claims.pay_claim(
            person("pay", "district_admin"), SCOPE, host, claim.id, f"k{claim.id}", now=NOW
        )
    paid = await LedgerEntry.filter(kind="payment").values_list("amount", flat=True)
    assert sum(abs(Decimal(x)) for x in paid) == Decimal("1200.00")
    assert {c.status.value for c in await Claim.filter(member_id=member)} == {"paid"}
