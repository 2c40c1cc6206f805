"""Shared by the benchmark scripts: a fresh database holding the reference register, imported
through the project's own import, with the sample plugin's reference rule installed."""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from unionaid.core import db
from unionaid.core.config import decode_key, is_postgres, new_key
from unionaid.core.crypto import Vault
from unionaid.core.host import PluginHost
from unionaid.core.imports.run import import_file
from unionaid.core.principal import Principal
from unionaid.core.services import accounts, funds, programs

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "tests" / "sample_plugin"  # the reference example of a rule
KINDS = ("districts", "enterprises", "members", "students")


def sample_host() -> PluginHost:
    sys.path.insert(0, str(SAMPLE))
    return PluginHost.load(only={"sample", "hardship"})


async def fresh_database(url: str | None) -> str:
    url = url or f"sqlite://{tempfile.mkdtemp()}/bench.sqlite3"
    if is_postgres(url):
        import asyncpg

        base, _, name = url.rpartition("/")
        conn = await asyncpg.connect(base.replace("postgres://", "postgresql://", 1) + "/postgres")
        try:
            await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{name}"')
        finally:
            await conn.close()
    return url


async def load(url: str, data: Path, host: PluginHost, key: str | None = None):
    """Migrate, import the register, enable the sample and hardship programs everywhere, fund it.
    Returns (vault, city administrator, fund id)."""
    await db.migrate(url, host)
    await db.init_db(url, host)
    vault = Vault(decode_key(key or new_key()))
    system = Principal.system("bench")
    await accounts.create_user(system, accounts.NewUser("bench", "city_admin", []))
    actor = await accounts.principal_for_user("bench", "bench")
    for kind in KINDS:
        result = await import_file(
            kind, (data / f"{kind}.csv").read_bytes(), f"{kind}.csv", actor, vault, host
        )
        print(result.summary(), flush=True)
    for code in await _districts():
        for program in ("sample", "hardship"):
            await programs.set_enabled(host, program, code, True, actor)
    fund = await funds.create_fund(actor, "BENCH", "基准资金", None)
    return vault, actor, fund.id


async def _districts() -> list[str]:
    from unionaid.core.models import District

    return list(await District.all().values_list("code", flat=True))


async def festival_campaign(
    actor, host: PluginHost, fund_id: int, program: str, rule: str, year: int = 2027
):
    """A Spring Festival campaign of ``program``'s ``rule`` over every district."""
    from unionaid.core.services import campaigns

    return await campaigns.create(
        actor,
        host,
        name=f"{year}春节慰问",
        program=program,
        rule_code=rule,
        period_code=f"{year}-spring-festival",
        district_codes=await _districts(),
        fund_id=fund_id,
    )
