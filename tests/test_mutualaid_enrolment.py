"""Mutual aid (issue 17): plans, enrolment, contributions and their report through GraphQL.
Today is 2026-11-29 (app_clock): the 2027 plan's enrolment window is open."""

import datetime as dt

import pytest

from tests.conftest import GQL
from tests.factories import id_number, token_for, uscc
from tests.test_mutualaid_story import JOB, START, enrolment_file, upload

HUISHAN, BINHU, LIANGXI = "320206", "320211", "320213"
ENABLE = 'mutation($d: String!) { enableProgram(input: {programId: "mutualaid", districtCode: $d}) { userErrors { code } } }'
FUND = 'mutation($c: String!, $d: String) { createFund(input: {code: $c, name: "互助保障金", districtCode: $d}) { fund { id } userErrors { code } } }'
ENTERPRISE = "mutation($i: CreateEnterpriseInput!) { createEnterprise(input: $i) { enterprise { id } userErrors { code } } }"
MEMBER = "mutation($i: CreateMemberInput!) { createMember(input: $i) { member { id } userErrors { code } } }"
PUBLISH = """mutation($i: PublishMutualAidPlanInput!) { publishMutualAidPlan(input: $i) {
  plan { id planYear version current { startsOn endsOn sharePrice illnessWaitingDays
         coverages { coverage parameters } } }
  userErrors { field code message } } }"""
REVISE = """mutation($p: ID!, $f: Date!, $x: MutualAidPlanParametersInput!) {
  reviseMutualAidPlan(planId: $p, effectiveFrom: $f, parameters: $x, reason: "新标准") {
  plan { version versions { version effectiveFrom sharePrice } } userErrors { field code } } }"""
ENROL = """mutation($p: ID!, $m: ID!, $s: Int!) { enrolInMutualAid(planId: $p, memberId: $m, shares: $s) {
  enrolment { id shares amount payer channel coverFrom state } userErrors { field code message } } }"""
ENROL_STAFF = """mutation($p: ID!, $e: ID!, $l: [MutualAidApplicantInput!]!) {
  enrolEmployeesInMutualAid(planId: $p, enterpriseId: $e, employees: $l) {
  enrolments { id shares payer } userErrors { field code message } } }"""
CANCEL = """mutation($e: ID!) { cancelMutualAidEnrolment(enrolmentId: $e) {
  enrolment { state refundState refundAmount } userErrors { field code } } }"""
ENROLMENTS = """query($p: ID) { mutualAidEnrolments(planId: $p, first: 100) { totalCount
  edges { node { shares amount payer member { id } } } } }"""
REPORT = """query($y: Int!) { mutualAidReport(planYear: $y) { planYear
  rows { districtCode enterpriseId enrolments shares cancelled collected refunded }
  districts { districtCode enrolments shares collected ledgerCollected reconciles } } }"""
PARAMS = {"startsOn": "2027-01-01", "enrolFrom": "2026-10-15", "enrolUntil": "2026-12-15"}


def codes(payload: dict) -> list[str]:
    return [e["code"] for e in payload["userErrors"]]


async def new_member(
    gql, district: str, n: int, enterprise: str | None = None, number: str | None = None
) -> str:
    made = await gql.ok(
        MEMBER,
        {
            "i": {
                "name": f"职工{n}",
                "idNumber": number or id_number(dt.date(1980, 1, 1) + dt.timedelta(days=n)),
                "districtCode": district,
                "enterpriseId": enterprise,
            }
        },
    )
    assert made["createMember"]["userErrors"] == [], made
    return made["createMember"]["member"]["id"]


@pytest.fixture
async def world(gql, login_as):
    for d in (HUISHAN, BINHU):
        await gql.ok(ENABLE, {"d": d})
    fund = (await gql.ok(FUND, {"c": "HS-MUTUAL", "d": HUISHAN}))["createFund"]["fund"]["id"]
    made = await gql.ok(
        ENTERPRISE,
        {"i": {"name": "惠山机械厂", "uscc": uscc(1), "districtCode": HUISHAN}},
    )
    enterprise = made["createEnterprise"]["enterprise"]["id"]
    admin = await login_as("district_admin", (HUISHAN,))
    published = await admin.ok(
        PUBLISH,
        {
            "i": {
                "planYear": 2027,
                "name": "2027年惠山职工互助保障",
                "fundId": fund,
                "districtCode": HUISHAN,
                "parameters": PARAMS,
            }
        },
    )
    assert published["publishMutualAidPlan"]["userErrors"] == []
    numbers = [id_number(dt.date(1980, 1, 1) + dt.timedelta(days=n)) for n in range(10)]
    staff = [await new_member(gql, HUISHAN, n, enterprise, numbers[n]) for n in range(10)]
    return {
        "fund": fund,
        "enterprise": enterprise,
        "enterprise_uscc": uscc(1),
        "plan": published["publishMutualAidPlan"]["plan"],
        "staff": staff,
        "numbers": numbers,  # the staff's ID numbers, for files
        "admin": admin,
        "caseworker": await login_as("caseworker", (HUISHAN,)),
    }


async def test_publish_plan_takes_terms_from_settings(world, gql):
    plan = world["plan"]
    assert plan["planYear"] == 2027 and plan["version"] == 1
    current = plan["current"]
    assert (current["startsOn"], current["endsOn"]) == ("2027-01-01", "2027-12-31")
    assert current["sharePrice"] == "50.00" and current["illnessWaitingDays"] == 90
    assert {c["coverage"] for c in current["coverages"]} == {
        "HOSPITAL",
        "CRITICAL_ILLNESS",
        "ACCIDENT",
    }
    again = await world["admin"].ok(
        PUBLISH,
        {
            "i": {
                "planYear": 2027,
                "name": "重复",
                "fundId": world["fund"],
                "districtCode": HUISHAN,
                "parameters": PARAMS,
            }
        },
    )
    assert codes(again["publishMutualAidPlan"]) == ["DUPLICATE"]


async def test_plan_elsewhere_or_off_is_refused(world, login_as, gql):
    binhu_admin = await login_as("district_admin", (BINHU,))
    foreign_fund = await binhu_admin.ok(
        PUBLISH,
        {
            "i": {
                "planYear": 2027,
                "name": "滨湖",
                "fundId": world["fund"],
                "districtCode": BINHU,
                "parameters": PARAMS,
            }
        },
    )
    assert codes(foreign_fund["publishMutualAidPlan"]) == ["NOT_FOUND"]  # 惠山's fund
    liangxi = await login_as("district_admin", (LIANGXI,))
    off = await liangxi.ok(
        PUBLISH,
        {
            "i": {
                "planYear": 2027,
                "name": "梁溪",
                "fundId": world["fund"],
                "districtCode": LIANGXI,
                "parameters": PARAMS,
            }
        },
    )
    assert codes(off["publishMutualAidPlan"]) == ["PROGRAM_NOT_ENABLED"]
    binhu_worker = await login_as("caseworker", (BINHU,))
    hidden = await binhu_worker.ok(
        ENROL, {"p": world["plan"]["id"], "m": world["staff"][0], "s": 1}
    )
    assert codes(hidden["enrolInMutualAid"]) == ["NOT_FOUND"]


async def test_revised_plan_keeps_old_version_for_earlier_days(world):
    revised = await world["admin"].ok(
        REVISE,
        {"p": world["plan"]["id"], "f": "2027-07-01", "x": {**PARAMS, "sharePrice": "60.00"}},
    )
    plan = revised["reviseMutualAidPlan"]["plan"]
    assert plan["version"] == 2
    assert [(v["version"], v["sharePrice"]) for v in plan["versions"]] == [
        (1, "50.00"),
        (2, "60.00"),
    ]
    from unionaid.core import pk_of
    from unionaid.plugins.mutualaid.services.plans import plan_terms

    pk = pk_of(world["plan"]["id"], "MutualAidPlan")
    assert (await plan_terms(pk, dt.date(2027, 3, 1))).version == 1
    assert (await plan_terms(pk, dt.date(2027, 7, 1))).share_price == 60


async def test_caseworker_enrols_once_per_plan_year_and_contribution_is_in_the_ledger(world):
    member = world["staff"][0]
    done = await world["caseworker"].ok(ENROL, {"p": world["plan"]["id"], "m": member, "s": 2})
    enrolment = done["enrolInMutualAid"]["enrolment"]
    assert enrolment["amount"] == "100.00" and enrolment["payer"] == "MEMBER"
    assert enrolment["coverFrom"] == "2027-01-01" and enrolment["channel"] == "CASEWORKER"
    twice = await world["caseworker"].ok(ENROL, {"p": world["plan"]["id"], "m": member, "s": 1})
    assert codes(twice["enrolInMutualAid"]) == ["DUPLICATE"]
    too_many = await world["caseworker"].ok(
        ENROL, {"p": world["plan"]["id"], "m": world["staff"][1], "s": 4}
    )
    assert codes(too_many["enrolInMutualAid"]) == ["MUTUALAID_SHARES_OUT_OF_RANGE"]
    report = (await world["admin"].ok(REPORT, {"y": 2027}))["mutualAidReport"]
    assert report["districts"] == [
        {
            "districtCode": HUISHAN,
            "enrolments": 1,
            "shares": 2,
            "collected": "100.00",
            "ledgerCollected": "100.00",
            "reconciles": True,
        }
    ]


async def test_enterprise_enrols_its_staff_collectively(world, login_as):
    contact = await login_as("enterprise", (), world["enterprise_uscc"])
    plan, staff = world["plan"]["id"], world["staff"]
    few = await contact.ok(
        ENROL_STAFF,
        {
            "p": plan,
            "e": world["enterprise"],
            "l": [{"memberId": m, "shares": 1} for m in staff[:4]],
        },
    )
    [error] = few["enrolEmployeesInMutualAid"]["userErrors"]
    assert error["code"] == "MUTUALAID_BELOW_UNIT_MINIMUM" and "5" in error["message"]
    mixed = await contact.ok(
        ENROL_STAFF,
        {
            "p": plan,
            "e": world["enterprise"],
            "l": [{"memberId": m, "shares": 1 + (i == 3)} for i, m in enumerate(staff[:6])],
        },
    )
    assert codes(mixed["enrolEmployeesInMutualAid"]) == ["MUTUALAID_SHARES_DIFFER_IN_UNIT"]
    done = await contact.ok(
        ENROL_STAFF,
        {
            "p": plan,
            "e": world["enterprise"],
            "l": [{"memberId": m, "shares": 2} for m in staff[:6]],
        },
    )
    assert done["enrolEmployeesInMutualAid"]["userErrors"] == []
    assert {e["payer"] for e in done["enrolEmployeesInMutualAid"]["enrolments"]} == {"ENTERPRISE"}
    # one more later: the unit already meets the minimum, and must keep its 2 shares
    one_more = await contact.ok(
        ENROL_STAFF,
        {"p": plan, "e": world["enterprise"], "l": [{"memberId": staff[6], "shares": 1}]},
    )
    assert codes(one_more["enrolEmployeesInMutualAid"]) == ["MUTUALAID_SHARES_DIFFER_IN_UNIT"]
    seen = (await contact.ok(ENROLMENTS, {"p": plan}))["mutualAidEnrolments"]
    assert seen["totalCount"] == 6
    report = (await world["admin"].ok(REPORT, {"y": 2027}))["mutualAidReport"]
    [row] = report["rows"]
    assert row["enterpriseId"] == world["enterprise"]
    assert (row["enrolments"], row["shares"], row["collected"]) == (6, 12, "600.00")
    assert report["districts"][0]["reconciles"] is True


async def test_cancel_in_cooling_off_makes_refund_due_and_frees_the_year(world):
    member = world["staff"][0]
    done = await world["caseworker"].ok(ENROL, {"p": world["plan"]["id"], "m": member, "s": 1})
    cancelled = await world["caseworker"].ok(
        CANCEL, {"e": done["enrolInMutualAid"]["enrolment"]["id"]}
    )
    assert cancelled["cancelMutualAidEnrolment"]["enrolment"] == {
        "state": "CANCELLED",
        "refundState": "DUE",
        "refundAmount": "50.00",
    }
    again = await world["caseworker"].ok(ENROL, {"p": world["plan"]["id"], "m": member, "s": 1})
    assert again["enrolInMutualAid"]["userErrors"] == []


APPROVE_REFUND = """mutation($e: ID!) { approveMutualAidRefund(enrolmentId: $e) {
  enrolment { refundState } userErrors { field code } } }"""
PAY_REFUND = """mutation($e: ID!, $k: String!) { payMutualAidRefund(enrolmentId: $e, idempotencyKey: $k) {
  enrolment { refundState } userErrors { field code } } }"""


async def test_refund_is_approved_by_another_person_and_paid_from_the_fund(world, login_as, gql):
    member = world["staff"][0]
    done = await gql.ok(ENROL, {"p": world["plan"]["id"], "m": member, "s": 3})
    enrolment = done["enrolInMutualAid"]["enrolment"]["id"]
    await gql.ok(CANCEL, {"e": enrolment})
    self_approved = await gql.ok(APPROVE_REFUND, {"e": enrolment})
    assert codes(self_approved["approveMutualAidRefund"]) == ["MAKER_CANNOT_CHECK"]
    early = await world["admin"].ok(PAY_REFUND, {"e": enrolment, "k": "refund-0"})
    assert codes(early["payMutualAidRefund"]) == ["INVALID_STATE"]
    checker = await login_as("approver", (HUISHAN,))
    approved = await checker.ok(APPROVE_REFUND, {"e": enrolment})
    assert approved["approveMutualAidRefund"]["userErrors"] == []
    paid = await world["admin"].ok(PAY_REFUND, {"e": enrolment, "k": "refund-1"})
    assert paid["payMutualAidRefund"]["enrolment"] == {"refundState": "PAID"}
    report = (await world["admin"].ok(REPORT, {"y": 2027}))["mutualAidReport"]
    [row] = report["rows"]
    assert (row["enrolments"], row["cancelled"], row["collected"], row["refunded"]) == (
        0,
        1,
        "150.00",
        "150.00",
    )
    assert report["districts"][0]["reconciles"] is True


async def test_a_page_of_enrolments_costs_the_same_for_2_and_8(world, sql_counter):
    plan, staff = world["plan"]["id"], world["staff"]
    for m in staff[:8]:
        await world["caseworker"].ok(ENROL, {"p": plan, "m": m, "s": 1})
    page = """query($n: Int!) { mutualAidEnrolments(first: $n) { totalCount edges { node {
      shares amount member { id name } } } } }"""
    counts = []
    for n in (2, 8):
        sql_counter.count = 0
        got = await world["admin"].ok(page, {"n": n})
        assert len(got["mutualAidEnrolments"]["edges"]) == n
        counts.append(sql_counter.count)
    assert counts[0] == counts[1]


async def test_the_report_exports_as_csv(world, client):
    from tests.factories import token_for

    await world["caseworker"].ok(ENROL, {"p": world["plan"]["id"], "m": world["staff"][0], "s": 2})
    token = await token_for("district_admin", (HUISHAN,))
    got = await client.get(
        "/exports/mutualaid-report.csv", headers={"Authorization": f"Bearer {token}"}
    )
    assert got.status_code == 200, got.text
    lines = got.content.decode("utf-8-sig").splitlines()
    assert lines[0].startswith("plan_year,district_code,enterprise_id,enrolments,shares")
    assert lines[1].startswith("2027,320206,,1,2,0,100.00,0.00,0,0.00")


async def test_program_actions_decide_who_publishes_and_who_enrols(world, login_as):
    caseworker_publishes = await world["caseworker"](
        PUBLISH,
        {
            "i": {
                "planYear": 2028,
                "name": "2028",
                "fundId": world["fund"],
                "districtCode": HUISHAN,
                "parameters": PARAMS,
            }
        },
    )
    assert caseworker_publishes["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    approver = await login_as("approver", (HUISHAN,))
    approver_enrols = await approver(
        ENROL, {"p": world["plan"]["id"], "m": world["staff"][0], "s": 1}
    )
    assert approver_enrols["errors"][0]["extensions"]["code"] == "FORBIDDEN"


NODE = """query($id: ID!) { node(id: $id) { id ... on MutualAidEnrolment { shares payer }
  ... on MutualAidPlan { planYear } } }"""


async def test_plans_and_enrolments_are_nodes_in_their_district_only(world, login_as):
    done = await world["caseworker"].ok(
        ENROL, {"p": world["plan"]["id"], "m": world["staff"][0], "s": 1}
    )
    enrolment = done["enrolInMutualAid"]["enrolment"]["id"]
    got = await world["admin"].ok(NODE, {"id": enrolment})
    assert got["node"] == {"id": enrolment, "shares": 1, "payer": "MEMBER"}
    plan = await world["admin"].ok(NODE, {"id": world["plan"]["id"]})
    assert plan["node"]["planYear"] == 2027
    binhu = await login_as("caseworker", (BINHU,))
    hidden = await binhu(NODE, {"id": enrolment})
    assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    # an enterprise contact reads its unit's enrolments only (this one the member paid)
    contact = await login_as("enterprise", (), world["enterprise_uscc"])
    refused = await contact(NODE, {"id": enrolment})
    assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND"


async def test_collective_enrolment_counts_staff_already_enrolled_one_by_one(world, login_as):
    contact = await login_as("enterprise", (), world["enterprise_uscc"])
    plan, staff = world["plan"]["id"], world["staff"]
    one = await world["caseworker"].ok(ENROL, {"p": plan, "m": staff[0], "s": 3})
    assert one["enrolInMutualAid"]["userErrors"] == []

    def batch(people: list[str], shares: int) -> dict:
        return {
            "p": plan,
            "e": world["enterprise"],
            "l": [{"memberId": m, "shares": shares} for m in people],
        }

    # equal shares compare with the employee who already holds 3
    mixed = await contact.ok(ENROL_STAFF, batch(staff[1:6], 2))
    [error] = mixed["enrolEmployeesInMutualAid"]["userErrors"]
    assert error["code"] == "MUTUALAID_SHARES_DIFFER_IN_UNIT" and "3" in error["message"]
    # four more make five of ten: the minimum of 50 % counts the one enrolled by a caseworker
    done = await contact.ok(ENROL_STAFF, batch(staff[1:5], 3))
    assert done["enrolEmployeesInMutualAid"]["userErrors"] == []
    seen = (await contact.ok(ENROLMENTS, {"p": plan}))["mutualAidEnrolments"]
    assert seen["totalCount"] == 5


async def test_an_enterprise_file_counts_staff_already_enrolled_one_by_one(world, client, app):
    plan, staff = world["plan"]["id"], world["staff"]
    one = await world["caseworker"].ok(ENROL, {"p": plan, "m": staff[0], "s": 3})
    assert one["enrolInMutualAid"]["userErrors"] == []
    token = await token_for("enterprise", (), world["enterprise_uscc"])
    contact = GQL(client, token)
    numbers = world["numbers"]

    async def run(rows: list[tuple]) -> dict:
        started = await contact.ok(START, {"u": await upload(client, token, enrolment_file(rows))})
        await app.state.jobs.idle()
        return (await contact.ok(JOB, {"id": started["startImport"]["job"]["id"]}))["job"]

    # a file at 2 shares when an employee already holds 3: every row refused
    mixed = await run([(2027, n, 2) for n in numbers[1:6]])
    assert mixed["result"]["created"] == 0
    assert {e["code"] for e in mixed["result"]["errors"]} == {"MUTUALAID_SHARES_DIFFER_IN_UNIT"}
    # four rows at 3 shares: with the one already enrolled, five of ten meet the 50 % minimum
    done = await run([(2027, n, 3) for n in numbers[1:5]])
    assert (done["result"]["created"], done["result"]["rejected"]) == (4, 0), done
