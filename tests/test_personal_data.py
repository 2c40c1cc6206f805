"""Personal information: masked by default, disclosed with a purpose to permitted roles only,
every disclosure and refusal logged; export and anonymisation on a person's request."""

import datetime as dt

import pytest

from tests.factories import ACTOR, id_number
from unionaid.core import ProgramInfo, hookimpl
from unionaid.core.crypto import Vault
from unionaid.core.host import PluginHost
from unionaid.core.models import AuditEntry, LedgerEntry, Member
from unionaid.core.services import personal_data

HUISHAN = "320206"
CREATE = """mutation($i: CreateMemberInput!) { createMember(input: $i) { member { id } } }"""
READ = """query($id: ID!, $p: String!) { member(id: $id) {
  idNumber phone fullIdNumber(purpose: $p) } }"""
MASKED = "{ members { edges { node { idNumber phone } } } }"


@pytest.fixture
async def person(gql):
    number = id_number(dt.date(1980, 5, 17))
    made = await gql.ok(
        CREATE,
        {
            "i": {
                "name": "张三",
                "idNumber": number,
                "districtCode": HUISHAN,
                "phone": "13912345678",
            }
        },
    )
    return made["createMember"]["member"]["id"], number


async def test_listing_masks_id_numbers_and_phones_by_role(person, login_as):
    _, number = person
    caseworker = await login_as("caseworker", (HUISHAN,))
    node = (await caseworker.ok(MASKED))["members"]["edges"][0]["node"]
    assert node == {"idNumber": number[:3] + "*" * 11 + number[-4:], "phone": "13912345678"}
    for role, districts in (("approver", (HUISHAN,)), ("auditor", ()), ("service", ())):
        client = await login_as(role, districts)
        node = (await client.ok(MASKED))["members"]["edges"][0]["node"]
        assert node["phone"] == "139****5678", role
        assert node["idNumber"] == number[:3] + "*" * 11 + number[-4:]


async def test_full_id_read_needs_right_and_purpose_and_is_logged(person, login_as):
    member_id, number = person
    caseworker = await login_as("caseworker", (HUISHAN,))
    body = await caseworker(
        READ, {"id": member_id, "p": "发放慰问金核对身份"}, **{"X-Request-ID": "req-reveal-001"}
    )
    assert body["data"]["member"]["fullIdNumber"] == number
    granted = await AuditEntry.get(operation="revealIdNumber", outcome="ok")
    assert (granted.purpose, granted.request_id, granted.object_id) == (
        "发放慰问金核对身份",
        "req-reveal-001",
        member_id,
    )
    assert granted.username.startswith("caseworker")

    blank = await caseworker(READ, {"id": member_id, "p": "   "})
    approver = await login_as("approver", (HUISHAN,))
    not_allowed = await approver(READ, {"id": member_id, "p": "核对"})
    for refused in (blank, not_allowed):
        assert refused["data"]["member"]["fullIdNumber"] is None
        assert refused["data"]["member"]["idNumber"].count("*") == 11
        assert [e["extensions"]["code"] for e in refused["errors"]] == ["FORBIDDEN"]
        assert number not in str(refused)
    refusals = await AuditEntry.filter(operation="revealIdNumber", outcome="refused").values(
        "role", "purpose"
    )
    assert sorted(r["role"] for r in refusals) == ["approver", "caseworker"]


async def test_a_page_of_full_id_reads_is_one_batch_with_one_entry_each(gql, sql_counter):
    for _ in range(3):
        await gql.ok(
            CREATE, {"i": {"name": "李四", "idNumber": id_number(), "districtCode": HUISHAN}}
        )
    sql_counter.count = 0
    data = await gql.ok('{ members { edges { node { fullIdNumber(purpose: "年度核查") } } } }')
    assert all(len(e["node"]["fullIdNumber"]) == 18 for e in data["members"]["edges"])
    assert await AuditEntry.filter(operation="revealIdNumber").count() == 3
    assert sql_counter.count <= 5  # token, members, ciphertexts, one insert for the log


async def test_export_for_the_person_is_admin_only_and_audited(person, login_as):
    member_id, number = person
    query = """mutation($i: PersonalDataInput!) { exportPersonalData(input: $i) {
      data userErrors { code } } }"""
    args = {"i": {"memberId": member_id, "reason": "本人2026-11-29书面申请"}}
    admin = await login_as("district_admin", (HUISHAN,))
    data = (await admin.ok(query, args))["exportPersonalData"]["data"]
    assert data["member"]["idNumber"] == number and data["member"]["phone"] == "13912345678"
    assert data["programs"] == {}
    entry = await AuditEntry.get(operation="exportPersonalData")
    assert entry.purpose == "本人2026-11-29书面申请"
    caseworker = await login_as("caseworker", (HUISHAN,))
    assert (await caseworker(query, args))["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    binhu = await login_as("district_admin", ("320211",))
    refused = (await binhu.ok(query, args))["exportPersonalData"]
    assert refused == {"data": None, "userErrors": [{"code": "NOT_FOUND"}]}


async def test_anonymisation_erases_identity_and_keeps_money_and_audit(gql, person, login_as):
    member_id, number = person
    fund = await gql.ok(
        'mutation { createFund(input: {code: "F", name: "资金", districtCode: "320206"})'
        " { fund { id } } }"
    )
    fund_id = fund["createFund"]["fund"]["id"]
    await gql.ok(
        'mutation($f: ID!) { contributeToFund(input: {fundId: $f, amount: "100.00"}) '
        "{ userErrors { code } } }",
        {"f": fund_id},
    )
    ledger_before = await LedgerEntry.all().count()
    audit_before = await AuditEntry.all().count()
    admin = await login_as("district_admin", (HUISHAN,))
    query = """mutation($i: PersonalDataInput!) { anonymiseMember(input: $i) {
      member { name idNumber phone isActive } userErrors { code } } }"""
    args = {"i": {"memberId": member_id, "reason": "依法删除"}}
    done = (await admin.ok(query, args))["anonymiseMember"]
    assert done["member"] == {
        "name": "已匿名",
        "idNumber": "*" * 18,
        "phone": None,
        "isActive": False,
    }
    row = await Member.first()
    assert row.birth_date == dt.date(1980, 1, 1) and row.anonymised_at is not None
    search = await gql.ok(
        "query($s: String) { members(search: $s, includeInactive: true) { totalCount } }",
        {"s": number},
    )
    assert search["members"]["totalCount"] == 0
    reveal = await gql.ok(READ, {"id": member_id, "p": "核对"})
    assert reveal["member"]["fullIdNumber"] is None
    assert await LedgerEntry.all().count() == ledger_before
    assert await AuditEntry.all().count() > audit_before
    again = (await admin.ok(query, args))["anonymiseMember"]["userErrors"]
    assert again == [{"code": "INVALID_INPUT"}]


async def test_plugins_contribute_to_export_and_erase_their_own_data(gql, person, settings):
    erased = []

    class Keeper:
        @hookimpl
        def register_program(self):
            return ProgramInfo(
                id="keeper", name="保管", name_en="Keeper", version="1", contract_versions=("2",)
            )

        @hookimpl
        def export_personal_data(self, member_id):
            return {"claims": [{"member": member_id, "diagnosis": "骨折"}]}

        @hookimpl
        async def on_member_anonymised(self, member_id, actor):
            erased.append((member_id, actor))

    host = PluginHost()
    host.register(Keeper())
    vault = Vault(settings.data_key)
    pk = (await Member.first()).id
    data = await personal_data.export(ACTOR, host, vault, pk, "本人申请")
    assert data["programs"] == {"keeper": {"claims": [{"member": pk, "diagnosis": "骨折"}]}}
    await personal_data.anonymise(ACTOR, host, vault, pk, "依法删除")
    assert erased == [(pk, "test")]
