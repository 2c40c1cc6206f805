"""The audit trail: before/after of every change, masked where sensitive, append-only in the
database, readable by auditors (and city administrators) only, with filters."""

import pytest
from tortoise import connections

from tests.factories import id_number
from unionaid.core.models import AuditEntry

HUISHAN = "320206"
CREATE = (
    """mutation($i: CreateMemberInput!) { createMember(input: $i) { member { id version } } }"""
)
UPDATE = """mutation($i: UpdateMemberInput!) { updateMember(input: $i) {
  member { version } userErrors { code } } }"""
LOG = """query($o: String, $u: String, $d: String, $op: String, $s: DateTime, $t: DateTime) {
  auditLog(objectId: $o, username: $u, districtCode: $d, operation: $op, since: $s, until: $t) {
    edges { node { username role operation objectType objectId districtCode changes requestId at } }
  } }"""


@pytest.fixture
async def updated(gql, login_as):
    made = await gql.ok(
        CREATE,
        {
            "i": {
                "name": "王五",
                "idNumber": id_number(),
                "districtCode": HUISHAN,
                "phone": "13900001111",
            }
        },
    )
    member = made["createMember"]["member"]
    caseworker = await login_as("caseworker", (HUISHAN,))
    body = await caseworker(
        UPDATE,
        {
            "i": {
                "id": member["id"],
                "version": member["version"],
                "name": "王五五",
                "phone": "13922223333",
                "monthlyIncome": "2300.50",
            }
        },
        **{"X-Request-ID": "req-update-0001"},
    )
    assert body["data"]["updateMember"]["userErrors"] == []
    return member["id"], caseworker


async def test_auditor_sees_before_and_after_of_an_update(updated, login_as):
    member_id, _ = updated
    auditor = await login_as("auditor")
    edges = (await auditor.ok(LOG, {"o": member_id}))["auditLog"]["edges"]
    assert [e["node"]["operation"] for e in edges] == ["updateMember", "createMember"]
    update = edges[0]["node"]
    assert update["role"] == "caseworker" and update["requestId"] == "req-update-0001"
    assert update["districtCode"] == HUISHAN and update["objectType"] == "Member"
    assert update["changes"] == {
        "name": ["王五", "王五五"],
        "phone": ["139****1111", "139****3333"],  # masked in the trail
        "monthly_income": [None, "2300.50"],
        "version": [1, 2],
    }
    creation = edges[1]["node"]["changes"]
    assert creation["id_number"][1].count("*") == 11


async def test_caseworkers_and_district_admins_cannot_read_the_trail(updated, login_as):
    _, caseworker = updated
    assert (await caseworker(LOG, {}))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    admin = await login_as("district_admin", (HUISHAN,))
    assert (await admin(LOG, {}))["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_filters_by_user_district_operation_and_time(updated, gql, login_as):
    auditor = await login_as("auditor")
    entry = await AuditEntry.get(operation="updateMember")
    by_user = (await auditor.ok(LOG, {"u": entry.username}))["auditLog"]["edges"]
    assert {e["node"]["operation"] for e in by_user} == {"updateMember"}
    in_binhu = (await auditor.ok(LOG, {"d": "320211"}))["auditLog"]["edges"]
    assert in_binhu == []
    at = entry.at.isoformat()
    window = (await auditor.ok(LOG, {"op": "updateMember", "s": at}))["auditLog"]["edges"]
    assert len(window) == 1
    before = (await auditor.ok(LOG, {"op": "updateMember", "t": at}))["auditLog"]["edges"]
    assert before == []


async def test_a_refused_change_leaves_no_entry(gql):
    made = await gql.ok(
        CREATE, {"i": {"name": "赵六", "idNumber": id_number(), "districtCode": HUISHAN}}
    )
    member = made["createMember"]["member"]
    body = await gql(UPDATE, {"i": {"id": member["id"], "version": 1, "phone": "123"}})
    assert body["data"]["updateMember"]["userErrors"] == [{"code": "INVALID_PHONE"}]
    stale = await gql(UPDATE, {"i": {"id": member["id"], "version": 7, "name": "x"}})
    assert stale["data"]["updateMember"]["userErrors"] == [{"code": "CONFLICT"}]
    assert await AuditEntry.filter(operation="updateMember").count() == 0


@pytest.mark.parametrize("table", ["audit_entry", "ledger_entry"])
async def test_the_trail_and_the_ledger_are_append_only_in_the_database(updated, gql, table):
    await gql.ok('mutation { createFund(input: {code: "F", name: "资金"}) { fund { id } } }')
    fund = await gql.ok("{ funds { edges { node { id } } } }")
    await gql.ok(
        'mutation($f: ID!) { contributeToFund(input: {fundId: $f, amount: "5.00"}) '
        "{ userErrors { code } } }",
        {"f": fund["funds"]["edges"][0]["node"]["id"]},
    )
    db = connections.get("default")
    count = (await db.execute_query_dict(f"SELECT COUNT(*) AS n FROM {table}"))[0]["n"]
    assert count > 0
    for statement in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
        with pytest.raises(Exception, match="append-only"):
            await db.execute_script(statement)
    assert (await db.execute_query_dict(f"SELECT COUNT(*) AS n FROM {table}"))[0]["n"] == count
