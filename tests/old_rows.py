"""Migration tests' one set-up: a fresh database migrated up to an older migration, rows
written there as that schema had them (references unchecked: the rows stand alone), then
migrated on to the newest, and what the new schema made of them read back."""

from __future__ import annotations

import sqlite3
import uuid
from pathlib import Path

from tortoise import Tortoise
from tortoise.migrations.api.migrate import migrate

from tests.conftest import ON_POSTGRES, PG_URL, _pg_admin, _pg_parts
from unionaid.core import db
from unionaid.core.host import PluginHost


async def migrated_on(
    tmp_path: Path, host: PluginHost, target: str, inserts: list[str], reads: list[str]
) -> list[list[tuple]]:
    """Migrate to ``target`` ("app.name"), run ``inserts``, migrate on, answer each of
    ``reads``' rows as tuples."""
    if ON_POSTGRES:
        import asyncpg

        name = f"ua_t_{uuid.uuid4().hex[:12]}"
        await _pg_admin(PG_URL, f'CREATE DATABASE "{name}"')
        url = _pg_parts(PG_URL, name)

        async def run(sql: str) -> list:
            conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
            try:
                await conn.execute("SET session_replication_role = replica")  # no FK checks
                return [tuple(r) for r in await conn.fetch(sql)]
            finally:
                await conn.close()
    else:
        path = tmp_path / "old.sqlite3"
        url = f"sqlite://{path}"

        async def run(sql: str) -> list:
            with sqlite3.connect(path) as conn:  # a plain connection checks no foreign keys
                return conn.execute(sql).fetchall()

    config = db.tortoise_config(url, host)
    try:
        await migrate(config=config, target=target)
        await Tortoise.close_connections()
        for sql in inserts:
            await run(sql)
        await migrate(config=config)
        await Tortoise.close_connections()
        return [await run(sql) for sql in reads]
    finally:
        if ON_POSTGRES:
            await _pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
