"""Issue 17's acceptance story through the API alone (GraphQL, and the upload endpoint for the
file): a district enables mutual aid and publishes its 2027 plan; in the enrolment window an
enterprise contact enrols 20 employees from a file; in July 2027 a caseworker submits a
hospital claim and a critical-illness claim, another caseworker assesses them, an approver
approves, the district pays from the fund; the member's payout trace reads correctly; the
condolence for the same stay pays under the default stacking and not under "no_claim"; the
report's totals reconcile with the ledger."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.conftest import GQL
from tests.factories import id_number, uscc

HUISHAN = "320206"
START = """mutation($u: ID!) { startImport(input: {uploadId: $u, kind: MUTUALAID_ENROLMENTS}) {
  job { id } userErrors { field code } } }"""
JOB = "query($id: ID!) { job(id: $id) { status result } }"
FUND_BALANCE = "query($id: ID!) { node(id: $id) { ... on Fund { balance } } }"


class Clock:
    """The requests' clock, moved on by the story (enrolment in 2026, claims in 2027)."""

    def __init__(self) -> None:
        self.now = dt.datetime(2026, 11, 29, 3, 0, tzinfo=dt.UTC)

    def __call__(self) -> dt.datetime:
        return self.now


@pytest.fixture
def app_clock() -> Clock:
    return Clock()


CLAIM = """id kind status amount planVersion rejectReason trace { passed zh en }"""
SUBMIT = f"""mutation($i: SubmitMutualAidClaimInput!) {{ submitMutualAidClaim(input: $i) {{
  claim {{ {CLAIM} }} userErrors {{ field code message }} }} }}"""
ASSESS = f"""mutation($c: ID!) {{ assessMutualAidClaim(input: {{claimId: $c}}) {{
  claim {{ {CLAIM} }} userErrors {{ field code }} }} }}"""
APPROVE = f"""mutation($c: ID!) {{ approveMutualAidClaim(input: {{claimId: $c}}) {{
  claim {{ {CLAIM} }} userErrors {{ field code }} }} }}"""
PAY = f"""mutation($c: ID!, $k: String!) {{ payMutualAidClaim(input: {{claimId: $c,
  idempotencyKey: $k}}) {{ claim {{ {CLAIM} }} userErrors {{ field code }} }} }}"""


async def claim_through(people: dict, claim: dict, key: str) -> dict:
    """Submitted by the caseworker, assessed by another, approved by the approver, paid."""
    done = (await people["caseworker"].ok(SUBMIT, {"i": claim}))["submitMutualAidClaim"]
    assert done["userErrors"] == [], done
    gid = done["claim"]["id"]
    assessed = (await people["assessor"].ok(ASSESS, {"c": gid}))["assessMutualAidClaim"]
    assert assessed["userErrors"] == [], assessed
    if assessed["claim"]["status"] == "REJECTED":
        return assessed["claim"]
    approved = (await people["approver"].ok(APPROVE, {"c": gid}))["approveMutualAidClaim"]
    assert approved["claim"]["status"] == "APPROVED", approved
    paid = (await people["admin"].ok(PAY, {"c": gid, "k": key}))["payMutualAidClaim"]
    assert paid["userErrors"] == [], paid
    return paid["claim"]


async def login_at(client, now: dt.datetime, role: str, districts: tuple[str, ...] = ()) -> GQL:
    """A fresh user of ``role`` with a token issued at ``now`` (the story's clock moved on)."""
    from tests.factories import ACTOR
    from unionaid.core.services import accounts

    name = f"story-{role}-{login_at.n}"
    login_at.n += 1
    await accounts.create_user(ACTOR, accounts.NewUser(name, role, list(districts)))
    return GQL(client, (await accounts.issue_token(ACTOR, name, dt.timedelta(hours=1), now)).token)


login_at.n = 0


def enrolment_file(rows: list[tuple]) -> bytes:
    lines = ["plan_year,id_number,shares"] + [",".join(str(c) for c in r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


async def upload(client, token: str, content: bytes) -> str:
    sent = await client.post(
        "/imports?filename=enrol.csv", content=content, headers={"Authorization": f"Bearer {token}"}
    )
    assert sent.status_code == 201, sent.text
    return sent.json()["uploadId"]


async def test_story_plan_enrolment_claims_condolence_and_reports(
    gql, login_as, client, app, app_clock
):
    from tests.factories import token_for

    admin = await login_as("district_admin", (HUISHAN,))
    enabled = await gql.ok(
        'mutation { enableProgram(input: {programId: "mutualaid", districtCode: "320206"}) '
        "{ userErrors { code } } }"
    )
    assert enabled["enableProgram"]["userErrors"] == []
    fund = (
        await gql.ok(
            'mutation { createFund(input: {code: "HS-MA", name: "惠山互助保障金", '
            'districtCode: "320206"}) { fund { id } } }'
        )
    )["createFund"]["fund"]["id"]
    published = await admin.ok(
        """mutation($f: ID!) { publishMutualAidPlan(input: {planYear: 2027, name: "2027年互助保障",
        fundId: $f, districtCode: "320206", parameters: {startsOn: "2027-01-01",
        enrolFrom: "2026-10-15", enrolUntil: "2026-12-15"}}) { plan { id } userErrors { code } } }""",
        {"f": fund},
    )
    assert published["publishMutualAidPlan"]["userErrors"] == []
    firm = await gql.ok(
        'mutation($u: String!) { createEnterprise(input: {name: "惠山纺织厂", uscc: $u, '
        'districtCode: "320206"}) { enterprise { id } } }',
        {"u": uscc(7)},
    )
    enterprise = firm["createEnterprise"]["enterprise"]["id"]
    numbers = []
    for n in range(25):  # 25 staff: 20 joining is 80 %, above the 50 % minimum
        number = id_number(dt.date(1975, 3, 1) + dt.timedelta(days=n))
        made = await gql.ok(
            "mutation($i: CreateMemberInput!) { createMember(input: $i) { userErrors { code } } }",
            {
                "i": {
                    "name": f"纺织工{n}",
                    "idNumber": number,
                    "districtCode": HUISHAN,
                    "enterpriseId": enterprise,
                }
            },
        )
        assert made["createMember"]["userErrors"] == []
        numbers.append(number)
    token = await token_for("enterprise", (), uscc(7))
    contact = GQL(client, token)
    # Too few first (10 of 25): every row refused with the unit's code, nothing written.
    few = await upload(client, token, enrolment_file([(2027, n, 1) for n in numbers[:10]]))
    started = await contact.ok(START, {"u": few})
    await app.state.jobs.idle()
    result = (await contact.ok(JOB, {"id": started["startImport"]["job"]["id"]}))["job"]["result"]
    assert result["created"] == 0
    assert {e["code"] for e in result["errors"]} == {"MUTUALAID_BELOW_UNIT_MINIMUM"}
    # The 20 of them, 2 shares each.
    good = await upload(client, token, enrolment_file([(2027, n, 2) for n in numbers[:20]]))
    started = await contact.ok(START, {"u": good})
    await app.state.jobs.idle()
    job = (await contact.ok(JOB, {"id": started["startImport"]["job"]["id"]}))["job"]
    assert job["status"] == "SUCCEEDED", job
    assert (job["result"]["created"], job["result"]["rejected"]) == (20, 0)
    seen = await contact.ok(
        "{ mutualAidEnrolments(first: 50) { totalCount edges { node { shares payer } } } }"
    )
    assert seen["mutualAidEnrolments"]["totalCount"] == 20
    assert {
        (e["node"]["shares"], e["node"]["payer"]) for e in seen["mutualAidEnrolments"]["edges"]
    } == {(2, "ENTERPRISE")}
    # The report's totals reconcile with the ledger and with the fund's balance.
    report = (
        await admin.ok(
            "{ mutualAidReport(planYear: 2027) { rows { enterpriseId enrolments shares collected } "
            "districts { collected ledgerCollected reconciles } } }"
        )
    )["mutualAidReport"]
    assert report["rows"] == [
        {"enterpriseId": enterprise, "enrolments": 20, "shares": 40, "collected": "2000.00"}
    ]
    assert report["districts"] == [
        {"collected": "2000.00", "ledgerCollected": "2000.00", "reconciles": True}
    ]
    balance = (await admin.ok(FUND_BALANCE, {"id": fund}))["node"]["balance"]
    assert balance == "2000.00"

    # July 2027: claims. The city tops the fund up (untagged: not a contribution of the plan).
    app_clock.now = dt.datetime(2027, 7, 1, 3, 0, tzinfo=dt.UTC)
    gql = await login_at(client, app_clock.now, "city_admin")
    admin = await login_at(client, app_clock.now, "district_admin", (HUISHAN,))
    await gql.ok(
        'mutation($f: ID!) { contributeToFund(input: {fundId: $f, amount: "50000.00"}) '
        "{ userErrors { code } } }",
        {"f": fund},
    )
    people = {
        "caseworker": await login_at(client, app_clock.now, "caseworker", (HUISHAN,)),
        "assessor": await login_at(client, app_clock.now, "caseworker", (HUISHAN,)),
        "approver": await login_at(client, app_clock.now, "approver", (HUISHAN,)),
        "admin": admin,
    }
    member = (
        await admin.ok("{ mutualAidEnrolments(first: 1) { edges { node { member { id } } } } }")
    )["mutualAidEnrolments"]["edges"][0]["node"]["member"]["id"]
    stay = {
        "hospital": "无锡市人民医院",
        "admittedOn": "2027-06-01",
        "dischargedOn": "2027-06-11",
        "outOfPocket": "4000.00",
    }
    hospital = await claim_through(
        people, {"memberId": member, "kind": "HOSPITAL", **stay}, "pay-hospital"
    )
    assert (hospital["status"], hospital["amount"], hospital["planVersion"]) == (
        "PAID",
        "1000.00",
        1,
    )
    lines = [line["zh"] for line in hospital["trace"]]
    assert "住院 10 天 × 每天 50.00 元 × 2 份 = 1,000.00 元" in lines
    assert any("第 1 版" in line for line in lines) and all(t["passed"] for t in hospital["trace"])
    ill = await claim_through(
        people,
        {
            "memberId": member,
            "kind": "CRITICAL_ILLNESS",
            "diagnosisCategory": "恶性肿瘤",
            "diagnosedOn": "2027-05-01",
        },
        "pay-critical",
    )
    assert (ill["status"], ill["amount"]) == ("PAID", "20000.00")  # 10,000 a share × 2
    # The member's payout trace, as the member's caseworker reads it.
    seen = await people["caseworker"].ok(
        "query($m: ID) { mutualAidClaims(memberId: $m) { edges { node { kind amount "
        "trace { zh en } } } } }",
        {"m": member},
    )
    traces = {e["node"]["kind"]: e["node"]["trace"] for e in seen["mutualAidClaims"]["edges"]}
    assert any("恶性肿瘤" in t["zh"] for t in traces["CRITICAL_ILLNESS"])
    assert all(t["en"] for t in traces["HOSPITAL"])
    # The condolence for the same stay: both pay under the default stacking.
    condolence = await claim_through(
        people, {"memberId": member, "kind": "CONDOLENCE", **stay}, "pay-condolence"
    )
    assert (condolence["status"], condolence["amount"]) == ("PAID", "500.00")
    # Under "condolence only when no claim pays" (a district setting in force on the stay's
    # admission day), a stay a claim paid yields no condolence.
    other = (
        await admin.ok("{ mutualAidEnrolments(first: 2) { edges { node { member { id } } } } }")
    )["mutualAidEnrolments"]["edges"][1]["node"]["member"]["id"]
    second_stay = {**stay, "admittedOn": "2027-06-15", "dischargedOn": "2027-06-20"}
    await claim_through(
        people, {"memberId": other, "kind": "HOSPITAL", **second_stay}, "pay-hospital-2"
    )
    configured = await admin.ok(
        'mutation { configureProgram(input: {programId: "mutualaid", districtCode: "320206", '
        'settings: {condolence_stacking: "no_claim"}, validFrom: "2027-06-01"}) '
        "{ userErrors { code } } }"
    )
    assert configured["configureProgram"]["userErrors"] == []
    refused = await claim_through(
        people, {"memberId": other, "kind": "CONDOLENCE", **second_stay}, "pay-condolence-2"
    )
    assert refused["status"] == "REJECTED" and Decimal(refused["amount"]) == 0
    # The reports' totals reconcile with the ledger.
    report = (
        await admin.ok(
            "{ mutualAidReport(planYear: 2027) { rows { collected claimsPaid paid averagePayout "
            "averageDaysToPayment lossRatio } districts { collected ledgerCollected paid "
            "ledgerPaid lossRatio reconciles } claims { kind state claims amount } } }"
        )
    )["mutualAidReport"]
    [row] = report["rows"]
    assert (row["claimsPaid"], row["paid"], row["averagePayout"]) == (3, "21500.00", "7166.67")
    assert row["averageDaysToPayment"] == 0.0 and row["lossRatio"] == "10.7500"
    [district] = report["districts"]
    assert district == {
        "collected": "2000.00",
        "ledgerCollected": "2000.00",
        "paid": "22000.00",
        "ledgerPaid": "22000.00",
        "lossRatio": "10.7500",
        "reconciles": True,
    }
    figures = {(c["kind"], c["state"]): (c["claims"], c["amount"]) for c in report["claims"]}
    assert figures[("HOSPITAL", "PAID")] == (2, "1500.00")
    assert figures[("CONDOLENCE", "REJECTED")][0] == 1
