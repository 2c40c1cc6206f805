"""Funds and their append-only ledger. A balance is the sum of the fund's entries and never goes
negative: every debit locks the fund's row first (SELECT ... FOR UPDATE on PostgreSQL), so two
server processes cannot both spend the same yuan."""

from __future__ import annotations

import uuid
from decimal import Decimal
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.functions import Sum
from tortoise.transactions import in_transaction

from unionaid.core.errors import Code, DomainError, Words
from unionaid.core.global_ids import to_global_id
from unionaid.core.models import AuditEntry, District, Fund, LedgerEntry, LedgerKind
from unionaid.core.money import ZERO, format_money, to_fen
from unionaid.core.principal import Principal
from unionaid.core.services import audit
from unionaid.core.services.validation import Problems, clean_text, max_length


async def create_fund(
    actor: Principal, code: str, name: str, district_code: str | None, purpose: str = ""
) -> Fund:
    problems = Problems()
    code = problems.text(code, "code", max_length=max_length(Fund, "code"), required=True)
    name = problems.text(name, "name", max_length=max_length(Fund, "name"), required=True)
    purpose = problems.text(purpose, "purpose", max_length=max_length(Fund, "purpose")) or ""
    if district_code is not None and not await District.exists(code=district_code):
        problems.add(Code.NOT_FOUND, "districtCode", what=Words("区", "district"))
    if code and not problems.about("code") and await Fund.exists(code=code):
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


_NEWEST = """
    SELECT f.id, (SELECT e.balance_after FROM ledger_entry e WHERE e.fund_id = f.id
                  ORDER BY e.id DESC LIMIT 1) AS balance
    FROM fund f WHERE f.id IN ({})"""


async def _lock(conn: Any, fund_ids: list[int]) -> dict[int, Decimal]:
    """Lock the funds' rows — one statement, in id order, so two opposite transfers cannot
    deadlock — and return their balances. The lock serialises the fund's writers (SQLite
    serialises all writers anyway).

    A balance is read from the fund's newest entry (an index probe on (fund_id, id)), not
    summed over its whole history: every writer of the ledger holds this lock and records the
    ``balance_after`` it leaves, so the newest entry's is the sum (tests/test_concurrency_pg
    checks it). The read is a statement of its own after the lock: on PostgreSQL it then sees
    the entries of the transaction that held the lock before."""
    ids = sorted(set(fund_ids))
    # Whole rows: Tortoise drops FOR UPDATE from a values_list query.
    await Fund.filter(id__in=ids).order_by("id").select_for_update().using_db(conn)
    postgres = conn.capabilities.dialect == "postgres"
    marks = ", ".join(f"${n}" if postgres else "?" for n in range(1, len(ids) + 1))
    rows = await conn.execute_query_dict(_NEWEST.format(marks), ids)
    found = {r["id"]: to_fen(Decimal(str(r["balance"]))) for r in rows if r["balance"] is not None}
    return {fund_id: found.get(fund_id, ZERO) for fund_id in ids}


async def _locked_balance(conn: Any, fund_id: int) -> Decimal:
    return (await _lock(conn, [fund_id]))[fund_id]


def _memo(memo: str) -> str:
    return clean_text(memo, "memo", max_length=max_length(LedgerEntry, "memo")) or ""


def _positive(amount: Decimal) -> None:
    if amount <= 0:
        raise DomainError(Code.INVALID_AMOUNT, "amount")


async def contribute(
    actor: Principal,
    fund_id: int,
    amount: Decimal,
    memo: str = "",
    reference: str | None = None,
    *,
    program: str | None = None,
    district_code: str | None = None,
    period_code: str | None = None,
) -> LedgerEntry:
    """Money raised into a fund (donations, budget, the city's own fundraising, a program's
    contributions). ``program``, ``district_code`` and ``period_code`` tag the entry as a
    payment's are tagged, so a program's collected totals can be read from the ledger by
    district and period; ``reference`` names what it was for (a program's own record)."""
    _positive(amount)
    memo = _memo(memo)
    reference = clean_text(reference, "reference", max_length=max_length(LedgerEntry, "reference"))
    async with in_transaction() as conn:
        fund = await Fund.get_or_none(id=fund_id)
        if fund is None:
            raise DomainError(Code.NOT_FOUND, "fundId", what=Words("资金", "fund"))
        balance = await _locked_balance(conn, fund_id)
        after = balance + to_fen(amount)
        await audit.write([_money_entry(actor, "contributeToFund", fund, balance, after)])
        return await LedgerEntry.create(
            fund_id=fund_id,
            amount=to_fen(amount),
            balance_after=after,
            kind=LedgerKind.CONTRIBUTION,
            reference=reference,
            memo=memo,
            actor=actor.username,
            program=program,
            district_code=district_code,
            period_code=period_code,
        )


async def transfer(
    actor: Principal, from_fund_id: int, to_fund_id: int, amount: Decimal, memo: str = ""
) -> tuple[LedgerEntry, LedgerEntry]:
    """Move money between funds: two entries sharing a reference, written together or not at all."""
    _positive(amount)
    memo = _memo(memo)
    if from_fund_id == to_fund_id:
        raise DomainError(Code.SAME_FUND, "toFundId")
    amount = to_fen(amount)
    reference = f"transfer:{uuid.uuid4().hex}"
    # Nothing that can wait happens while the funds are locked: they are looked up first, and
    # inside the transaction there are only the lock, the balances and two inserts (both
    # ledger entries in one, both audit entries in another).
    found = {f.id: f for f in await Fund.filter(id__in=[from_fund_id, to_fund_id])}
    problems = Problems()
    if from_fund_id not in found:
        problems.add(Code.NOT_FOUND, "fromFundId", what=Words("资金", "fund"))
    if to_fund_id not in found:
        problems.add(Code.NOT_FOUND, "toFundId", what=Words("资金", "fund"))
    problems.raise_if_any()
    source, target = found[from_fund_id], found[to_fund_id]
    async with in_transaction() as conn:
        balance = await _lock(conn, [from_fund_id, to_fund_id])
        before_out, before_in = balance[from_fund_id], balance[to_fund_id]
        if before_out < amount:
            raise DomainError(Code.INSUFFICIENT_FUNDS, "amount", balance=format_money(before_out))
        debit = LedgerEntry(
            fund_id=from_fund_id,
            amount=-amount,
            balance_after=before_out - amount,
            kind=LedgerKind.TRANSFER_OUT,
            reference=reference,
            memo=memo,
            actor=actor.username,
        )
        credit = LedgerEntry(
            fund_id=to_fund_id,
            amount=amount,
            balance_after=before_in + amount,
            kind=LedgerKind.TRANSFER_IN,
            reference=reference,
            memo=memo,
            actor=actor.username,
        )
        await LedgerEntry.bulk_create([debit, credit])
        await audit.record_many(
            [
                _money_entry(
                    actor, "transferBetweenFunds", source, before_out, debit.balance_after
                ),
                _money_entry(
                    actor, "transferBetweenFunds", target, before_in, credit.balance_after
                ),
            ]
        )
    return debit, credit


def _money_entry(
    actor: Principal, operation: str, fund: Fund, before: Decimal, after: Decimal
) -> AuditEntry:
    """The audit entry of a change of ``fund``'s balance."""
    return audit.entry(
        actor,
        operation,
        object_type="Fund",
        object_id=to_global_id("Fund", fund.id),
        district_code=fund.district_id,
        changes=audit.diff({"balance": before}, {"balance": after}),
    )
