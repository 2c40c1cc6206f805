"""Contention on money: N concurrent transfers between two funds through `unionaid serve
--workers W` on PostgreSQL, over real HTTP. Prints total time, req/s and latency percentiles,
then checks the books (no overdraft; every fund's entries sum to its last balance_after).

    python benchmarks/transfers_contention.py [--transfers 1000] [--workers 2]
        [--database-url postgres://postgres@127.0.0.1:5432/postgres] [--keep]

A scratch database is created next to the one named (and dropped afterwards unless --keep).
Half the transfers go each way (A→B and B→A), so lock ordering matters. Not a test: it
asserts nothing about time.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import queue
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from decimal import Decimal

import asyncpg
import httpx

from unionaid.core import db
from unionaid.core.config import new_key
from unionaid.core.host import PluginHost
from unionaid.core.principal import Principal

TRANSFER = """mutation($i: TransferBetweenFundsInput!) {
  transferBetweenFunds(input: $i) { userErrors { code } } }"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg(url: str) -> str:
    return url.replace("postgres://", "postgresql://", 1)


async def prepare(url: str) -> tuple[str, int, int]:
    """Migrate, then a city administrator's token and two funds with money."""
    from unionaid.core.services import accounts, funds

    await db.migrate(url, PluginHost.load())
    await db.init_db(url, PluginHost.load())
    try:
        actor = Principal.system("bench", "bench")
        await accounts.create_user(actor, accounts.NewUser("bench_admin", "city_admin", []))
        now = dt.datetime.now(dt.UTC)
        token = (await accounts.issue_token(actor, "bench_admin", dt.timedelta(hours=2), now)).token
        a = await funds.create_fund(actor, "BENCH-A", "A", None)
        b = await funds.create_fund(actor, "BENCH-B", "B", None)
        for fund in (a, b):
            await funds.contribute(actor, fund.id, Decimal("1000000.00"))
        return token, a.id, b.id
    finally:
        await db.close_db()


def start_server(url: str, workers: int, port: int, folder: str) -> subprocess.Popen:
    env = dict(
        os.environ,
        DATABASE_URL=url,
        UNIONAID_DATA_KEY=new_key(),
        UNIONAID_RATE_LIMIT="0",
        UNIONAID_ENV="production",
    )
    server = subprocess.Popen(
        [sys.executable, "-m", "unionaid.core.cli", "serve", "--port", str(port),
         "--workers", str(workers)],
        cwd=folder, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )  # fmt: skip
    lines: queue.Queue[str | None] = queue.Queue()

    def read() -> None:
        for line in server.stdout:
            lines.put(line)
        lines.put(None)

    threading.Thread(target=read, daemon=True).start()
    ready, deadline = 0, time.monotonic() + 120
    while ready < workers:  # each worker says "Application startup complete"
        line = lines.get(timeout=max(deadline - time.monotonic(), 0.1))
        if line is None:
            raise SystemExit("the server exited during start-up")
        ready += "Application startup complete" in line
    threading.Thread(target=lambda: [None for _ in iter(lines.get, None)], daemon=True).start()
    return server


async def hammer(
    base: str, token: str, a: int, b: int, count: int
) -> tuple[float, list[float], dict[str, int]]:
    from unionaid.core.graphql.relay import to_global_id

    ids = (to_global_id("Fund", a), to_global_id("Fund", b))
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    headers = {"Authorization": f"Bearer {token}"}
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=300) as client:
        await client.post("/graphql", json={"query": "{ __typename }"}, headers=headers)

        async def one(n: int) -> tuple[float, str]:
            source, target = ids if n % 2 == 0 else ids[::-1]
            variables = {"i": {"fromFundId": source, "toFundId": target, "amount": "1.00"}}
            started = time.perf_counter()
            response = await client.post(
                "/graphql", json={"query": TRANSFER, "variables": variables}, headers=headers
            )
            body = response.json()
            if body.get("errors"):
                outcome = body["errors"][0]["extensions"]["code"]
            else:
                refused = body["data"]["transferBetweenFunds"]["userErrors"]
                outcome = refused[0]["code"] if refused else "ok"
            return time.perf_counter() - started, outcome

        started = time.perf_counter()
        results = await asyncio.gather(*(one(n) for n in range(count)))
        outcomes: dict[str, int] = {}
        for _, outcome in results:
            outcomes[outcome] = outcomes.get(outcome, 0) + 1
        return time.perf_counter() - started, sorted(t for t, _ in results), outcomes


async def check_books(url: str, a: int, b: int) -> int:
    """No overdraft, every fund's entries sum to its newest balance_after; the number of
    transfers written (a request that timed out may still have committed)."""
    conn = await asyncpg.connect(pg(url))
    try:
        for fund in (a, b):
            total, last = await conn.fetchrow(
                "SELECT sum(amount), (SELECT balance_after FROM ledger_entry WHERE fund_id = $1 "
                "ORDER BY id DESC LIMIT 1) FROM ledger_entry WHERE fund_id = $1",
                fund,
            )
            assert total == last, (fund, total, last)
        assert not await conn.fetchval("SELECT count(*) FROM ledger_entry WHERE balance_after < 0")
        return await conn.fetchval("SELECT count(*) FROM ledger_entry WHERE kind = 'transfer_out'")
    finally:
        await conn.close()


async def direct_worker(url: str, a: int, b: int, count: int, offset: int) -> None:
    """One process calling the transfer service itself (no HTTP, no GraphQL), ``count``
    transfers at once; prints its latencies as JSON. Isolates the locked transaction."""
    from unionaid.core.services import funds

    await db.init_db(url, PluginHost.load())
    try:
        actor = Principal.system("bench", "bench")

        async def one(n: int) -> float:
            source, target = (a, b) if n % 2 == 0 else (b, a)
            started = time.perf_counter()
            await funds.transfer(actor, source, target, Decimal("1.00"))
            return time.perf_counter() - started

        await funds.transfer(actor, a, b, Decimal("1.00"))  # warm the pool
        print(json.dumps(await asyncio.gather(*(one(offset + n) for n in range(count)))))
    finally:
        await db.close_db()


def direct(url: str, a: int, b: int, transfers: int, workers: int) -> tuple[float, list[float]]:
    share = transfers // workers
    started = time.perf_counter()
    runs = [
        subprocess.Popen(
            [
                sys.executable,
                __file__,
                "--direct-worker",
                url,
                str(a),
                str(b),
                str(share),
                str(i * share),
            ],
            stdout=subprocess.PIPE,
            text=True,
        )
        for i in range(workers)
    ]
    latencies = []
    for run in runs:
        out, _ = run.communicate(timeout=900)
        latencies += json.loads(out.strip().splitlines()[-1])
    return time.perf_counter() - started, sorted(latencies)


def percentile(values: list[float], p: float) -> float:
    return values[min(len(values) - 1, round(p / 100 * (len(values) - 1)))]


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--transfers", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--database-url",
        default=os.environ.get("UNIONAID_BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres"),
    )  # fmt: skip
    parser.add_argument(
        "--pool", type=int, default=0, help="connections per server process (asyncpg maxsize)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the scratch database")
    parser.add_argument(
        "--direct", action="store_true", help="call the service in W processes, without HTTP"
    )
    args = parser.parse_args()
    base_url, _, _ = args.database_url.rpartition("/")
    name = f"ua_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(pg(args.database_url))
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = f"{base_url}/{name}"
    server = None
    try:
        token, a, b = await prepare(url)
        if args.direct:
            total, latencies = direct(url, a, b, args.transfers, args.workers)
            print(
                f"{args.transfers} concurrent transfer() calls, {args.workers} processes, no "
                f"HTTP: total {total:.1f} s (start-up included), "
                f"p50 {percentile(latencies, 50):.2f} s, p99 {percentile(latencies, 99):.2f} s, "
                f"max {latencies[-1]:.2f} s",
                flush=True,
            )
            print(f"books balance ({await check_books(url, a, b)} transfers written)")
            return
        port = free_port()
        with tempfile.TemporaryDirectory() as folder:
            served = f"{url}?maxsize={args.pool}" if args.pool else url
            server = start_server(served, args.workers, port, folder)
            total, latencies, outcomes = await hammer(
                f"http://127.0.0.1:{port}", token, a, b, args.transfers
            )
        print(
            f"{args.transfers} concurrent transfers, {args.workers} server processes: "
            f"total {total:.1f} s, {args.transfers / total:.0f} req/s, "
            f"p50 {percentile(latencies, 50):.2f} s, p99 {percentile(latencies, 99):.2f} s, "
            f"max {latencies[-1]:.2f} s, mean {statistics.mean(latencies):.2f} s; "
            f"outcomes {outcomes}",
            flush=True,
        )
        written = await check_books(url, a, b)
        print(f"books balance ({written} transfers written): no overdraft, every fund's entries")
        print("sum to its newest balance_after")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        if not args.keep:
            await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()


if __name__ == "__main__":
    if sys.argv[1:2] == ["--direct-worker"]:
        url, a, b, count, offset = sys.argv[2:7]
        asyncio.run(direct_worker(url, int(a), int(b), int(count), int(offset)))
    else:
        asyncio.run(main())
