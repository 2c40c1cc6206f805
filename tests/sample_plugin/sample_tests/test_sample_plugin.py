"""The sample program through the API, with the kit's fixtures: enabled in 惠山区 only."""

from decimal import Decimal

from unionaid.core import to_global_id

HUISHAN, BINHU = "320206", "320211"
GREETING = "query($m: ID!) { member(id: $m) { sampleGreeting } }"
DISTRICTS = "{ sampleDistricts }"
TOUCH = """mutation($c: String!) { sampleTouch(input: {districtCode: $c})
  { touched userErrors { field code } } }"""
PAGE = "query($n: Int!) { members(first: $n) { edges { node { sampleGreeting } } } }"
PREVIEW = """query($m: ID!) { member(id: $m) { entitlements(period: "2027-spring-festival") {
  program ruleCode eligible amount } } }"""


def codes(body: dict) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def test_the_kit_enabled_the_program_in_the_chosen_district_only(
    gql, host, sample_plugin_module
):
    assert list(host.programs) == ["sample"]
    assert await gql.ok(DISTRICTS) == {"sampleDistricts": [HUISHAN]}
    assert ("enabled", HUISHAN) in sample_plugin_module.CALLS  # on_program_enabled ran


async def test_the_member_field_answers_where_the_program_is_on(gql, add_member):
    here = await add_member(HUISHAN, name="张三")
    there = await add_member(BINHU, name="李四")
    read = await gql.ok(GREETING, {"m": to_global_id("Member", here.pk)})
    assert read == {"member": {"sampleGreeting": "示例项目: 张三"}}
    refused = await gql(GREETING, {"m": to_global_id("Member", there.pk)})
    assert refused["data"] == {"member": {"sampleGreeting": None}}
    assert codes(refused) == ["PROGRAM_NOT_ENABLED"]


async def test_the_mutation_is_refused_where_the_program_is_off(gql):
    done = await gql.ok(TOUCH, {"c": HUISHAN})
    assert done["sampleTouch"] == {"touched": HUISHAN, "userErrors": []}
    refused = await gql.ok(TOUCH, {"c": BINHU})
    assert refused["sampleTouch"] == {
        "touched": None,
        "userErrors": [{"field": "districtCode", "code": "PROGRAM_NOT_ENABLED"}],
    }


async def test_a_district_user_sees_only_its_districts(login_as):
    theirs = await login_as("caseworker", (BINHU,))
    assert await theirs.ok(DISTRICTS) == {"sampleDistricts": []}
    refused = await theirs.ok(TOUCH, {"c": HUISHAN})
    assert refused["sampleTouch"]["userErrors"] == [{"field": "districtCode", "code": "NOT_FOUND"}]


async def test_the_festival_gift_is_previewed_for_a_low_income_member(gql, add_member):
    low = await add_member(HUISHAN, monthly_income=Decimal("2000.00"))
    high = await add_member(HUISHAN, monthly_income=Decimal("8000.00"))
    found = {}
    for member in (low, high):
        body = await gql.ok(PREVIEW, {"m": to_global_id("Member", member.pk)})
        found[member.pk] = {d["ruleCode"]: d for d in body["member"]["entitlements"]}
    assert found[low.pk]["gift"] == {
        "program": "sample",
        "ruleCode": "gift",
        "eligible": True,
        "amount": "500.00",
    }
    assert (found[high.pk]["gift"]["eligible"], found[high.pk]["gift"]["amount"]) == (False, "0.00")


async def test_a_page_costs_the_same_whatever_its_size(gql, add_member, sql_counter):
    for n in range(12):
        await add_member(HUISHAN, name=f"会员{n}")
    statements = []
    for first in (3, 12):
        sql_counter.count = 0
        edges = (await gql.ok(PAGE, {"n": first}))["members"]["edges"]
        assert len(edges) == first
        statements.append(sql_counter.count)
    assert statements[0] == statements[1]
