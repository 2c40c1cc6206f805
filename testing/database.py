"""Migrated databases for tests: a template migrated once per session and set of plugins, and a
fresh copy of it per test. SQLite by default (the template file is copied); with
``UNIONAID_TEST_DATABASE_URL=postgres://...`` each test gets its own scratch database cloned from
a migrated template database, dropped afterwards. ``DATABASE_URL`` is never read."""

from __future__ import annotations

import asyncio
import importlib.metadata
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from pathlib import Path

import asyncpg

from unionaid.core import db
from unionaid.core.config import is_postgres
from unionaid.core.host import ENTRY_POINT_GROUP, PluginHost

PG_URL = os.environ.get("UNIONAID_TEST_DATABASE_URL", "")
ON_POSTGRES = is_postgres(PG_URL) if PG_URL else False


def database_named(url: str, database: str) -> str:
    """``url`` pointing at another database of the same server."""
    base, _, _ = url.rpartition("/")
    return f"{base}/{database}"


async def pg_admin(url: str, *statements: str) -> None:
    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


def host_for(plugins: object) -> PluginHost:
    """A host of ``plugins``: an entry-point name, a plugin object (or module), or a list of
    them. Names are looked up in the installed entry points; nothing else installed is loaded."""
    specs = list(plugins) if isinstance(plugins, list | tuple | set | frozenset) else [plugins]
    names = {spec for spec in specs if isinstance(spec, str)}
    installed = {ep.name for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)}
    if missing := sorted(names - installed):
        raise LookupError(f"no installed unionaid plugin is called {missing} (pip install it?)")
    host = PluginHost.load(only=names)
    for spec in specs:
        if not isinstance(spec, str):
            host.register(spec)
    host.check()
    return host


class Templates:
    """The session's hosts and migrated template databases, one per set of plugins."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.hosts: dict[tuple, tuple[object, PluginHost]] = {}
        self.templates: dict[int, str] = {}

    def host(self, plugins: object) -> PluginHost:
        specs = plugins if isinstance(plugins, list | tuple | set | frozenset) else [plugins]
        key = tuple(spec if isinstance(spec, str) else id(spec) for spec in specs)
        if key not in self.hosts:  # the specs are kept so that their ids stay theirs
            self.hosts[key] = (plugins, host_for(plugins))
        return self.hosts[key][1]

    def template(self, host: PluginHost) -> str:
        """A database migrated for ``host``: a SQLite file path, or a PostgreSQL database name."""
        if id(host) not in self.templates:
            self.templates[id(host)] = asyncio.run(self._migrate(host))
        return self.templates[id(host)]

    async def _migrate(self, host: PluginHost) -> str:
        if not ON_POSTGRES:
            path = self.folder / f"template-{len(self.templates)}.sqlite3"
            await db.migrate(f"sqlite://{path}", host)
            return str(path)
        name = f"ua_tpl_{uuid.uuid4().hex[:10]}"
        await pg_admin(PG_URL, f'CREATE DATABASE "{name}"')
        await db.migrate(database_named(PG_URL, name), host)
        return name

    def close(self) -> None:
        if ON_POSTGRES and self.templates:
            drops = [f'DROP DATABASE IF EXISTS "{n}" WITH (FORCE)' for n in self.templates.values()]
            asyncio.run(pg_admin(PG_URL, *drops))


@asynccontextmanager
async def copy_of(template: str, folder: Path) -> AsyncIterator[str]:
    """The URL of a fresh copy of ``template``, dropped afterwards (PostgreSQL)."""
    if not ON_POSTGRES:
        path = folder / "test.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite://{path}"
        return
    name = f"ua_t_{uuid.uuid4().hex[:12]}"
    await pg_admin(PG_URL, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield database_named(PG_URL, name)
    finally:
        await db.close_db()
        await pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def postgres_items(items: Iterable) -> list:
    """The collected tests marked ``postgres`` (races: meaningful only on PostgreSQL)."""
    return [item for item in items if item.get_closest_marker("postgres")]
