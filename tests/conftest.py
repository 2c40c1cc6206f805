"""Test set-up: a real database per test, migrated by the project's own migrations.

SQLite by default (a migrated template file copied per test). With
``UNIONAID_TEST_DATABASE_URL=postgres://...`` every test gets its own scratch database, cloned
from a migrated template and dropped afterwards. The suite never reads ``DATABASE_URL``.
Tests marked ``postgres`` (races) are deselected on SQLite, and fail instead of skipping under
``CI=true`` when PostgreSQL is unreachable."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.factories import fixed_clock, token_for
from unionaid.core import db
from unionaid.core.app import create_app
from unionaid.core.config import Settings, is_postgres, new_key
from unionaid.core.host import PluginHost

PG_URL = os.environ.get("UNIONAID_TEST_DATABASE_URL", "")
ON_POSTGRES = is_postgres(PG_URL) if PG_URL else False


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if ON_POSTGRES:
        return
    if os.environ.get("CI") == "true" and PG_URL:
        return
    keep, drop = [], []
    for item in items:
        (drop if item.get_closest_marker("postgres") else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def _pg_parts(url: str, database: str) -> str:
    base, _, _ = url.rpartition("/")
    return f"{base}/{database}"


async def _pg_admin(url: str, *statements: str) -> None:
    import asyncpg

    conn = await asyncpg.connect(url.replace("postgres://", "postgresql://", 1))
    try:
        for statement in statements:
            await conn.execute(statement)
    finally:
        await conn.close()


SAMPLE = Path(__file__).parent / "sample_plugin"


@pytest.fixture
def sample_installed(monkeypatch):
    """Install the sample plugin the way pip does: a dist-info with an entry point on sys.path."""
    monkeypatch.syspath_prepend(str(SAMPLE))
    import importlib

    importlib.invalidate_caches()
    yield
    import sys

    for name in [m for m in sys.modules if m.startswith("unionaid_sample")]:
        del sys.modules[name]


@pytest.fixture(scope="session")
def builtin_host() -> PluginHost:
    return PluginHost.load(builtin_only=True)


@pytest.fixture(scope="session")
def template_db(
    tmp_path_factory: pytest.TempPathFactory, builtin_host: PluginHost
) -> Iterator[str]:
    """A database migrated once per session; tests get copies of it."""
    if ON_POSTGRES:
        name = f"ua_tpl_{uuid.uuid4().hex[:10]}"
        try:
            asyncio.run(_pg_admin(PG_URL, f'CREATE DATABASE "{name}"'))
        except OSError as exc:  # unreachable: fail, never skip silently
            pytest.fail(f"PostgreSQL at UNIONAID_TEST_DATABASE_URL unreachable: {exc}")
        url = _pg_parts(PG_URL, name)
        asyncio.run(db.migrate(url, builtin_host))
        yield name
        asyncio.run(_pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    else:
        path = tmp_path_factory.mktemp("template") / "template.sqlite3"
        asyncio.run(db.migrate(f"sqlite://{path}", builtin_host))
        yield str(path)


@pytest.fixture
async def database_url(template_db: str, tmp_path: Path) -> AsyncIterator[str]:
    if ON_POSTGRES:
        name = f"ua_t_{uuid.uuid4().hex[:12]}"
        await _pg_admin(PG_URL, f'CREATE DATABASE "{name}" TEMPLATE "{template_db}"')
        yield _pg_parts(PG_URL, name)
        await db.close_db()
        await _pg_admin(PG_URL, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        path = tmp_path / "test.sqlite3"
        shutil.copyfile(template_db, path)
        yield f"sqlite://{path}"


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings.from_env({"DATABASE_URL": database_url, "UNIONAID_DATA_KEY": new_key()})


@pytest.fixture
def host(builtin_host: PluginHost) -> PluginHost:
    return builtin_host


@pytest.fixture
async def orm(settings: Settings, host: PluginHost) -> AsyncIterator[None]:
    await db.init_db(settings.database_url, host)
    yield
    await db.close_db()


class GQL:
    """Posts GraphQL over real HTTP through the ASGI app, with a bearer token when given one."""

    def __init__(self, client: httpx.AsyncClient, token: str | None = None) -> None:
        self.client = client
        self.token = token

    async def __call__(
        self, query: str, variables: dict[str, Any] | None = None, **headers: str
    ) -> dict[str, Any]:
        if self.token is not None:
            headers.setdefault("Authorization", f"Bearer {self.token}")
        response = await self.client.post(
            "/graphql", json={"query": query, "variables": variables or {}}, headers=headers
        )
        assert response.status_code in (200, 400), response.text
        return response.json()

    async def ok(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        body = await self(query, variables)
        assert "errors" not in body, body
        return body["data"]


@pytest.fixture
def app_clock():
    """The app's "now": fixed, the same as the tokens ``token_for`` makes (tests whose tokens
    come from a CLI subprocess, which reads the machine's clock, use that clock instead)."""
    return fixed_clock


@pytest.fixture
async def app(settings: Settings, host: PluginHost, orm: None, app_clock):
    # No request budget here: statement counts stay exact (test_limits covers the budget).
    return create_app(settings, host, manage_db=False, rate_limit=0, clock=app_clock)


@pytest.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


@pytest.fixture
def login_as(client: httpx.AsyncClient, orm: None):
    """``await login_as(role, districts=(...), enterprise=USCC)``: a GQL client holding a fresh
    user's token (users made through the real account service)."""

    async def make(
        role: str, districts: tuple[str, ...] = (), enterprise: str | None = None
    ) -> GQL:
        return GQL(client, await token_for(role, districts, enterprise))

    return make


@pytest.fixture
async def gql(login_as) -> GQL:
    """A city administrator: every district, every action."""
    return await login_as("city_admin")


@pytest.fixture
def anonymous(client: httpx.AsyncClient) -> GQL:
    return GQL(client)


class StatementCounter(logging.Handler):
    """Counts the SQL statements Tortoise sends (it logs each on tortoise.db_client)."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.count = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.count += 1


@pytest.fixture
def sql_counter() -> Iterator[StatementCounter]:
    logger = logging.getLogger("tortoise.db_client")
    counter = StatementCounter()
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(counter)
    yield counter
    logger.removeHandler(counter)
    logger.setLevel(old_level)
