"""A visit is told of its cash's payment (hardship's ``on_entitlements_paid`` and
``on_entitlements_reversed``): once the visit campaign pays, the visit shows ``cashPaid`` and
the debit, lists and reports count it as paid; a reversal undoes that and keeps the credit.
Migration 0005 gives visits already paid the entries of their entitlements."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import nodes
from tests.old_rows import migrated_on
from tests.test_hardship import (  # noqa: F401 (fixtures)
    APPROVE,
    HUISHAN,
    PAY,
    registered_story,
    story,
)
from tests.test_hardship_nodes import _visit
from unionaid.core import EntitlementEvent
from unionaid.plugins.hardship.models import Occasion, Visit, VisiteeKind
from unionaid.plugins.hardship.services import visits


@pytest.fixture
async def paying(story):  # noqa: F811 (the fixture)
    """The story (``tests.test_hardship``) with a visit without cash already recorded."""
    _city, people, _members, _fund = story
    return story, await _visit(people["maker"], HUISHAN, "交警李某")


VISIT_CASH = """query($id: ID!) { node(id: $id) { ... on Visit { cashPaid campaignId entitlementId
  paymentId reversalId } } }"""
REVERSE = """mutation($e: ID!) { reverseEntitlement(input: {entitlementId: $e, reason: "发错了",
  idempotencyKey: "visit-undo"}) { ledgerEntryId userErrors { code } } }"""
LISTED = "query($p: Boolean) { visits(cashPaid: $p) { edges { node { id } } } }"
REPORT = "{ visitReport { cash cashPaid } }"


async def test_a_visits_cash_shows_paid_once_its_campaign_pays_and_not_once_reversed(paying, app):
    (_city, people, members, fund_id), earlier = paying
    maker, checker, admin = people["maker"], people["checker"], people["huishan_admin"]
    cash_visit = await _visit(
        maker,
        HUISHAN,
        "特困甲",
        memberId=members["特困甲"],
        visiteeKind="HOUSEHOLD",
        cash="500.00",
        fundId=fund_id,
    )
    gifts_only = await _visit(maker, HUISHAN, "环卫工人王某", gifts="慰问品", giftValue="80.00")
    before = (await admin.ok(VISIT_CASH, {"id": cash_visit}))["node"]
    assert before["entitlementId"] and (before["cashPaid"], before["paymentId"]) == (False, None)
    assert (await admin.ok(REPORT))["visitReport"] == [{"cash": "500.00", "cashPaid": "0.00"}]

    campaign = before["campaignId"]
    assert (await checker.ok(APPROVE, {"c": campaign}))["approveCampaign"]["userErrors"] == []
    assert (await admin.ok(PAY, {"c": campaign}))["payCampaign"]["userErrors"] == []
    await app.state.jobs.idle()

    paid = (await admin.ok(VISIT_CASH, {"id": cash_visit}))["node"]
    assert (paid["cashPaid"], paid["reversalId"]) == (True, None)
    debit = await admin.ok(
        "query($l: ID!) { node(id: $l) { ... on LedgerEntry { amount reference } } }",
        {"l": paid["paymentId"]},
    )
    assert debit["node"]["amount"] == "-500.00"
    assert (await admin.ok(REPORT))["visitReport"] == [{"cash": "500.00", "cashPaid": "500.00"}]
    assert nodes((await admin.ok(LISTED, {"p": True}))["visits"]) == [{"id": cash_visit}]
    unpaid = [gifts_only, earlier]  # newest first; neither had cash
    assert nodes((await admin.ok(LISTED, {"p": False}))["visits"]) == [{"id": v} for v in unpaid]

    undone = (await admin.ok(REVERSE, {"e": before["entitlementId"]}))["reverseEntitlement"]
    assert undone["userErrors"] == []
    reversed_ = (await admin.ok(VISIT_CASH, {"id": cash_visit}))["node"]
    assert reversed_ == {
        "cashPaid": False,
        "campaignId": campaign,
        "entitlementId": before["entitlementId"],
        "paymentId": paid["paymentId"],
        "reversalId": undone["ledgerEntryId"],
    }
    assert (await admin.ok(REPORT))["visitReport"] == [{"cash": "500.00", "cashPaid": "0.00"}]
    again = nodes((await admin.ok(LISTED, {"p": False}))["visits"])
    assert again == [{"id": v} for v in [gifts_only, cash_visit, earlier]]


async def test_the_migration_gives_visits_already_paid_their_ledger_entries(tmp_path, host):
    """A fresh database migrated to hardship 0004, visits and their entitlements written there
    (references unchecked) — one paid, one paid then reversed, one waiting, one without cash —
    then migrated on: each visit takes its entitlement's entries."""

    entitlements = ", ".join(
        f"({i}, 1, 'hardship', 'visit_cash', '2026', 'visit:2026-11-0{i}', 'member:{i}', {i}, "
        f"{i}, '320206', 500, '{status}', '[]', '{{}}', '{{}}', '{{}}', {paid}, {undone}, "
        "CURRENT_TIMESTAMP)"
        for i, status, paid, undone in (
            (1, "paid", 71, "NULL"),
            (2, "reversed", 72, 82),
            (3, "entitled", "NULL", "NULL"),
        )
    )
    visit_rows = ", ".join(
        f"({i}, '320206', '某{i}', 'household', '主席', '2026-11-0{i}', 'other', {cash}, '', 0, "
        f"{entitlement}, 'amy', CURRENT_TIMESTAMP)"
        for i, cash, entitlement in ((1, 500, 1), (2, 500, 2), (3, 500, 3), (4, 0, "NULL"))
    )
    inserts = [
        "INSERT INTO entitlement (id, campaign_id, program, rule_code, period_code, occurrence, "
        "beneficiary, member_id, household_id, district_code, amount, status, explanation, "
        "facts, settings, settings_version, payment_entry_id, reversal_entry_id, created_at) "
        f"VALUES {entitlements}",
        "INSERT INTO hardship_visit (id, district_code, visitee_name, visitee_kind, visited_by, "
        "visited_on, occasion, cash, gifts, gift_value, entitlement_id, recorded_by, "
        f"created_at) VALUES {visit_rows}",
    ]
    read = "SELECT id, payment_entry_id, reversal_entry_id FROM hardship_visit ORDER BY id"
    (found,) = await migrated_on(tmp_path, host, "hardship.0004_stage", inserts, [read])
    assert found == [(1, 71, None), (2, 72, 82), (3, None, None), (4, None, None)]


def _told(entitlement_id: int, entry_id: int, rule_code: str = "visit_cash"):
    return EntitlementEvent(
        entitlement_id=entitlement_id,
        campaign_id=1,
        program="hardship",
        rule_code=rule_code,
        occurrence="visit:2026-11-20",
        member_id=1,
        district_code=HUISHAN,
        amount=Decimal("500.00"),
        ledger_entry_id=entry_id,
    )


async def test_a_batch_told_of_payments_costs_the_statements_of_one(orm, sql_counter):
    for i in range(1, 5):
        await Visit.create(
            district_code=HUISHAN,
            visitee_name=f"某{i}",
            visitee_kind=VisiteeKind.HOUSEHOLD,
            visited_by="主席",
            visited_on=dt.date(2026, 11, i),
            occasion=Occasion.OTHER,
            cash=Decimal("500.00"),
            entitlement_id=100 + i,
            recorded_by="amy",
        )
    sql_counter.count = 0
    await visits.cash_paid([_told(101, 71)])
    one = sql_counter.count
    sql_counter.count = 0
    # Three visits' payments, and one of another rule (a campaign's, not a visit's): ignored.
    await visits.cash_paid([_told(102, 72), _told(103, 73), _told(104, 74, "spring_festival")])
    assert sql_counter.count == one == 2
    sql_counter.count = 0
    await visits.cash_reversed([_told(101, 81), _told(102, 82)])
    assert sql_counter.count == 2
    rows = await Visit.all().order_by("id").values_list("payment_entry_id", "reversal_entry_id")
    assert rows == [(71, 81), (72, 82), (73, None), (None, None)]
