"""The database connection cut and restored under a running app — through a TCP proxy this test
starts and controls (the shared PostgreSQL server is never stopped): the service reports
unavailable, then recovers without a restart."""

import asyncio
import contextlib

import httpx
import pytest

from tests.conftest import GQL
from tests.factories import fixed_clock, token_for
from unionaid.core import db
from unionaid.core.app import create_app


class Proxy:
    """Forwards 127.0.0.1:<port> to PostgreSQL; ``cut()`` drops every connection and refuses
    new ones, ``restore()`` accepts again on the same port."""

    def __init__(self, target_port: int) -> None:
        self.target_port = target_port
        self.server: asyncio.base_events.Server | None = None
        self.port = 0
        self.links: set[asyncio.StreamWriter] = set()
        self.frozen = False

    def freeze(self) -> None:
        """From now on the database "accepts connections but never replies": open links drop
        what they carry and new connections are accepted and left unanswered."""
        self.frozen = True

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._link, "127.0.0.1", self.port)
        self.port = self.server.sockets[0].getsockname()[1]

    async def _link(self, reader, writer) -> None:
        if self.frozen:
            self.links.add(writer)
            return
        up_reader, up_writer = await asyncio.open_connection("127.0.0.1", self.target_port)
        self.links |= {writer, up_writer}

        async def pipe(src, dst):
            with contextlib.suppress(Exception):
                while data := await src.read(65536):
                    if self.frozen:
                        continue
                    dst.write(data)
                    await dst.drain()
            dst.close()

        await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))

    async def cut(self) -> None:
        self.frozen = False
        self.server.close()
        for writer in self.links:
            writer.transport.abort()
        self.links.clear()
        await self.server.wait_closed()

    async def restore(self) -> None:
        await self.start()


@pytest.mark.postgres
async def test_unavailable_then_recovered(database_url, host):
    from urllib.parse import urlsplit

    parts = urlsplit(database_url)
    proxy = Proxy(parts.port or 5432)
    await proxy.start()
    via_proxy = database_url.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{proxy.port}")
    from unionaid.core.config import Settings, new_key

    settings = Settings.from_env({"DATABASE_URL": via_proxy, "UNIONAID_DATA_KEY": new_key()})
    await db.init_db(via_proxy, host)
    try:
        app = create_app(settings, host, manage_db=False, rate_limit=0, clock=fixed_clock)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as c:
            gql = GQL(c, await token_for("city_admin"))
            assert "errors" not in await gql("{ districts { code } }")
            await proxy.cut()
            down = await c.post(
                "/graphql",
                json={"query": "{ districts { code } }"},
                headers={"Authorization": f"Bearer {gql.token}"},
            )
            assert down.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
            assert "Traceback" not in down.text and "asyncpg" not in down.text
            assert (await c.get("/readyz")).status_code == 503
            await proxy.restore()
            recovered = None
            for _ in range(5):  # the pool replaces its dead connections on the next tries
                recovered = await gql("{ districts { code } }")
                if "errors" not in recovered:
                    break
            assert "errors" not in recovered, recovered
            assert (await c.get("/readyz")).status_code == 200
    finally:
        await db.close_db()
        await proxy.cut()


@pytest.mark.postgres
async def test_every_statement_has_a_server_side_time_limit(orm):
    from tortoise import connections

    rows = await connections.get("default").execute_query_dict("SHOW statement_timeout")
    assert rows[0]["statement_timeout"] == "30s"


@pytest.mark.postgres
async def test_readyz_answers_in_time_when_the_database_never_replies(database_url, host):
    """A database that accepts connections but never answers: /readyz still answers, 503,
    within 2 s (``UNIONAID_READY_TIMEOUT``, 1.5 s by default)."""
    import time
    from urllib.parse import urlsplit

    from unionaid.core.config import Settings, new_key

    parts = urlsplit(database_url)
    proxy = Proxy(parts.port or 5432)
    await proxy.start()
    via_proxy = database_url.replace(f"{parts.hostname}:{parts.port}", f"127.0.0.1:{proxy.port}")
    settings = Settings.from_env({"DATABASE_URL": via_proxy, "UNIONAID_DATA_KEY": new_key()})
    assert settings.ready_timeout == 1.5
    await db.init_db(via_proxy, host)
    try:
        app = create_app(settings, host, manage_db=False, rate_limit=0, clock=fixed_clock)
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://t"
        ) as c:
            assert (await c.get("/readyz")).status_code == 200
            proxy.freeze()
            started = time.monotonic()
            # The test's own bound (not awaiting a stuck request): without the fix /readyz
            # hangs and this fails instead of hanging the run.
            asking = asyncio.ensure_future(c.get("/readyz"))
            await asyncio.wait({asking}, timeout=10)
            elapsed = time.monotonic() - started
            assert asking.done(), "/readyz did not answer within 10 s"
            response = asking.result()
            assert (response.status_code, response.json()["status"]) == (
                503,
                "database unavailable",
            )
            assert elapsed < 2.0, elapsed
    finally:
        await proxy.cut()  # drops the silent links, so anything still waiting ends
        await asyncio.wait_for(db.close_db(), timeout=30)
