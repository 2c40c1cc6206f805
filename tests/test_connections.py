"""Core lists a frontend pages through are Relay connections built by one helper (issue 16,
item 5): cursors, ``first`` at most 100 (refused above, never capped), a complete ``pageInfo``,
``totalCount`` in one statement, and pages whose cost does not grow with their size; Campaign,
Entitlement and Job are nodes found within the caller's scope; states are enums."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import ACTOR, id_number, nodes
from tests.old_rows import migrated_on
from unionaid.core.crypto import Vault
from unionaid.core.global_ids import to_global_id
from unionaid.core.models import Approval, Campaign, CampaignDistrict, DistrictPolicy, Entitlement
from unionaid.core.services import funds, members

HUISHAN, BINHU = "320206", "320211"
PAGE_INFO = "pageInfo { hasNextPage hasPreviousPage startCursor endCursor }"
CAMPAIGNS = f"""query($n: Int, $a: String) {{ campaigns(first: $n, after: $a) {{ totalCount
  edges {{ cursor node {{ id name status districtCodes fund {{ code balance }}
    totals {{ entitledCount entitledTotal paidTotal }} approvals {{ approver decision }}
    approvalsNeeded }} }} {PAGE_INFO} }} }}"""
ENTITLEMENTS = f"""query($c: ID!, $n: Int, $a: String, $s: EntitlementStatus) {{ campaign(id: $c)
  {{ entitlements(first: $n, after: $a, status: $s) {{ totalCount
    edges {{ cursor node {{ id amount status occurrence member {{ name }} }} }} {PAGE_INFO} }} }} }}"""
NODE = """query($id: ID!) { node(id: $id) { id
  ... on Campaign { name status districtCodes }
  ... on Entitlement { amount state: status districtCode } } }"""


async def _campaign(n: int, codes: list[str], fund_id: int) -> Campaign:
    made = await Campaign.create(
        name=f"活动{n}",
        program="sample",
        rule_code="gift",
        period_code="2027-spring-festival",
        period_start=dt.date(2027, 1, 7),
        period_end=dt.date(2027, 2, 20),
        judged_on=dt.date(2027, 2, 6),
        district_codes=codes,
        fund_id=fund_id,
        created_by="maker",
        entitled_total=Decimal("900.00"),
    )
    await CampaignDistrict.bulk_create(
        [CampaignDistrict(campaign_id=made.id, district_code=c) for c in codes]
    )
    return made


@pytest.fixture
async def books(orm, settings):
    """60 campaigns of 惠山区, one over 惠山 and 滨湖, one of 滨湖; the first 惠山 campaign has
    60 entitlements of one member (one per occurrence), an approval and a district policy."""
    fund = await funds.create_fund(ACTOR, "HS", "惠山帮扶", None)
    vault = Vault(settings.data_key)
    member = await members.create_member(
        ACTOR,
        vault,
        members.NewMember(name="职工甲", id_number=id_number(), district_code=HUISHAN),
    )
    huishan = [await _campaign(n, [HUISHAN], fund.id) for n in range(60)]
    both = await _campaign(60, [HUISHAN, BINHU], fund.id)
    binhu = await _campaign(61, [BINHU], fund.id)
    first = huishan[0]
    await Entitlement.bulk_create(
        [
            Entitlement(
                campaign_id=first.id,
                program="sample",
                rule_code="gift",
                period_code="2027-spring-festival",
                occurrence=f"once:{i}",
                beneficiary=f"member:{member.id}",
                member_id=member.id,
                household_id=member.household_id,
                district_code=HUISHAN,
                amount=Decimal("15.00"),
                status="paid" if i % 3 == 0 else "entitled",
                explanation=[],
                facts={},
                settings={},
                settings_version={},
            )
            for i in range(60)
        ]
    )
    for c in huishan[:10]:
        await Approval.create(
            campaign_id=c.id, approver="checker", decision="approve", campaign_version=1, at=NOW
        )
    await DistrictPolicy.create(
        district_id=HUISHAN, second_approval_above=Decimal("500.00"), updated_by="admin"
    )
    return {"huishan": huishan, "both": both, "binhu": binhu}


NOW = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)


def gid(kind: str, row) -> str:
    return to_global_id(kind, row.id)


async def test_campaigns_page_newest_first_with_a_complete_page_info(books, gql):
    every = [*books["huishan"], books["both"], books["binhu"]]
    first = (await gql.ok(CAMPAIGNS, {"n": 2}))["campaigns"]
    assert first["totalCount"] == 62
    assert [c["id"] for c in nodes(first)] == [gid("Campaign", c) for c in every[::-1][:2]]
    info = first["pageInfo"]
    assert info["hasNextPage"] and not info["hasPreviousPage"]
    assert (info["startCursor"], info["endCursor"]) == tuple(e["cursor"] for e in first["edges"])
    seen, after = [], None
    while True:  # 62 campaigns, 25 a page: 3 pages, none repeated, none missed
        page = (await gql.ok(CAMPAIGNS, {"n": 25, "a": after}))["campaigns"]
        seen += [c["id"] for c in nodes(page)]
        if not page["pageInfo"]["hasNextPage"]:
            break
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        after = page["pageInfo"]["endCursor"]
    assert seen == [gid("Campaign", c) for c in reversed(every)]
    one = nodes(first)[0]
    assert one["status"] == "DRAFT" and one["fund"] == {"code": "HS", "balance": "0.00"}
    default = (await gql.ok("{ campaigns { edges { cursor } } }"))["campaigns"]
    assert len(default["edges"]) == 20


async def test_a_page_of_50_campaigns_costs_what_a_page_of_5_does(books, gql, sql_counter):
    counts = {}
    for size in (5, 50):
        sql_counter.count = 0
        page = (await gql.ok(CAMPAIGNS, {"n": size}))["campaigns"]
        assert len(page["edges"]) == size
        counts[size] = sql_counter.count
    assert counts[5] == counts[50], counts
    oldest = nodes((await gql.ok(CAMPAIGNS, {"n": 100}))["campaigns"])[-1]
    assert oldest["totals"] == {
        "entitledCount": 60,
        "entitledTotal": "900.00",
        "paidTotal": "300.00",
    }
    assert oldest["approvals"] == [{"approver": "checker", "decision": "approve"}]
    assert oldest["approvalsNeeded"] == 2  # 900.00 is above 惠山区's 500.00


async def test_a_campaigns_entitlements_page_by_cursor_and_filter_by_enum(books, gql, sql_counter):
    campaign = gid("Campaign", books["huishan"][0])
    counts = {}
    for size in (5, 50):
        sql_counter.count = 0
        page = (await gql.ok(ENTITLEMENTS, {"c": campaign, "n": size}))["campaign"]
        assert len(page["entitlements"]["edges"]) == size
        counts[size] = sql_counter.count
    assert counts[5] == counts[50], counts
    listed = page["entitlements"]
    assert listed["totalCount"] == 60 and listed["pageInfo"]["hasNextPage"]
    assert nodes(listed)[0] == {
        "id": nodes(listed)[0]["id"],
        "amount": "15.00",
        "status": "PAID",
        "occurrence": "once:0",
        "member": {"name": "职工甲"},
    }
    rest = await gql.ok(
        ENTITLEMENTS, {"c": campaign, "n": 50, "a": listed["pageInfo"]["endCursor"]}
    )
    tail = rest["campaign"]["entitlements"]
    assert len(tail["edges"]) == 10 and not tail["pageInfo"]["hasNextPage"]
    paid = await gql.ok(ENTITLEMENTS, {"c": campaign, "s": "PAID"})
    assert paid["campaign"]["entitlements"]["totalCount"] == 20
    assert {e["status"] for e in nodes(paid["campaign"]["entitlements"])} == {"PAID"}


async def test_total_count_is_one_statement(books, gql, sql_counter):
    async def cost(query: str) -> int:
        sql_counter.count = 0
        await gql.ok(query)
        return sql_counter.count

    for name in ("campaigns", "funds", "jobs", "auditLog"):
        without = await cost(f"{{ {name} {{ edges {{ cursor }} }} }}")
        assert await cost(f"{{ {name} {{ totalCount edges {{ cursor }} }} }}") == without + 1


async def test_a_page_too_large_is_refused_not_capped(books, gql):
    campaign = gid("Campaign", books["huishan"][0])
    asked = {
        "campaigns": ("{ campaigns(first: 101) { totalCount } }", {}),
        "entitlements": (ENTITLEMENTS, {"c": campaign, "n": 200}),
        "funds": ("{ funds(first: 1000) { totalCount } }", {}),
        "jobs": ("{ jobs(first: 101) { totalCount } }", {}),
    }
    for name, (query, variables) in asked.items():
        body = await gql(query, variables)
        assert [e["extensions"]["code"] for e in body["errors"]] == ["PAGE_SIZE_EXCEEDED"], name
    bad = await gql('{ campaigns(after: "bm9wZQ==") { totalCount } }')
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_CURSOR"


async def test_campaigns_list_only_those_all_of_whose_districts_are_yours(books, login_as):
    huishan = await login_as("caseworker", (HUISHAN,))
    binhu = await login_as("approver", (BINHU,))
    both = await login_as("district_admin", (HUISHAN, BINHU))
    counts = {}
    for name, who in (("huishan", huishan), ("binhu", binhu), ("both", both)):
        counts[name] = (await who.ok("{ campaigns { totalCount } }"))["campaigns"]["totalCount"]
    assert counts == {"huishan": 60, "binhu": 1, "both": 62}
    newest = nodes((await binhu.ok(CAMPAIGNS, {"n": 5}))["campaigns"])
    assert [c["id"] for c in newest] == [gid("Campaign", books["binhu"])]


async def test_campaigns_and_entitlements_are_nodes_within_your_scope(books, login_as, gql):
    own, shared = books["huishan"][0], books["both"]
    entitlement = await Entitlement.filter(campaign_id=own.id).order_by("id").first()
    ids = {
        "own": gid("Campaign", own),
        "shared": gid("Campaign", shared),
        "entitlement": gid("Entitlement", entitlement),
    }
    city = {k: (await gql.ok(NODE, {"id": v}))["node"] for k, v in ids.items()}
    assert city["own"] == {
        "id": ids["own"],
        "name": "活动0",
        "status": "DRAFT",
        "districtCodes": [HUISHAN],
    }
    assert city["entitlement"] == {
        "id": ids["entitlement"],
        "amount": "15.00",
        "state": "PAID",
        "districtCode": HUISHAN,
    }
    huishan = await login_as("caseworker", (HUISHAN,))
    assert (await huishan.ok(NODE, {"id": ids["own"]}))["node"]["id"] == ids["own"]
    assert (await huishan.ok(NODE, {"id": ids["entitlement"]}))["node"]["state"] == "PAID"
    shared_one = await huishan(NODE, {"id": ids["shared"]})  # 滨湖 is not theirs
    assert shared_one["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    binhu = await login_as("caseworker", (BINHU,))
    for key in ("own", "entitlement"):
        hidden = await binhu(NODE, {"id": ids[key]})
        assert hidden["data"] is None or hidden["data"]["node"] is None
        assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND", key
    missing = await gql(NODE, {"id": to_global_id("Entitlement", 999_999)})
    assert missing["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_an_enterprise_contact_finds_no_campaign_or_entitlement_node(books, login_as):
    from tests.factories import uscc
    from unionaid.core.services import enterprises

    firm = await enterprises.create_enterprise(
        ACTOR, enterprises.NewEnterprise(name="无锡一号公司", uscc=uscc(), district_code=HUISHAN)
    )
    contact = await login_as("enterprise", (), firm.uscc)
    own = books["huishan"][0]
    entitlement = await Entitlement.filter(campaign_id=own.id).first()
    for node_id in (gid("Campaign", own), gid("Entitlement", entitlement)):
        body = await contact(NODE, {"id": node_id})
        assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    listed = await contact.ok("{ campaigns { totalCount edges { cursor } } }")
    assert listed["campaigns"] == {"totalCount": 0, "edges": []}


async def test_the_migration_gives_existing_campaigns_their_district_rows(tmp_path):
    """Campaigns written before ``campaign_district`` existed get a row per district of their
    ``district_codes``: a fresh database of the core alone, migrated to 0015, campaigns
    written there (references unchecked), then migrated on."""
    from unionaid.core.host import PluginHost

    rows = ", ".join(
        f"('c', 'p', 'r', '2027', '2027-01-01', '2027-12-31', '2027-01-01', '{codes}', 1, "
        "'draft', 'maker', 0, 0, 0, 0, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
        for codes in ('["320206"]', '["320206","320211"]')
    )
    insert = (
        "INSERT INTO campaign (name, program, rule_code, period_code, period_start, period_end, "
        "judged_on, district_codes, fund_id, status, created_by, entitled_count, "
        f"entitled_total, paid_count, paid_total, version, created_at, updated_at) VALUES {rows}"
    )
    read = "SELECT campaign_id, district_code FROM campaign_district ORDER BY id"
    (found,) = await migrated_on(
        tmp_path, PluginHost(), "core.0015_workflow_history", [insert], [read]
    )
    assert found == [(1, HUISHAN), (2, HUISHAN), (2, BINHU)]


async def test_a_household_is_a_node_seen_with_its_members(orm, settings, login_as, gql):
    member = await members.create_member(
        ACTOR,
        Vault(settings.data_key),
        members.NewMember(name="职工乙", id_number=id_number(), district_code=HUISHAN),
    )
    household = to_global_id("Household", member.household_id)
    query = "query($id: ID!) { node(id: $id) { id ... on Household { size } } }"
    assert (await gql.ok(query, {"id": household}))["node"] == {"id": household, "size": 1}
    huishan = await login_as("caseworker", (HUISHAN,))
    assert (await huishan.ok(query, {"id": household}))["node"]["size"] == 1
    binhu = await login_as("caseworker", (BINHU,))
    hidden = await binhu(query, {"id": household})
    assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND"
