"""Campaign money under real concurrency, on PostgreSQL (issue 15, items 2, 3, 7, 18): a second
connection pool stands for another server process. Interleavings are made, not hoped for: the
other process holds a lock and the test waits until this one is blocked on it (PostgreSQL says
so in pg_stat_activity), or acts between two batches of the pay job."""

import asyncio
import contextlib
from decimal import Decimal

import asyncpg
import pytest
from tortoise.context import TortoiseContext
from tortoise.transactions import in_transaction

from tests import test_campaigns
from tests.factories import ACTOR
from tests.test_campaign_payments import add, approved_campaign
from tests.test_campaigns import HUISHAN, NOW, new_campaign
from unionaid.core.db import tortoise_config
from unionaid.core.errors import DomainError
from unionaid.core.models import (
    Campaign,
    CampaignStatus,
    Entitlement,
    EntitlementStatus,
    LedgerEntry,
)
from unionaid.core.services import accounts, campaigns, funds
from unionaid.core.services.funds import balances

pytestmark = pytest.mark.postgres
world = test_campaigns.world  # the sample plugin in 惠山区, three entitled to 500.00


@contextlib.asynccontextmanager
async def other_process(settings, host):
    """ORM calls inside go through a pool of their own, as from another server process."""
    async with TortoiseContext() as ctx:
        await ctx.init(config=tortoise_config(settings.database_url, host))
        yield


async def until_blocked(settings, waiting: int = 1) -> None:
    """Return once ``waiting`` sessions of this database wait on a lock."""
    dsn = settings.database_url.replace("postgres://", "postgresql://", 1)
    conn = await asyncpg.connect(dsn)
    try:
        for _ in range(2000):
            count = await conn.fetchval(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if count >= waiting:
                return
            await asyncio.sleep(0.005)  # polling for the state, not timing anything
        raise AssertionError("nobody waited on the lock")
    finally:
        await conn.close()


async def holding(settings, host, lock, then, ready: asyncio.Event, go: asyncio.Event):
    """In another process: one transaction that takes ``lock()``, says ``ready``, waits for
    ``go``, runs ``then()`` and commits."""
    async with other_process(settings, host), in_transaction():
        await lock()
        ready.set()
        await go.wait()
        return await then()


async def test_an_entitlement_added_by_another_process_while_paying_is_not_paid(world, settings):
    host, fund, people, users = world
    campaign = await approved_campaign(host, fund, users)
    added = []

    async def between_batches(done, total):
        if done == 1:
            async with other_process(settings, host):
                added.append(await add(host, users["maker"], campaign.id, people[3]))

    result = await campaigns.pay_campaign(
        users["payer"], campaign.id, NOW, between_batches, batch=1
    )
    assert result == {"paid": 3, "amount": "1500.00"}
    late = await Entitlement.get(id=added[0])
    assert (late.status, late.approved_version) == (EntitlementStatus.ENTITLED, None)
    assert await LedgerEntry.filter(kind="payment").count() == 3
    assert (await Campaign.get(id=campaign.id)).status == CampaignStatus.EVALUATED


async def test_the_up_front_check_waits_for_a_payment_in_flight(world, settings):
    """Another process is spending 600.00 of the fund's 1,500.00 (fund locked, not committed)
    when payCampaign starts. The up-front check waits for the lock and sees 900.00: nothing is
    paid. (Read without the lock it would see 1,500.00, pay a batch and stop part way.)"""
    host, _fund, _people, users = world
    fund = await funds.create_fund(ACTOR, "HS-EXACT", "恰好", HUISHAN)
    elsewhere = await funds.create_fund(ACTOR, "HS-ELSE", "他用", HUISHAN)
    await funds.contribute(ACTOR, fund.id, Decimal("1500.00"))
    campaign = await approved_campaign(host, fund, users)
    ready, go = asyncio.Event(), asyncio.Event()

    async def lock():
        await funds.transfer(ACTOR, fund.id, elsewhere.id, Decimal("600.00"))

    spending = asyncio.create_task(
        holding(settings, host, lock, lambda: asyncio.sleep(0), ready, go)
    )
    await ready.wait()
    paying = asyncio.create_task(campaigns.pay_campaign(users["payer"], campaign.id, NOW, batch=1))
    await until_blocked(settings)
    go.set()
    await spending
    with pytest.raises(DomainError) as short:
        await paying
    assert (short.value.code.value, short.value.params) == (
        "INSUFFICIENT_FUNDS",
        {"balance": "900.00"},
    )
    assert await LedgerEntry.filter(fund_id=fund.id, kind="payment").count() == 0
    assert (await Campaign.get(id=campaign.id)).status == CampaignStatus.APPROVED


async def test_a_maker_adding_while_approving_is_refused(world, settings):
    """The city administrator approves a campaign while (in another process) adding an
    entitlement to it: the approval checked them before the lock, the addition commits while
    the approval waits for it, and the check under the lock refuses."""
    host, fund, people, users = world
    await accounts.create_user(ACTOR, accounts.NewUser("boss", "city_admin", []))
    boss = await accounts.principal_for_user("boss", "req-boss")
    campaign = await new_campaign(host, fund, users)
    await campaigns.evaluate(users["maker"], host, campaign.id)
    ready, go = asyncio.Event(), asyncio.Event()

    async def lock():
        await Campaign.filter(id=campaign.id).select_for_update().first()

    adding = asyncio.create_task(
        holding(settings, host, lock, lambda: add(host, boss, campaign.id, people[3]), ready, go)
    )
    await ready.wait()
    approving = asyncio.create_task(campaigns.decide_approval(boss, campaign.id, True, "", NOW))
    await until_blocked(settings)
    go.set()
    added = await adding
    with pytest.raises(DomainError) as own:
        await approving
    assert own.value.code.value == "SELF_APPROVAL"
    assert (await Entitlement.get(id=added)).approved_version is None
    assert (await Campaign.get(id=campaign.id)).status == CampaignStatus.EVALUATED


async def test_single_payments_racing_the_pay_job_pay_each_once(world, settings):
    """Another process pays entitlements one by one while the pay job runs, from a fund that
    covers two of the three: two are paid, once each, the third is left, the campaign is
    partly_paid and the ledger never goes below zero."""
    host, _fund, _people, users = world
    fund = await funds.create_fund(ACTOR, "HS-TWO", "两份", HUISHAN)
    await funds.contribute(ACTOR, fund.id, Decimal("1000.00"))
    campaign = await new_campaign(host, fund, users)
    await campaigns.evaluate(users["maker"], host, campaign.id)
    await campaigns.decide_approval(users["checker"], campaign.id, True, "", NOW)
    ids = (
        await Entitlement.filter(campaign_id=campaign.id)
        .order_by("-id")
        .values_list("id", flat=True)
    )

    async def pay_one(entitlement_id):
        try:
            return await campaigns.pay_entitlement(
                users["payer"], entitlement_id, f"k{entitlement_id}", NOW
            )
        except DomainError as err:
            return err.code.value

    async def singles():
        async with other_process(settings, host):
            return [await pay_one(i) for i in ids]

    async def job():
        try:
            return await campaigns.pay_campaign(users["payer"], campaign.id, NOW, batch=1)
        except DomainError as err:
            return err.code.value

    await asyncio.gather(singles(), job())
    paid = await Entitlement.filter(campaign_id=campaign.id, status="paid").values_list(
        "id", "payment_entry_id"
    )
    assert len(paid) == 2 and all(entry for _, entry in paid)
    assert await LedgerEntry.filter(fund_id=fund.id, kind="payment").count() == 2
    assert await LedgerEntry.filter(fund_id=fund.id, balance_after__lt=0).count() == 0
    assert (await balances([fund.id]))[fund.id] == Decimal("0.00")
    assert (await Campaign.get(id=campaign.id)).status == CampaignStatus.PARTLY_PAID
