"""Payments and approvals as clients see them through GraphQL (issue 15, items 3, 6, 7): a
payment answers what it did and the same key answers the same; a campaign begun shows what is
paid and what is left; whoever recorded a visit into a campaign cannot approve it; every
campaign operation is in the audit log of each of its districts."""

import asyncio
import datetime as dt
from decimal import Decimal

from tests import test_campaign_api, test_hardship
from tests.conftest import GQL
from tests.factories import id_number, nodes, token_for
from tests.test_campaign_api import APPROVE, CREATE, EVALUATE, HUISHAN, MEMBER, PAY
from tests.test_hardship import VISIT
from unionaid.core.global_ids import pk_of
from unionaid.core.models import (
    Campaign,
    CampaignDistrict,
    Entitlement,
    IdempotencyKey,
    LedgerEntry,
)
from unionaid.core.services import accounts, campaigns

BINHU = "320211"
SHOW = """query($c: ID!) { campaign(id: $c) { id status version totals { paidCount paidTotal
  unpaidCount unpaidTotal } entitlements { edges { node { id status approvedVersion paymentEntryId } } } } }"""
PAY_ONE = """mutation($e: ID!, $k: String!) {
  payEntitlement(input: {entitlementId: $e, idempotencyKey: $k}) {
    ledgerEntryId amount entitlement { id status paymentEntryId } userErrors { code } } }"""
REVERSE = """mutation($e: ID!, $k: String!) {
  reverseEntitlement(input: {entitlementId: $e, reason: "发错了", idempotencyKey: $k}) {
    ledgerEntryId amount entitlement { status reversalEntryId } userErrors { code } } }"""
REJECT = """mutation($c: ID!) { rejectCampaign(input: {campaignId: $c, reason: "收入数据过期"}) {
  campaign { status } userErrors { code } } }"""
CLOSE = """mutation($c: ID!) { closeCampaign(input: {campaignId: $c}) {
  campaign { status } userErrors { code } } }"""
CANCEL = """mutation($c: ID!) { cancelCampaign(input: {campaignId: $c, reason: "重复"}) {
  campaign { status } userErrors { code } } }"""
AUDIT = """query($d: String!, $after: String) { auditLog(districtCode: $d, first: 100, after: $after) {
  edges { node { operation objectType objectId districtCode changes } }
  pageInfo { hasNextPage endCursor } } }"""


# Fixtures of the neighbouring tests. test_campaign_api's: the sample plugin in 惠山区, a fund
# of 5,000.00, three members (two entitled to 500.00), clients for a city admin, a maker, a
# checker and a payer. test_hardship's: hardship in two districts, files, a fund of 20,000.00.
api = test_campaign_api.api
story, registered_story = test_hardship.story, test_hardship.registered_story


async def spring_festival(app, clients, fund_id, districts=(HUISHAN,), maker="maker"):
    """A campaign made and evaluated (a job) by ``maker``: returns its id."""
    made = await clients[maker].ok(
        CREATE,
        {
            "i": {
                "name": "春节慰问",
                "programId": "sample",
                "ruleCode": "gift",
                "period": "2027-spring-festival",
                "districtCodes": list(districts),
                "fundId": fund_id,
            }
        },
    )
    campaign = made["createCampaign"]["campaign"]["id"]
    await clients[maker].ok(EVALUATE, {"c": campaign})
    await app.state.jobs.idle()
    return campaign


async def test_a_payment_answers_what_it_did_and_a_replay_the_same(api):
    app, clients, fund_id, _people = api
    campaign = await spring_festival(app, clients, fund_id)
    await clients["checker"].ok(APPROVE, {"c": campaign, "r": "ok"})
    first, second = nodes(
        (await clients["payer"].ok(SHOW, {"c": campaign}))["campaign"]["entitlements"]
    )
    paid = (await clients["payer"].ok(PAY_ONE, {"e": first["id"], "k": "pay-1"}))["payEntitlement"]
    assert paid["userErrors"] == [] and paid["amount"] == "500.00"
    assert paid["entitlement"] == {
        "id": first["id"],
        "status": "PAID",
        "paymentEntryId": paid["ledgerEntryId"],
    }
    replay = await clients["payer"].ok(PAY_ONE, {"e": first["id"], "k": "pay-1"})
    assert replay["payEntitlement"] == paid
    reused = await clients["payer"].ok(PAY_ONE, {"e": second["id"], "k": "pay-1"})
    assert reused["payEntitlement"]["userErrors"] == [{"code": "IDEMPOTENCY_KEY_REUSED"}]
    assert await LedgerEntry.filter(kind="payment").count() == 1

    # Begun, not finished: the campaign says what is paid and what is left.
    shown = (await clients["payer"].ok(SHOW, {"c": campaign}))["campaign"]
    assert shown["status"] == "PARTLY_PAID"
    assert shown["totals"] == {
        "paidCount": 1,
        "paidTotal": "500.00",
        "unpaidCount": 1,
        "unpaidTotal": "500.00",
    }
    await clients["payer"].ok(PAY, {"c": campaign})
    await app.state.jobs.idle()
    shown = (await clients["payer"].ok(SHOW, {"c": campaign}))["campaign"]
    assert shown["status"] == "PAID" and shown["totals"]["unpaidCount"] == 0
    assert all(e["paymentEntryId"] for e in nodes(shown["entitlements"]))

    undone = await clients["payer"].ok(REVERSE, {"e": first["id"], "k": "rev-1"})
    assert undone["reverseEntitlement"]["entitlement"] == {
        "status": "REVERSED",
        "reversalEntryId": undone["reverseEntitlement"]["ledgerEntryId"],
    }
    again = await clients["payer"].ok(REVERSE, {"e": first["id"], "k": "rev-1"})
    assert again == undone


async def test_the_same_key_sent_at_once_pays_once_and_answers_the_same(api):
    """Five requests with one key at the same moment (on PostgreSQL they run on five
    connections): one payment, five equal answers."""
    app, clients, fund_id, _people = api
    campaign = await spring_festival(app, clients, fund_id)
    await clients["checker"].ok(APPROVE, {"c": campaign, "r": "ok"})
    one = (await clients["payer"].ok(SHOW, {"c": campaign}))["campaign"]["entitlements"]["edges"][
        0
    ]["node"]
    answers = await asyncio.gather(
        *(clients["payer"].ok(PAY_ONE, {"e": one["id"], "k": "same"}) for _ in range(5))
    )
    assert answers[0]["payEntitlement"]["userErrors"] == []
    assert all(a == answers[0] for a in answers)
    assert await LedgerEntry.filter(kind="payment").count() == 1


async def test_whoever_recorded_a_visit_into_a_campaign_cannot_approve_it(
    registered_story, login_as
):
    """A caseworker's visit opens the campaign; the city administrator records another visit
    into it and may then not approve it; the refusal names a campaign (a file's verification
    has its own words)."""
    city, people, members, fund_id = registered_story
    base = {
        "districtCode": HUISHAN,
        "visitedBy": "区总工会主席",
        "visitedOn": "2026-11-20",
        "occasion": "OTHER",
        "visiteeKind": "HOUSEHOLD",
        "cash": "500.00",
        "fundId": fund_id,
    }
    first = await people["maker"].ok(
        VISIT, {"i": base | {"visiteeName": "特困甲", "memberId": members["特困甲"]}}
    )
    campaign = first["recordVisit"]["visit"]["campaignId"]
    second = await city.ok(
        VISIT, {"i": base | {"visiteeName": "困难乙", "memberId": members["困难乙"]}}
    )
    assert second["recordVisit"]["visit"]["campaignId"] == campaign
    approve = """mutation($c: ID!) { approveCampaign(input: {campaignId: $c}) {
      campaign { status } userErrors { code message } } }"""
    own = await city(approve, {"c": campaign}, **{"Accept-Language": "en"})
    assert own["data"]["approveCampaign"] == {
        "campaign": None,
        "userErrors": [
            {
                "code": "SELF_APPROVAL",
                "message": "You cannot approve a campaign you made (created, evaluated or "
                "added an entitlement to)",
            }
        ],
    }
    done = await people["checker"].ok(approve, {"c": campaign})
    assert done["approveCampaign"]["campaign"] == {"status": "APPROVED"}

    verify = """mutation($m: ID!) { verifyHardshipFile(input: {memberId: $m,
      verifiedOn: "2026-11-01"}) { userErrors { code message } } }"""
    file = await people["maker"](verify, {"m": members["特困甲"]}, **{"Accept-Language": "en"})
    [refused] = file["data"]["verifyHardshipFile"]["userErrors"]
    assert refused["code"] == "SELF_VERIFICATION"
    assert "file" in refused["message"] and "campaign" not in refused["message"]


async def audit_log(auditor: GQL, district: str) -> list[dict]:
    entries, after = [], None
    while True:
        page = (await auditor.ok(AUDIT, {"d": district, "after": after}))["auditLog"]
        entries += [edge["node"] for edge in page["edges"]]
        if not page["pageInfo"]["hasNextPage"]:
            return entries
        after = page["pageInfo"]["endCursor"]


async def test_every_campaign_operation_is_in_its_districts_audit_log(api):
    app, clients, fund_id, people = api
    city, maker, checker, payer = (clients[n] for n in ("city", "maker", "checker", "payer"))
    auditor = GQL(city.client, await token_for("auditor"))
    campaign = await spring_festival(app, clients, fund_id)
    await checker.ok(REJECT, {"c": campaign})
    await maker.ok(EVALUATE, {"c": campaign})
    await app.state.jobs.idle()
    # A caseworker adds an amount by hand (as a visit does).
    adder = await accounts.principal_for_user(
        (await maker.ok("{ me { username } }"))["me"]["username"], "req"
    )
    from unionaid.core.global_ids import pk_of

    await campaigns.add_entitlement(
        adder,
        app.state.host,
        pk_of(campaign, "Campaign"),
        pk_of(people[2], "Member"),
        amount=Decimal(300),
        explanation_zh="补发",
        explanation_en="added",
    )
    await checker.ok(APPROVE, {"c": campaign, "r": "ok"})
    one = (await payer.ok(SHOW, {"c": campaign}))["campaign"]["entitlements"]["edges"][0]["node"]
    await payer.ok(PAY_ONE, {"e": one["id"], "k": "a-1"})
    await payer.ok(PAY, {"c": campaign})
    await app.state.jobs.idle()
    await payer.ok(REVERSE, {"e": one["id"], "k": "a-2"})
    assert (await payer.ok(CLOSE, {"c": campaign}))["closeCampaign"]["userErrors"] == []
    other = await spring_festival(app, clients, fund_id)
    await maker.ok(CANCEL, {"c": other})

    found = await audit_log(auditor, HUISHAN)
    of_campaign = {e["operation"] for e in found if e["objectId"] in (campaign, other)}
    assert of_campaign >= {
        "createCampaign",
        "evaluateCampaign",
        "rejectCampaign",
        "addEntitlement",
        "approveCampaign",
        "payCampaign",
        "closeCampaign",
        "cancelCampaign",
    }
    of_entitlement = {e["operation"] for e in found if e["objectId"] == one["id"]}
    assert of_entitlement == {"payEntitlement", "reverseEntitlement"}
    assert all(e["districtCode"] == HUISHAN for e in found)


async def test_a_city_campaign_is_found_from_each_of_its_districts(api):
    app, clients, _fund_id, _people = api
    city = clients["city"]
    auditor = GQL(city.client, await token_for("auditor"))
    clients["checker"] = GQL(city.client, await token_for("approver", (HUISHAN, BINHU)))
    await city.ok(
        'mutation { enableProgram(input: {programId: "sample", districtCode: "320211"}) { userErrors { code } } }'
    )
    fund = await city.ok(
        'mutation { createFund(input: {code: "CITY", name: "市总"}) { fund { id } } }'
    )
    fund_id = fund["createFund"]["fund"]["id"]
    await city.ok(
        'mutation($f: ID!) { contributeToFund(input: {fundId: $f, amount: "5000.00"}) { userErrors { code } } }',
        {"f": fund_id},
    )
    await city.ok(
        MEMBER,
        {
            "i": {
                "name": "滨湖职工",
                "idNumber": id_number(dt.date(1981, 5, 5), area="320211"),
                "districtCode": BINHU,
                "monthlyIncome": "1500",
            }
        },
    )
    campaign = await spring_festival(app, clients, fund_id, (HUISHAN, BINHU), maker="city")
    await clients["checker"].ok(APPROVE, {"c": campaign, "r": "ok"})
    await city.ok(PAY, {"c": campaign})
    await app.state.jobs.idle()
    assert (await city.ok(SHOW, {"c": campaign}))["campaign"]["status"] == "PAID"
    expected = {"createCampaign", "evaluateCampaign", "approveCampaign", "payCampaign"}
    for district in (HUISHAN, BINHU):
        found = await audit_log(auditor, district)
        assert {e["operation"] for e in found if e["objectId"] == campaign} == expected
    # Each district's log says what was paid there, and that the campaign became paid.
    binhu_pay = [
        e["changes"]
        for e in await audit_log(auditor, BINHU)
        if e["objectId"] == campaign and e["operation"] == "payCampaign"
    ]
    assert binhu_pay == [
        {"status": ["approved", "paid"]},
        {"paid": [None, 1], "amount": [None, "500.00"]},
    ]
    assert await Entitlement.filter(district_code=BINHU).count() == 1


async def test_an_idempotency_key_too_long_is_named_so_and_pays_nothing(api):
    """A key over 100 characters is TEXT_TOO_LONG naming the limit (it was REQUIRED, "this
    field is required", for a key the client had plainly sent); an empty key stays REQUIRED."""
    app, clients, fund_id, _people = api
    campaign = await spring_festival(app, clients, fund_id)
    await clients["checker"].ok(APPROVE, {"c": campaign, "r": "ok"})
    one = (await clients["payer"].ok(SHOW, {"c": campaign}))["campaign"]["entitlements"]["edges"][
        0
    ]["node"]
    long_key = """mutation($e: ID!, $k: String!) {
      payEntitlement(input: {entitlementId: $e, idempotencyKey: $k}) {
        amount userErrors { code message field } } }"""
    refused = await clients["payer"].ok(long_key, {"e": one["id"], "k": "k" * 101})
    assert refused["payEntitlement"] == {
        "amount": None,
        "userErrors": [
            {"code": "TEXT_TOO_LONG", "message": "不能超过 100 个字符", "field": "idempotencyKey"}
        ],
    }
    empty = await clients["payer"].ok(PAY_ONE, {"e": one["id"], "k": ""})
    assert empty["payEntitlement"]["userErrors"] == [{"code": "REQUIRED"}]
    assert await LedgerEntry.filter(kind="payment").count() == 0
    paid = await clients["payer"].ok(PAY_ONE, {"e": one["id"], "k": "k" * 100})
    assert paid["payEntitlement"]["userErrors"] == []


async def test_a_blank_idempotency_key_is_required_and_pays_nothing(api):
    """A key of only whitespace is no key: REQUIRED on ``idempotencyKey``, for paying and for
    reversing. Any other key is kept as given (not stripped)."""
    app, clients, fund_id, _people = api
    campaign = await spring_festival(app, clients, fund_id)
    await clients["checker"].ok(APPROVE, {"c": campaign, "r": "ok"})
    edges = (await clients["payer"].ok(SHOW, {"c": campaign}))["campaign"]["entitlements"]
    one = edges["edges"][0]["node"]["id"]
    pay = """mutation($e: ID!, $k: String!) {
      payEntitlement(input: {entitlementId: $e, idempotencyKey: $k}) {
        amount userErrors { code field } } }"""
    for blank in (" ", "\t\n", "\u3000"):
        refused = (await clients["payer"].ok(pay, {"e": one, "k": blank}))["payEntitlement"]
        assert refused == {
            "amount": None,
            "userErrors": [{"code": "REQUIRED", "field": "idempotencyKey"}],
        }
    assert await LedgerEntry.filter(kind="payment").count() == 0
    paid = (await clients["payer"].ok(PAY_ONE, {"e": one, "k": " k-1 "}))["payEntitlement"]
    assert paid["userErrors"] == []
    assert await IdempotencyKey.filter(key=" k-1 ").count() == 1
    back = (await clients["payer"].ok(REVERSE, {"e": one, "k": " "}))["reverseEntitlement"]
    assert back["userErrors"] == [{"code": "REQUIRED"}]
    assert await LedgerEntry.filter(kind="reversal").count() == 0


async def test_an_unknown_status_filter_is_refused_by_validation(api):
    """``campaigns(status:)``, ``Campaign.entitlements(status:)`` and ``jobs(status:)`` take
    their enums: a state that does not exist (or its stored lowercase text) is refused before
    anything runs, naming the field; a real one filters."""
    app, clients, fund_id, _people = api
    campaign = await spring_festival(app, clients, fund_id)
    reader = clients["maker"]
    asked = {
        "campaigns": await reader("{ campaigns(status: PAYED) { edges { node { id } } } }"),
        "entitlements": await reader(
            'query($c: ID!) { campaign(id: $c) { entitlements(status: "entitled") '
            "{ edges { node { id } } } } }",
            {"c": campaign},
        ),
        "jobs": await reader(
            "query($s: JobStatus) { jobs(status: $s) { totalCount } }", {"s": "done"}
        ),
    }
    codes = {
        name: [e["extensions"]["code"] for e in body["errors"]] for name, body in asked.items()
    }
    assert codes == {  # a bad variable is the client's input, a bad literal its document
        "campaigns": ["GRAPHQL_VALIDATION_FAILED"],
        "entitlements": ["GRAPHQL_VALIDATION_FAILED"],
        "jobs": ["BAD_USER_INPUT"],
    }
    assert all(body.get("data") is None for body in asked.values())
    evaluated = await reader.ok("{ campaigns(status: EVALUATED) { edges { node { id } } } }")
    assert nodes(evaluated["campaigns"]) == [{"id": campaign}]
    assert (await reader.ok("{ campaigns(status: PAID) { totalCount } }"))["campaigns"] == {
        "totalCount": 0
    }
    entitled = await reader.ok(
        "query($c: ID!, $s: EntitlementStatus) { campaign(id: $c) { entitlements(status: $s) "
        "{ totalCount edges { node { status } } } } }",
        {"c": campaign, "s": "ENTITLED"},
    )
    listed = entitled["campaign"]["entitlements"]
    assert listed["totalCount"] == 2 and nodes(listed) == [{"status": "ENTITLED"}] * 2


async def test_a_districts_campaigns_are_listed_behind_newer_ones_elsewhere(api):
    """``campaigns`` read the newest 200 campaigns of all districts and kept the visible ones:
    a caseworker whose campaign was older than 200 others elsewhere saw none. Now the scope
    is SQL: a caseworker sees their one campaign, the city pages through all 251."""
    app, clients, fund_id, _people = api
    own = await spring_festival(app, clients, fund_id)
    template = await Campaign.get(id=pk_of(own, "Campaign"))
    await Campaign.bulk_create(
        [
            Campaign(
                name=f"滨湖{i}",
                program=template.program,
                rule_code=template.rule_code,
                period_code=template.period_code,
                period_start=template.period_start,
                period_end=template.period_end,
                judged_on=template.judged_on,
                district_codes=[BINHU],
                fund_id=template.fund_id,
                created_by="someone",
            )
            for i in range(250)
        ]
    )
    elsewhere = await Campaign.filter(name__startswith="滨湖").values_list("id", flat=True)
    await CampaignDistrict.bulk_create(
        [CampaignDistrict(campaign_id=pk, district_code=BINHU) for pk in elsewhere]
    )
    page = "query($a: String) { campaigns(first: 100, after: $a) { totalCount edges { node { id } } pageInfo { hasNextPage endCursor } } }"
    listed = (await clients["maker"].ok(page))["campaigns"]
    assert nodes(listed) == [{"id": own}] and listed["totalCount"] == 1
    seen, after = [], None
    while True:
        everything = (await clients["city"].ok(page, {"a": after}))["campaigns"]
        seen += [n["id"] for n in nodes(everything)]
        if not everything["pageInfo"]["hasNextPage"]:
            break
        after = everything["pageInfo"]["endCursor"]
    assert everything["totalCount"] == 251 and len(seen) == len(set(seen)) == 251
    assert seen[-1] == own  # newest first
