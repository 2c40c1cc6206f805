"""Funds and their append-only ledger. A balance is the sum of the fund's entries and never goes
negative: every debit locks the fund's row first (SELECT ... FOR UPDATE on PostgreSQL), so two
server processes cannot both spend the same yuan."""

from __future__ import annotations

import uuid
from decimal import Decimal

from tortoise.exceptions import IntegrityError
from tortoise.functions import Sum
from tortoise.transactions import in_transaction

from unionaid.core.errors import Code, DomainError
from unionaid.core.models import District, Fund, LedgerEntry, LedgerKind
from unionaid.core.money import ZERO, format_money, to_fen
from unionaid.core.services.validation import Problems


async def create_fund(code: str, name: str, district_code: str | None, purpose: str = "") -> Fund:
    problems = Problems()
    problems.require(code, "code")
    problems.require(name, "name")
    if district_code is not None and not await District.exists(code=district_code):
        problems.add(Code.NOT_FOUND, "districtCode", what="区")
    if code and await Fund.exists(code=code):
        problems.add(Code.DUPLICATE, "code", detail="fund code")
    problems.raise_if_any()
    try:
        return await Fund.create(code=code, name=name, district_id=district_code, purpose=purpose)
    except IntegrityError as exc:
        raise DomainError(Code.DUPLICATE, "code", detail="fund code") from exc


async def balances(fund_ids: list[int]) -> dict[int, Decimal]:
    """Balances of several funds in one statement."""
    rows = (
        await LedgerEntry.filter(fund_id__in=fund_ids)
        .annotate(total=Sum("amount"))
        .group_by("fund_id")
        .values("fund_id", "total")
    )
    found = {row["fund_id"]: to_fen(Decimal(row["total"])) for row in rows}
    return {fund_id: found.get(fund_id, ZERO) for fund_id in fund_ids}


async def _locked_balance(fund_id: int) -> Decimal:
    # The row lock serialises writers of this fund; SQLite serialises all writers anyway.
    await Fund.filter(id=fund_id).select_for_update().first()
    return (await balances([fund_id]))[fund_id]


def _positive(amount: Decimal) -> None:
    if amount <= 0:
        raise DomainError(Code.INVALID_AMOUNT, "amount")


async def contribute(
    fund_id: int, amount: Decimal, actor: str, memo: str = "", reference: str | None = None
) -> LedgerEntry:
    """Money raised into a fund (donations, budget, the city's own fundraising)."""
    _positive(amount)
    async with in_transaction():
        if not await Fund.exists(id=fund_id):
            raise DomainError(Code.NOT_FOUND, "fundId", what="资金")
        balance = await _locked_balance(fund_id)
        return await LedgerEntry.create(
            fund_id=fund_id,
            amount=to_fen(amount),
            balance_after=balance + to_fen(amount),
            kind=LedgerKind.CONTRIBUTION,
            reference=reference,
            memo=memo,
            actor=actor,
        )


async def transfer(
    from_fund_id: int, to_fund_id: int, amount: Decimal, actor: str, memo: str = ""
) -> tuple[LedgerEntry, LedgerEntry]:
    """Move money between funds: two entries sharing a reference, written together or not at all."""
    _positive(amount)
    if from_fund_id == to_fund_id:
        raise DomainError(Code.SAME_FUND, "toFundId")
    amount = to_fen(amount)
    reference = f"transfer:{uuid.uuid4().hex}"
    async with in_transaction():
        problems = Problems()
        if not await Fund.exists(id=from_fund_id):
            problems.add(Code.NOT_FOUND, "fromFundId", what="资金")
        if not await Fund.exists(id=to_fund_id):
            problems.add(Code.NOT_FOUND, "toFundId", what="资金")
        problems.raise_if_any()
        # Lock both funds in id order so two opposite transfers cannot deadlock.
        locked = {fid: await _locked_balance(fid) for fid in sorted((from_fund_id, to_fund_id))}
        if locked[from_fund_id] < amount:
            raise DomainError(
                Code.INSUFFICIENT_FUNDS, "amount", balance=format_money(locked[from_fund_id])
            )
        debit = await LedgerEntry.create(
            fund_id=from_fund_id,
            amount=-amount,
            balance_after=locked[from_fund_id] - amount,
            kind=LedgerKind.TRANSFER_OUT,
            reference=reference,
            memo=memo,
            actor=actor,
        )
        credit = await LedgerEntry.create(
            fund_id=to_fund_id,
            amount=amount,
            balance_after=locked[to_fund_id] + amount,
            kind=LedgerKind.TRANSFER_IN,
            reference=reference,
            memo=memo,
            actor=actor,
        )
    return debit, credit
