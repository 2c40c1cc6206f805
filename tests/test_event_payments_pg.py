"""Event payments under real concurrency, on PostgreSQL: another process (a second connection
pool) pays or approves the same event payment while this one waits on its lock. Paid once,
approved once."""

import asyncio
from decimal import Decimal

import pytest
from tortoise.transactions import in_transaction

from tests import test_campaigns
from tests.test_campaign_races_pg import other_process, until_blocked
from tests.test_campaigns import NOW
from tests.test_event_payments import approved, balance_of, request, sample_calls
from unionaid.core import (
    EventPaymentStatus,
    approve_event_payment,
    event_payment,
    pay_event_payment,
)
from unionaid.core.errors import Code, DomainError
from unionaid.core.models import Campaign, LedgerEntry

pytestmark = pytest.mark.postgres
world = test_campaigns.world


async def racing(settings, host, campaign_id, theirs, mine):
    """Another process locks the payment's campaign, runs ``theirs`` in that transaction and
    commits once ``mine`` (started meanwhile, here) waits on the lock. Both outcomes."""
    ready, go = asyncio.Event(), asyncio.Event()

    async def other():
        async with other_process(settings, host), in_transaction():
            await Campaign.filter(id=campaign_id).select_for_update().first()
            ready.set()
            await go.wait()
            return await theirs()

    async def outcome(work):
        try:
            return await work
        except DomainError as err:
            return err.code

    elsewhere = asyncio.create_task(outcome(other()))
    await ready.wait()
    here = asyncio.create_task(outcome(mine()))
    await until_blocked(settings)
    go.set()
    return await elsewhere, await here


async def test_two_racing_pays_of_one_event_payment_pay_once(world, settings):
    host, fund, people, users = world
    done = await approved(host, fund, people, users)
    calls = sample_calls()
    calls.clear()
    theirs, mine = await racing(
        settings,
        host,
        done.campaign_id,
        lambda: pay_event_payment(users["payer"], host, done.id, "theirs", NOW),
        lambda: pay_event_payment(users["payer"], host, done.id, "mine", NOW),
    )
    assert theirs["amount"] == "800.00" and mine == Code.INVALID_STATE
    assert await LedgerEntry.filter(fund_id=fund.id, kind="payment").count() == 1
    assert await balance_of(fund) == Decimal("9200.00")
    assert calls == [("paid", f"SampleClaim:1:{done.id}")]


async def test_the_same_key_racing_gets_the_same_answer(world, settings):
    host, fund, people, users = world
    done = await approved(host, fund, people, users)
    theirs, mine = await racing(
        settings,
        host,
        done.campaign_id,
        lambda: pay_event_payment(users["payer"], host, done.id, "one-key", NOW),
        lambda: pay_event_payment(users["payer"], host, done.id, "one-key", NOW),
    )
    assert theirs == mine and theirs["amount"] == "800.00"
    assert await LedgerEntry.filter(fund_id=fund.id, kind="payment").count() == 1


async def test_two_racing_approvals_approve_once(world, settings):
    host, fund, people, users = world
    asked = await request(host, fund, people, users)
    theirs, mine = await racing(
        settings,
        host,
        asked.campaign_id,
        lambda: approve_event_payment(users["checker"], asked.id, now=NOW),
        lambda: approve_event_payment(users["checker2"], asked.id, now=NOW),
    )
    assert theirs.status == EventPaymentStatus.APPROVED and mine == Code.INVALID_STATE
    state = await event_payment(users["payer"], asked.id)
    assert (state.status, state.approvals) == (EventPaymentStatus.APPROVED, 1)
