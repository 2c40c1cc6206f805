"""Database set-up: the Tortoise configuration of the core and every loaded plugin, and the
migrations that build it."""

from __future__ import annotations

from typing import Any

from tortoise import Tortoise, connections
from tortoise.migrations.api import migrate as tortoise_migrate

from unionaid.core.config import normalise_database_url
from unionaid.core.host import PluginHost


def tortoise_config(database_url: str, host: PluginHost) -> dict[str, Any]:
    url = normalise_database_url(database_url)
    return {
        "connections": {"default": url},
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
