"""Money under real concurrency, on PostgreSQL: two connection pools stand for two server
processes paying from one fund that covers exactly half of the requests."""

import asyncio
import datetime as dt
from decimal import Decimal

import pytest
from tortoise.context import TortoiseContext
from tortoise.functions import Count, Sum

from tests.factories import ACTOR, id_number
from unionaid.core.crypto import Vault
from unionaid.core.db import tortoise_config
from unionaid.core.errors import DomainError
from unionaid.core.host import PluginHost
from unionaid.core.models import Entitlement, EntitlementStatus, LedgerEntry
from unionaid.core.services import accounts, campaigns, funds, members, programs
from unionaid.core.services.funds import balances

NOW = dt.datetime(2027, 1, 20, 2, 0, tzinfo=dt.UTC)
HUISHAN = "320206"


@pytest.mark.postgres
async def test_200_concurrent_payments_from_two_pools(sample_installed, orm, settings):
    host = PluginHost.load(only={"sample"})
    vault = Vault(settings.data_key)
    await programs.set_enabled(host, "sample", HUISHAN, True, ACTOR)
    await programs.configure(
        host, "sample", HUISHAN, {"gift_amount": "10.00"}, dt.date(2026, 1, 1), ACTOR
    )
    for n in range(150):
        await members.create_member(
            ACTOR,
            vault,
            members.NewMember(
                name=f"会员{n}",
                id_number=id_number(dt.date(1980 + n % 20, 1 + n % 12, 1 + n % 28)),
                district_code=HUISHAN,
                monthly_income=Decimal("1000"),
            ),
        )
    fund = await funds.create_fund(ACTOR, "HS", "惠山帮扶", HUISHAN)
    await funds.contribute(ACTOR, fund.id, Decimal("1000.00"))  # exactly 100 payments of 10
    users = {}
    for name, role in (
        ("maker", "caseworker"),
        ("checker", "approver"),
        ("payer", "district_admin"),
    ):
        await accounts.create_user(ACTOR, accounts.NewUser(name, role, [HUISHAN]))
        users[name] = await accounts.principal_for_user(name, "req")
    campaign = await campaigns.create(
        users["maker"],
        host,
        name="春节",
        program="sample",
        rule_code="gift",
        period_code="2027-spring-festival",
        district_codes=[HUISHAN],
        fund_id=fund.id,
    )
    await campaigns.evaluate(users["maker"], host, campaign.id)
    await campaigns.decide_approval(users["checker"], campaign.id, True, "", NOW)
    ids = list(
        await Entitlement.filter(campaign_id=campaign.id)
        .order_by("id")
        .values_list("id", flat=True)
    )
    assert len(ids) == 150
    # Pool A pays entitlements 0..99, pool B 50..149: 200 requests, 50 of them for the same
    # entitlements as the other pool, racing.
    pool_a, pool_b = ids[:100], ids[50:150]

    async def pay(entitlement_id: int, key: str) -> str:
        try:
            await campaigns.pay_entitlement(users["payer"], entitlement_id, key, NOW)
            return "paid"
        except DomainError as err:
            return err.code.value

    async def second_process() -> list[str]:
        async with TortoiseContext() as ctx:
            await ctx.init(config=tortoise_config(settings.database_url, host))
            return await asyncio.gather(*(pay(e, f"b-{e}") for e in pool_b))

    results_a, results_b = await asyncio.gather(
        asyncio.gather(*(pay(e, f"a-{e}") for e in pool_a)), second_process()
    )
    outcomes = list(results_a) + list(results_b)
    assert outcomes.count("paid") == 100
    assert set(outcomes) <= {"paid", "INSUFFICIENT_FUNDS", "INVALID_STATE"}
    assert await Entitlement.filter(status=EntitlementStatus.PAID).count() == 100
    per_entitlement = (
        await LedgerEntry.filter(kind="payment")
        .annotate(n=Count("id"))
        .group_by("reference")
        .values("reference", "n")
    )
    assert len(per_entitlement) == 100 and all(r["n"] == 1 for r in per_entitlement)
    balance = (await balances([fund.id]))[fund.id]
    assert balance == Decimal("0.00")
    assert await LedgerEntry.filter(fund_id=fund.id, balance_after__lt=0).count() == 0
    total = (
        await LedgerEntry.filter(fund_id=fund.id)
        .annotate(s=Sum("amount"))
        .values_list("s", flat=True)
    )
    assert Decimal(total[0]) == balance
