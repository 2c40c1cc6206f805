"""The kit's pytest fixtures, registered by unionaid's ``pytest11`` entry point: every pytest run
in an environment where unionaid is installed has them. A plugin's conftest names the plugin
under test (``unionaid_plugin``) and may say where it is on (``program_districts``).

Fixtures (function scope): ``unionaid_host``, ``host``, ``template_db``, ``database_url``,
``settings``, ``orm``, ``app_clock``, ``app``, ``client``, ``login_as``, ``gql``,
``anonymous``, ``sql_counter``, ``add_member``. Tests marked ``postgres`` are deselected on
SQLite, and fail instead of skipping under ``CI=true`` when PostgreSQL is unreachable."""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import pytest_asyncio

from unionaid.core import db
from unionaid.core.app import create_app
from unionaid.core.config import Settings, new_key
from unionaid.core.crypto import Vault
from unionaid.core.host import PluginHost
from unionaid.core.models import Member
from unionaid.core.services import members, programs
from unionaid.core.timezone import today_in_shanghai
from unionaid.testing.client import GQL, StatementCounter
from unionaid.testing.database import (
    ON_POSTGRES,
    PG_URL,
    Templates,
    copy_of,
    postgres_items,
)
from unionaid.testing.factories import ACTOR, NOW, fixed_clock, id_number, token_for

HUISHAN = "320206"  # 惠山区: where the kit switches the plugin under test on by default


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "postgres: meaningful only on PostgreSQL (races); deselected on SQLite"
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if ON_POSTGRES or (os.environ.get("CI") == "true" and PG_URL):
        return
    if drop := postgres_items(items):
        config.hook.pytest_deselected(items=drop)
        items[:] = [item for item in items if item not in drop]


# -- what a plugin's conftest overrides --------------------------------------------------------


@pytest.fixture
def unionaid_plugin() -> Any:
    """The plugin under test: its entry-point name, the plugin object or module, or a list."""
    pytest.fail(
        "unionaid.testing: define a fixture `unionaid_plugin` in your conftest.py returning the "
        "plugin under test (its entry-point name, or the plugin module)"
    )


@pytest.fixture
def program_districts() -> tuple[str, ...]:
    """District codes where every program of the host is enabled before the app starts."""
    return (HUISHAN,)


# -- the database ------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def unionaid_templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Templates]:
    templates = Templates(tmp_path_factory.mktemp("templates"))
    yield templates
    templates.close()


@pytest.fixture
def unionaid_host(unionaid_plugin: Any, unionaid_templates: Templates) -> PluginHost:
    """A host of the plugin(s) under test and nothing else installed (one per session)."""
    return unionaid_templates.host(unionaid_plugin)


@pytest.fixture
def host(unionaid_host: PluginHost) -> PluginHost:
    """The host the app and the services use; override it to add plugins of a test's own."""
    return unionaid_host


@pytest.fixture
def template_db(unionaid_host: PluginHost, unionaid_templates: Templates) -> str:
    """A database migrated once per session for ``unionaid_host``; tests get copies of it."""
    try:
        return unionaid_templates.template(unionaid_host)
    except OSError as exc:  # PostgreSQL unreachable: fail, never skip silently
        pytest.fail(f"PostgreSQL at UNIONAID_TEST_DATABASE_URL unreachable: {exc}")


@pytest_asyncio.fixture
async def database_url(template_db: str, tmp_path: Path) -> AsyncIterator[str]:
    """A fresh migrated database for this test."""
    async with copy_of(template_db, tmp_path) as url:
        yield url


@pytest.fixture
def settings(database_url: str) -> Settings:
    return Settings.from_env({"DATABASE_URL": database_url, "UNIONAID_DATA_KEY": new_key()})


@pytest_asyncio.fixture
async def orm(settings: Settings, host: PluginHost) -> AsyncIterator[None]:
    """The ORM connected to the test's database (services can be called directly)."""
    await db.init_db(settings.database_url, host)
    yield
    await db.close_db()


# -- the app and its clients ------------------------------------------------------------------


@pytest.fixture
def app_clock() -> Callable[[], Any]:
    """The app's "now": fixed (:data:`unionaid.testing.NOW`), the same as the tokens'."""
    return fixed_clock


@pytest_asyncio.fixture
async def app(
    settings: Settings,
    host: PluginHost,
    orm: None,
    app_clock: Callable[[], Any],
    program_districts: tuple[str, ...],
):
    """The ASGI app with the host's programs enabled in ``program_districts``."""
    for program_id in host.programs:
        for district_code in program_districts:
            await programs.set_enabled(host, program_id, district_code, True, ACTOR)
    # No request budget here: statement counts stay exact.
    return create_app(settings, host, manage_db=False, rate_limit=0, clock=app_clock)


@pytest_asyncio.fixture
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as c:
        yield c


@pytest.fixture
def login_as(client: httpx.AsyncClient, orm: None) -> Callable[..., Awaitable[GQL]]:
    """``await login_as(role, districts=(...), enterprise=USCC)``: a GQL client holding a fresh
    user's token (users made through the real account service)."""

    async def make(
        role: str, districts: tuple[str, ...] = (), enterprise: str | None = None
    ) -> GQL:
        return GQL(client, await token_for(role, districts, enterprise))

    return make


@pytest_asyncio.fixture
async def gql(login_as) -> GQL:
    """A city administrator: every district, every action."""
    return await login_as("city_admin")


@pytest.fixture
def anonymous(client: httpx.AsyncClient) -> GQL:
    return GQL(client)


@pytest.fixture
def sql_counter() -> Iterator[StatementCounter]:
    """``sql_counter.count``: the SQL statements sent since the test began (reset it freely)."""
    logger = logging.getLogger("tortoise.db_client")
    counter = StatementCounter()
    old_level = logger.level
    logger.setLevel(logging.DEBUG)
    logger.addHandler(counter)
    yield counter
    logger.removeHandler(counter)
    logger.setLevel(old_level)


@pytest.fixture
def add_member(settings: Settings, orm: None) -> Callable[..., Awaitable[Member]]:
    """``await add_member(district_code, name="张三", **fields)``: a member registered through
    the core's service (fields of ``NewMember``: ``monthly_income``, ``is_union_member``...)."""
    vault = Vault(settings.data_key)

    async def make(district_code: str = HUISHAN, name: str = "张三", **fields: Any) -> Member:
        fields.setdefault("id_number", id_number(area=district_code))
        new = members.NewMember(name=name, district_code=district_code, **fields)
        return await members.create_member(ACTOR, vault, new, today=today_in_shanghai(NOW))

    return make
