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


@pytest.mark.postgres
async def test_opposite_transfers_neither_deadlock_nor_drift(orm):
    """Transfers both ways at once: the funds are locked in id order, so none deadlocks, and
    each fund's newest balance_after (what the next writer reads) stays its ledger's sum."""
    a = await funds.create_fund(ACTOR, "A", "甲", None)
    b = await funds.create_fund(ACTOR, "B", "乙", None)
    for fund in (a, b):
        await funds.contribute(ACTOR, fund.id, Decimal("100.00"))
    moves = [(a.id, b.id), (b.id, a.id)] * 15
    await asyncio.gather(*(funds.transfer(ACTOR, s, t, Decimal("1.50")) for s, t in moves))
    balances = await funds.balances([a.id, b.id])
    assert balances == {a.id: Decimal("100.00"), b.id: Decimal("100.00")}
    for fund_id in (a.id, b.id):
        last = await LedgerEntry.filter(fund_id=fund_id).order_by("-id").first()
        assert last.balance_after == balances[fund_id]
        assert await LedgerEntry.filter(fund_id=fund_id).count() == 31
