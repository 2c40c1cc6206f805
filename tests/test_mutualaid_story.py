"""Issue 17's acceptance story through the API alone (GraphQL, and the upload endpoint for the
file): a district enables mutual aid, publishes its 2027 plan, an enterprise contact enrols 20
employees from a file, and the report's totals reconcile with the fund's ledger."""

import datetime as dt

from tests.conftest import GQL
from tests.factories import id_number, uscc

HUISHAN = "320206"
START = """mutation($u: ID!) { startImport(input: {uploadId: $u, kind: MUTUALAID_ENROLMENTS}) {
  job { id } userErrors { field code } } }"""
JOB = "query($id: ID!) { job(id: $id) { status result } }"
FUND_BALANCE = "query($id: ID!) { node(id: $id) { ... on Fund { balance } } }"


def enrolment_file(rows: list[tuple]) -> bytes:
    lines = ["plan_year,id_number,shares"] + [",".join(str(c) for c in r) for r in rows]
    return ("\n".join(lines) + "\n").encode()


async def upload(client, token: str, content: bytes) -> str:
    sent = await client.post(
        "/imports?filename=enrol.csv", content=content, headers={"Authorization": f"Bearer {token}"}
    )
    assert sent.status_code == 201, sent.text
    return sent.json()["uploadId"]


async def test_story_enterprise_enrols_twenty_employees_from_a_file(gql, login_as, client, app):
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
    assert job["status"] == "succeeded", job
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
