"""Plugin lists are scoped to the caller's full scope, and programs that are off answer so
(issue 15 items 9 and 10).

惠山区 and 滨湖区 run the hardship program, 梁溪区 does not. Each of the two has a hardship file,
a visit and a paid Spring Festival campaign; 惠山区's household is an employee of an enterprise
whose contact may read its employees' register data — and nothing of the hardship program, nor
any campaign."""

import datetime as dt

import pytest

from tests.factories import id_number, nodes, uscc
from unionaid.core.models.access import Role
from unionaid.core.plugin_types import ROLES

HUISHAN, BINHU, LIANGXI = "320206", "320211", "320213"
ENABLE = """mutation($p: String!, $d: String!) {
  enableProgram(input: {programId: $p, districtCode: $d}) { userErrors { code } } }"""
DISABLE = """mutation($p: String!, $d: String!) {
  disableProgram(input: {programId: $p, districtCode: $d}) { userErrors { code } } }"""
CAMPAIGN = """mutation($i: CreateCampaignInput!) { createCampaign(input: $i) {
  campaign { id } userErrors { field code } } }"""
EVALUATE = """mutation($c: ID!) { evaluateCampaign(input: {campaignId: $c}) {
  job { id } userErrors { code } } }"""
APPROVE = """mutation($c: ID!) { approveCampaign(input: {campaignId: $c, reason: "ok"}) {
  campaign { status } userErrors { code } } }"""
PAY = (
    "mutation($c: ID!) { payCampaign(input: {campaignId: $c}) { job { id } userErrors { code } } }"
)
PERIOD = "2027-spring-festival"


async def _district_story(city, login_as, app, code: str, name: str, enterprise_id=None) -> str:
    """A member with an extreme-hardship file, a visit and a paid Spring Festival campaign."""
    maker = await login_as("caseworker", (code,))
    checker = await login_as("approver", (code,))
    payer = await login_as("district_admin", (code,))
    member = {"name": name, "idNumber": id_number(dt.date(1970, 1, 1)), "districtCode": code}
    if enterprise_id is not None:
        member["enterpriseId"] = enterprise_id
    made = await city.ok(
        "mutation($i: CreateMemberInput!) { createMember(input: $i) { member { id } } }",
        {"i": member},
    )
    member_id = made["createMember"]["member"]["id"]
    filed = await maker.ok(
        """mutation($i: HardshipFileInput!) { registerHardshipFile(input: $i) {
          userErrors { code } } }""",
        {"i": {"memberId": member_id, "level": "EXTREME", "reasons": ["SERIOUS_ILLNESS"]}},
    )
    assert filed["registerHardshipFile"]["userErrors"] == []
    checked = await payer.ok(  # by someone else: only a verified file pays
        """mutation($m: ID!) { verifyHardshipFile(input: {memberId: $m,
          verifiedOn: "2026-11-01"}) { userErrors { code } } }""",
        {"m": member_id},
    )
    assert checked["verifyHardshipFile"]["userErrors"] == []
    visited = await maker.ok(
        """mutation($i: RecordVisitInput!) { recordVisit(input: $i) { userErrors { code } } }""",
        {
            "i": {
                "districtCode": code,
                "visiteeName": name,
                "visiteeKind": "HOUSEHOLD",
                "visitedBy": "工会主席",
                "visitedOn": "2026-09-01",
                "occasion": "OTHER",
                "memberId": member_id,
                "gifts": "米和油",
            }
        },
    )
    assert visited["recordVisit"]["userErrors"] == []
    fund = await city.ok(
        'mutation($d: String!, $c: String!) { createFund(input: {code: $c, name: "帮扶", '
        "districtCode: $d}) { fund { id } } }",
        {"d": code, "c": f"F-{code}"},
    )
    fund_id = fund["createFund"]["fund"]["id"]
    await city.ok(
        'mutation($f: ID!) { contributeToFund(input: {fundId: $f, amount: "50000.00"}) '
        "{ userErrors { code } } }",
        {"f": fund_id},
    )
    created = await maker.ok(
        CAMPAIGN,
        {
            "i": {
                "name": "春节送温暖",
                "programId": "hardship",
                "ruleCode": "spring_festival",
                "period": PERIOD,
                "districtCodes": [code],
                "fundId": fund_id,
            }
        },
    )
    campaign = created["createCampaign"]["campaign"]["id"]
    await maker.ok(EVALUATE, {"c": campaign})
    await app.state.jobs.idle()
    approved = await checker.ok(APPROVE, {"c": campaign})
    assert approved["approveCampaign"]["campaign"]["status"] == "APPROVED", approved
    await payer.ok(PAY, {"c": campaign})
    await app.state.jobs.idle()
    return member_id


@pytest.fixture
async def world(gql, login_as, app):
    city = gql
    for code in (HUISHAN, BINHU):
        assert (await city.ok(ENABLE, {"p": "hardship", "d": code}))["enableProgram"][
            "userErrors"
        ] == []
    firm = await city.ok(
        """mutation($i: CreateEnterpriseInput!) { createEnterprise(input: $i) {
          enterprise { id uscc } userErrors { code } } }""",
        {"i": {"name": "惠山机械厂", "uscc": uscc(), "districtCode": HUISHAN}},
    )
    enterprise = firm["createEnterprise"]["enterprise"]
    employee = await _district_story(city, login_as, app, HUISHAN, "惠山职工", enterprise["id"])
    await _district_story(city, login_as, app, BINHU, "滨湖职工")
    return city, enterprise, employee


LISTS = {
    "hardshipFiles": (
        "{ hardshipFiles { edges { node { member { district { code } } } } } }",
        "member",
    ),
    "hardshipReport": ('{ hardshipReport(period: "2027-spring-festival") { districtCode } }', None),
    "visits": ("{ visits { edges { node { districtCode } } } }", None),
    "visitReport": ("{ visitReport { districtCode } }", None),
}
CITY_WIDE = {"city_admin", "auditor"}


@pytest.mark.parametrize("role", sorted(ROLES))
async def test_every_plugin_list_and_the_campaigns_show_each_role_its_full_scope(
    world, login_as, role
):
    _city, enterprise, employee = world
    caller = await login_as(
        role,
        () if role in CITY_WIDE | {"enterprise"} else (HUISHAN,),
        enterprise["uscc"] if role == "enterprise" else None,
    )
    expected = {HUISHAN, BINHU} if role in CITY_WIDE else {HUISHAN}
    for name, (query, nested) in LISTS.items():
        body = await caller(query)
        if role == "enterprise":  # hardship is not an enterprise contact's business
            assert body["data"] is None, (name, body)
            assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN", (name, body)
            continue
        assert "errors" not in body, (name, body)
        rows = body["data"][name]
        rows = nodes(rows) if isinstance(rows, dict) else rows  # a connection's page
        seen = {r[nested]["district"]["code"] if nested else r["districtCode"] for r in rows}
        assert seen == expected, (name, rows)

    campaigns = nodes(
        (await caller.ok("{ campaigns { edges { node { districtCodes } } } }"))["campaigns"]
    )
    if role == "enterprise":
        assert campaigns == []
    else:
        assert {c["districtCodes"][0] for c in campaigns} == expected

    # The enterprise's own employee: its register data, never its hardship file or decisions.
    body = await caller(
        """query($m: ID!) { member(id: $m) { name hardship { level }
          entitlements(period: "2027-spring-festival") { program } } }""",
        {"m": employee},
    )
    assert body["data"]["member"]["name"] == "惠山职工"
    if role == "enterprise":
        assert body["data"]["member"]["hardship"] is None
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert body["data"]["member"]["entitlements"] == []
    else:
        assert "errors" not in body, body
        assert body["data"]["member"]["hardship"] == {"level": "EXTREME"}
        assert {e["program"] for e in body["data"]["member"]["entitlements"]} == {"hardship"}


async def test_an_enterprise_contact_reaches_no_campaign_and_no_hardship_mutation(
    world, login_as, gql
):
    _city, enterprise, employee = world
    contact = await login_as("enterprise", (), enterprise["uscc"])
    listed = await gql.ok("{ campaigns { edges { node { id } } } }")
    gid = nodes(listed["campaigns"])[0]["id"]
    one = await contact("query($c: ID!) { campaign(id: $c) { id } }", {"c": gid})
    assert one["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    node = await contact("query($c: ID!) { node(id: $c) { id } }", {"c": gid})
    assert node["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert (await contact.ok("{ campaigns { totalCount } }"))["campaigns"]["totalCount"] == 0
    closed = await contact(
        """mutation($i: CloseHardshipFileInput!) { closeHardshipFile(input: $i) {
          userErrors { code } } }""",
        {"i": {"memberId": employee, "reason": "窥探"}},
    )
    assert closed["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    what_if = await contact(
        """{ whatIf(programId: "hardship", ruleCode: "spring_festival", districtCode: "320206",
          period: "2027-spring-festival", settings: {spring_festival_amount: "1.00"}) { totalDifference } }"""
    )
    assert what_if["errors"][0]["extensions"]["code"] == "FORBIDDEN"


OFF_HERE = {
    "hardshipFiles": '{ hardshipFiles(districtCode: "320213") { totalCount } }',
    "hardshipReport": '{ hardshipReport(districtCode: "320213") { amount } }',
    "visits": '{ visits(districtCode: "320213") { totalCount } }',
    "whatIf": """{ whatIf(programId: "hardship", ruleCode: "spring_festival",
        districtCode: "320213", period: "2027-spring-festival", settings: {spring_festival_amount: "1.00"})
        { totalDifference } }""",
}


@pytest.mark.parametrize("field", sorted(OFF_HERE))
async def test_a_district_that_has_not_enabled_the_program_answers_so(gql, field):
    body = await gql(OFF_HERE[field])
    assert body["data"] is None, body
    assert body["errors"][0]["extensions"]["code"] == "PROGRAM_NOT_ENABLED", body


async def test_what_if_never_runs_a_programs_rules_where_it_is_off(gql, monkeypatch):
    import unionaid.core.services.previews as previews

    def never(*args, **kwargs):
        raise AssertionError("a rule ran in a district that has not enabled its program")

    monkeypatch.setattr(previews, "decide", never)
    await gql.ok(
        """mutation($i: CreateMemberInput!) { createMember(input: $i) { member { id } } }""",
        {"i": {"name": "梁溪某", "idNumber": id_number(), "districtCode": LIANGXI}},
    )
    body = await gql(OFF_HERE["whatIf"])
    assert body["errors"][0]["extensions"]["code"] == "PROGRAM_NOT_ENABLED", body


async def test_a_list_over_several_districts_covers_only_those_running_the_program(world):
    city, _enterprise, _employee = world
    await city.ok(DISABLE, {"p": "hardship", "d": BINHU})
    for name, (query, nested) in LISTS.items():
        rows = (await city.ok(query))[name]
        rows = nodes(rows) if isinstance(rows, dict) else rows  # a connection's page
        seen = {r[nested]["district"]["code"] if nested else r["districtCode"] for r in rows}
        assert seen == {HUISHAN}, (name, rows)


def test_program_roles_are_the_roles_the_api_knows():
    assert {r.value for r in Role} == ROLES


async def test_the_scope_helper_narrows_a_plugins_rows_to_an_enterprise_contacts_employees(
    world, login_as
):
    """For programs where enterprises act: ``member_filter`` keeps only the employees."""
    from unionaid.core import ProgramScope, pk_of
    from unionaid.plugins.hardship.models import HardshipProfile

    _city, enterprise, _employee = world
    firm = pk_of(enterprise["id"], "Enterprise")
    everyone = ProgramScope("hardship", frozenset({HUISHAN, BINHU}), lambda c: True)
    contact = ProgramScope("hardship", frozenset({HUISHAN}), {HUISHAN}.__contains__, True, {firm})
    assert await HardshipProfile.filter(**everyone.member_filter("member__")).count() == 2
    mine = await HardshipProfile.filter(**contact.member_filter("member__")).count()
    assert mine == 1
    other = ProgramScope("hardship", frozenset({HUISHAN}), {HUISHAN}.__contains__, True, {-1})
    assert await HardshipProfile.filter(**other.member_filter("member__")).count() == 0


async def test_the_scope_finds_a_member_as_the_api_would_and_an_enterprise_contact_only_its_own(
    world,
):
    """``scope.member`` (for services): an employee for their enterprise's contact, nobody of
    another enterprise (NOT_FOUND), PROGRAM_NOT_ENABLED where the program is off, and never
    anything for an anonymous caller."""
    from unionaid.core import Code, DomainError, ProgramScope, pk_of
    from unionaid.core.errors import TopLevelError

    _city, enterprise, employee = world
    firm, pk = pk_of(enterprise["id"], "Enterprise"), pk_of(employee, "Member")
    contact = ProgramScope("hardship", frozenset({HUISHAN}), {HUISHAN}.__contains__, True, {firm})
    found = await contact.member(pk)
    assert (found.pk, found.district_code, found.enterprise_id) == (pk, HUISHAN, firm)
    stranger = ProgramScope("hardship", frozenset({HUISHAN}), {HUISHAN}.__contains__, True, {-1})
    off = ProgramScope("hardship", frozenset(), {HUISHAN}.__contains__)
    for scope, code in ((stranger, Code.NOT_FOUND), (off, Code.PROGRAM_NOT_ENABLED)):
        with pytest.raises(DomainError) as refused:
            await scope.member(pk)
        assert (refused.value.code, refused.value.field) == (code, "memberId")
    anonymous = ProgramScope("hardship", frozenset({HUISHAN}), lambda c: True, anonymous=True)
    with pytest.raises(TopLevelError) as refused:
        await anonymous.member(pk)
    assert refused.value.code == Code.UNAUTHENTICATED
