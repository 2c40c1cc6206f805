"""Database set-up: the Tortoise configuration of the core and every loaded plugin, and the
migrations that build it."""

from __future__ import annotations

import asyncio
import datetime as dt
import os
import sqlite3
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from decimal import Decimal
from enum import StrEnum
from itertools import chain
from typing import Any

import orjson
from tortoise import Tortoise, connections
from tortoise.backends.base.client import TransactionalDBClient
from tortoise.migrations.api import migrate as tortoise_migrate
from tortoise.transactions import in_transaction

from unionaid.core import keys
from unionaid.core.config import Settings, normalise_database_url
from unionaid.core.crypto import Vault
from unionaid.core.host import PluginHost


def _connection(url: str) -> str | dict[str, Any]:
    """The connection config; on PostgreSQL every statement gets a time limit, so a runaway
    query is cancelled by the server itself (``UNIONAID_STATEMENT_TIMEOUT_MS``, default 30 s)."""
    if not url.startswith(("postgres://", "asyncpg://", "psycopg://")):
        return url
    from tortoise.backends.base.config_generator import expand_db_url

    config = expand_db_url(url)
    limit = os.environ.get("UNIONAID_STATEMENT_TIMEOUT_MS", "30000")
    settings = config["credentials"].setdefault("server_settings", {})
    settings.update({"statement_timeout": limit, "application_name": "unionaid"})
    return config


def tortoise_config(database_url: str, host: PluginHost) -> dict[str, Any]:
    url = normalise_database_url(database_url)
    return {
        "connections": {"default": _connection(url)},
        "apps": {
            label: {**app, "default_connection": "default"}
            for label, app in host.tortoise_apps().items()
        },
        "use_tz": True,
        "timezone": "UTC",
    }


async def init_db(database_url: str, host: PluginHost) -> None:
    # The global fallback lets request tasks (which do not inherit the lifespan's context)
    # reach the ORM; see STACK.md on TortoiseContext.
    await Tortoise.init(config=tortoise_config(database_url, host), _enable_global_fallback=True)


async def open_checked(settings: Settings, host: PluginHost) -> Vault:
    """Bring the ORM up and check this process's data key against the database's before
    anything is written (:func:`unionaid.core.keys.open_vault`); the vault to use."""
    await init_db(settings.database_url, host)
    try:
        return await keys.open_vault(settings)
    except BaseException:
        await close_db()
        raise


async def migrate_checked(settings: Settings, host: PluginHost) -> None:
    """:func:`migrate`, refused when the database already knows another key; then the key's
    fingerprint is recorded if the database has none yet."""
    await init_db(settings.database_url, host)
    try:
        if await keys.has_table():
            await keys.open_vault(settings)
    finally:
        await close_db()
    await migrate(settings.database_url, host)
    await open_checked(settings, host)
    await close_db()


async def close_db() -> None:
    # Also releases the global fallback context, so the process can initialise again.
    await Tortoise.close_connections()


async def migrate(database_url: str, host: PluginHost) -> None:
    """Apply every pending migration of the core and the loaded plugins, core first."""
    await tortoise_migrate(config=tortoise_config(database_url, host))
    await Tortoise.close_connections()


async def ping() -> bool:
    try:
        await connections.get("default").execute_query("SELECT 1")
    except Exception:
        return False
    return True


async def ping_within(seconds: float) -> bool:
    """``ping`` bounded in time: False when the database has not answered within ``seconds``
    (it may accept connections and never reply). The ping is cancelled but not awaited, so a
    driver that is slow to give up on a silent socket cannot hold the answer back."""
    task = asyncio.ensure_future(ping())
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if task in done:
        return task.result()
    task.cancel()
    return False


# Read by ``tortoise`` CLI internals during ``unionaid makemigrations`` (a dotted config path).
CLI_CONFIG: dict[str, Any] = {}


async def make_migrations(host: PluginHost, app_labels: tuple[str, ...], name: str | None) -> None:
    """Write new migration files for model changes (development command).

    Generate in dependency order (the core first, then each plugin): files created for several
    apps in one run carry no cross-app dependencies."""
    from tortoise.cli.cli import CLIContext, makemigrations

    CLI_CONFIG.clear()
    CLI_CONFIG.update(tortoise_config("sqlite://:memory:", host))
    labels = app_labels or tuple(host.tortoise_apps())
    for label in labels:
        # A plugin's models point at the core's, so the core is loaded alongside (generate the
        # core's own migrations first: it then has nothing pending here).
        selected = (label,) if label == "core" else ("core", label)
        await makemigrations(CLIContext("unionaid.core.db.CLI_CONFIG", None), selected, False, name)


async def reserve_ids(conn: Any, table: str, count: int) -> list[int]:
    """``count`` primary keys for rows a bulk insert will write with explicit ids (bulk inserts
    do not return the keys they create). Call inside the transaction that inserts them."""
    if count == 0:
        return []
    if conn.capabilities.dialect == "postgres":
        rows = await conn.execute_query_dict(
            f"SELECT nextval(pg_get_serial_sequence('{table}', 'id')) AS id "
            "FROM generate_series(1, $1)",
            [count],
        )
        return [r["id"] for r in rows]
    # SQLite has one writer: take the write lock first, then nobody can take ids under us.
    # (execute_query, not execute_script: sqlite3's executescript commits the transaction.)
    await conn.execute_query(f"UPDATE {table} SET id = id WHERE 0")
    rows = await conn.execute_query_dict(f"SELECT COALESCE(MAX(id), 0) AS top FROM {table}")
    top = rows[0]["top"]
    return list(range(top + 1, top + 1 + count))


def _db_value(value: Any, postgres: bool) -> Any:
    if isinstance(value, (dict, list)):
        return orjson.dumps(value).decode()
    if isinstance(value, Decimal) and not postgres:
        return str(value)
    if isinstance(value, dt.datetime) and not postgres:
        return value.isoformat(" ")
    if isinstance(value, StrEnum):
        return value.value
    return value


async def insert_many(
    conn: Any,
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    shared: Mapping[str, Any] | None = None,
) -> None:
    """Insert plain rows (values in the order of ``columns``), each also holding the ``shared``
    column values, for hot paths where building ORM objects would cost more than the database
    work (campaign evaluation)."""
    if not rows:
        return
    shared = shared or {}
    postgres = conn.capabilities.dialect == "postgres"
    convert = [
        i
        for i, value in enumerate(rows[0])
        if value is None or _db_value(value, postgres) is not value
    ]
    # Columns to convert mostly hold a few objects shared by many rows (each district's
    # amount): each object is converted once, column by column. (Keyed by identity: the rows
    # keep the objects alive, and equal values can differ in form, like 500 and 500.00.)
    values = [list(row) for row in rows] if convert else rows
    for i in convert:
        done: dict[int, Any] = {}
        for line in values:
            value = line[i]
            converted = done.get(id(value), done)
            if converted is done:
                converted = done[id(value)] = _db_value(value, postgres)
            line[i] = converted
    common = [_db_value(value, postgres) for value in shared.values()]
    names = ", ".join(f'"{c}"' for c in (*shared, *columns))
    raw = getattr(conn, "_connection", None)  # the asyncpg connection of a transaction
    if postgres and hasattr(raw, "copy_records_to_table"):
        # COPY: several times faster than a prepared INSERT per row for thousands of rows.
        import asyncpg
        from tortoise.exceptions import IntegrityError

        records = [[*common, *line] for line in values] if common else values
        try:
            await raw.copy_records_to_table(table, records=records, columns=[*shared, *columns])
        except asyncpg.IntegrityConstraintViolationError as exc:
            # The raw connection bypasses Tortoise: speak its language, as execute_many would.
            raise IntegrityError(exc) from exc
        return
    if postgres:
        marks = ", ".join(f"${i + 1}" for i in range(len(shared) + len(columns)))
        await conn.execute_many(
            f'INSERT INTO "{table}" ({names}) VALUES ({marks})',
            [[*common, *line] for line in values],
        )
        return
    # SQLite: many rows per statement, the shared values bound once per statement. executemany
    # binds each row holding the GIL, so while the event loop's thread runs Python (deciding
    # the next batch) each row waits for the GIL (10,000 rows: 0.08 s alone, over 50 s next to
    # a busy thread); a multi-row INSERT takes the GIL once per statement, and is faster alone
    # too.
    per = max(1, (_SQLITE_VARIABLES - len(common)) // len(columns))
    one = "(" + ", ".join("?" * len(columns)) + ")"
    select = "SELECT " + "".join("?, " * len(common)) + "* FROM (VALUES "
    for start in range(0, len(values), per):
        chunk = values[start : start + per]
        await conn.execute_query(
            f'INSERT INTO "{table}" ({names}) ' + select + ", ".join([one] * len(chunk)) + ")",
            [*common, *chain.from_iterable(chunk)],
        )


# Parameters per SQLite statement: the default limit, 32,766 since SQLite 3.32 (999 before).
_SQLITE_VARIABLES = 32766 if sqlite3.sqlite_version_info >= (3, 32) else 999


async def insert_all(
    table: str,
    columns: Sequence[str],
    rows: Sequence[Sequence[Any]],
    shared: Mapping[str, Any] | None = None,
) -> None:
    """:func:`insert_many` whole or not at all, in as few round trips as the database allows.
    On SQLite, rows that fit one statement go in as that statement alone (a statement is atomic
    by itself): every round trip is a hop through the event loop and the driver's thread, and
    while the event loop's thread is busy (a campaign deciding its next batch) each hop waits
    for the GIL, so a BEGIN and a COMMIT around the statement would triple the wait."""
    if not rows:
        return
    client = connections.get("default")
    size = len(rows) * len(columns) + len(shared or ())
    if client.capabilities.dialect == "sqlite" and size <= _SQLITE_VARIABLES:
        await insert_many(client, table, columns, rows, shared)
        return
    async with in_transaction() as conn:
        await insert_many(conn, table, columns, rows, shared)


@asynccontextmanager
async def bulk_reader() -> AsyncIterator[Any]:
    """A connection for a long series of reads that need to see only committed data (a campaign's
    candidates). On a SQLite file, a second connection of its own, closed on leaving: the
    default connection runs one statement at a time for everybody, so the next batch could not
    be read while the last one is written, and WAL lets one writer and any readers work at
    once. Elsewhere (PostgreSQL's pool, in-memory SQLite), or inside a transaction, which must
    see its own writes: the current connection."""
    current = connections.get("default")
    url = getattr(current, "filename", None)  # a SQLite client outside a transaction
    if url is None or url == ":memory:" or isinstance(current, TransactionalDBClient):
        yield current
        return
    from tortoise.backends.sqlite import SqliteClient

    reader = SqliteClient(url, connection_name="bulk_reader", query_only="ON")
    try:
        yield reader
    finally:
        await reader.close()


async def raw_rows(query: Any, *columns: str) -> list[Sequence[Any]]:
    """The rows of ``query.values(*columns)`` as sequences in the order of ``columns``, without
    Tortoise's per-value conversions (dates stay as the driver gives them: ``date`` on
    PostgreSQL, ISO text on SQLite). For hot read paths only; callers convert what they use."""
    values = query.values(*columns)
    values._choose_db_if_not_chosen()
    values._make_query()
    sql, params = values.query.get_parameterized_sql()
    client = values._db
    if client.capabilities.dialect != "sqlite":
        return (await client.execute_query(sql, params))[1]
    # SQLite runs in a thread that needs the GIL back for every row it hands over; while the
    # event loop's thread is busy deciding, each such hand-over waits for a forced switch, so a
    # read of thousands of rows would only finish once deciding stops. One JSON text of all
    # the rows needs it once. (JSON carries text, integers and NULL unchanged; the hot reads
    # have no REAL columns.)
    names = ", ".join(f'"{c}"' for c in columns)
    _, rows = await client.execute_query(
        f"SELECT json_group_array(json_array({names})) FROM ({sql})", params
    )
    return orjson.loads(rows[0][0])


async def refresh_statistics(*tables: str) -> None:
    """Refresh the query planner's statistics of tables a bulk write changed. Without them
    SQLite plans blind: it walks the district index for a campaign over every district where
    a scan of the table in id order is several times faster. (PostgreSQL's autovacuum would
    get there eventually; after a bulk import, now is better.)"""
    conn = connections.get("default")
    for table in tables:  # (execute_script would commit a caller's SQLite transaction)
        await conn.execute_query(f'ANALYZE "{table}"')


def is_unavailable(exc: BaseException) -> bool:
    """Whether an exception means "the database cannot be reached" (not a bug of ours)."""
    import asyncpg
    from tortoise.exceptions import DBConnectionError

    unreachable = (
        DBConnectionError,
        ConnectionError,
        OSError,
        TimeoutError,
        asyncpg.PostgresConnectionError,
        asyncpg.InterfaceError,
        asyncpg.exceptions.CannotConnectNowError,  # the server is starting or shutting down
    )
    if isinstance(exc, unreachable):
        return True
    cause = exc.__cause__ or exc.__context__
    return cause is not None and cause is not exc and is_unavailable(cause)
