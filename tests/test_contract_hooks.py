"""The contract's hooks for what every program needs (issue 16 item 5): error codes, actions,
node types, public fields and period kinds. Each is driven through the host and the HTTP API
by the installed sample plugin (``tests/sample_plugin``) and, where the sample cannot show it
(a program type read by enterprise contacts), by ``Badges``, a small program defined here."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
import strawberry
from strawberry.types import Info

from tests.factories import fixed_clock, id_number, uscc
from unionaid.core import (
    ActionSpec,
    Code,
    DomainError,
    ErrorCode,
    GraphQLContribution,
    Node,
    NodeType,
    PeriodKind,
    ProgramInfo,
    Schedule,
    UserError,
    Words,
    hookimpl,
    pk_of,
    principal,
    program_scope,
    require,
    run_mutation,
    to_global_id,
)
from unionaid.core.app import create_app
from unionaid.core.errors import message
from unionaid.core.graphql.schema import build_schema
from unionaid.core.host import PluginError, PluginHost
from unionaid.core.models import Member
from unionaid.core.policy import allows, has
from unionaid.core.principal import Principal
from unionaid.core.schedules import occurrence

HUISHAN, BINHU, LIANGXI = "320206", "320211", "320213"
ENABLE = """mutation($p: String!, $d: String!) { enableProgram(input: {programId: $p,
  districtCode: $d}) { userErrors { code } } }"""
CREATE_ENTERPRISE = """mutation($i: CreateEnterpriseInput!) {
  createEnterprise(input: $i) { enterprise { id uscc } userErrors { code } } }"""
CREATE_MEMBER = """mutation($i: CreateMemberInput!) {
  createMember(input: $i) { member { id } userErrors { code } } }"""
NODE = "query($id: ID!) { node(id: $id) { id __typename ... on %s { %s } } }"


@strawberry.type(description="A member's badge in the Badges program (a test node type)")
class Badge(Node):
    district_code: str
    label: str


@dataclass(frozen=True)
class BadgeRow:
    id: str
    district_code: str
    enterprise_id: int | None
    label: str


BADGE_LOADS: list[list[int]] = []


async def load_badges(pks: list[int]) -> dict[int, BadgeRow]:
    BADGE_LOADS.append(sorted(pks))
    rows = await Member.filter(id__in=pks).values("id", "district_id", "enterprise_id", "name")
    return {
        r["id"]: BadgeRow(
            to_global_id("Badge", r["id"]), r["district_id"], r["enterprise_id"], r["name"]
        )
        for r in rows
    }


@strawberry.input
class AwardBadgeInput:
    member_id: strawberry.ID


@strawberry.type
class AwardBadgePayload:
    awarded: str | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class BadgeMutation:
    @strawberry.mutation
    async def award_badge(self, info: Info, input: AwardBadgeInput) -> AwardBadgePayload:
        """An enterprise contact awards a badge to one of its own employees."""

        async def action():
            scope = await program_scope(info, "badges")
            member = await Member.get_or_none(id=pk_of(input.member_id, "Member") or 0)
            mine = scope.enterprise_ids is None or (
                member is not None and member.enterprise_id in scope.enterprise_ids
            )
            if member is None or not mine:
                raise DomainError(Code.NOT_FOUND, "memberId", what=Words("会员", "member"))
            scope.require(member.district_id, "memberId")
            require(principal(info), "badges.award", member.district_id, "memberId")
            return {"awarded": member.name}

        return await run_mutation(info, AwardBadgePayload, action)


class Badges:
    """A program whose type enterprise contacts may read for their own employees, and whose
    action (awarding a badge) they hold: the issue's "an enterprise contact may enrol its own
    employees"."""

    @hookimpl
    def register_program(self):
        return ProgramInfo(
            id="badges",
            name="徽章",
            name_en="Badges",
            version="1",
            contract_versions=("2",),
            serves={"city_admin", "district_admin", "caseworker", "enterprise"},
        )

    @hookimpl
    def register_node_types(self):
        return [NodeType(Badge, load_badges, enterprise="enterprise_id")]

    @hookimpl
    def register_actions(self):
        return [ActionSpec("badges.award", "颁发徽章", "Award badges", {"enterprise"})]

    @hookimpl
    def register_graphql(self):
        return GraphQLContribution(mutation=BadgeMutation)


@pytest.fixture
def host(sample_installed) -> PluginHost:
    host = PluginHost.load(only={"sample"})
    host.register(Badges())
    host.check()
    return host


async def enable(gql, program: str, district: str) -> None:
    done = await gql.ok(ENABLE, {"p": program, "d": district})
    assert done["enableProgram"]["userErrors"] == []


def _program(pid: str, **hooks):
    """A throw-away program implementing ``hooks`` (name -> return value)."""
    namespace = {
        "register_program": lambda self: ProgramInfo(
            id=pid, name="测试", name_en="Test", version="1", contract_versions=("2",)
        )
    }
    namespace.update({name: (lambda value: lambda self: value)(v) for name, v in hooks.items()})
    cls = type(pid.title(), (), {k: hookimpl(v) for k, v in namespace.items()})
    return cls()


# -- error codes ------------------------------------------------------------------------------

GREET = """mutation($d: String!, $n: Int!) { sampleGreet(input: {districtCode: $d, count: $n})
  { greeted userErrors { field code message } } }"""


async def test_hook_register_error_codes_answer_in_the_request_language(gql):
    await enable(gql, "sample", HUISHAN)
    said = {}
    for lang in ("zh-CN", "en"):
        body = await gql(GREET, {"d": HUISHAN, "n": 5}, **{"Accept-Language": lang})
        (said[lang],) = body["data"]["sampleGreet"]["userErrors"]
    assert said["zh-CN"] == {
        "field": "count",
        "code": "SAMPLE_QUOTA_EXCEEDED",
        "message": "每次最多问候 3 人",
    }
    assert said["en"]["message"] == "At most 3 greetings at a time"
    assert (await gql.ok(GREET, {"d": HUISHAN, "n": 2}))["sampleGreet"]["greeted"] == 2


def test_hook_register_error_codes_clash_fails_at_startup():
    mine = ErrorCode("MINE", "我的", "mine")
    with pytest.raises(PluginError, match="NOT_FOUND is the core's"):
        PluginHost().register(
            _program("one", register_error_codes=[ErrorCode("NOT_FOUND", "无", "none")])
        )
    host = PluginHost()
    host.register(_program("one", register_error_codes=[mine]))
    with pytest.raises(PluginError, match="MINE is one's"):
        host.register(_program("two", register_error_codes=[ErrorCode("MINE", "他", "his")]))
    with pytest.raises(PluginError, match="must return a list of ErrorCode"):
        PluginHost().register(_program("three", register_error_codes=["MINE"]))
    with pytest.raises(ValueError, match="different parameters"):
        ErrorCode("BAD", "最多 {max}", "at most {limit}")


def test_a_program_code_raised_top_level_carries_its_own_message():
    from graphql import GraphQLError

    from unionaid.core.errors import TopLevelError
    from unionaid.core.graphql.errors import shape_error

    code = ErrorCode("SAMPLE_CLOSED", "{program} 已暂停受理", "{program} is closed")
    wrapped = GraphQLError("x", original_error=TopLevelError(code, program="sample"))
    shaped = shape_error(wrapped, "en", "r1")
    assert (shaped.message, shaped.extensions["code"]) == ("sample is closed", "SAMPLE_CLOSED")
    assert message(code, "zh", program="sample") == "sample 已暂停受理"


# -- actions ------------------------------------------------------------------------------------


async def test_hook_register_actions_are_granted_by_the_role_table(gql, login_as):
    await enable(gql, "sample", HUISHAN)
    caseworker = await login_as("caseworker", (HUISHAN,))
    approver = await login_as("approver", (HUISHAN,))
    stranger = await login_as("caseworker", (BINHU,))
    assert (await caseworker.ok(GREET, {"d": HUISHAN, "n": 1}))["sampleGreet"]["greeted"] == 1
    refused = await approver(GREET, {"d": HUISHAN, "n": 1})
    assert [e["extensions"]["code"] for e in refused["errors"]] == ["FORBIDDEN"]
    hidden = (await stranger.ok(GREET, {"d": HUISHAN, "n": 1}))["sampleGreet"]
    assert [e["code"] for e in hidden["userErrors"]] == ["NOT_FOUND"]


AWARD = """mutation($m: ID!) { awardBadge(input: {memberId: $m}) { awarded
  userErrors { field code } } }"""


async def test_an_enterprise_contact_holds_a_programs_action_for_its_own_employees(
    login_as, staffed
):
    firms, badges = staffed
    member = to_global_id("Member", pk_of(badges[HUISHAN], "Badge"))
    own = await login_as("enterprise", enterprise=firms[HUISHAN]["uscc"])
    done = (await own.ok(AWARD, {"m": member}))["awardBadge"]
    assert done == {"awarded": f"会员{HUISHAN}", "userErrors": []}
    other = await login_as("enterprise", enterprise=firms[BINHU]["uscc"])
    hidden = (await other.ok(AWARD, {"m": member}))["awardBadge"]["userErrors"]
    assert hidden == [{"field": "memberId", "code": "NOT_FOUND"}]
    caseworker = await login_as("caseworker", (HUISHAN,))  # served, but not given the action
    assert _codes(await caseworker(AWARD, {"m": member})) == ["FORBIDDEN"]


def test_actions_are_decided_by_policy_like_the_cores(host):
    def who(role: str, districts=None) -> Principal:
        return Principal(1, "u", role, districts, frozenset(), "r")

    assert allows(who("caseworker", frozenset({HUISHAN})), "sample.greet", HUISHAN)
    assert not allows(who("approver", frozenset({HUISHAN})), "sample.greet", HUISHAN)
    assert allows(who("city_admin"), "sample.greet", None)  # the city admin holds them all
    assert has(who("enterprise"), "badges.award") and not has(who("caseworker"), "badges.award")
    assert allows(who("caseworker"), "read_records", HUISHAN)  # a core action by its name
    with pytest.raises(LookupError, match=r"sample\.gret"):
        require(who("city_admin"), "sample.gret", HUISHAN)


def test_hook_register_actions_checked_at_startup():
    def spec(name, roles=("caseworker",)):
        return ActionSpec(name, "做", "do", roles)

    with pytest.raises(PluginError, match=r"must start one\."):
        PluginHost().register(_program("one", register_actions=[spec("two.do")]))
    with pytest.raises(PluginError, match="twice"):
        PluginHost().register(_program("one", register_actions=[spec("one.do")] * 2))
    with pytest.raises(PluginError, match="does not serve"):  # serves staff, not enterprises
        PluginHost().register(_program("one", register_actions=[spec("one.do", ["enterprise"])]))
    with pytest.raises(ValueError, match="unknown roles"):
        spec("one.do", ["janitor"])


# -- node types ----------------------------------------------------------------------------------


@pytest.fixture
async def staffed(gql):
    """A member with an enterprise in each of two districts; Badges on in Huishan only."""
    firms, people = {}, {}
    for code in (HUISHAN, BINHU):
        firm = await gql.ok(
            CREATE_ENTERPRISE, {"i": {"name": f"企业{code}", "uscc": uscc(), "districtCode": code}}
        )
        firms[code] = firm["createEnterprise"]["enterprise"]
        made = await gql.ok(
            CREATE_MEMBER,
            {
                "i": {
                    "name": f"会员{code}",
                    "idNumber": id_number(),
                    "districtCode": code,
                    "enterpriseId": firms[code]["id"],
                }
            },
        )
        pk = int(
            __import__("base64").b64decode(made["createMember"]["member"]["id"]).split(b":")[1]
        )
        people[code] = to_global_id("Badge", pk)
    await enable(gql, "badges", HUISHAN)
    await enable(gql, "sample", HUISHAN)
    return firms, people


async def _node(client, type_name: str, fields: str, id: str) -> dict:
    return await client(NODE % (type_name, fields), {"id": id})


def _codes(body: dict) -> list[str]:
    return [e["extensions"]["code"] for e in body.get("errors", [])]


async def test_hook_register_node_types_resolves_them_with_the_scope_checked(
    gql, login_as, staffed
):
    firms, badges = staffed
    found = await _node(gql, "Badge", "districtCode label", badges[HUISHAN])
    assert found["data"]["node"] == {
        "id": badges[HUISHAN],
        "__typename": "Badge",
        "districtCode": HUISHAN,
        "label": f"会员{HUISHAN}",
    }
    off = await _node(gql, "Badge", "label", badges[BINHU])  # visible, program off there
    assert (off["data"]["node"], _codes(off)) == (None, ["PROGRAM_NOT_ENABLED"])
    outsider = await login_as("caseworker", (BINHU,))
    hidden = await _node(outsider, "Badge", "label", badges[HUISHAN])
    assert (hidden["data"]["node"], _codes(hidden)) == (None, ["NOT_FOUND"])
    own = await login_as("enterprise", enterprise=firms[HUISHAN]["uscc"])
    assert (await _node(own, "Badge", "label", badges[HUISHAN]))["data"]["node"]["label"]
    other = await login_as("enterprise", enterprise=firms[BINHU]["uscc"])
    assert _codes(await _node(other, "Badge", "label", badges[HUISHAN])) == ["NOT_FOUND"]
    unserved = await login_as("approver", (HUISHAN,))  # Badges does not serve approvers
    assert _codes(await _node(unserved, "Badge", "label", badges[HUISHAN])) == ["NOT_FOUND"]
    missing = await _node(gql, "Badge", "label", to_global_id("Badge", 99999))
    assert _codes(missing) == ["NOT_FOUND"]


async def test_a_real_plugins_node_type_resolves_and_hides_from_enterprise_contacts(
    gql, login_as, staffed
):
    firms, _ = staffed
    card = to_global_id("SampleDistrictCard", int(HUISHAN))
    body = await _node(gql, "SampleDistrictCard", "districtCode greeting", card)
    assert body["data"]["node"]["greeting"] == f"你好，{HUISHAN}"
    binhu = to_global_id("SampleDistrictCard", int(BINHU))
    assert _codes(await _node(gql, "SampleDistrictCard", "greeting", binhu)) == [
        "PROGRAM_NOT_ENABLED"
    ]
    contact = await login_as("enterprise", enterprise=firms[HUISHAN]["uscc"])
    assert _codes(await _node(contact, "SampleDistrictCard", "greeting", card)) == ["NOT_FOUND"]


async def test_node_fields_of_one_request_load_in_one_batch(gql, staffed, sql_counter):
    _, badges = staffed
    one = "query($a: ID!) { a: node(id: $a) { id } }"
    many = (
        "query($a: ID!, $b: ID!) { a: node(id: $a) { id } b: node(id: $b) { id } "
        + " ".join(f"c{i}: node(id: $a) {{ id }}" for i in range(3))
        + " }"
    )
    await gql.ok(one, {"a": badges[HUISHAN]})  # warm the token's caches alike
    BADGE_LOADS.clear()
    sql_counter.count = 0
    await gql.ok(one, {"a": badges[HUISHAN]})
    alone = sql_counter.count
    sql_counter.count = 0
    body = await gql(many, {"a": badges[HUISHAN], "b": badges[BINHU]})
    assert sql_counter.count == alone
    assert BADGE_LOADS[-1] == sorted(pk_of(b, "Badge") for b in badges.values())
    assert len(BADGE_LOADS) == 2 and _codes(body) == ["PROGRAM_NOT_ENABLED"]


def test_node_types_must_implement_node_and_be_unnamed_elsewhere():
    @strawberry.type
    class Loose:
        id: strawberry.ID

    async def nothing(pks):
        return {}

    for types, problem in (
        ([NodeType(Loose, nothing)], "must implement Node"),
        ([NodeType(Badge, nothing), NodeType(Badge, nothing)], "is one's"),
    ):
        host = PluginHost()
        host.register(_program("one", register_node_types=types))
        with pytest.raises(PluginError, match=problem):
            build_schema(host)

    @strawberry.type(name="Member")
    class Impostor(Node):
        label: str

    host = PluginHost()
    host.register(_program("one", register_node_types=[NodeType(Impostor, nothing)]))
    with pytest.raises(PluginError, match="Member is the core's"):
        build_schema(host)


# -- public fields ---------------------------------------------------------------------------------


async def test_a_public_field_answers_without_a_token_and_its_siblings_do_not(gql, anonymous):
    assert (await anonymous.ok("{ sampleNotice }"))["sampleNotice"] == []
    await enable(gql, "sample", HUISHAN)
    # Only the districts where the program is enabled, as for a signed-in caller.
    assert (await anonymous.ok("{ sampleNotice }"))["sampleNotice"] == [HUISHAN]
    for refused in (
        "{ sampleDistricts }",  # the program's other field
        "{ sampleNotice sampleDistricts }",  # a sibling in the same request
        "{ sampleNotice members { totalCount } }",
        "{ ... on Query { sampleNotice districts { code } } }",
        'mutation { sampleGreet(input: {districtCode: "320206", count: 1}) { greeted } }',
    ):
        body = await anonymous(refused)
        assert body.get("data") is None and _codes(body) == ["UNAUTHENTICATED"], refused
    two = "query A { sampleNotice } query B { districts { code } }"
    for operation, public in (("A", True), ("B", False)):
        answer = await anonymous.client.post(
            "/graphql", json={"query": two, "operationName": operation}
        )
        assert (answer.json().get("errors") is None) is public, operation
    forged = await anonymous("{ sampleNotice }", Authorization="Bearer not-a-token")
    assert _codes(forged) == ["UNAUTHENTICATED"]  # a bad token is refused, public or not


def test_the_anonymous_scope_never_reaches_members():
    from unionaid.core import ProgramScope, TopLevelError

    scope = ProgramScope("sample", frozenset({HUISHAN}), lambda code: True, anonymous=True)
    assert scope.districts() == {HUISHAN}
    with pytest.raises(TopLevelError) as refused:
        scope.member_filter("member__")
    assert refused.value.code is Code.UNAUTHENTICATED


async def test_public_fields_keep_the_limits_and_the_budget(settings, orm, host):
    import httpx

    from unionaid.core.graphql.limits import Limits

    app = create_app(
        settings,
        host,
        manage_db=False,
        clock=fixed_clock,
        rate_limit=3,
        limits=Limits(aliases=2),
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:

        async def ask(query: str) -> httpx.Response:
            return await c.post("/graphql", json={"query": query})

        aliased = await ask("{ a: sampleNotice b: sampleNotice c: sampleNotice }")
        assert _codes(aliased.json()) == ["TOO_MANY_ALIASES"]
        assert (await ask("{ sampleNotice }")).json()["data"] == {"sampleNotice": []}
        assert (await ask("{ sampleNotice }")).status_code == 200
        over = await ask("{ sampleNotice }")  # the fourth request of the minute from here
        assert over.status_code == 429 and _codes(over.json()) == ["RATE_LIMITED"]


def test_only_query_fields_can_be_public():
    @strawberry.type
    class Query:
        @strawberry.field
        def open_data(self) -> int:
            return 1

    @strawberry.type
    class Mutation:
        @strawberry.mutation
        def write_data(self) -> int:
            return 1

    host = PluginHost()
    contribution = GraphQLContribution(
        query=Query, mutation=Mutation, public_fields=("open_data", "write_data")
    )
    host.register(_program("one", register_graphql=contribution))
    with pytest.raises(PluginError, match="write_data"):
        build_schema(host)


# -- period kinds -------------------------------------------------------------------------------------

SET_DATES = """mutation($c: String!, $s: Date!, $e: Date!) { setPeriodDates(input: {code: $c,
  start: $s, end: $e}) { period { code kind start end judgedOn } userErrors { field code } } }"""
CREATE_CAMPAIGN = """mutation($i: CreateCampaignInput!) { createCampaign(input: $i) {
  campaign { id period { code kind start end judgedOn } } userErrors { field code message } } }"""


async def test_hook_register_period_kinds_dates_set_by_the_city_bound_campaigns(
    gql, login_as, host
):
    await enable(gql, "sample", HUISHAN)
    fund = await gql.ok(
        'mutation { createFund(input: {code: "HS", name: "惠山", districtCode: "320206"})'
        " { fund { id } } }"
    )
    fund_id = fund["createFund"]["fund"]["id"]

    async def campaign(rule: str, period: str, **headers) -> dict:
        made = await gql(
            CREATE_CAMPAIGN,
            {
                "i": {
                    "name": "假期",
                    "programId": "sample",
                    "ruleCode": rule,
                    "period": period,
                    "districtCodes": [HUISHAN],
                    "fundId": fund_id,
                }
            },
            **headers,
        )
        return made["data"]["createCampaign"]

    unset = await campaign("holiday_gift", "2027-holiday-season", **{"Accept-Language": "en"})
    assert [(e["field"], e["code"]) for e in unset["userErrors"]] == [("period", "INVALID_PERIOD")]
    assert "setPeriodDates" in unset["userErrors"][0]["message"]
    dates = {"c": "2027-holiday-season", "s": "2027-07-01", "e": "2027-08-31"}
    caseworker = await login_as("caseworker", (HUISHAN,))
    assert _codes(await caseworker(SET_DATES, dates)) == ["FORBIDDEN"]  # the city sets them
    done = (await gql.ok(SET_DATES, dates))["setPeriodDates"]
    assert done == {
        "period": {
            "code": "2027-holiday-season",
            "kind": "holiday-season",
            "start": "2027-07-01",
            "end": "2027-08-31",
            "judgedOn": "2027-07-01",
        },
        "userErrors": [],
    }
    made = await campaign("holiday_gift", "2027-Holiday-Season")  # read case-insensitively
    assert made["userErrors"] == [] and made["campaign"]["period"] == done["period"]
    # The rule takes only its kind, and other rules never take it.
    for rule, period in (("holiday_gift", "2027"), ("gift", "2027-holiday-season")):
        refused = await campaign(rule, period)
        assert [e["code"] for e in refused["userErrors"]] == ["INVALID_PERIOD"], rule
    rule = host.rule("sample", "holiday_gift")  # paid once per season, like once per term
    assert occurrence(rule, "2027-holiday-season") == "2027-holiday-season"
    unknown = (await gql.ok(SET_DATES, dates | {"c": "2027-winter-break"}))["setPeriodDates"]
    assert unknown["userErrors"] == [{"field": "code", "code": "INVALID_PERIOD"}]
    again = (await gql.ok(SET_DATES, dates | {"s": "2028-07-01"}))["setPeriodDates"]
    assert [e["code"] for e in again["userErrors"]] == ["INVALID_INPUT"]  # not in its year


def test_hook_register_period_kinds_checked_at_startup():
    holiday = PeriodKind("holiday-season", "假期", "holiday season")
    for taken in ("term", "spring-festival", "autumn-term"):
        with pytest.raises(PluginError, match="is the core's"):
            PluginHost().register(
                _program("one", register_period_kinds=[PeriodKind(taken, "期", "period")])
            )
    host = PluginHost()
    host.register(_program("one", register_period_kinds=[holiday]))
    with pytest.raises(PluginError, match="holiday-season is one's"):
        host.register(_program("two", register_period_kinds=[holiday]))

    class Dated:
        code, name, name_en = "dated", "假期", "Dated"
        schedule, period_kind = Schedule.DATED, "harvest"

    host = PluginHost()
    host.register(_program("three", register_rules=[Dated()]))
    with pytest.raises(PluginError, match="harvest"):
        host.check()
    with pytest.raises(ValueError, match="lower-case"):
        PeriodKind("Holiday_Season", "假期", "holiday")


async def test_the_city_sets_a_program_periods_dates_from_the_cli(settings, orm, tmp_path):
    import datetime as dt

    from tests.conftest import SAMPLE
    from tests.factories import ACTOR
    from tests.test_cli_access import cli
    from unionaid.core.models import SchoolTerm
    from unionaid.core.services import accounts

    await accounts.create_user(ACTOR, accounts.NewUser("cityboss", "city_admin", []))
    await accounts.create_user(ACTOR, accounts.NewUser("worker", "caseworker", [HUISHAN]))

    def period_set(user: str):
        dates = ("--start", "2027-07-01", "--end", "2027-08-31")
        args = ("period", "set", "2027-holiday-season", *dates, "--as", user)
        return cli(settings, tmp_path, *args, PYTHONPATH=str(SAMPLE))

    refused = period_set("worker")
    assert refused.returncode == 1 and "FORBIDDEN" in refused.stderr
    done = period_set("cityboss")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "2027-holiday-season holiday-season 2027-07-01..2027-08-31"
    stored = await SchoolTerm.get(code="2027-holiday-season")
    assert (stored.start, stored.end, stored.updated_by) == (
        dt.date(2027, 7, 1),
        dt.date(2027, 8, 31),
        "cityboss",
    )
