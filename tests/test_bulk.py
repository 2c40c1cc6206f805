"""The bulk paths campaign evaluation runs on (``db.insert_many``, ``db.insert_all``,
``db.raw_rows``, ``db.bulk_reader``), against the real database: rows go in whole or not at all,
and come back as the database holds them."""

import datetime as dt
from decimal import Decimal

import pytest
from tortoise import connections
from tortoise.exceptions import IntegrityError, OperationalError
from tortoise.transactions import in_transaction

from tests.factories import ACTOR, id_number
from unionaid.core import db
from unionaid.core.crypto import Vault
from unionaid.core.models import District, Member
from unionaid.core.services import members
from unionaid.core.services.evaluation import FACT_COLUMNS

COLUMNS = ("code", "name")


async def test_a_bulk_insert_in_several_statements_is_all_or_nothing(orm, monkeypatch):
    # Two rows per statement on SQLite (two columns, four parameters); PostgreSQL copies.
    monkeypatch.setattr(db, "_SQLITE_VARIABLES", 4)
    await District.create(code="990005", name="已有")
    rows = [[f"99000{n}", f"测试{n}区"] for n in range(1, 6)]
    with pytest.raises(IntegrityError):  # the fifth row, in the third statement, is taken
        async with in_transaction() as conn:
            await db.insert_many(conn, "district", COLUMNS, rows)
    assert await District.filter(code__startswith="99").count() == 1
    rows[-1][0] = "990006"
    async with in_transaction() as conn:
        await db.insert_many(conn, "district", COLUMNS, rows)
    stored = (
        await District.filter(code__startswith="99").order_by("code").values_list("code", "name")
    )
    assert stored == [tuple(r) for r in rows[:4]] + [("990005", "已有"), ("990006", "测试5区")]


@pytest.mark.parametrize("per_statement", [5, 2], ids=["one statement", "several"])
async def test_insert_all_is_all_or_nothing_without_a_transaction(orm, monkeypatch, per_statement):
    # One statement (atomic by itself on SQLite) or several (then in a transaction).
    monkeypatch.setattr(db, "_SQLITE_VARIABLES", per_statement * len(COLUMNS))
    await District.create(code="990005", name="已有")
    rows = [[f"99000{n}", f"测试{n}区"] for n in range(1, 6)]
    with pytest.raises(IntegrityError):  # the last row is taken
        await db.insert_all("district", COLUMNS, rows)
    assert await District.filter(code__startswith="99").count() == 1
    rows[-1][0] = "990006"
    await db.insert_all("district", COLUMNS, rows)
    assert await District.filter(code__startswith="99").count() == 6


async def test_raw_rows_return_what_is_stored(orm, settings):
    vault = Vault(settings.data_key)
    made = []
    for income, union in ((Decimal("1234.50"), True), (None, False)):
        made.append(
            await members.create_member(
                ACTOR,
                vault,
                members.NewMember(
                    name="王五",
                    id_number=id_number(dt.date(1980, 2, 29)),
                    district_code="320206",
                    monthly_income=income,
                    is_union_member=union,
                ),
            )
        )
    found = await db.raw_rows(
        Member.filter(id__in=[m.id for m in made]).order_by("id"), *FACT_COLUMNS
    )
    assert [len(r) for r in found] == [len(FACT_COLUMNS)] * 2
    rows = [dict(zip(FACT_COLUMNS, r, strict=True)) for r in found]
    postgres = connections.get("default").capabilities.dialect == "postgres"
    for row, member, income in zip(rows, made, ("1234.50", None), strict=True):
        assert row["id"] == member.id and row["household_id"] == member.household_id
        assert row["district_id"] == "320206"
        # Raw means as the driver gives it: PostgreSQL types, SQLite's text and integers.
        assert row["birth_date"] == (dt.date(1980, 2, 29) if postgres else "1980-02-29")
        assert row["monthly_income"] == (
            (Decimal(income) if postgres else income) if income else None
        )
        assert bool(row["is_union_member"]) is (income is not None)
        assert row["household__declared_size"] is None


async def test_the_bulk_reader_reads_what_is_committed_on_a_connection_of_its_own(orm):
    await District.create(code="990001", name="已提交")
    default = connections.get("default")
    sqlite_file = default.capabilities.dialect == "sqlite"
    async with db.bulk_reader() as reader:
        assert (reader is not default) is sqlite_file  # PostgreSQL's pool needs no second one
        found = await District.filter(code__startswith="99").using_db(reader).values_list("name")
        assert found == [("已提交",)]
        if sqlite_file:
            with pytest.raises(OperationalError):  # it only reads
                await reader.execute_query("DELETE FROM district WHERE code = '990001'")
    if sqlite_file:
        assert reader._connection is None  # closed on leaving
    assert await District.filter(code="990001").exists()


async def test_inside_a_transaction_the_bulk_reader_sees_its_writes(orm):
    async with in_transaction() as conn:
        await District.create(code="990002", name="未提交", using_db=conn)
        async with db.bulk_reader() as reader:
            assert reader is connections.get("default")
            assert await District.filter(code="990002").using_db(reader).exists()


@pytest.mark.parametrize("per_statement", [3, 1], ids=["one statement", "several"])
async def test_shared_values_go_into_every_row(orm, monkeypatch, per_statement):
    # The shared value is bound once per statement on SQLite, copied into each row elsewhere.
    monkeypatch.setattr(db, "_SQLITE_VARIABLES", per_statement + 1)
    rows = [[f"99000{n}"] for n in range(1, 4)]
    await db.insert_all("district", ("code",), rows, shared={"name": "共用名"})
    stored = (
        await District.filter(code__startswith="99").order_by("code").values_list("code", "name")
    )
    assert stored == [(f"99000{n}", "共用名") for n in range(1, 4)]


async def test_an_in_memory_database_is_read_on_its_own_connection(host):
    # A second connection to ":memory:" would open another, empty database.
    await db.init_db("sqlite://:memory:", host)
    try:
        default = connections.get("default")
        async with db.bulk_reader() as reader:
            assert reader is default
    finally:
        await db.close_db()
