"""Issue 18, backups: a live demo database, written to while it is backed up, restores whole:
every member, ledger entry and audit entry, the ledger still summing to the balances, the ID
numbers readable with the database's key (and only with it)."""

from __future__ import annotations

import asyncio
import base64
import shutil
import subprocess
import sys
import uuid
from decimal import Decimal

import pytest

from tests.conftest import ON_POSTGRES, PG_URL, _pg_admin, _pg_parts
from tests.factories import ACTOR, id_number
from unionaid.core import db, keys
from unionaid.core.backup import backup_sqlite, sqlite_path
from unionaid.core.config import Settings, new_key
from unionaid.core.demo import load_demo
from unionaid.core.models import Fund, LedgerEntry, Member
from unionaid.core.services import funds
from unionaid.core.services.members import NewMember, create_member

WRITES = 6
TABLES = ("member", "ledger_entry", "audit_entry", "fund")


async def contents() -> dict:
    """What must survive: the ids of every table, each fund's ledger total and last balance."""
    from tortoise import connections

    conn = connections.get("default")
    found = {}
    for table in TABLES:
        _, rows = await conn.execute_query(f"SELECT id FROM {table} ORDER BY id")
        found[table] = [r[0] for r in rows]
    _, ledger = await conn.execute_query(
        "SELECT fund_id, amount, balance_after FROM ledger_entry ORDER BY id"
    )
    totals: dict[int, Decimal] = {}
    last: dict[int, Decimal] = {}
    for fund_id, amount, after in ledger:
        totals[fund_id] = totals.get(fund_id, Decimal(0)) + Decimal(str(amount))
        last[fund_id] = Decimal(str(after))
    found["balances"] = last
    assert totals == last  # the ledger sums to every balance
    return found


async def write(n: int, fund_id: int, vault) -> None:
    """Real work while the backup runs: a member registered, money raised (ledger + audit)."""
    await create_member(ACTOR, vault, NewMember(f"备份中{n}", id_number(), "320206"))
    await funds.contribute(ACTOR, fund_id, Decimal("100.05"), f"备份期间捐款{n}")


async def open_with(url: str, key: bytes, host):
    encoded = base64.b64encode(key).decode()
    settings = Settings.from_env({"DATABASE_URL": url, "UNIONAID_DATA_KEY": encoded})
    return await db.open_checked(settings, host)


@pytest.mark.skipif(ON_POSTGRES, reason="SQLite's online backup API (pg_dump below)")
async def test_a_live_sqlite_database_backs_up_under_writes_and_restores_whole(
    database_url, settings, host, tmp_path
):
    vault = await db.open_checked(settings, host)
    try:
        await load_demo(host, vault, members_per_district=10)
        fund_id = (await Fund.all().order_by("id").first()).id
        before = await contents()
        loop = asyncio.get_running_loop()
        done = []

        def step() -> None:  # between two steps of the copy, a write through the services
            if len(done) < WRITES:
                asyncio.run_coroutine_threadsafe(write(len(done), fund_id, vault), loop).result()
                done.append(True)

        target = tmp_path / "backup" / "unionaid.sqlite3"
        target.parent.mkdir()
        source = sqlite_path(database_url)
        await asyncio.to_thread(backup_sqlite, source, target, pages=8, step=step)
        assert len(done) == WRITES  # the copy took more steps than there were writes
        live = await contents()
    finally:
        await db.close_db()
    assert len(live["member"]) == len(before["member"]) + WRITES
    assert len(live["ledger_entry"]) == len(before["ledger_entry"]) + WRITES

    # Restore: the file put in place of a database (here: a new folder), with its key.
    restored = tmp_path / "restored" / "unionaid.sqlite3"
    restored.parent.mkdir()
    shutil.copyfile(target, restored)
    url = f"sqlite://{restored}"
    vault = await open_with(url, settings.data_key, host)
    try:
        assert await contents() == live
        for member in await Member.filter(anonymised_at=None).values("id_number_enc"):
            assert len(vault.decrypt(member["id_number_enc"])) == 18
    finally:
        await db.close_db()
    # The backup remembers its key: another one is refused.
    with pytest.raises(keys.KeyRefused):
        await open_with(url, base64.b64decode(new_key()), host)
    await db.close_db()


def test_backup_command_writes_a_new_file_only(settings, tmp_path):
    env = {"DATABASE_URL": settings.database_url, "PATH": "/usr/bin:/bin"}
    command = [sys.executable, "-m", "unionaid.core.cli", "backup"]
    if ON_POSTGRES:
        refused = subprocess.run([*command, str(tmp_path / "x")], env=env, capture_output=True)
        assert refused.returncode == 2 and b"pg_dump" in refused.stderr
        return
    made = subprocess.run([*command, str(tmp_path / "b.sqlite3")], env=env, capture_output=True)
    assert made.returncode == 0, made.stderr
    assert (tmp_path / "b.sqlite3").stat().st_size > 0
    again = subprocess.run([*command, str(tmp_path / "b.sqlite3")], env=env, capture_output=True)
    assert again.returncode == 2 and b"exists" in again.stderr


@pytest.mark.postgres
@pytest.mark.skipif(shutil.which("pg_dump") is None, reason="pg_dump is not installed")
async def test_pg_dump_of_a_live_database_restores_whole(database_url, settings, host, tmp_path):
    vault = await db.open_checked(settings, host)
    dump = tmp_path / "unionaid.dump"
    try:
        await load_demo(host, vault, members_per_district=10)
        fund_id = (await Fund.all().order_by("id").first()).id
        before = await contents()
        dumping = await asyncio.create_subprocess_exec(
            "pg_dump", "--format=custom", f"--file={dump}", database_url
        )
        for n in range(WRITES):  # writes while pg_dump runs (its snapshot is consistent)
            await write(n, fund_id, vault)
        assert await dumping.wait() == 0
    finally:
        await db.close_db()
    name = f"ua_restore_{uuid.uuid4().hex[:10]}"
    await _pg_admin(PG_URL, f'CREATE DATABASE "{name}"')
    url = _pg_parts(PG_URL, name)
    try:
        restoring = await asyncio.create_subprocess_exec(
            "pg_restore", "--no-owner", f"--dbname={url}", str(dump)
        )
        assert await restoring.wait() == 0
        vault = await open_with(url, settings.data_key, host)
        try:
            after = await contents()
            for table in TABLES:  # everything there when the dump began, in one state
                assert set(before[table]) <= set(after[table]), table
            for member in await Member.filter(anonymised_at=None).values("id_number_enc"):
                assert len(vault.decrypt(member["id_number_enc"])) == 18
            with pytest.raises(Exception, match="append-only"):  # its triggers came back too
                await LedgerEntry.filter(fund_id=fund_id).update(memo="x")
        finally:
            await db.close_db()
    finally:
        await _pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
