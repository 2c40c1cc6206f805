"""Plugin fields on ``Member`` load per page, not per member; plugins' own lists too; and in
development every response says how many SQL statements it ran (issue 16, items 1 and 2)."""

import datetime as dt
from decimal import Decimal

import httpx
import pytest
from strawberry.types.base import get_object_definition
from strawberry.utils.str_converters import to_camel_case
from tortoise.functions import Count

from tests.conftest import GQL
from tests.factories import ACTOR, fixed_clock, id_number, nodes, token_for
from unionaid.core import MemberSource
from unionaid.core.app import create_app
from unionaid.core.config import Settings, new_key
from unionaid.core.crypto import Vault
from unionaid.core.host import PluginHost
from unionaid.core.models import Member
from unionaid.core.services import members, programs
from unionaid.plugins.hardship.models import HardshipFileChange, HardshipProfile, Visit

HUISHAN = "320206"
TYPE = """query($t: String!) { __type(name: $t) { fields { name args { name }
  type { kind name ofType { kind name ofType { kind name ofType { kind name } } } } } } }"""


@pytest.fixture
async def world(sample_installed, settings, orm):
    """Every installed program (the sample plugin too) on in 惠山区, 50 members there, every
    other one with a hardship file, a change and a visit."""
    host = PluginHost.load()
    assert "sample" in host.programs and "hardship" in host.programs
    for program in host.programs:
        await programs.set_enabled(host, program, HUISHAN, True, ACTOR)
    vault = Vault(settings.data_key)
    for n in range(50):
        born = dt.date(1970 + n % 30, 1 + n % 12, 1 + n % 28)
        member = await members.create_member(
            ACTOR, vault, members.NewMember(f"会员{n}", id_number(born), HUISHAN)
        )
        if n % 2:
            continue
        profile = await HardshipProfile.create(
            member_id=member.id, level="difficult", reasons=["low_income"], assessed_size=2
        )
        await HardshipFileChange.create(
            profile_id=profile.id, actor="tester", operation="registerHardshipFile", changes={}
        )
        await Visit.create(
            district_code=HUISHAN,
            member_id=member.id,
            visitee_name=f"会员{n}",
            visitee_kind="household",
            recorded_by="tester",
            visited_by="tester",
            visited_on=dt.date(2027, 1, 10),
            occasion="spring_festival",
            cash=Decimal("0.00"),
            gift_value=Decimal("0.00"),
        )
    app = create_app(settings, host, manage_db=False, rate_limit=0, clock=fixed_clock)
    token = await token_for("city_admin")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield host, GQL(c, token)


def _named(type_ref: dict) -> dict:
    while type_ref.get("ofType"):
        type_ref = type_ref["ofType"]
    return type_ref


async def _selection(gql: GQL, type_name: str, depth: int = 2) -> str:
    """Every field of ``type_name`` without arguments; objects to ``depth`` levels, never back
    to ``Member`` (that is the page itself)."""
    fields = (await gql.ok(TYPE, {"t": type_name}))["__type"]["fields"]
    parts = []
    for field in fields:
        named = _named(field["type"])
        if field["args"] or named["name"] == "Member":
            continue
        if named["kind"] in ("SCALAR", "ENUM"):
            parts.append(field["name"])
        elif named["kind"] == "OBJECT" and depth > 0:
            parts.append(f"{field['name']} {{ {await _selection(gql, named['name'], depth - 1)} }}")
    return " ".join(parts)


async def plugin_member_fields(host: PluginHost, gql: GQL, depth: int) -> dict[str, str]:
    """Each field plugins add to ``Member`` (as introspection shows it), with a selection of
    everything under it to ``depth`` levels."""
    contributed = {}
    for program in sorted(host.programs):
        contribution = host.graphql(program)
        if contribution is None or contribution.member_fields is None:
            continue
        for field in get_object_definition(contribution.member_fields, strict=True).fields:
            contributed[field.graphql_name or to_camel_case(field.python_name)] = program
    shown = (await gql.ok(TYPE, {"t": "Member"}))["__type"]["fields"]
    selections = {}
    for field in shown:
        if field["name"] not in contributed:
            continue
        named = _named(field["type"])
        inner = await _selection(gql, named["name"], depth) if named["kind"] == "OBJECT" else ""
        selections[field["name"]] = f"{field['name']} {{ {inner} }}" if inner else field["name"]
    assert set(selections) == set(contributed)
    return selections


def page(first: int, fields: str) -> str:
    return f"{{ members(first: {first}) {{ edges {{ node {{ id name {fields} }} }} }} }}"


async def counted(gql: GQL, sql_counter, query: str) -> tuple[dict, int]:
    sql_counter.count = 0
    body = await gql(query)
    assert "errors" not in body, body
    return body, sql_counter.count


async def test_plugin_member_fields_cost_the_same_for_a_page_of_5_and_of_50(world, sql_counter):
    host, gql = world
    selections = await plugin_member_fields(host, gql, depth=0)
    assert {"hardship", "sampleGreeting"} <= set(selections)
    every_field = " ".join(selections.values())
    programs_with_fields = {
        p for p in host.programs if (c := host.graphql(p)) and c.member_fields is not None
    }

    _, own = await counted(gql, sql_counter, page(50, ""))
    _, own_5 = await counted(gql, sql_counter, page(5, ""))
    assert own == own_5
    _, with_5 = await counted(gql, sql_counter, page(5, every_field))
    _, with_50 = await counted(gql, sql_counter, page(50, every_field))
    assert with_5 == with_50
    # The page's own statements, the enablement read (once per request) and at most one
    # statement per plugin with Member fields.
    assert with_50 <= own + 1 + len(programs_with_fields)
    assert with_50 == own + 2  # enablement, hardship_profile; the sample's field reads nothing

    # Everything under them too (a file's history and steps): one statement per list, not per row.
    everything = " ".join((await plugin_member_fields(host, gql, depth=2)).values())
    _, deep_5 = await counted(gql, sql_counter, page(5, everything))
    body, deep_50 = await counted(gql, sql_counter, page(50, everything))
    assert deep_5 == deep_50 == with_50 + 2  # hardship_file_change, workflow_step

    nodes = [e["node"] for e in body["data"]["members"]["edges"]]
    assert len(nodes) == 50
    files = [n["hardship"] for n in nodes]
    assert [f is not None for f in files] == [n % 2 == 0 for n in range(50)]
    assert all(
        f["level"] == "DIFFICULT" and f["history"][0]["actor"] == "tester" for f in files if f
    )
    assert all(n["sampleGreeting"] == f"示例项目: {n['name']}" for n in nodes)


async def test_enablement_is_read_once_however_many_fields_wait_for_it(world, sql_counter):
    """Fifty gated fields resolve concurrently: all wait for one pending read."""
    _, gql = world
    _, own = await counted(gql, sql_counter, page(50, ""))
    _, gated = await counted(gql, sql_counter, page(50, "sampleGreeting"))
    assert gated == own + 1


async def test_hardship_files_and_visits_cost_the_same_for_a_page_of_5_and_of_50(
    world, sql_counter
):
    _, gql = world
    # The other half of the members get a file and a visit too: 50 of each.
    for member in await Member.filter(hardship_profile=None):
        await HardshipProfile.create(member_id=member.id, level="difficult", stage="verified")
        await Visit.create(
            district_code=HUISHAN,
            member_id=member.id,
            visitee_name=member.name,
            visitee_kind="household",
            recorded_by="tester",
            visited_by="tester",
            visited_on=dt.date(2027, 1, 11),
            occasion="spring_festival",
        )
    files = (
        "{{ hardshipFiles(first: {n}) {{ totalCount edges {{ cursor node {{ level stage "
        "history {{ actor }} steps {{ toStage }} member {{ id name hardship {{ level }} }} }} }} "
        "pageInfo {{ hasNextPage endCursor }} }} }}"
    )
    visits = (
        "{{ visits(first: {n}) {{ totalCount edges {{ node {{ visiteeName member {{ id name "
        "hardship {{ level }} }} }} }} }} }}"
    )
    for query in (files, visits):
        _, five = await counted(gql, sql_counter, query.format(n=5))
        body_50, fifty = await counted(gql, sql_counter, query.format(n=50))
        assert five == fifty, query
        connection = next(iter(body_50["data"].values()))
        assert connection["totalCount"] == 50
        rows = nodes(connection)
        assert len(rows) == 50
        assert all(r["member"]["hardship"]["level"] == "DIFFICULT" for r in rows)


async def test_development_responses_report_their_sql_statements(world, sql_counter):
    _, gql = world
    sql_counter.count = 0
    body = await gql(page(5, "hardship { level }"))
    assert body["extensions"]["sqlStatements"] == sql_counter.count > 0
    sql_counter.count = 0
    body = await gql("{ __typename }")
    assert body["extensions"]["sqlStatements"] == sql_counter.count


async def test_production_responses_do_not(database_url, orm, builtin_host, sql_counter):
    production = Settings.from_env(
        {"DATABASE_URL": database_url, "UNIONAID_DATA_KEY": new_key(), "UNIONAID_ENV": "production"}
    )
    app = create_app(production, builtin_host, manage_db=False, rate_limit=0, clock=fixed_clock)
    token = await token_for("city_admin")
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        body = await GQL(c, token)(page(5, ""))
    assert "errors" not in body and sql_counter.count > 0
    assert "sqlStatements" not in body.get("extensions", {})


async def test_a_member_source_reads_rows_lists_or_an_expression_in_one_statement(
    world, sql_counter
):
    """The three shapes a declaration takes, each one statement for any number of members."""
    pks = [m.id for m in await Member.filter(district_id=HUISHAN).order_by("id")]
    visited = pks[0::2]
    one = MemberSource(Visit, key="member_id", columns=("visited_on",), build=lambda r: r)
    many = MemberSource(Visit, key="member_id", columns=("visitee_name",), many=True)
    count = MemberSource(Visit, key="member_id", expression=Count("id"), build=lambda n: n or 0)
    for source, want in (
        (one, {pk: {"member_id": pk, "visited_on": dt.date(2027, 1, 10)} for pk in visited}),
        (
            many,
            {
                pk: [{"member_id": pk, "visitee_name": f"会员{2 * i}"}]
                for i, pk in enumerate(visited)
            },
        ),
        (count, dict.fromkeys(visited, 1)),
    ):
        sql_counter.count = 0
        assert await source.load(pks) == want
        assert sql_counter.count == 1
    assert (one.missing(), many.missing(), count.missing()) == (None, [], 0)
    with pytest.raises(ValueError, match="columns or expression"):
        MemberSource(Visit, key="member_id")


async def test_member_entitlements_cost_the_same_for_a_page_of_5_and_of_50(world, sql_counter):
    # The preview of every program's decisions, asked for a page: one batch per page (it
    # was three statements or more per member).
    _host, gql = world
    query = page(50, 'entitlements(period: "2027-spring-festival") { program ruleCode eligible }')
    fifty, at_50 = await counted(gql, sql_counter, query)
    five, at_5 = await counted(gql, sql_counter, query.replace("first: 50", "first: 5"))
    assert at_5 == at_50, (at_5, at_50)
    decided = [n["entitlements"] for n in nodes(fifty["data"]["members"])]
    assert len(decided) == 50 and all(d for d in decided)
    assert [n["entitlements"] for n in nodes(five["data"]["members"])] == decided[:5]
