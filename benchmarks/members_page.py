"""Members page through /graphql next to a hand-written Starlette + SQL endpoint returning the
same JSON, over the same database and data, in the same run. Prints req/s and the ratio.

    python benchmarks/members_page.py [--members 20000] [--page 50] [--requests 300]
        [--no-hardship] [--database-url postgres://postgres@127.0.0.1:5432/ua_bench]

The page selects ``hardship { level }`` too (a plugin's field on Member; the hardship program
is switched on everywhere and every third member has a file) unless ``--no-hardship``. The app
runs as in production (no statement counting) with a city administrator's token.

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
from unionaid.core.models import District, Enterprise, Household, Member
from unionaid.core.principal import Principal
from unionaid.core.services import accounts, programs
from unionaid.plugins.hardship.models import HardshipProfile

QUERY = """query($n: Int) { members(first: $n) { edges { cursor node {
  id name idNumber gender birthDate employmentStatus district { code name } enterprise { name uscc }
  HARDSHIP} } pageInfo { hasNextPage endCursor } } }"""

HAND_SQL = """
SELECT m.id, m.name, m.id_number_masked, m.gender, m.birth_date, m.employment_status,
       d.code AS d_code, d.name AS d_name, e.name AS e_name, e.uscc AS e_uscc{hardship_columns}
FROM member m JOIN district d ON d.code = m.district_id
LEFT JOIN enterprise e ON e.id = m.enterprise_id{hardship_join}
WHERE m.is_active ORDER BY m.id LIMIT {limit}
"""
HARDSHIP_COLUMNS = ", h.id AS h_id, h.level AS h_level"
HARDSHIP_JOIN = "\nLEFT JOIN hardship_profile h ON h.member_id = m.id"


async def hand_written(request: Request) -> JSONResponse:
    limit = int(request.query_params.get("n", "50"))
    hardship = request.query_params.get("hardship") == "1"
    sql = HAND_SQL.format(
        limit=limit + 1,
        hardship_columns=HARDSHIP_COLUMNS if hardship else "",
        hardship_join=HARDSHIP_JOIN if hardship else "",
    )
    rows = await connections.get("default").execute_query_dict(sql)
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
    if hardship:
        for edge, r in zip(edges, rows, strict=False):
            level = {"level": r["h_level"].upper()} if r["h_id"] is not None else None
            edge["node"]["hardship"] = level
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
    files = [
        HardshipProfile(member_id=pk, level="difficult" if pk % 2 else "extreme")
        for pk in await Member.all().order_by("id").values_list("id", flat=True)
        if pk % 3 == 0
    ]
    await HardshipProfile.bulk_create(files, batch_size=1000)


async def city_admin_token(host) -> str:
    """A city administrator's bearer token; hardship switched on in every district."""
    actor = Principal.system("benchmark", "bench")
    name = f"bench{random.randrange(10**9)}"
    await accounts.create_user(actor, accounts.NewUser(name, "city_admin", []))
    for code in await District.all().values_list("code", flat=True):
        await programs.set_enabled(host, "hardship", code, True, actor)
    now = dt.datetime.now(dt.UTC)
    return (await accounts.issue_token(actor, name, dt.timedelta(hours=1), now)).token


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
    parser.add_argument("--no-hardship", action="store_true", help="leave hardship { level } out")
    args = parser.parse_args()
    hardship = not args.no_hardship
    query = QUERY.replace("HARDSHIP", "hardship { level }\n  " if hardship else "")
    url = args.database_url or f"sqlite://{tempfile.mkdtemp()}/bench.sqlite3"
    settings = Settings.from_env(
        {
            "DATABASE_URL": url,
            "UNIONAID_DATA_KEY": os.environ.get("UNIONAID_DATA_KEY") or new_key(),
            "UNIONAID_ENV": "production",
        }
    )
    app = create_app(settings, manage_db=False, rate_limit=0)
    host = app.state.host
    await db.migrate(url, host)
    await db.init_db(url, host)
    await seed(args.members, Vault(settings.data_key))
    token = await city_admin_token(host)
    app.router.routes.append(Route("/hand/members", hand_written))
    headers = {"Authorization": f"Bearer {token}"}

    async def graphql(client):
        body = {"query": query, "variables": {"n": args.page}}
        r = await client.post("/graphql", json=body, headers=headers)
        assert "errors" not in r.json(), r.json()
        return r

    async def hand(client):
        params = {"n": args.page, "hardship": "1" if hardship else "0"}
        return await client.get("/hand/members", params=params)

    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bench") as client:
        a = (await graphql(client)).json()["data"]["members"]["edges"]
        b = (await hand(client)).json()["data"]["members"]["edges"]
        assert a == b, "the two endpoints must return the same JSON"
        gql_rps = await measure(client, graphql, args.requests)
        hand_rps = await measure(client, hand, args.requests)
    await db.close_db()
    backend = "postgresql" if url.startswith("postgres") else "sqlite"
    print(
        f"database={backend} members={args.members} page={args.page} requests={args.requests} "
        f"hardship={hardship}"
    )
    print(f"graphql      {gql_rps:8.1f} req/s")
    print(f"hand-written {hand_rps:8.1f} req/s")
    print(f"ratio        {gql_rps / hand_rps:8.2f}x")


if __name__ == "__main__":
    asyncio.run(main())
