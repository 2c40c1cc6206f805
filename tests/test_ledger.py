"""Reading the ledger (issue 15, item 8): ``Fund.ledger`` pages through every entry of a fund —
what it pays or moves, who wrote it, when — scoped like the fund; its entries sum to the balance
and every ``balanceAfter`` is the running sum. ``Household.payments`` tells a caseworker what a
household was paid, across programs and periods. Neither costs a statement per row."""

import datetime as dt
from decimal import Decimal

import httpx
import pytest

from tests.conftest import GQL
from tests.factories import ACTOR, fixed_clock, id_number, token_for, uscc
from unionaid.core.app import create_app
from unionaid.core.crypto import Vault
from unionaid.core.global_ids import to_global_id
from unionaid.core.host import PluginHost
from unionaid.core.models import Entitlement, LedgerEntry, LedgerKind
from unionaid.core.services import accounts, campaigns, enterprises, funds, members, programs

HUISHAN, BINHU = "320206", "320211"
# 17:00 UTC is 01:00 the next day in Wuxi: payments made then are dated the 21st.
NOW = dt.datetime(2027, 1, 20, 17, 0, tzinfo=dt.UTC)
OTHERS = 53  # members beside the household of two: enough for a page of 50 with payments

LEDGER = """query($f: ID!, $first: Int, $after: String, $kind: LedgerKind, $since: Date,
  $until: Date) { node(id: $f) { ... on Fund { balance ledger(first: $first, after: $after,
  kind: $kind, since: $since, until: $until) { totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id amount balanceAfter kind actor createdAt memo reference program
      districtCode periodCode fund { code } entitlement { id amount status member { name } }
      campaign { name } counterpart { amount fund { code } } } } } } } }"""

PAYMENTS = """query($m: ID!) { member(id: $m) { household { payments { entitlementId program
  ruleCode ruleName ruleNameEn periodCode occurrence amount status paidAt paidOn districtCode
  member { name } campaign { name } ledgerEntry { id amount kind }
  reversalEntry { id amount kind } } } } }"""


async def _member(vault, name, income, district=HUISHAN, **more):
    made = await members.create_member(
        ACTOR,
        vault,
        members.NewMember(
            name=name,
            id_number=id_number(dt.date(1980, 1, 1) + dt.timedelta(days=len(name) * 37)),
            district_code=district,
            monthly_income=Decimal(income),
            **more,
        ),
    )
    return made


async def _campaign(host, users, fund_id, program, rule, period, district=HUISHAN):
    maker, checker = users[f"maker_{district}"], users[f"checker_{district}"]
    made = await campaigns.create(
        maker,
        host,
        name=f"{program}-{rule}-{period}",
        program=program,
        rule_code=rule,
        period_code=period,
        district_codes=[district],
        fund_id=fund_id,
    )
    await campaigns.evaluate(maker, host, made.id)
    await campaigns.decide_approval(checker, made.id, True, "核对无误", NOW)
    return made


@pytest.fixture
async def books(sample_installed, settings, orm):
    """惠山区's fund raised money, received a transfer from the city's, paid a festival gift to
    55 members (one of them reversed), a household visit and a hardship festival payment; the
    city fund paid 滨湖区's gift."""
    host = PluginHost.load(only={"sample", "hardship"})
    vault = Vault(settings.data_key)
    for program, district in (("sample", HUISHAN), ("hardship", HUISHAN), ("sample", BINHU)):
        await programs.set_enabled(host, program, district, True, ACTOR)
    users = {}
    for name, role, district in (
        ("maker", "caseworker", HUISHAN),
        ("checker", "approver", HUISHAN),
        ("payer", "district_admin", HUISHAN),
        ("maker", "caseworker", BINHU),
        ("checker", "approver", BINHU),
        ("payer", "district_admin", BINHU),
    ):
        username = f"{name}_{district}"
        await accounts.create_user(ACTOR, accounts.NewUser(username, role, [district]))
        users[username] = await accounts.principal_for_user(username, "req-test")
    await accounts.create_user(ACTOR, accounts.NewUser("treasurer", "city_admin", []))
    city_admin = await accounts.principal_for_user("treasurer", "req-test")

    firm = await enterprises.create_enterprise(
        ACTOR, enterprises.NewEnterprise(name="惠山机械厂", uscc=uscc(), district_code=HUISHAN)
    )
    husband = await _member(vault, "甲", "900", enterprise_id=firm.id)
    wife = await _member(vault, "乙乙", "800", household_id=husband.household_id)
    others = [await _member(vault, f"职工{n:02d}", "1800") for n in range(OTHERS)]
    binhu = await _member(vault, "滨湖丙丙丙", "1000", district=BINHU)

    hs = await funds.create_fund(ACTOR, "HS", "惠山帮扶", HUISHAN)
    city = await funds.create_fund(ACTOR, "CITY", "市总帮扶", None)
    await funds.contribute(ACTOR, hs.id, Decimal("60000.00"), memo="区财政", reference="R-1")
    await funds.contribute(ACTOR, city.id, Decimal("10000.00"))
    await funds.transfer(city_admin, city.id, hs.id, Decimal("2000.00"), memo="市总下拨")

    app = create_app(settings, host, manage_db=False, rate_limit=0, clock=fixed_clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        clients = {
            "caseworker": GQL(c, await token_for("caseworker", (HUISHAN,))),
            "approver": GQL(c, await token_for("approver", (HUISHAN,))),
            "auditor": GQL(c, await token_for("auditor")),
            "service": GQL(c, await token_for("service", (HUISHAN,))),
            "city": GQL(c, await token_for("city_admin")),
            "binhu": GQL(c, await token_for("caseworker", (BINHU,))),
            "enterprise": GQL(c, await token_for("enterprise", (), firm.uscc)),
        }
        filed = await clients["caseworker"].ok(
            """mutation($m: ID!) { registerHardshipFile(input: {memberId: $m, level: EXTREME,
              reasons: [LOW_INCOME]}) { userErrors { code } } }""",
            {"m": to_global_id("Member", husband.id)},
        )
        assert filed["registerHardshipFile"]["userErrors"] == []
        checked = await clients["city"].ok(  # by someone else: only a verified file pays
            """mutation($m: ID!) { verifyHardshipFile(input: {memberId: $m,
              verifiedOn: "2026-11-01"}) { userErrors { code } } }""",
            {"m": to_global_id("Member", husband.id)},
        )
        assert checked["verifyHardshipFile"]["userErrors"] == []

        payer = users[f"payer_{HUISHAN}"]
        gift = await _campaign(host, users, hs.id, "sample", "gift", "2027-spring-festival")
        first = await Entitlement.get(campaign_id=gift.id, member_id=husband.id)
        await campaigns.pay_entitlement(payer, first.id, "pay-1", NOW)
        await campaigns.reverse_entitlement(payer, first.id, "重复登记", "rev-1", NOW)
        await campaigns.pay_campaign(payer, gift.id, NOW)
        visit = await _campaign(host, users, hs.id, "sample", "visit", "2027")
        await campaigns.pay_campaign(payer, visit.id, NOW)
        hardship = await _campaign(
            host, users, hs.id, "hardship", "spring_festival", "2027-spring-festival"
        )
        await campaigns.pay_campaign(payer, hardship.id, NOW)
        elsewhere = await _campaign(
            host, users, city.id, "sample", "gift", "2027-spring-festival", district=BINHU
        )
        await campaigns.pay_campaign(users[f"payer_{BINHU}"], elsewhere.id, NOW)
        yield {
            "clients": clients,
            "hs": hs,
            "city": city,
            "husband": husband,
            "wife": wife,
            "others": others,
            "binhu": binhu,
            "first": first,
        }


async def _all_entries(client: GQL, fund_id: str, first: int, **filters) -> list[dict]:
    """Every entry of the fund, page by page, checking each page's info on the way."""
    entries, after = [], None
    while True:
        variables = {"f": fund_id, "first": first, "after": after, **filters}
        ledger = (await client.ok(LEDGER, variables))["node"]["ledger"]
        page, edges = ledger["pageInfo"], ledger["edges"]
        assert page["hasPreviousPage"] is (after is not None)
        if edges:
            assert page["startCursor"] == edges[0]["cursor"]
            assert page["endCursor"] == edges[-1]["cursor"]
        entries += [e["node"] for e in edges]
        if not page["hasNextPage"]:
            assert len(entries) == ledger["totalCount"]
            return entries
        after = page["endCursor"]


async def test_a_funds_entries_reconcile_with_its_balance(books):
    city_admin = books["clients"]["city"]
    fund_id = to_global_id("Fund", books["hs"].id)
    entries = await _all_entries(city_admin, fund_id, first=7)

    balance = (await city_admin.ok(LEDGER, {"f": fund_id, "first": 1}))["node"]["balance"]
    running = Decimal("0.00")
    for entry in entries:
        running += Decimal(entry["amount"])
        assert Decimal(entry["balanceAfter"]) == running, entry
    assert f"{running:.2f}" == balance
    # 60000 + 2000 - 55 gifts of 500 + the reversed one - a 300 visit - a 3500 hardship payment
    assert balance == "31200.00"
    assert len(entries) == 1 + 1 + 55 + 1 + 1 + 1
    assert len({e["id"] for e in entries}) == len(entries)

    kinds = [e["kind"] for e in entries]
    assert kinds[:4] == ["CONTRIBUTION", "TRANSFER_IN", "PAYMENT", "REVERSAL"]
    raised, moved, paid, undone = entries[:4]
    assert (raised["memo"], raised["reference"], raised["entitlement"]) == ("区财政", "R-1", None)
    assert moved["counterpart"] == {"amount": "-2000.00", "fund": {"code": "CITY"}}
    assert moved["actor"] == "treasurer" and moved["memo"] == "市总下拨"
    first = to_global_id("Entitlement", books["first"].id)
    for entry, amount in ((paid, "-500.00"), (undone, "500.00")):
        assert entry["amount"] == amount
        assert entry["entitlement"] == {
            "id": first,
            "amount": "500.00",
            "status": "REVERSED",
            "member": {"name": "甲"},
        }
        assert entry["campaign"] == {"name": "sample-gift-2027-spring-festival"}
        assert (entry["program"], entry["districtCode"], entry["periodCode"]) == (
            "sample",
            HUISHAN,
            "2027-spring-festival",
        )
        assert entry["actor"] == f"payer_{HUISHAN}" and entry["fund"] == {"code": "HS"}
    assert undone["memo"] == "重复登记"
    programs_paid = {(e["program"], e["periodCode"]) for e in entries if e["kind"] == "PAYMENT"}
    assert programs_paid == {
        ("sample", "2027-spring-festival"),
        ("sample", "2027"),
        ("hardship", "2027-spring-festival"),
    }

    # The other leg of the transfer, from the city fund's side.
    city_entries = await _all_entries(city_admin, to_global_id("Fund", books["city"].id), 100)
    out = next(e for e in city_entries if e["kind"] == "TRANSFER_OUT")
    assert out["counterpart"] == {"amount": "2000.00", "fund": {"code": "HS"}}
    assert sum(Decimal(e["amount"]) for e in city_entries) == Decimal("7500.00")

    # An entry is a node of its own.
    node = await city_admin.ok(
        "query($i: ID!) { node(id: $i) { ... on LedgerEntry { amount kind fund { code } } } }",
        {"i": paid["id"]},
    )
    assert node["node"] == {"amount": "-500.00", "kind": "PAYMENT", "fund": {"code": "HS"}}


async def test_filters_by_kind_and_by_day_in_shanghai(books):
    city_admin = books["clients"]["city"]
    fund_id = to_global_id("Fund", books["hs"].id)
    reversals = await _all_entries(city_admin, fund_id, 10, kind="REVERSAL")
    assert [e["amount"] for e in reversals] == ["500.00"]
    payments = await _all_entries(city_admin, fund_id, 20, kind="PAYMENT")
    assert len(payments) == 57 and all(e["kind"] == "PAYMENT" for e in payments)

    # A fund whose entries were written either side of midnight in Wuxi (16:00 UTC).
    night = await funds.create_fund(ACTOR, "NIGHT", "夜间", HUISHAN)
    for at, amount, after in (
        (dt.datetime(2027, 1, 31, 15, 59, 59, tzinfo=dt.UTC), "10.00", "10.00"),
        (dt.datetime(2027, 1, 31, 16, 0, 0, tzinfo=dt.UTC), "20.00", "30.00"),
        (dt.datetime(2027, 2, 1, 15, 59, 59, tzinfo=dt.UTC), "40.00", "70.00"),
    ):
        await LedgerEntry.create(
            fund_id=night.id,
            amount=Decimal(amount),
            balance_after=Decimal(after),
            kind=LedgerKind.CONTRIBUTION,
            actor="test-setup",
            created_at=at,
        )
    night_id = to_global_id("Fund", night.id)

    async def amounts(**filters):
        return [e["amount"] for e in await _all_entries(city_admin, night_id, 2, **filters)]

    assert await amounts(until="2027-01-31") == ["10.00"]
    assert await amounts(since="2027-02-01") == ["20.00", "40.00"]
    assert await amounts(since="2027-02-01", until="2027-02-01") == ["20.00", "40.00"]
    assert await amounts(since="2027-02-02") == []

    refused = await city_admin(
        LEDGER, {"f": night_id, "since": "2027-02-02", "until": "2027-02-01"}
    )
    assert refused["errors"][0]["extensions"]["code"] == "INVALID_DATE_RANGE"
    assert "2027-02-02" in refused["errors"][0]["message"]
    english = await city_admin(
        LEDGER,
        {"f": night_id, "since": "2027-02-02", "until": "2027-02-01"},
        **{"Accept-Language": "en"},
    )
    assert english["errors"][0]["message"] == (
        "The start date 2027-02-02 is after the end date 2027-02-01"
    )
    bad_kind = await city_admin(LEDGER, {"f": night_id, "kind": "GIFT"})
    assert bad_kind["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    literal = await city_admin(
        "query($f: ID!) { node(id: $f) { ... on Fund { ledger(kind: GIFT) { totalCount } } } }",
        {"f": night_id},
    )
    assert literal["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    too_many = await city_admin(LEDGER, {"f": night_id, "first": 101})
    assert too_many["errors"][0]["extensions"]["code"] == "PAGE_SIZE_EXCEEDED"
    bad_cursor = await city_admin(LEDGER, {"f": night_id, "after": "nope"})
    assert bad_cursor["errors"][0]["extensions"]["code"] == "INVALID_CURSOR"
    bad_day = await city_admin(LEDGER, {"f": night_id, "since": "20270201"})
    assert bad_day["errors"][0]["extensions"]["code"] == "INVALID_DATE"


async def test_the_ledger_is_scoped_like_its_fund(books):
    clients = books["clients"]
    hs_id = to_global_id("Fund", books["hs"].id)
    paid = await LedgerEntry.filter(fund_id=books["hs"].id, kind=LedgerKind.PAYMENT).first()
    entry_id = to_global_id("LedgerEntry", paid.id)
    entry_query = "query($i: ID!) { node(id: $i) { id } }"
    # Outside the fund's district, or an employer: the fund and its entries do not exist.
    for who in ("binhu", "enterprise"):
        for query, variables in ((LEDGER, {"f": hs_id}), (entry_query, {"i": entry_id})):
            hidden = await clients[who](query, variables)
            assert hidden["data"]["node"] is None
            assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND", who
    assert (await clients["enterprise"].ok("{ funds { edges { node { code } } } }"))["funds"][
        "edges"
    ] == []
    # Read-only roles of the district see it.
    for who in ("approver", "auditor", "service", "caseworker"):
        seen = (await clients[who].ok(LEDGER, {"f": hs_id, "first": 3}))["node"]["ledger"]
        assert seen["totalCount"] == 60, who

    # The city's fund is everyone's, but what it paid in 滨湖区 is not 惠山区's business: the
    # entry's amount shows, its entitlement, member and campaign do not.
    city_id = to_global_id("Fund", books["city"].id)
    huishan = await _all_entries(clients["caseworker"], city_id, 50, kind="PAYMENT")
    binhu = await _all_entries(clients["binhu"], city_id, 50, kind="PAYMENT")
    assert [e["amount"] for e in huishan] == [e["amount"] for e in binhu] == ["-500.00"]
    assert (huishan[0]["entitlement"], huishan[0]["campaign"]) == (None, None)
    assert binhu[0]["entitlement"]["member"] == {"name": "滨湖丙丙丙"}
    assert binhu[0]["campaign"] == {"name": "sample-gift-2027-spring-festival"}
    # 滨湖区 sees the city's side of the transfer, not 惠山区's fund behind it.
    transfer = await _all_entries(clients["binhu"], city_id, 50, kind="TRANSFER_OUT")
    assert transfer[0]["counterpart"] is None


async def test_a_ledger_page_costs_the_same_for_5_and_50_entries(books, sql_counter):
    city_admin = books["clients"]["city"]
    fund_id = to_global_id("Fund", books["hs"].id)
    counts = []
    for first in (5, 50):
        sql_counter.count = 0
        ledger = (await city_admin.ok(LEDGER, {"f": fund_id, "first": first}))["node"]["ledger"]
        assert len(ledger["edges"]) == first
        # Both pages hold every kind of entry that needs a look-up.
        assert {"TRANSFER_IN", "PAYMENT", "REVERSAL"} <= {
            e["node"]["kind"] for e in ledger["edges"]
        }
        counts.append(sql_counter.count)
    assert counts[0] == counts[1], counts


async def test_a_caseworker_sees_what_a_household_was_paid(books):
    clients = books["clients"]
    husband = to_global_id("Member", books["husband"].id)
    wife = to_global_id("Member", books["wife"].id)
    paid = (await clients["caseworker"].ok(PAYMENTS, {"m": husband}))["member"]["household"][
        "payments"
    ]
    # The same household, asked through either spouse.
    assert (await clients["caseworker"].ok(PAYMENTS, {"m": wife}))["member"]["household"][
        "payments"
    ] == paid
    SF = "spring-festival:2027"  # the occurrence paid once, whatever the period code
    summary = sorted(
        (
            p["program"],
            p["ruleCode"],
            p["periodCode"],
            p["occurrence"],
            p["member"]["name"],
            p["amount"],
            p["status"],
        )
        for p in paid
    )
    assert summary == [
        ("hardship", "spring_festival", "2027-spring-festival", SF, "甲", "3500.00", "PAID"),
        ("sample", "gift", "2027-spring-festival", SF, "乙乙", "500.00", "PAID"),
        ("sample", "gift", "2027-spring-festival", SF, "甲", "500.00", "REVERSED"),
        ("sample", "visit", "2027", "2027", "甲", "300.00", "PAID"),
    ]
    for payment in paid:
        assert payment["paidOn"] == "2027-01-21"  # NOW is past midnight in Wuxi
        assert payment["districtCode"] == HUISHAN
        assert payment["ledgerEntry"]["kind"] == "PAYMENT"
        assert payment["ledgerEntry"]["amount"] == f"-{payment['amount']}"
        assert payment["campaign"]["name"].startswith(payment["program"])
        expected = {"kind": "REVERSAL", "amount": payment["amount"]}
        if payment["status"] == "REVERSED":
            assert {k: payment["reversalEntry"][k] for k in expected} == expected
        else:
            assert payment["reversalEntry"] is None
    names = {p["ruleCode"]: (p["ruleName"], p["ruleNameEn"]) for p in paid}
    assert names["visit"] == ("困难家庭走访", "Household visit")
    # The entry named is the fund's own entry for that entitlement.
    reversed_one = next(p for p in paid if p["status"] == "REVERSED")
    assert reversed_one["entitlementId"] == to_global_id("Entitlement", books["first"].id)
    entry = await LedgerEntry.get(
        reference=f"entitlement:{books['first'].id}", kind=LedgerKind.PAYMENT
    )
    assert reversed_one["ledgerEntry"]["id"] == to_global_id("LedgerEntry", entry.id)

    # Read-only roles of the district see the same; city-wide roles too.
    for who in ("approver", "auditor", "service", "city"):
        seen = (await clients[who].ok(PAYMENTS, {"m": husband}))["member"]["household"]
        assert seen["payments"] == paid, who
    # An employer sees its employee, never what the household was paid (hardship included).
    employer = await clients["enterprise"](PAYMENTS, {"m": husband})
    assert employer["data"]["member"]["household"]["payments"] is None
    assert employer["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert employer["errors"][0]["path"] == ["member", "household", "payments"]
    # Another district's caseworker cannot see the member at all.
    elsewhere = await clients["binhu"](PAYMENTS, {"m": husband})
    assert elsewhere["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    # A member who moves keeps a household history; 惠山区 sees what 惠山区 paid, and what 滨湖区
    # paid stays 滨湖区's record (the city sees both).
    moved = books["binhu"]
    await members.update_member(ACTOR, moved.id, moved.version, {"district_id": HUISHAN})
    moved_id = to_global_id("Member", moved.id)
    here = (await clients["caseworker"].ok(PAYMENTS, {"m": moved_id}))["member"]["household"]
    assert here["payments"] == []
    city = (await clients["city"].ok(PAYMENTS, {"m": moved_id}))["member"]["household"]
    assert [(p["districtCode"], p["amount"]) for p in city["payments"]] == [(BINHU, "500.00")]


async def test_payments_follow_payment_entry_id_when_it_is_set(books):
    """Payments link their ledger entry through ``entitlement.payment_entry_id`` (newer payments)
    or only through the entry's reference (older ones): both read the same."""
    city_admin = books["clients"]["city"]
    husband = to_global_id("Member", books["husband"].id)
    before = (await city_admin.ok(PAYMENTS, {"m": husband}))["member"]["household"]["payments"]
    for entitlement in await Entitlement.filter(household_id=books["husband"].household_id):
        entry = await LedgerEntry.get(
            reference=f"entitlement:{entitlement.id}", kind=LedgerKind.PAYMENT
        )
        await Entitlement.filter(id=entitlement.id).update(payment_entry_id=entry.id)
    after = (await city_admin.ok(PAYMENTS, {"m": husband}))["member"]["household"]["payments"]
    assert after == before

    # An entry that names no entitlement in its reference is found through the link alone.
    night = await funds.create_fund(ACTOR, "LINKED", "只有链接", HUISHAN)
    wife_gift = await Entitlement.get(member_id=books["wife"].id, rule_code="gift")
    entry = await LedgerEntry.create(
        fund_id=night.id,
        amount=Decimal("0.00"),
        balance_after=Decimal("0.00"),
        kind=LedgerKind.PAYMENT,
        actor="test-setup",
    )
    await Entitlement.filter(id=wife_gift.id).update(payment_entry_id=entry.id)
    ledger = (await city_admin.ok(LEDGER, {"f": to_global_id("Fund", night.id)}))["node"]
    assert ledger["ledger"]["edges"][0]["node"]["entitlement"]["member"] == {"name": "乙乙"}
    linked = (await city_admin.ok(PAYMENTS, {"m": husband}))["member"]["household"]["payments"]
    wife_paid = next(p for p in linked if p["member"]["name"] == "乙乙")
    assert wife_paid["ledgerEntry"]["id"] == to_global_id("LedgerEntry", entry.id)


async def test_a_page_of_members_with_payments_costs_the_same_for_2_and_20(books, sql_counter):
    caseworker = books["clients"]["caseworker"]
    query = """query($first: Int) { members(first: $first) { edges { node { name household {
      size payments { program amount status member { name } campaign { name }
      ledgerEntry { id amount } reversalEntry { id } } } } } } }"""
    counts = []
    for first in (2, 20):
        sql_counter.count = 0
        edges = (await caseworker.ok(query, {"first": first}))["members"]["edges"]
        assert len(edges) == first
        assert all(e["node"]["household"]["payments"] for e in edges)
        counts.append(sql_counter.count)
    assert counts[0] == counts[1], counts


async def test_every_connection_has_a_complete_page_info(books):
    city_admin = books["clients"]["city"]
    query = """query($after: String) { members(first: 2, after: $after) { edges { cursor }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor } }
      auditLog(first: 2, after: $after) { edges { cursor }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""
    first = await city_admin.ok(query)
    for name in ("members", "auditLog"):
        page = first[name]
        cursors = [e["cursor"] for e in page["edges"]]
        assert page["pageInfo"] == {
            "hasNextPage": True,
            "hasPreviousPage": False,
            "startCursor": cursors[0],
            "endCursor": cursors[-1],
        }, name
    after = first["members"]["pageInfo"]["endCursor"]
    second = (await city_admin.ok(query, {"after": after}))["members"]
    assert second["pageInfo"]["hasPreviousPage"] is True
    assert second["pageInfo"]["startCursor"] == second["edges"][0]["cursor"] != after
