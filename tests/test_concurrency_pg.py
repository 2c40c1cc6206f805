"""Money under concurrency: only meaningful on PostgreSQL (SQLite serialises everything)."""

import asyncio
from decimal import Decimal

import pytest
from tortoise.functions import Sum

from tests.factories import ACTOR
from unionaid.core.errors import DomainError
from unionaid.core.models import LedgerEntry
from unionaid.core.services import funds


@pytest.mark.postgres
async def test_concurrent_transfers_never_overdraw(orm):
    source = await funds.create_fund(ACTOR, "SRC", "来源", None)
    target = await funds.create_fund(ACTOR, "DST", "去向", "320206")
    await funds.contribute(ACTOR, source.id, Decimal("100.00"))

    async def attempt() -> bool:
        try:
            await funds.transfer(ACTOR, source.id, target.id, Decimal("10.00"))
            return True
        except DomainError as err:
            assert err.code == "INSUFFICIENT_FUNDS"
            return False

    results = await asyncio.gather(*(attempt() for _ in range(30)))
    assert sum(results) == 10
    balances = await funds.balances([source.id, target.id])
    assert balances == {source.id: Decimal("0.00"), target.id: Decimal("100.00")}
    for fund_id in (source.id, target.id):
        total = (
            await LedgerEntry.filter(fund_id=fund_id).annotate(t=Sum("amount")).first().values("t")
        )
        last = await LedgerEntry.filter(fund_id=fund_id).order_by("-id").first()
        assert Decimal(total["t"]) == last.balance_after == balances[fund_id]
    assert not await LedgerEntry.filter(balance_after__lt=0).exists()
