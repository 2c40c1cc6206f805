"""Abuse limits, each with its own code; production mode gives no schema information."""

import asyncio
import datetime as dt
import json
import re
from pathlib import Path

import httpx
import pytest

from tests.conftest import GQL
from tests.factories import fixed_clock, token_for
from unionaid.core.app import create_app
from unionaid.core.config import Settings, new_key
from unionaid.core.graphql.limits import Limits
from unionaid.core.guard import GraphQLGuard, Guards


@pytest.fixture
async def limited(settings, host, orm):
    limits = Limits(depth=4, aliases=3, directives=2, tokens=300, cost=150, document=4000)
    app = create_app(
        settings,
        host,
        manage_db=False,
        rate_limit=0,
        limits=limits,
        guards=Guards(max_body=8192, max_json_depth=8),
        clock=fixed_clock,
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield c, GQL(c, await token_for("city_admin"))


def code(body: dict) -> str:
    return body["errors"][0]["extensions"]["code"]


async def test_each_limit_has_its_own_code(limited):
    _, gql = limited
    assert (
        code(await gql("{ members { edges { node { household { dependents { name } } } } } }"))
        == "QUERY_TOO_DEEP"
    )
    assert (
        code(
            await gql(
                "{ a: districts { code } b: districts { code } c: districts { code } d: districts { code } }"
            )
        )
        == "TOO_MANY_ALIASES"
    )
    assert (
        code(
            await gql(
                "{ districts @include(if: true) { code @include(if: true) name @skip(if: false) } }"
            )
        )
        == "TOO_MANY_DIRECTIVES"
    )
    assert code(await gql("{ districts { " + "code " * 400 + "} }")) == "TOO_MANY_TOKENS"
    costly = "{ members(first: 100) { edges { node { name idNumber } } } }"
    assert code(await gql(costly)) == "QUERY_TOO_COSTLY"
    assert "errors" not in await gql("{ members(first: 10) { edges { node { name } } } }")
    # Without ``first`` a connection is a page of 20: 1 + 20 × (edges 1 + node 1 + 8) = 201.
    eight = "name idNumber gender birthDate isActive version householdSize isUnionMember"
    assert code(await gql(f"{{ members {{ edges {{ node {{ {eight} }} }} }} }}")) == (
        "QUERY_TOO_COSTLY"
    )
    assert "errors" not in await gql(
        f"{{ members(first: 5) {{ edges {{ node {{ {eight} }} }} }} }}"
    )
    assert code(await gql("{ members(first: 101) { edges { node { name } } } }")) in (
        "PAGE_SIZE_EXCEEDED",
        "QUERY_TOO_COSTLY",
    )
    fragments = "query { ...F } fragment F on Query { a: districts { code } b: districts { code } c: districts { code } d: districts { code } }"
    assert code(await gql(fragments)) == "TOO_MANY_ALIASES"  # no bypass through fragments


def padded(document: str, size: int, filler: str = "#") -> str:
    """``document`` after one comment line (or whitespace) making it exactly ``size`` bytes."""
    room = size - len(document.encode()) - 1
    text = (filler + "x" * (room - 1) if filler == "#" else filler * room) + "\n" + document
    assert len(text.encode()) == size
    return text


# (limit, code, the largest document it lets through, the smallest one it refuses), for the
# ``limited`` app: depth 4, aliases 3, directives 2, tokens 300, cost 150, document 4,000 bytes.
# Each pair is built from __typename and introspection meta-fields: they count like any field.
EDGES = [
    (
        "depth",
        "QUERY_TOO_DEEP",
        "{ __schema { queryType { fields { __typename } } } }",
        "{ __schema { queryType { fields { type { __typename } } } } }",
    ),
    (
        "aliases",
        "TOO_MANY_ALIASES",
        "{ a: __typename b: __typename c: __typename }",
        "{ a: __typename b: __typename c: __typename d: __typename }",
    ),
    (
        "directives",  # on inline fragments: no blind spot there either
        "TOO_MANY_DIRECTIVES",
        "{ ... @skip(if: false) { __typename } ... @skip(if: false) { __typename } }",
        "{ ... @skip(if: false) { __typename } ... @skip(if: false) { __typename } "
        "... @skip(if: false) { __typename } }",
    ),
    (
        "directives on a fragment definition",
        "TOO_MANY_DIRECTIVES",
        "{ ...F @skip(if: false) } fragment F on Query { __typename @skip(if: false) }",
        "{ ...F @skip(if: false) } fragment F on Query { __typename @skip(if: false) "
        "... @skip(if: false) { __typename } }",
    ),
    (
        "tokens",  # {, __typename and }, and each comment line is one token
        "TOO_MANY_TOKENS",
        "#\n" * 297 + "{ __typename }",
        "#\n" * 298 + "{ __typename }",
    ),
    (
        "cost",  # 1 + 74 × 2 + 1 = 150; 1 + 75 × 2 = 151
        "QUERY_TOO_COSTLY",
        "{ __typename members(first: 74) { __typename totalCount } }",
        "{ members(first: 75) { __typename totalCount } }",
    ),
    (
        "document (a comment)",
        "DOCUMENT_TOO_LARGE",
        padded("{ __typename }", 4000),
        padded("{ __typename }", 4001),
    ),
    (
        "document (whitespace)",
        "DOCUMENT_TOO_LARGE",
        padded("{ __typename }", 4000, " "),
        padded("{ __typename }", 4001, " "),
    ),
    (
        "document (UTF-8 bytes, not characters)",  # 4,000 and 4,001 bytes, < 4,000 characters
        "DOCUMENT_TOO_LARGE",
        padded("{ __typename }", 3996) + "#码",
        padded("{ __typename }", 3997) + "#码",
    ),
]


@pytest.mark.parametrize("what,expected,under,over", EDGES, ids=[e[0] for e in EDGES])
async def test_each_limit_at_its_edge(limited, what, expected, under, over):
    """The largest document a limit allows runs; one step more is refused with its code."""
    _, gql = limited
    assert "errors" not in await gql(under), what
    assert code(await gql(over)) == expected


async def test_meta_fields_count_with_the_default_limits(gql, database_url, host):
    """A thousand aliases of __typename, and 42 levels of __Type.ofType: refused in development
    (here) and in production (below); a document of comment over 64 KB too."""
    aliases = "{ " + " ".join(f"a{i}: __typename" for i in range(1000)) + " }"
    assert code(await gql(aliases)) == "TOO_MANY_ALIASES"
    assert "errors" not in await gql("{ " + " ".join(f"a{i}: __typename" for i in range(30)) + " }")

    def of_type(levels: int) -> str:  # depth = levels + 2 (__type and name)
        return (
            '{ __type(name: "Query") { '
            + "ofType { " * levels
            + "name"
            + " }" * (levels + 1)
            + " }"
        )

    assert code(await gql(of_type(42))) == "QUERY_TOO_DEEP"
    assert code(await gql(of_type(14))) == "QUERY_TOO_DEEP"
    assert "errors" not in await gql(of_type(13))  # depth 15, the default
    big = padded("{ __typename }", 64 * 1024 + 1)
    assert code(await gql(big)) == "DOCUMENT_TOO_LARGE"
    assert "errors" not in await gql(padded("{ __typename }", 64 * 1024))
    almost_a_megabyte = padded("{ __typename }", 1000 * 1024)
    assert code(await gql(almost_a_megabyte)) == "DOCUMENT_TOO_LARGE"

    production = Settings.from_env(
        {"DATABASE_URL": database_url, "UNIONAID_DATA_KEY": new_key(), "UNIONAID_ENV": "production"}
    )
    app = create_app(production, host, manage_db=False, rate_limit=0, clock=fixed_clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        prod = GQL(c, gql.token)
        assert code(await prod(aliases)) == "TOO_MANY_ALIASES"
        assert code(await prod(big)) == "DOCUMENT_TOO_LARGE"
        assert "QUERY_TOO_DEEP" in [
            e["extensions"]["code"] for e in (await prod(of_type(42)))["errors"]
        ]


async def test_graphiql_introspection_fits_the_defaults(gql):
    """The largest document a frontend of ours sends: GraphiQL's introspection query (graphql-js
    16.11 ``getIntrospectionQuery`` with every option on, as pinned in assets/graphiql), 2 KB and
    15 levels deep — the default depth exactly, far under the 64 KB document cap."""
    document = (Path(__file__).parent / "data" / "graphiql_introspection.graphql").read_text()
    assert len(document.encode()) < Limits().document // 16
    body = await gql(document)
    assert "errors" not in body, body
    assert body["data"]["__schema"]["queryType"]["name"] == "Query"


async def test_the_messages_follow_the_language(limited):
    _, gql = limited
    body = await gql(
        "{ a: districts { code } b: districts { code } c: districts { code } d: districts { code } }",
        **{"Accept-Language": "en"},
    )
    assert body["errors"][0]["message"] == "Too many aliases (4 > 3)"


async def test_bodies_and_variables_are_bounded(limited):
    client, gql = limited
    big = await client.post(
        "/graphql",
        content=b'{"query": "' + b"x" * 9000 + b'"}',
        headers={"Authorization": f"Bearer {gql.token}", "Content-Type": "application/json"},
    )
    assert (big.status_code, big.json()["errors"][0]["extensions"]["code"]) == (
        413,
        "REQUEST_TOO_LARGE",
    )
    nested = {
        "query": "query($v: JSON) { __typename }",
        "variables": {"v": json.loads("[" * 20 + "]" * 20)},
    }
    deep = await client.post(
        "/graphql", json=nested, headers={"Authorization": f"Bearer {gql.token}"}
    )
    assert (deep.status_code, deep.json()["errors"][0]["extensions"]["code"]) == (
        400,
        "VARIABLES_TOO_DEEP",
    )
    batch = await client.post(
        "/graphql",
        json=[{"query": "{ __typename }"}] * 2,
        headers={"Authorization": f"Bearer {gql.token}"},
    )
    assert batch.status_code == 400
    get_mutation = await client.get(
        "/graphql",
        params={"query": "mutation { logout { revoked } }"},
        headers={"Authorization": f"Bearer {gql.token}"},
    )
    assert get_mutation.status_code in (400, 405)


async def test_a_request_over_its_time_is_refused():
    never = asyncio.Event()

    async def stuck(scope, receive, send):
        await never.wait()

    guard = GraphQLGuard(stuck, Guards(timeout=0.01))
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=guard), base_url="http://t"
    ) as c:
        response = await c.post("/graphql", json={"query": "{ __typename }"})
    assert (response.status_code, response.json()["errors"][0]["extensions"]["code"]) == (
        503,
        "QUERY_TIMEOUT",
    )


async def test_the_rate_budget_holds_per_token(settings, host, orm):
    now = dt.datetime(2026, 11, 29, 3, 0, 30, tzinfo=dt.UTC)
    app = create_app(settings, host, manage_db=False, rate_limit=3, clock=lambda: now)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        one, two = GQL(c, await token_for("city_admin")), GQL(c, await token_for("city_admin"))
        for _ in range(3):
            assert "errors" not in await one("{ districts { code } }")
        response = await c.post(
            "/graphql",
            json={"query": "{ districts { code } }"},
            headers={"Authorization": f"Bearer {one.token}"},
        )
        assert (response.status_code, response.json()["errors"][0]["extensions"]["code"]) == (
            429,
            "RATE_LIMITED",
        )
        assert "errors" not in await two("{ districts { code } }")  # a budget per token


@pytest.mark.parametrize(
    "amount",
    [
        "NaN",
        "Infinity",
        "-Infinity",
        "1e3",
        "1E2",
        "1_000",
        "１００",
        " 100",
        "100 ",
        "100.001",
        "-5",
        "+5",
        "",
        "0x10",
        "1,000",
    ],
)
async def test_money_refuses_every_bad_form(gql, amount):
    fund = await gql.ok('mutation { createFund(input: {code: "F1", name: "f"}) { fund { id } } }')
    body = await gql(
        "mutation($f: ID!, $a: Money!) { contributeToFund(input: {fundId: $f, amount: $a}) { userErrors { code } } }",
        {"f": fund["createFund"]["fund"]["id"], "a": amount},
    )
    assert code(body) == "INVALID_AMOUNT", body


@pytest.mark.parametrize("number", [100, 100.5, True, None])
async def test_money_must_be_a_string(gql, number):
    fund = await gql.ok('mutation { createFund(input: {code: "F2", name: "f"}) { fund { id } } }')
    body = await gql(
        "mutation($f: ID!, $a: Money!) { contributeToFund(input: {fundId: $f, amount: $a}) { userErrors { code } } }",
        {"f": fund["createFund"]["fund"]["id"], "a": number},
    )
    assert code(body) in ("INVALID_AMOUNT", "BAD_USER_INPUT"), body


@pytest.mark.parametrize(
    "day",
    ["20240101", "2024-W01-1", "2024-1-1", "2024-02-30", "2024-01-01T00:00", "２０２４-01-01", ""],
)
async def test_dates_refuse_every_bad_form(gql, day):
    body = await gql(
        'mutation($d: Date) { addDependent(input: {memberId: "TWVtYmVyOjE=", name: "子", relation: CHILD, birthDate: $d}) { userErrors { code } } }',
        {"d": day},
    )
    assert code(body) == "INVALID_DATE", body
    literal = await gql(
        f'mutation {{ addDependent(input: {{memberId: "TWVtYmVyOjE=", name: "子", relation: CHILD, birthDate: "{day}"}}) {{ userErrors {{ code }} }} }}'
    )
    assert code(literal) == "INVALID_DATE", literal


async def test_an_unused_variable_is_a_validation_error(gql):
    assert (
        code(await gql("query($d: Date) { __typename }", {"d": "2024-01-01"}))
        == "GRAPHQL_VALIDATION_FAILED"
    )


async def test_production_gives_no_schema_information(database_url, host, orm):
    production = Settings.from_env(
        {"DATABASE_URL": database_url, "UNIONAID_DATA_KEY": new_key(), "UNIONAID_ENV": "production"}
    )
    app = create_app(production, host, manage_db=False, rate_limit=0, clock=fixed_clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        gql = GQL(c, await token_for("city_admin"))
        introspection = await gql("{ __schema { types { name } } }")
        assert "data" not in introspection or not introspection.get("data")
        typo = await gql("{ distrcts { code } }")
        assert "Did you mean" not in json.dumps(typo) and "districts" not in json.dumps(typo)
        assert (await c.get("/graphql", headers={"Accept": "text/html"})).status_code in (
            400,
            404,
            405,
        )


async def test_cross_site_forms_cannot_post_graphql(client, gql):
    """A browser form (text/plain, urlencoded) cannot carry a GraphQL request: only JSON (and
    the bearer token is a header, never a cookie)."""
    for content_type in ("text/plain", "application/x-www-form-urlencoded"):
        response = await client.post(
            "/graphql",
            content=b'{"query": "mutation { logout { revoked } }"}',
            headers={"Content-Type": content_type, "Authorization": f"Bearer {gql.token}"},
        )
        assert response.status_code in (400, 415), (content_type, response.status_code)
    assert "errors" not in await gql("{ me { username } }")  # the token was not revoked


def test_the_readme_states_every_limit_and_its_default():
    """Each setting's row in the README's limits table gives the default the code has."""
    from unionaid.core.config import Settings
    from unionaid.core.jobs import stale_after
    from unionaid.core.slow_clients import header_timeout

    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    rows = {}
    for line in readme.splitlines():
        for name in re.findall(r"`(UNIONAID_[A-Z_]+)`", line if line.startswith("| ") else ""):
            rows[name] = line
    limits, guards = Limits(), Guards()
    expected = {
        "UNIONAID_MAX_DOCUMENT_KB": f"{limits.document // 1024} KB",
        "UNIONAID_MAX_DEPTH": f"{limits.depth:,}",
        "UNIONAID_MAX_ALIASES": f"{limits.aliases:,}",
        "UNIONAID_MAX_DIRECTIVES": f"{limits.directives:,}",
        "UNIONAID_MAX_TOKENS": f"{limits.tokens:,}",
        "UNIONAID_MAX_COST": f"{limits.cost:,}",
        "UNIONAID_MAX_BODY_KB": f"{guards.max_body // (1024 * 1024)} MB",
        "UNIONAID_MAX_JSON_DEPTH": f"{guards.max_json_depth}",
        "UNIONAID_QUERY_TIMEOUT": f"{guards.timeout:g} s",
        "UNIONAID_HEADER_TIMEOUT": f"{header_timeout({}):g} s",
        "UNIONAID_READY_TIMEOUT": f"{Settings().ready_timeout:g} s",
        "UNIONAID_JOB_STALE_AFTER": f"{stale_after({}).total_seconds():g} s",
    }
    for name, default in expected.items():
        assert name in rows, f"{name} is not in the README's limits table"
        assert f"| {default} |" in rows[name], (name, default, rows[name])
