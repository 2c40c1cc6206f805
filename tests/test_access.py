"""Role × {own district, other district} × {list, by id, mutate}: every outcome asserted.

"Own" is a member of 惠山区 (320206) employed by a 惠山区 enterprise; "other" is a member of
滨湖区 (320211). Out of scope is NOT_FOUND (and indistinguishable from nonexistent); in scope
but not permitted is FORBIDDEN; a refusal writes nothing."""

import pytest

from tests.factories import id_number, uscc
from unionaid.core.models import Member

HUISHAN, BINHU = "320206", "320211"
CREATE_ENTERPRISE = """mutation($i: CreateEnterpriseInput!) {
  createEnterprise(input: $i) { enterprise { id uscc } userErrors { code } } }"""
CREATE_MEMBER = """mutation($i: CreateMemberInput!) {
  createMember(input: $i) { member { id version } userErrors { field code } } }"""
UPDATE = """mutation($i: UpdateMemberInput!) {
  updateMember(input: $i) { member { phone version } userErrors { field code } } }"""
LIST = "{ members(first: 100) { totalCount edges { node { id district { code } } } } }"
BY_ID = "query($id: ID!) { member(id: $id) { id } node(id: $id) { id } }"


@pytest.fixture
async def world(gql):
    firms, people = {}, {}
    for code in (HUISHAN, BINHU):
        firm = await gql.ok(
            CREATE_ENTERPRISE,
            {"i": {"name": f"企业{code}", "uscc": uscc(), "districtCode": code}},
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
        people[code] = made["createMember"]["member"]["id"]
    return firms, people


ROLES = {
    # name: (role, districts, enterprise of 惠山区?)
    "city_admin": ("city_admin", (), False),
    "district_admin": ("district_admin", (HUISHAN,), False),
    "caseworker": ("caseworker", (HUISHAN,), False),
    "approver": ("approver", (HUISHAN,), False),
    "auditor": ("auditor", (), False),
    "enterprise": ("enterprise", (), True),
    "service": ("service", (HUISHAN,), False),
}

# name: (own: sees in list, by id, mutation outcome), (other: same)
EXPECTED = {
    "city_admin": ((True, True, "ok"), (True, True, "ok")),
    "district_admin": ((True, True, "ok"), (False, False, "NOT_FOUND")),
    "caseworker": ((True, True, "ok"), (False, False, "NOT_FOUND")),
    "approver": ((True, True, "FORBIDDEN"), (False, False, "NOT_FOUND")),
    "auditor": ((True, True, "FORBIDDEN"), (True, True, "FORBIDDEN")),
    "enterprise": ((True, True, "ok"), (False, False, "NOT_FOUND")),
    "service": ((True, True, "FORBIDDEN"), (False, False, "NOT_FOUND")),
}


async def _mutation_outcome(client, member_id: str, version: int, phone: str) -> str:
    body = await client(UPDATE, {"i": {"id": member_id, "version": version, "phone": phone}})
    if "errors" in body:
        assert body["data"] is None
        return body["errors"][0]["extensions"]["code"]
    payload = body["data"]["updateMember"]
    if payload["userErrors"]:
        return payload["userErrors"][0]["code"]
    assert payload["member"]["version"] == version + 1
    return "ok"


@pytest.mark.parametrize("name", sorted(ROLES))
async def test_role_by_district_matrix(name, world, gql, login_as):
    firms, people = world
    role, districts, at_firm = ROLES[name]
    client = await login_as(role, districts, firms[HUISHAN]["uscc"] if at_firm else None)
    listed = {e["node"]["id"] for e in (await client.ok(LIST))["members"]["edges"]}
    for where, expected in zip((HUISHAN, BINHU), EXPECTED[name], strict=True):
        in_list, by_id, mutation = expected
        member_id = people[where]
        assert (member_id in listed) is in_list, (name, where)
        body = await client(BY_ID, {"id": member_id})
        if by_id:
            assert body["data"] == {"member": {"id": member_id}, "node": {"id": member_id}}
        else:
            assert body["data"] == {"member": None, "node": None}
            assert {e["extensions"]["code"] for e in body["errors"]} == {"NOT_FOUND"}
        before = await Member.get(id=int(_pk(member_id)))
        outcome = await _mutation_outcome(client, member_id, before.version, "13800000000")
        assert outcome == mutation, (name, where)
        after = await Member.get(id=before.id)
        if outcome != "ok":  # nothing written on a refusal
            assert (after.version, after.phone) == (before.version, before.phone)
    # Zero leaks: everything listed is in the principal's scope.
    assert listed <= {people[c] for c in (HUISHAN, BINHU) if EXPECTED[name][c == BINHU][0]}


def _pk(global_id: str) -> int:
    from unionaid.core.global_ids import from_global_id

    return from_global_id(global_id)[1]


async def test_invisible_and_nonexistent_are_indistinguishable(world, login_as):
    _, people = world
    binhu = await login_as("caseworker", (BINHU,))
    hidden = await binhu(BY_ID, {"id": people[HUISHAN]})
    missing = await binhu(BY_ID, {"id": "TWVtYmVyOjk5OTk5"})  # Member:99999

    def strip(body):  # fields resolve concurrently: errors come in either order
        return sorted((e["path"], e["message"], e["extensions"]["code"]) for e in body["errors"])

    assert strip(hidden) == strip(missing)
    assert hidden["data"] == missing["data"]


async def test_references_to_unseen_objects_are_refused(world, login_as):
    """A 滨湖区 caseworker cannot attach a member to a 惠山区 enterprise, nor move a member into
    a district they do not hold; nothing is written."""
    firms, people = world
    binhu = await login_as("caseworker", (BINHU,))
    attach = await binhu(
        CREATE_MEMBER,
        {
            "i": {
                "name": "新会员",
                "idNumber": id_number(),
                "districtCode": BINHU,
                "enterpriseId": firms[HUISHAN]["id"],
            }
        },
    )
    assert attach["data"]["createMember"]["userErrors"] == [
        {"field": "enterpriseId", "code": "NOT_FOUND"}
    ]
    member = await Member.get(id=_pk(people[BINHU]))
    move = await binhu(
        UPDATE, {"i": {"id": people[BINHU], "version": member.version, "districtCode": HUISHAN}}
    )
    assert move["data"]["updateMember"]["userErrors"] == [
        {"field": "districtCode", "code": "NOT_FOUND"}
    ]
    elsewhere = await binhu(
        CREATE_MEMBER, {"i": {"name": "某", "idNumber": id_number(), "districtCode": HUISHAN}}
    )
    assert elsewhere["data"]["createMember"]["userErrors"][0]["code"] == "NOT_FOUND"
    assert await Member.all().count() == 2
    assert (await Member.get(id=member.id)).district_id == BINHU


async def test_lists_of_every_kind_are_scoped(world, login_as):
    firms, _ = world
    binhu = await login_as("caseworker", (BINHU,))
    data = await binhu.ok(
        "{ districts { code } enterprises { edges { node { id } } } funds { edges { node { code } } }"
        " programs { districts { district { code } } } }"
    )
    assert data["districts"] == [{"code": BINHU}]
    assert [e["node"]["id"] for e in data["enterprises"]["edges"]] == [firms[BINHU]["id"]]
    assert {d["district"]["code"] for p in data["programs"] for d in p["districts"]} == {BINHU}
    contact = await login_as("enterprise", (), firms[HUISHAN]["uscc"])
    mine = await contact.ok("{ enterprises { edges { node { id } } } funds { edges { node { code } } } }")
    assert [e["node"]["id"] for e in mine["enterprises"]["edges"]] == [firms[HUISHAN]["id"]]
    assert mine["funds"]["edges"] == []


async def test_enterprise_contact_registers_only_its_own_employees(world, login_as):
    firms, _ = world
    contact = await login_as("enterprise", (), firms[HUISHAN]["uscc"])
    made = await contact.ok(
        "mutation($i: CreateMemberInput!) { createMember(input: $i) {"
        " member { enterprise { id } } userErrors { code } } }",
        {"i": {"name": "新员工", "idNumber": id_number(), "districtCode": HUISHAN}},
    )
    assert made["createMember"]["member"]["enterprise"]["id"] == firms[HUISHAN]["id"]
    forbidden = await contact(
        CREATE_ENTERPRISE, {"i": {"name": "另一家", "uscc": uscc(), "districtCode": HUISHAN}}
    )
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"


@pytest.mark.parametrize(
    ("role", "districts", "district", "outcome"),
    [
        ("district_admin", (HUISHAN,), HUISHAN, "ok"),
        ("district_admin", (HUISHAN,), BINHU, "NOT_FOUND"),
        ("district_admin", (HUISHAN,), None, "FORBIDDEN"),  # the city's defaults
        ("caseworker", (HUISHAN,), HUISHAN, "FORBIDDEN"),
        ("city_admin", (), None, "ok"),
    ],
)
async def test_program_management_by_role(login_as, role, districts, district, outcome):
    client = await login_as(role, districts)
    body = await client(
        'mutation($d: String) { configureProgram(input: {programId: "hardship",'
        ' districtCode: $d, settings: {spring_festival_amount: "4000.00"}})'
        " { settingsVersion userErrors { code } } }",
        {"d": district},
    )
    if "errors" in body:
        got = body["errors"][0]["extensions"]["code"]
    elif body["data"]["configureProgram"]["userErrors"]:
        got = body["data"]["configureProgram"]["userErrors"][0]["code"]
    else:
        got = "ok"
    assert got == outcome


async def test_funds_by_role(gql, login_as):
    city = await gql.ok(
        'mutation { createFund(input: {code: "C1", name: "市", districtCode: null}) { fund { id } } }'
    )
    huishan = await gql.ok(
        'mutation { createFund(input: {code: "H1", name: "惠", districtCode: "320206"})'
        " { fund { id } } }"
    )
    admin = await login_as("district_admin", (HUISHAN,))
    contribute = 'mutation($f: ID!) { contributeToFund(input: {fundId: $f, amount: "10.00"}) { fund { balance } userErrors { code } } }'
    own = await admin.ok(contribute, {"f": huishan["createFund"]["fund"]["id"]})
    assert own["contributeToFund"]["fund"]["balance"] == "10.00"
    body = await admin(contribute, {"f": city["createFund"]["fund"]["id"]})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    caseworker = await login_as("caseworker", (HUISHAN,))
    body = await caseworker(contribute, {"f": huishan["createFund"]["fund"]["id"]})
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    binhu = await login_as("district_admin", (BINHU,))
    body = await binhu(contribute, {"f": huishan["createFund"]["fund"]["id"]})
    assert body["data"]["contributeToFund"]["userErrors"] == [{"code": "NOT_FOUND"}]
