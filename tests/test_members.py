import base64
import datetime as dt

import pytest

from tests.factories import id_number
from unionaid.core.models import Member, MemberMove

CREATE = """
mutation($input: CreateMemberInput!) {
  createMember(input: $input) {
    member { id name idNumber gender birthDate version householdSize district { code name } }
    userErrors { field code message }
  }
}"""
UPDATE = """
mutation($input: UpdateMemberInput!) {
  updateMember(input: $input) {
    member { id name version isActive district { code } employmentStatus monthlyIncome }
    userErrors { field code }
  }
}"""


async def create(gql, **fields):
    data = {"name": "张伟", "idNumber": id_number(), "districtCode": "320206", **fields}
    return (await gql.ok(CREATE, {"input": data}))["createMember"]


async def test_create_member_derives_birth_date_gender_and_masks(gql, app):
    number = id_number(dt.date(1972, 5, 6), male=False)
    result = await create(gql, idNumber=number, phone="13912345678")
    assert result["userErrors"] == []
    member = result["member"]
    assert member["birthDate"] == "1972-05-06"
    assert member["gender"] == "FEMALE"
    assert member["idNumber"] == number[:3] + "*" * 11 + number[-4:]
    assert member["district"] == {"code": "320206", "name": "惠山区"}
    assert member["householdSize"] == 1
    stored = await Member.get(name="张伟")
    assert number not in stored.id_number_enc  # encrypted at rest
    assert app.state.schema  # the app under test is the real one


@pytest.mark.parametrize(
    ("fields", "field", "code"),
    [
        ({"idNumber": "110105194912310021"}, "idNumber", "INVALID_ID_NUMBER"),
        ({"idNumber": "11010519491231002x"}, "idNumber", "INVALID_ID_NUMBER"),
        ({"phone": "12345"}, "phone", "INVALID_PHONE"),
        ({"districtCode": "999999"}, "districtCode", "NOT_FOUND"),
        ({"name": "  "}, "name", "REQUIRED"),
        ({"enterpriseId": "RW50ZXJwcmlzZTo5OTk="}, "enterpriseId", "NOT_FOUND"),
    ],
)
async def test_bad_member_input_is_reported_and_nothing_written(gql, fields, field, code):
    result = await create(gql, **fields)
    assert result["member"] is None
    assert [(e["field"], e["code"]) for e in result["userErrors"]] == [(field, code)]
    assert result["userErrors"][0]["message"]
    assert await Member.all().count() == 0


async def test_duplicate_id_number(gql):
    number = id_number()
    await create(gql, idNumber=number)
    again = await create(gql, idNumber=number, name="李娜")
    assert again["userErrors"][0]["code"] == "DUPLICATE"
    assert await Member.all().count() == 1


async def test_several_errors_are_reported_at_once(gql):
    result = await create(gql, idNumber="bad", phone="bad")
    assert {e["code"] for e in result["userErrors"]} == {"INVALID_ID_NUMBER", "INVALID_PHONE"}


async def test_update_with_version_and_conflict(gql):
    member = (await create(gql))["member"]
    first = await gql.ok(
        UPDATE,
        {
            "input": {
                "id": member["id"],
                "version": 1,
                "employmentStatus": "LAID_OFF",
                "monthlyIncome": "1200.5",
            }
        },
    )
    updated = first["updateMember"]["member"]
    assert updated["version"] == 2
    assert updated["employmentStatus"] == "LAID_OFF"
    assert updated["monthlyIncome"] == "1200.50"
    stale = await gql.ok(UPDATE, {"input": {"id": member["id"], "version": 1, "name": "王五"}})
    assert stale["updateMember"]["userErrors"] == [{"field": "version", "code": "CONFLICT"}]
    assert (await Member.get(id=1)).name == "张伟"


async def test_move_between_districts_keeps_history_and_deactivate_hides(gql):
    member = (await create(gql))["member"]
    moved = await gql.ok(
        UPDATE, {"input": {"id": member["id"], "version": 1, "districtCode": "320211"}}
    )
    assert moved["updateMember"]["member"]["district"]["code"] == "320211"
    move = await MemberMove.get()
    assert (move.from_district_id, move.to_district_id) == ("320206", "320211")
    await gql.ok(UPDATE, {"input": {"id": member["id"], "version": 2, "isActive": False}})
    listed = await gql.ok("{ members { totalCount } }")
    assert listed["members"]["totalCount"] == 0
    everyone = await gql.ok("{ members(includeInactive: true) { totalCount } }")
    assert everyone["members"]["totalCount"] == 1
    assert await Member.all().count() == 1  # never hard-deleted


async def test_spouses_share_a_household_and_dependents_count(gql):
    husband = (await create(gql))["member"]
    household = await gql.ok(
        "query($id: ID!) { member(id: $id) { household { id size } } }", {"id": husband["id"]}
    )
    household_id = household["member"]["household"]["id"]
    wife = await create(gql, name="李娜", idNumber=id_number(male=False), householdId=household_id)
    assert wife["member"]["householdSize"] == 2
    child = await gql.ok(
        """mutation($input: AddDependentInput!) { addDependent(input: $input) {
             household { size dependents { name relation schoolLevel birthDate } } userErrors { code } } }""",
        {
            "input": {
                "memberId": husband["id"],
                "name": "张小明",
                "relation": "CHILD",
                "birthDate": "2012-09-01",
                "schoolLevel": "JUNIOR_HIGH",
            }
        },
    )
    assert child["addDependent"]["household"]["size"] == 3
    assert child["addDependent"]["household"]["dependents"][0]["schoolLevel"] == "JUNIOR_HIGH"


async def test_pagination_search_and_node(gql):
    for i in range(5):
        await create(gql, name=f"会员{i}")
    page = await gql.ok(
        "{ members(first: 2) { totalCount pageInfo { hasNextPage endCursor } edges { node { name } } } }"
    )
    conn = page["members"]
    assert conn["totalCount"] == 5 and conn["pageInfo"]["hasNextPage"]
    rest = await gql.ok(
        "query($after: String) { members(first: 10, after: $after) { pageInfo { hasNextPage } edges { node { id name } } } }",
        {"after": conn["pageInfo"]["endCursor"]},
    )
    names = [e["node"]["name"] for e in rest["members"]["edges"]]
    assert names == ["会员2", "会员3", "会员4"]
    assert not rest["members"]["pageInfo"]["hasNextPage"]
    found = await gql.ok('{ members(search: "会员3") { edges { node { name } } } }')
    assert [e["node"]["name"] for e in found["members"]["edges"]] == ["会员3"]
    node_id = rest["members"]["edges"][0]["node"]["id"]
    node = await gql.ok(
        "query($id: ID!) { node(id: $id) { __typename id ... on Member { name } } }",
        {"id": node_id},
    )
    assert node["node"] == {"__typename": "Member", "id": node_id, "name": "会员2"}


async def test_search_by_whole_id_number(gql):
    number = id_number()
    await create(gql, idNumber=number, name="赵六")
    await create(gql, name="钱七")
    found = await gql.ok(
        "query($s: String) { members(search: $s) { edges { node { name } } } }", {"s": number}
    )
    assert [e["node"]["name"] for e in found["members"]["edges"]] == ["赵六"]


async def test_page_size_limit_and_bad_cursor(gql):
    too_big = await gql("{ members(first: 101) { totalCount } }")
    assert too_big["errors"][0]["extensions"]["code"] == "PAGE_SIZE_EXCEEDED"
    bad_cursor = await gql('{ members(after: "nonsense") { totalCount } }')
    assert bad_cursor["errors"][0]["extensions"]["code"] == "INVALID_CURSOR"


async def test_ids_and_cursors_too_large_for_a_key_are_not_found_not_internal_errors(gql):
    """A global ID or cursor holding a number no key can have (here 10**30) overflowed in the
    database (SQLite: int too large; PostgreSQL: out of the integer range) and answered
    INTERNAL_ERROR: it names nothing, so it is NOT_FOUND, and such a cursor INVALID_CURSOR."""
    huge = 10**30

    def gid(type_name: str, pk: int) -> str:
        return base64.b64encode(f"{type_name}:{pk}".encode()).decode()

    cursor = base64.b64encode(f"cursor:{huge}".encode()).decode()
    found = {
        "member": await gql("query($i: ID!) { member(id: $i) { id } }", {"i": gid("Member", huge)}),
        "node": await gql("query($i: ID!) { node(id: $i) { id } }", {"i": gid("Fund", huge)}),
        # one past PostgreSQL's integer: SQLite took it, PostgreSQL overflowed
        "node32": await gql("query($i: ID!) { node(id: $i) { id } }", {"i": gid("Member", 2**31)}),
        "campaign": await gql(
            "query($i: ID!) { campaign(id: $i) { id } }", {"i": gid("Campaign", huge)}
        ),
        "job": await gql("query($i: ID!) { job(id: $i) { id } }", {"i": gid("Job", huge)}),
        "members": await gql(
            "query($a: String) { members(after: $a) { totalCount } }", {"a": cursor}
        ),
        "auditLog": await gql(
            "query($a: String) { auditLog(after: $a) { edges { node { id } } } }", {"a": cursor}
        ),
    }
    codes = {
        name: [e["extensions"]["code"] for e in body["errors"]] for name, body in found.items()
    }
    assert codes == {
        "member": ["NOT_FOUND"],
        "node": ["NOT_FOUND"],
        "node32": ["NOT_FOUND"],
        "campaign": ["NOT_FOUND"],
        "job": ["NOT_FOUND"],
        "members": ["INVALID_CURSOR"],
        "auditLog": ["INVALID_CURSOR"],
    }
    # A real audit cursor beyond 32 bits is still a cursor (audit entries have 64-bit keys).
    far = base64.b64encode(f"cursor:{2**40}".encode()).decode()
    listed = await gql.ok(
        "query($a: String) { auditLog(after: $a) { edges { node { id } } } }", {"a": far}
    )
    assert listed["auditLog"]["edges"]


async def test_filters_longer_than_their_column_are_bad_input_not_internal_errors(gql):
    """A filter value no column could hold (300 characters where a district code has 6) was
    refused by the ORM and answered INTERNAL_ERROR, in every list: BAD_USER_INPUT."""
    long = "x" * 300
    audit_by = "query($v: String) { auditLog(ARG: $v) { pageInfo { hasNextPage } } }"
    asked = {
        "members": "query($v: String) { members(districtCode: $v) { totalCount } }",
        "enterprises": "query($v: String) { enterprises(districtCode: $v) { totalCount } }",
        "funds": "query($v: String) { funds(districtCode: $v) { edges { node { id } } } }",
        "campaigns": "query($v: String) { campaigns(programId: $v) { edges { node { id } } } }",
        **{
            f"auditLog.{arg}": audit_by.replace("ARG", arg)
            for arg in ("districtCode", "operation", "username", "objectType", "objectId")
        },
        "createCampaign": """mutation($v: String!) { createCampaign(input: {name: "n",
          programId: "hardship", ruleCode: "spring_festival", period: "2027-spring-festival",
          districtCodes: [$v], fundId: "RnVuZDox"}) { userErrors { code } } }""",
    }
    codes = {}
    for name, query in asked.items():
        body = await gql(query, {"v": long})
        codes[name] = [e["extensions"]["code"] for e in body.get("errors", [])]
    assert codes == {name: ["BAD_USER_INPUT"] for name in asked}
    fine = await gql.ok('{ members(districtCode: "320206") { totalCount } }')
    assert fine["members"]["totalCount"] == 0


async def test_english_messages_on_request(gql):
    body = await gql(
        CREATE,
        {"input": {"name": "x", "idNumber": "1", "districtCode": "320206"}},
        **{"Accept-Language": "en-US,en;q=0.9"},
    )
    assert "Invalid resident ID" in body["data"]["createMember"]["userErrors"][0]["message"]
    body = await gql(CREATE, {"input": {"name": "x", "idNumber": "1", "districtCode": "320206"}})
    assert "身份证" in body["data"]["createMember"]["userErrors"][0]["message"]
