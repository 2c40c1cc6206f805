"""Funds and their append-only ledger. A balance is the sum of the fund's entries and never goes
negative: every debit locks the fund's row first (SELECT ... FOR UPDATE on PostgreSQL), so two
server processes cannot both spend the same yuan."""

from __future__ import annotations

import uuid
from decimal import Decimal

from tortoise.exceptions import IntegrityError
from tortoise.functions import Sum
from tortoise.transactions import in_transaction

from unionaid.core.errors import Code, DomainError, Words
from unionaid.core.global_ids import to_global_id
from unionaid.core.models import District, Fund, LedgerEntry, LedgerKind
from unionaid.core.money import ZERO, format_money, to_fen
from unionaid.core.principal import Principal
from unionaid.core.services import audit
from unionaid.core.services.validation import Problems


async def create_fund(
    actor: Principal, code: str, name: str, district_code: str | None, purpose: str = ""
) -> Fund:
    problems = Problems()
    problems.require(code, "code")
    problems.require(name, "name")
    if district_code is not None and not await District.exists(code=district_code):
        problems.add(Code.NOT_FOUND, "districtCode", what=Words("区", "district"))
    if code and await Fund.exists(code=code):
        problems.add(Code.DUPLICATE, "code", detail=Words("资金编码", "fund code"))
    problems.raise_if_any()
    values = {"code": code, "name": name, "district_id": district_code, "purpose": purpose}
    try:
        async with in_transaction():
            fund = await Fund.create(**values)
            await audit.record(
                actor,
                "createFund",
                object_type="Fund",
                object_id=to_global_id("Fund", fund.id),
                district_code=district_code,
                changes=audit.diff(None, values),
            )
            return fund
    except IntegrityError as exc:
        raise DomainError(Code.DUPLICATE, "code", detail=Words("资金编码", "fund code")) from exc


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
    actor: Principal, fund_id: int, amount: Decimal, memo: str = "", reference: str | None = None
) -> LedgerEntry:
    """Money raised into a fund (donations, budget, the city's own fundraising)."""
    _positive(amount)
    async with in_transaction():
        fund = await Fund.get_or_none(id=fund_id)
        if fund is None:
            raise DomainError(Code.NOT_FOUND, "fundId", what=Words("资金", "fund"))
        balance = await _locked_balance(fund_id)
        await _audit_money(actor, "contributeToFund", fund, balance, balance + to_fen(amount))
        return await LedgerEntry.create(
            fund_id=fund_id,
            amount=to_fen(amount),
            balance_after=balance + to_fen(amount),
            kind=LedgerKind.CONTRIBUTION,
            reference=reference,
            memo=memo,
            actor=actor.username,
        )


async def _audit_money(
    actor: Principal, operation: str, fund: Fund, before: Decimal, after: Decimal
) -> None:
    await audit.record(
        actor,
        operation,
        object_type="Fund",
        object_id=to_global_id("Fund", fund.id),
        district_code=fund.district_id,
        changes=audit.diff({"balance": before}, {"balance": after}),
    )


async def transfer(
    actor: Principal, from_fund_id: int, to_fund_id: int, amount: Decimal, memo: str = ""
) -> tuple[LedgerEntry, LedgerEntry]:
    """Move money between funds: two entries sharing a reference, written together or not at all."""
    _positive(amount)
    if from_fund_id == to_fund_id:
        raise DomainError(Code.SAME_FUND, "toFundId")
    amount = to_fen(amount)
    reference = f"transfer:{uuid.uuid4().hex}"
    async with in_transaction():
        problems = Problems()
        source = await Fund.get_or_none(id=from_fund_id)
        target = await Fund.get_or_none(id=to_fund_id)
        if source is None:
            problems.add(Code.NOT_FOUND, "fromFundId", what=Words("资金", "fund"))
        if target is None:
            problems.add(Code.NOT_FOUND, "toFundId", what=Words("资金", "fund"))
        problems.raise_if_any()
        assert source is not None and target is not None
        # Lock both funds in id order so two opposite transfers cannot deadlock.
        locked = {fid: await _locked_balance(fid) for fid in sorted((from_fund_id, to_fund_id))}
        if locked[from_fund_id] < amount:
            raise DomainError(
                Code.INSUFFICIENT_FUNDS, "amount", balance=format_money(locked[from_fund_id])
            )
        await _audit_money(
            actor,
            "transferBetweenFunds",
            source,
            locked[from_fund_id],
            locked[from_fund_id] - amount,
        )
        await _audit_money(
            actor, "transferBetweenFunds", target, locked[to_fund_id], locked[to_fund_id] + amount
        )
        debit = await LedgerEntry.create(
            fund_id=from_fund_id,
            amount=-amount,
            balance_after=locked[from_fund_id] - amount,
            kind=LedgerKind.TRANSFER_OUT,
            reference=reference,
            memo=memo,
            actor=actor.username,
        )
        credit = await LedgerEntry.create(
            fund_id=to_fund_id,
            amount=amount,
            balance_after=locked[to_fund_id] + amount,
            kind=LedgerKind.TRANSFER_IN,
            reference=reference,
            memo=memo,
            actor=actor.username,
        )
    return debit, credit
