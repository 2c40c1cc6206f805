"""Members page through /graphql next to a hand-written Starlette + SQL endpoint returning the
same JSON, over the same database and data, in the same run. Prints req/s and the ratio.

    python benchmarks/members_page.py [--members 20000] [--page 50] [--requests 300]
        [--database-url postgres://postgres@127.0.0.1:5432/ua_bench]

Both endpoints are called through the same ASGI transport (no sockets), one request at a time,
so the numbers compare the work each does per request. Not a test: it asserts nothing about time.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import tempfile
import time

import httpx
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route
from tortoise import connections

from unionaid.core import db
from unionaid.core.app import create_app
from unionaid.core.config import Settings, new_key
from unionaid.core.crypto import Vault
from unionaid.core.global_ids import to_global_id
from unionaid.core.graphql.relay import encode_cursor
from unionaid.core.models import Enterprise, Household, Member

QUERY = """query($n: Int) { members(first: $n) { edges { cursor node {
  id name idNumber gender birthDate employmentStatus district { code name } enterprise { name uscc }
} } pageInfo { hasNextPage endCursor } } }"""

HAND_SQL = """
SELECT m.id, m.name, m.id_number_masked, m.gender, m.birth_date, m.employment_status,
       d.code AS d_code, d.name AS d_name, e.name AS e_name, e.uscc AS e_uscc
FROM member m JOIN district d ON d.code = m.district_id
LEFT JOIN enterprise e ON e.id = m.enterprise_id
WHERE m.is_active ORDER BY m.id LIMIT {limit}
"""


async def hand_written(request: Request) -> JSONResponse:
    limit = int(request.query_params.get("n", "50"))
    rows = await connections.get("default").execute_query_dict(HAND_SQL.format(limit=limit + 1))
    edges = [
        {
            "cursor": encode_cursor(r["id"]),
            "node": {
                "id": to_global_id("Member", r["id"]),
                "name": r["name"],
                "idNumber": r["id_number_masked"],
                "gender": r["gender"].upper(),
                "birthDate": str(r["birth_date"]),
                "employmentStatus": r["employment_status"].upper(),
                "district": {"code": r["d_code"], "name": r["d_name"]},
                "enterprise": {"name": r["e_name"], "uscc": r["e_uscc"]} if r["e_name"] else None,
            },
        }
        for r in rows[:limit]
    ]
    page_info = {
        "hasNextPage": len(rows) > limit,
        "endCursor": edges[-1]["cursor"] if edges else None,
    }
    return JSONResponse({"data": {"members": {"edges": edges, "pageInfo": page_info}}})


def _id_number(serial: int, born: dt.date) -> str:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    first17 = f"320206{born:%Y%m%d}{serial % 1000:03d}"
    return (
        first17 + "10X98765432"[sum(int(c) * w for c, w in zip(first17, weights, strict=True)) % 11]
    )


async def seed(count: int, vault: Vault) -> None:
    if await Member.all().count() >= count:
        return
    rng = random.Random(7)
    firms = [
        Enterprise(name=f"企业{i}", uscc=f"BENCH{i:013d}", district_id="320206") for i in range(200)
    ]
    await Enterprise.bulk_create(firms, batch_size=500)
    firm_ids = [e.id for e in await Enterprise.all().only("id")]
    codes = ["320213", "320205", "320206", "320211", "320214", "320281", "320282", "320271"]
    for start in range(0, count, 2000):
        batch = range(start, min(count, start + 2000))
        households = [Household(district_id=codes[i % 8]) for i in batch]
        await Household.bulk_create(households)
        first_hh = (await Household.all().order_by("-id").first()).id - len(households) + 1
        members = []
        for offset, i in enumerate(batch):
            born = dt.date(1960 + i % 40, 1 + i % 12, 1 + i % 28)
            number = _id_number(i, born)
            members.append(
                Member(
                    name=f"会员{i}",
                    id_number_enc=vault.encrypt(number),
                    id_number_hash=vault.lookup_hash(f"{number}:{i}"),
                    id_number_masked=number[:3] + "*" * 11 + number[-4:],
                    birth_date=born,
                    gender="male" if i % 2 else "female",
                    district_id=codes[i % 8],
                    enterprise_id=rng.choice(firm_ids) if i % 3 else None,
                    household_id=first_hh + offset,
                )
            )
        await Member.bulk_create(members, batch_size=1000)


async def measure(client: httpx.AsyncClient, send, requests: int) -> float:
    for _ in range(20):  # warm caches
        await send(client)
    start = time.perf_counter()
    for _ in range(requests):
        await send(client)
    return requests / (time.perf_counter() - start)


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=20000)
    parser.add_argument("--page", type=int, default=50)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = args.database_url or f"sqlite://{tempfile.mkdtemp()}/bench.sqlite3"
    settings = Settings.from_env(
        {"DATABASE_URL": url, "UNIONAID_DATA_KEY": os.environ.get("UNIONAID_DATA_KEY") or new_key()}
    )
    app = create_app(settings, manage_db=False)
    host = app.state.host
    await db.migrate(url, host)
    await db.init_db(url, host)
    await seed(args.members, Vault(settings.data_key))
    app.router.routes.append(Route("/hand/members", hand_written))

    async def graphql(client):
        r = await client.post("/graphql", json={"query": QUERY, "variables": {"n": args.page}})
        assert "errors" not in r.json()
        return r

    async def hand(client):
        return await client.get("/hand/members", params={"n": args.page})

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        a = (await graphql(client)).json()["data"]["members"]["edges"]
        b = (await hand(client)).json()["data"]["members"]["edges"]
        assert a == b, "the two endpoints must return the same JSON"
        gql_rps = await measure(client, graphql, args.requests)
        hand_rps = await measure(client, hand, args.requests)
    await db.close_db()
    backend = "postgresql" if url.startswith("postgres") else "sqlite"
    print(f"database={backend} members={args.members} page={args.page} requests={args.requests}")
    print(f"graphql      {gql_rps:8.1f} req/s")
    print(f"hand-written {hand_rps:8.1f} req/s")
    print(f"ratio        {gql_rps / hand_rps:8.2f}x")


if __name__ == "__main__":
    asyncio.run(main())
