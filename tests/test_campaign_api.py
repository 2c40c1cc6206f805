"""Campaigns through GraphQL: a maker drafts and evaluates (a job), a checker approves, an admin
pays (a job); members' entitlements explain themselves; what-if shows a settings change's cost."""

import datetime as dt

import httpx
import pytest

from tests.conftest import GQL
from tests.factories import fixed_clock, id_number, nodes, token_for
from unionaid.core.app import create_app
from unionaid.core.host import PluginHost

HUISHAN = "320206"
MEMBER = "mutation($i: CreateMemberInput!) { createMember(input: $i) { member { id } } }"
CREATE = """mutation($i: CreateCampaignInput!) { createCampaign(input: $i) {
  campaign { id status period { code start end judgedOn } } userErrors { field code } } }"""
EVALUATE = """mutation($c: ID!) { evaluateCampaign(input: {campaignId: $c}) {
  job { id status } userErrors { code } } }"""
APPROVE = """mutation($c: ID!, $r: String!) { approveCampaign(input: {campaignId: $c, reason: $r}) {
  campaign { status approvals { approver decision } } userErrors { code } } }"""
PAY = """mutation($c: ID!) { payCampaign(input: {campaignId: $c}) { job { id } userErrors { code } } }"""
SHOW = """query($c: ID!) { campaign(id: $c) { status totals { entitledCount entitledTotal paidCount
  paidTotal unpaidTotal } entitlements { edges { node { amount status explanation { passed zh en }
  member { name } } } } } }"""


@pytest.fixture
async def api(sample_installed, settings, orm):
    host = PluginHost.load(only={"sample"})
    app = create_app(settings, host, manage_db=False, clock=fixed_clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        clients = {
            name: GQL(c, await token_for(role, districts))
            for name, role, districts in (
                ("city", "city_admin", ()),
                ("maker", "caseworker", (HUISHAN,)),
                ("checker", "approver", (HUISHAN,)),
                ("payer", "district_admin", (HUISHAN,)),
            )
        }
        city = clients["city"]
        await city.ok(
            'mutation { enableProgram(input: {programId: "sample", districtCode: "320206"}) { userErrors { code } } }'
        )
        fund = await city.ok(
            'mutation { createFund(input: {code: "HS", name: "惠山", districtCode: "320206"}) { fund { id } } }'
        )
        fund_id = fund["createFund"]["fund"]["id"]
        await city.ok(
            'mutation($f: ID!) { contributeToFund(input: {fundId: $f, amount: "5000.00"}) { userErrors { code } } }',
            {"f": fund_id},
        )
        people = []
        for n, income in enumerate(("1500", "2600", "4800")):
            made = await city.ok(
                MEMBER,
                {
                    "i": {
                        "name": f"职工{n}",
                        "idNumber": id_number(dt.date(1979, 3, 1 + n)),
                        "districtCode": HUISHAN,
                        "monthlyIncome": income,
                    }
                },
            )
            people.append(made["createMember"]["member"]["id"])
        yield app, clients, fund_id, people


async def test_maker_checker_payment_through_the_api(api):
    app, clients, fund_id, _people = api
    maker, checker, payer = clients["maker"], clients["checker"], clients["payer"]
    made = (
        await maker.ok(
            CREATE,
            {
                "i": {
                    "name": "2027春节慰问",
                    "programId": "sample",
                    "ruleCode": "gift",
                    "period": "2027-spring-festival",
                    "districtCodes": [HUISHAN],
                    "fundId": fund_id,
                }
            },
        )
    )["createCampaign"]
    assert made["userErrors"] == []
    campaign = made["campaign"]
    assert campaign["period"] == {
        "code": "2027-spring-festival",
        "start": "2027-01-07",
        "end": "2027-02-20",
        "judgedOn": "2027-02-06",
    }
    queued = (await maker.ok(EVALUATE, {"c": campaign["id"]}))["evaluateCampaign"]
    assert queued["userErrors"] == [] and queued["job"]["status"] == "QUEUED"
    await app.state.jobs.idle()
    shown = (await maker.ok(SHOW, {"c": campaign["id"]}))["campaign"]
    assert shown["status"] == "EVALUATED"
    assert shown["totals"]["entitledCount"] == 2 and shown["totals"]["entitledTotal"] == "1000.00"
    assert {e["member"]["name"] for e in nodes(shown["entitlements"])} == {"职工0", "职工1"}
    assert all(
        c["passed"] and c["zh"] and c["en"] for e in nodes(shown["entitlements"]) for c in e["explanation"]
    )

    own = await maker(APPROVE, {"c": campaign["id"], "r": ""})
    assert own["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    early = (await payer.ok(PAY, {"c": campaign["id"]}))["payCampaign"]
    assert early == {"job": None, "userErrors": [{"code": "INVALID_STATE"}]}
    approved = (await checker.ok(APPROVE, {"c": campaign["id"], "r": "已核对"}))["approveCampaign"]
    assert approved["campaign"]["status"] == "APPROVED"
    assert approved["campaign"]["approvals"][0]["decision"] == "approve"

    paying = (await payer.ok(PAY, {"c": campaign["id"]}))["payCampaign"]
    await app.state.jobs.idle()
    job = (
        await payer.ok(
            "query($j: ID!) { job(id: $j) { status result } }", {"j": paying["job"]["id"]}
        )
    )["job"]
    assert job == {"status": "SUCCEEDED", "result": {"paid": 2, "amount": "1000.00"}}
    shown = (await maker.ok(SHOW, {"c": campaign["id"]}))["campaign"]
    assert shown["status"] == "PAID" and shown["totals"]["paidTotal"] == "1000.00"
    totals = (await payer.ok("{ fundTotals { fundCode program periodCode raised paid } }"))[
        "fundTotals"
    ]
    assert {
        "fundCode": "HS",
        "program": "sample",
        "periodCode": "2027-spring-festival",
        "raised": "0.00",
        "paid": "1000.00",
    } in totals
    assert {
        "fundCode": "HS",
        "program": None,
        "periodCode": None,
        "raised": "5000.00",
        "paid": "0.00",
    } in totals


async def test_a_members_entitlements_say_why_and_why_not(api):
    _, clients, _, people = api
    query = """query($m: ID!) { member(id: $m) { entitlements(period: "2027-spring-festival") {
      program ruleCode eligible amount conditions { passed en } } } }"""
    yes = (await clients["maker"].ok(query, {"m": people[0]}))["member"]["entitlements"]
    no = (await clients["maker"].ok(query, {"m": people[2]}))["member"]["entitlements"]
    assert yes[0]["eligible"] and yes[0]["amount"] == "500.00"
    assert not no[0]["eligible"] and no[0]["amount"] == "0.00"
    failed = [c["en"] for c in no[0]["conditions"] if not c["passed"]]
    assert failed == ["monthly income 4800.00 below 3000.00"]
    bad = await clients["maker"](query.replace("2027-spring-festival", "spring"), {"m": people[0]})
    assert bad["errors"][0]["extensions"]["code"] == "INVALID_PERIOD"


async def test_what_if_shows_the_cost_of_raising_the_amount(api):
    _, clients, _, _ = api
    query = """query($s: JSON!) { whatIf(programId: "sample", ruleCode: "gift", districtCode: "320206",
      period: "2027-spring-festival", settings: $s) { current { count total } proposed { count total }
      countDifference totalDifference } }"""
    raised = (await clients["payer"].ok(query, {"s": {"gift_amount": "800.00"}}))["whatIf"]
    assert raised == {
        "current": {"count": 2, "total": "1000.00"},
        "proposed": {"count": 2, "total": "1600.00"},
        "countDifference": 0,
        "totalDifference": "+600.00",
    }
    wider = (await clients["payer"].ok(query, {"s": {"gift_income_ceiling": "5000"}}))["whatIf"]
    assert wider["countDifference"] == 1 and wider["totalDifference"] == "+500.00"
    wrong = await clients["payer"](query, {"s": {"no_such_key": 1}})
    assert wrong["errors"][0]["extensions"]["code"] == "INVALID_SETTINGS"


async def test_bad_campaign_input_is_a_user_error(api):
    _, clients, fund_id, _ = api
    base = {
        "name": "x",
        "programId": "sample",
        "ruleCode": "gift",
        "period": "2027-spring-festival",
        "districtCodes": [HUISHAN],
        "fundId": fund_id,
    }
    for changes, code in (
        ({"period": "2027/03"}, "INVALID_PERIOD"),
        ({"ruleCode": "nope"}, "NOT_FOUND"),
        ({"districtCodes": ["320211"]}, "NOT_FOUND"),
    ):
        made = (await clients["maker"].ok(CREATE, {"i": base | changes}))["createCampaign"]
        assert made["campaign"] is None and made["userErrors"][0]["code"] == code


async def test_school_terms_are_set_by_the_city_and_campaigns_close(api):
    app, clients, fund_id, _ = api
    term = """mutation($c: String!) { setSchoolTerm(input: {code: $c, start: "2027-09-01", end: "2028-01-20"}) {
      period { code kind start end judgedOn } userErrors { code } } }"""
    refused = await clients["maker"](term, {"c": "2027-autumn-term"})
    assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"

    async def create_for_the_term() -> dict:
        made = await clients["maker"].ok(
            CREATE,
            {
                "i": {
                    "name": "助学",
                    "programId": "sample",
                    "ruleCode": "term_gift",
                    "period": "2027-autumn-term",
                    "districtCodes": [HUISHAN],
                    "fundId": fund_id,
                }
            },
        )
        return made["createCampaign"]

    unset = await create_for_the_term()
    assert unset["userErrors"] == [{"field": "period", "code": "INVALID_PERIOD"}]
    done = (await clients["city"].ok(term, {"c": "2027-autumn-term"}))["setSchoolTerm"]
    assert done["period"] == {
        "code": "2027-autumn-term",
        "kind": "term",
        "start": "2027-09-01",
        "end": "2028-01-20",
        "judgedOn": "2027-09-01",
    }
    made = await create_for_the_term()
    assert made["campaign"]["period"]["start"] == "2027-09-01"
    campaign = made["campaign"]["id"]
    await clients["maker"].ok(EVALUATE, {"c": campaign})
    await app.state.jobs.idle()
    await clients["checker"].ok(APPROVE, {"c": campaign, "r": "ok"})
    close = "mutation($c: ID!) { closeCampaign(input: {campaignId: $c}) { campaign { status } userErrors { code } } }"
    early = (await clients["payer"].ok(close, {"c": campaign}))["closeCampaign"]
    assert early["userErrors"] == [{"code": "INVALID_STATE"}]
    await clients["payer"].ok(PAY, {"c": campaign})
    await app.state.jobs.idle()
    closed = (await clients["payer"].ok(close, {"c": campaign}))["closeCampaign"]
    assert closed == {"campaign": {"status": "CLOSED"}, "userErrors": []}
