"""Mutual-aid claims and condolences through GraphQL: submitted by a caseworker, assessed with
a trace, approved by someone else (two above the district's threshold), paid once from the
plan's fund; stays never claimed twice; health data hidden from enterprises and read with a
purpose; other districts see nothing, districts without the program are told so."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import ACTOR, NOW, id_number, uscc
from unionaid.core.models import WorkflowStep
from unionaid.plugins.mutualaid.models import Enrolment, Plan, PlanVersion

HUISHAN, BINHU, LIANGXI = "320206", "320211", "320213"
ENABLE = """mutation($d: String!) { enableProgram(input: {programId: "mutualaid",
  districtCode: $d}) { userErrors { code } } }"""
MEMBER = "mutation($i: CreateMemberInput!) { createMember(input: $i) { member { id } } }"
FIELDS = """id kind status version amount planVersion yearDiagnosis: diagnosisCategory hospital
  rejectReason trace { passed zh en }"""
SUBMIT = f"""mutation($i: SubmitMutualAidClaimInput!) {{ submitMutualAidClaim(input: $i) {{
  claim {{ {FIELDS} }} userErrors {{ field code message }} }} }}"""
ASSESS = f"""mutation($c: ID!) {{ assessMutualAidClaim(input: {{claimId: $c}}) {{
  claim {{ {FIELDS} }} userErrors {{ field code }} }} }}"""
APPROVE = f"""mutation($c: ID!) {{ approveMutualAidClaim(input: {{claimId: $c}}) {{
  claim {{ {FIELDS} }} userErrors {{ field code }} }} }}"""
REJECT = f"""mutation($c: ID!, $r: String!) {{ rejectMutualAidClaim(input: {{claimId: $c,
  reason: $r}}) {{ claim {{ {FIELDS} }} userErrors {{ field code }} }} }}"""
PAY = f"""mutation($c: ID!, $k: String!) {{ payMutualAidClaim(input: {{claimId: $c,
  idempotencyKey: $k}}) {{ claim {{ {FIELDS} }} userErrors {{ field code }} }} }}"""
LIST = """query($d: String) { mutualAidClaims(districtCode: $d) { totalCount edges { node {
  id kind status amount diagnosisCategory hospital trace { zh } } } } }"""
FUND = """query($f: ID!) { node(id: $f) { ... on Fund { balance } } }"""


async def _plan(district: str, fund_pk: int, coverages: dict) -> Plan:
    plan = await Plan.create(
        plan_year=2026,
        scope=district,
        district_code=district,
        name="2026 年度职工互助保障",
        fund_id=fund_pk,
        version=1,
        published_by="test",
    )
    await PlanVersion.create(
        plan=plan,
        version=1,
        effective_from=dt.date(2025, 12, 1),
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
        enrol_from=dt.date(2025, 12, 1),
        enrol_until=dt.date(2025, 12, 31),
        share_price=Decimal("50.00"),
        illness_waiting_days=90,
        coverages=coverages,
        created_by="test",
    )
    return plan


COVERAGES = {
    "hospital": {"mode": "daily", "daily_amount": "50.00", "cap_per_stay": "3000.00"},
    "critical_illness": {"amount": "10000.00"},
    "accident": {"death": "5000.00"},
    "yearly_cap": "15000.00",
}


async def _enrol(member_gid: str, plan: Plan, shares: int = 2) -> None:
    from unionaid.core import pk_of

    pk = pk_of(member_gid, "Member")
    await Enrolment.create(
        plan=plan,
        member_id=pk,
        plan_year=2026,
        district_code=plan.district_code,
        shares=shares,
        amount=Decimal("50.00") * shares,
        channel="caseworker",
        payer="member",
        once_key=f"{pk}:2026",
        enrolled_on=dt.date(2025, 12, 10),
        cover_from=dt.date(2026, 1, 1),
        enrolled_by=ACTOR.username,
    )


@pytest.fixture
async def world(gql, login_as, app):
    city = gql
    for code in (HUISHAN, BINHU):
        assert (await city.ok(ENABLE, {"d": code}))["enableProgram"]["userErrors"] == []
    firm = await city.ok(
        """mutation($i: CreateEnterpriseInput!) { createEnterprise(input: $i) {
          enterprise { id uscc } userErrors { code } } }""",
        {"i": {"name": "惠山机械厂", "uscc": uscc(), "districtCode": HUISHAN}},
    )
    enterprise = firm["createEnterprise"]["enterprise"]
    fund = await city.ok(
        'mutation { createFund(input: {code: "HS-MA", name: "惠山互助保障", '
        'districtCode: "320206"}) { fund { id } } }'
    )
    fund_id = fund["createFund"]["fund"]["id"]
    await city.ok(
        'mutation($f: ID!) { contributeToFund(input: {fundId: $f, amount: "100000.00"}) '
        "{ userErrors { code } } }",
        {"f": fund_id},
    )
    from unionaid.core import pk_of

    plan = await _plan(HUISHAN, pk_of(fund_id, "Fund"), COVERAGES)
    members = {}
    for n, (name, code, firm_id) in enumerate(
        (
            ("住院甲", HUISHAN, enterprise["id"]),
            ("未参保乙", HUISHAN, None),
            ("滨湖丙", BINHU, None),
            ("梁溪丁", LIANGXI, None),
        )
    ):
        made = await city.ok(
            MEMBER,
            {
                "i": {
                    "name": name,
                    "idNumber": id_number(dt.date(1975, 1, 1 + n)),
                    "districtCode": code,
                    **({"enterpriseId": firm_id} if firm_id else {}),
                }
            },
        )
        members[name] = made["createMember"]["member"]["id"]
    await _enrol(members["住院甲"], plan)
    people = {
        "caseworker": await login_as("caseworker", (HUISHAN,)),
        "assessor": await login_as("caseworker", (HUISHAN,)),
        "approver": await login_as("approver", (HUISHAN,)),
        "approver2": await login_as("approver", (HUISHAN,)),
        "admin": await login_as("district_admin", (HUISHAN,)),
        "binhu": await login_as("caseworker", (BINHU,)),
        "liangxi": await login_as("caseworker", (LIANGXI,)),
        "contact": await login_as("enterprise", (), enterprise["uscc"]),
    }
    return city, people, members, fund_id


def stay(member: str, admitted="2026-06-01", discharged="2026-06-11", **more) -> dict:
    return {
        "i": {
            "memberId": member,
            "kind": "HOSPITAL",
            "hospital": "无锡市人民医院",
            "admittedOn": admitted,
            "dischargedOn": discharged,
            "outOfPocket": "4000.00",
            "details": "肺炎，住院输液治疗",
            **more,
        }
    }


async def _submit(who, variables) -> dict:
    done = (await who.ok(SUBMIT, variables))["submitMutualAidClaim"]
    assert done["userErrors"] == [], done
    return done["claim"]


async def test_a_hospital_claim_is_submitted_assessed_approved_by_another_and_paid_once(world):
    city, p, members, fund_id = world
    claim = await _submit(p["caseworker"], stay(members["住院甲"]))
    assert claim["status"] == "SUBMITTED" and claim["amount"] is None
    assessed = (await city.ok(ASSESS, {"c": claim["id"]}))["assessMutualAidClaim"]
    c = assessed["claim"]
    assert c["status"] == "ASSESSED" and c["amount"] == "1000.00" and c["planVersion"] == 1
    lines = [line["zh"] for line in c["trace"]]
    assert "住院 10 天 × 每天 50.00 元 × 2 份 = 1,000.00 元" in lines
    assert any("第 1 版" in line for line in lines)
    # the assessor (a city administrator, who may approve) never approves it; a caseworker
    # may not approve at all
    refused = (await city.ok(APPROVE, {"c": claim["id"]}))["approveMutualAidClaim"]
    assert refused["userErrors"][0]["code"] == "MAKER_CANNOT_CHECK"
    forbidden = await p["caseworker"](APPROVE, {"c": claim["id"]})
    assert forbidden["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    approved = (await p["approver"].ok(APPROVE, {"c": claim["id"]}))["approveMutualAidClaim"]
    assert approved["userErrors"] == [] and approved["claim"]["status"] == "APPROVED"
    before = (await city.ok(FUND, {"f": fund_id}))["node"]["balance"]
    paid = (await p["admin"].ok(PAY, {"c": claim["id"], "k": "pay-1"}))["payMutualAidClaim"]
    assert paid["userErrors"] == [] and paid["claim"]["status"] == "PAID"
    again = (await p["admin"].ok(PAY, {"c": claim["id"], "k": "pay-1"}))["payMutualAidClaim"]
    assert again["userErrors"] == [] and again["claim"]["status"] == "PAID"
    other = (await p["admin"].ok(PAY, {"c": claim["id"], "k": "pay-2"}))["payMutualAidClaim"]
    assert other["userErrors"] and other["userErrors"][0]["code"] == "INVALID_STATE"
    after = (await city.ok(FUND, {"f": fund_id}))["node"]["balance"]
    assert Decimal(before) - Decimal(after) == Decimal("1000.00")


async def test_a_claim_is_not_paid_under_a_blank_idempotency_key(world):
    city, p, members, fund_id = world
    claim = await _submit(p["caseworker"], stay(members["住院甲"]))
    await city.ok(ASSESS, {"c": claim["id"]})
    await p["approver"].ok(APPROVE, {"c": claim["id"]})
    before = (await city.ok(FUND, {"f": fund_id}))["node"]["balance"]
    blank = (await p["admin"].ok(PAY, {"c": claim["id"], "k": "  "}))["payMutualAidClaim"]
    assert blank == {"claim": None, "userErrors": [{"field": "idempotencyKey", "code": "REQUIRED"}]}
    assert (await city.ok(FUND, {"f": fund_id}))["node"]["balance"] == before
    paid = (await p["admin"].ok(PAY, {"c": claim["id"], "k": "pay-1"}))["payMutualAidClaim"]
    assert paid["userErrors"] == [] and paid["claim"]["status"] == "PAID"


async def test_above_the_districts_threshold_a_claim_needs_two_approvers(world):
    city, p, members, _fund = world
    await city.ok(
        'mutation { setDistrictPolicy(input: {districtCode: "320206", '
        'secondApprovalAbove: "500.00"}) { userErrors { code } } }'
    )
    claim = await _submit(p["caseworker"], stay(members["住院甲"]))
    await p["caseworker"].ok(ASSESS, {"c": claim["id"]})
    first = (await p["approver"].ok(APPROVE, {"c": claim["id"]}))["approveMutualAidClaim"]
    assert first["userErrors"] == [] and first["claim"]["status"] == "ASSESSED"
    twice = (await p["approver"].ok(APPROVE, {"c": claim["id"]}))["approveMutualAidClaim"]
    assert twice["userErrors"][0]["code"] == "DUPLICATE"
    second = (await p["approver2"].ok(APPROVE, {"c": claim["id"]}))["approveMutualAidClaim"]
    assert second["userErrors"] == [] and second["claim"]["status"] == "APPROVED"


async def test_a_stay_is_claimed_once_and_never_overlaps_another(world):
    _city, p, members, _fund = world
    await _submit(p["caseworker"], stay(members["住院甲"]))
    for variables in (
        stay(members["住院甲"]),  # the same stay
        stay(members["住院甲"], "2026-06-05", "2026-06-20", hospital="江南大学附属医院"),
    ):
        done = (await p["caseworker"].ok(SUBMIT, variables))["submitMutualAidClaim"]
        assert done["userErrors"][0]["code"] == "DUPLICATE", done
    # a later stay is another stay
    await _submit(p["caseworker"], stay(members["住院甲"], "2026-07-01", "2026-07-03"))


async def test_not_enrolled_or_in_the_waiting_period_is_rejected_with_the_trace(world):
    _city, p, members, _fund = world
    for member, admitted, discharged, why in (
        (members["未参保乙"], "2026-06-01", "2026-06-05", "未参加"),
        (members["住院甲"], "2026-02-01", "2026-02-05", "等待期"),
    ):
        claim = await _submit(p["caseworker"], stay(member, admitted, discharged))
        done = (await p["caseworker"].ok(ASSESS, {"c": claim["id"]}))["assessMutualAidClaim"]
        c = done["claim"]
        assert c["status"] == "REJECTED" and Decimal(c["amount"]) == 0
        assert why in c["rejectReason"] and why in c["trace"][-1]["zh"]


async def test_critical_illness_once_a_plan_year_from_the_configured_list(world):
    _city, p, members, _fund = world
    ill = {
        "i": {
            "memberId": members["住院甲"],
            "kind": "CRITICAL_ILLNESS",
            "diagnosisCategory": "恶性肿瘤",
            "diagnosedOn": "2026-08-01",
        }
    }
    claim = await _submit(p["caseworker"], ill)
    c = (await p["caseworker"].ok(ASSESS, {"c": claim["id"]}))["assessMutualAidClaim"]["claim"]
    assert c["amount"] == "20000.00"  # 10000 a share × 2 shares, within 15000 × 2 a year
    bad = dict(ill["i"], diagnosisCategory="痛风", diagnosedOn="2026-08-02")
    refused = (await p["caseworker"].ok(SUBMIT, {"i": bad}))["submitMutualAidClaim"]
    assert refused["userErrors"][0]["code"] == "INVALID_INPUT"
    second = await _submit(p["caseworker"], {"i": dict(ill["i"], diagnosedOn="2026-09-01")})
    done = (await p["caseworker"].ok(ASSESS, {"c": second["id"]}))["assessMutualAidClaim"]
    assert done["claim"]["status"] == "REJECTED"
    assert "已给付过重大疾病" in done["claim"]["trace"][-1]["zh"]


async def test_enterprise_contact_sees_no_diagnosis_other_district_nothing(world):
    _city, p, members, _fund = world
    ill = {
        "i": {
            "memberId": members["住院甲"],
            "kind": "CRITICAL_ILLNESS",
            "diagnosisCategory": "恶性肿瘤",
            "diagnosedOn": "2026-08-01",
        }
    }
    claim = await _submit(p["caseworker"], ill)
    await p["caseworker"].ok(ASSESS, {"c": claim["id"]})
    seen = (await p["contact"].ok(LIST, {}))["mutualAidClaims"]
    node = seen["edges"][0]["node"]
    assert seen["totalCount"] == 1 and node["amount"] is not None
    assert node["diagnosisCategory"] is None and node["trace"] is None
    approver = (await p["approver"].ok(LIST, {}))["mutualAidClaims"]["edges"][0]["node"]
    assert approver["diagnosisCategory"] == "恶性肿瘤" and approver["trace"]
    # another district: nothing listed, the claim NOT_FOUND, its member NOT_FOUND
    assert (await p["binhu"].ok(LIST, {}))["mutualAidClaims"]["totalCount"] == 0
    one = await p["binhu"]("query($c: ID!) { mutualAidClaim(id: $c) { id } }", {"c": claim["id"]})
    assert one["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    move = (await p["binhu"].ok(ASSESS, {"c": claim["id"]}))["assessMutualAidClaim"]
    assert move["userErrors"][0]["code"] == "NOT_FOUND"
    sub = (await p["binhu"].ok(SUBMIT, stay(members["住院甲"])))["submitMutualAidClaim"]
    assert sub["userErrors"][0]["code"] == "NOT_FOUND"
    # an enterprise contact never handles a claim (nor types a diagnosis)
    theirs = await p["contact"](SUBMIT, stay(members["住院甲"]))
    assert theirs["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # a district without the program
    off = await p["liangxi"](LIST, {"d": LIANGXI})
    assert off["errors"][0]["extensions"]["code"] == "PROGRAM_NOT_ENABLED"
    sub = (await p["liangxi"].ok(SUBMIT, stay(members["梁溪丁"])))["submitMutualAidClaim"]
    assert sub["userErrors"][0]["code"] == "PROGRAM_NOT_ENABLED"


CONFIGURE = """mutation($s: JSON!) { configureProgram(input: {programId: "mutualaid",
  districtCode: "320206", settings: $s, validFrom: "2026-01-01"}) {
  userErrors { code message } } }"""


def condolence(member: str, admitted="2026-06-01", discharged="2026-06-11", **more) -> dict:
    return {"i": dict(stay(member, admitted, discharged)["i"], kind="CONDOLENCE", **more)}


async def _assess(who, claim_id) -> dict:
    done = (await who.ok(ASSESS, {"c": claim_id}))["assessMutualAidClaim"]
    assert done["userErrors"] == [], done
    return done["claim"]


async def test_condolence_for_every_member_once_a_stay_with_a_minimum_and_yearly_count(world):
    _city, p, members, _fund = world
    cw = p["caseworker"]
    # both pay for one stay (the default stacking), enrolled or not
    claim = await _submit(cw, stay(members["住院甲"]))
    assert (await _assess(cw, claim["id"]))["amount"] == "1000.00"
    mine = await _submit(cw, condolence(members["住院甲"]))
    assert (await _assess(cw, mine["id"]))["amount"] == "500.00"
    again = (await cw.ok(SUBMIT, condolence(members["住院甲"])))["submitMutualAidClaim"]
    assert again["userErrors"][0]["code"] == "DUPLICATE"  # never two condolences for a stay
    theirs = await _submit(cw, condolence(members["未参保乙"]))
    paid = await _assess(cw, theirs["id"])
    assert paid["status"] == "ASSESSED" and paid["amount"] == "500.00"
    # once a calendar year (the default), and stays of 3 days or more
    later = await _submit(cw, condolence(members["未参保乙"], "2026-09-01", "2026-09-10"))
    refused = await _assess(cw, later["id"])
    assert refused["status"] == "REJECTED" and "每年最多 1 次" in refused["trace"][-1]["zh"]
    short = await _submit(cw, condolence(members["住院甲"], "2026-10-01", "2026-10-02"))
    assert "不足最短 3 天" in (await _assess(cw, short["id"]))["trace"][-1]["zh"]


async def test_condolence_only_when_no_claim_pays_when_the_district_says_so(world):
    _city, p, members, _fund = world
    cw = p["caseworker"]
    done = await p["admin"].ok(CONFIGURE, {"s": {"condolence_stacking": "no_claim"}})
    assert done["configureProgram"]["userErrors"] == []
    claim = await _submit(cw, stay(members["住院甲"]))
    mine = await _submit(cw, condolence(members["住院甲"]))
    early = (await cw.ok(ASSESS, {"c": mine["id"]}))["assessMutualAidClaim"]
    assert early["userErrors"][0]["code"] == "MUTUALAID_PLAN_CLAIM_PENDING"
    assert (await _assess(cw, claim["id"]))["amount"] == "1000.00"
    refused = await _assess(cw, mine["id"])
    assert refused["status"] == "REJECTED"
    assert refused["trace"][-1]["en"] == "district rule: no condolence for a stay a plan claim pays"
    # a member no claim pays for receives it
    theirs = await _submit(cw, condolence(members["未参保乙"]))
    assert (await _assess(cw, theirs["id"]))["amount"] == "500.00"


DETAILS = """query($c: ID!, $p: String!) { mutualAidClaim(id: $c) { details(purpose: $p) } }"""
PERSONAL = """mutation($i: PersonalDataInput!) { %s(input: $i) { %s userErrors { code } } }"""


async def test_health_details_are_read_with_a_purpose_logged_exported_and_erased(world):
    from unionaid.core import pk_of
    from unionaid.core.models import AuditEntry

    city, p, members, _fund = world
    claim = await _submit(p["caseworker"], stay(members["住院甲"]))
    await _assess(p["caseworker"], claim["id"])
    from unionaid.plugins.mutualaid.claim_models import Claim

    stored = (await Claim.get(id=pk_of(claim["id"], "MutualAidClaim"))).details
    assert stored.startswith("v2:") and "肺炎" not in stored  # sealed with the vault at rest
    read = await p["caseworker"].ok(DETAILS, {"c": claim["id"], "p": "核对住院理赔材料"})
    assert read["mutualAidClaim"]["details"] == "肺炎，住院输液治疗"
    logged = await AuditEntry.filter(operation="revealClaimDetails").order_by("id")
    assert [(e.outcome, e.purpose, e.username) for e in logged] == [
        ("ok", "核对住院理赔材料", logged[0].username)
    ]
    for who, purpose in ((p["approver"], "审批"), (p["caseworker"], " ")):
        refused = await who(DETAILS, {"c": claim["id"], "p": purpose})
        assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert await AuditEntry.filter(operation="revealClaimDetails", outcome="refused").count() == 2
    # never in clear in an audit diff
    for entry in await AuditEntry.filter(object_type="MutualAidClaim"):
        assert "肺炎" not in str(entry.changes)
    args = {"i": {"memberId": members["住院甲"], "reason": "本人申请"}}
    data = (await city.ok(PERSONAL % ("exportPersonalData", "data"), args))["exportPersonalData"]
    exported = data["data"]["programs"]["mutualaid"]["claims"][0]
    assert exported["details"] == "肺炎，住院输液治疗" and exported["stay"]["hospital"]
    await city.ok(PERSONAL % ("anonymiseMember", "member { id }"), args)
    after = (await city.ok(LIST, {}))["mutualAidClaims"]["edges"][0]["node"]
    assert after["amount"] == "1000.00" and after["hospital"] == "已匿名"
    assert after["trace"] is None
    gone = await city.ok(DETAILS, {"c": claim["id"], "p": "核对"})
    assert gone["mutualAidClaim"]["details"] is None


PAGE = """query($n: Int!) { mutualAidClaims(first: $n) { totalCount edges { node {
  id kind status amount hospital admittedOn trace { zh } member { name }
  history { transition fromState toState actor } } } } }"""


async def test_a_page_of_claims_costs_the_same_for_2_and_8(world, sql_counter):
    _city, p, members, _fund = world
    cw = p["caseworker"]
    for month in range(1, 9):
        dates = (f"2026-{month:02d}-01", f"2026-{month:02d}-05")
        claim = await _submit(cw, stay(members["住院甲" if month % 2 else "未参保乙"], *dates))
        await _assess(cw, claim["id"])
    counts = []
    for n in (2, 8):
        sql_counter.count = 0
        page = (await p["approver"].ok(PAGE, {"n": n}))["mutualAidClaims"]
        assert len(page["edges"]) == n and page["totalCount"] == 8
        assert all(e["node"]["member"]["name"] for e in page["edges"])
        moves = [[h["transition"] for h in e["node"]["history"]] for e in page["edges"]]
        assert all(m[0] == "submit" and m[1] in ("assess", "decline") for m in moves), moves
        counts.append(sql_counter.count)
    assert counts[0] == counts[1], counts


async def test_a_claim_is_a_node_in_its_district_only(world):
    _city, p, members, _fund = world
    claim = await _submit(p["caseworker"], stay(members["住院甲"]))
    query = "query($c: ID!) { node(id: $c) { ... on MutualAidClaim { id kind hospital } } }"
    mine = (await p["approver"].ok(query, {"c": claim["id"]}))["node"]
    assert mine == {"id": claim["id"], "kind": "HOSPITAL", "hospital": "无锡市人民医院"}
    for who in ("binhu", "contact"):  # another district; an enterprise contact (no diagnosis)
        refused = await p[who](query, {"c": claim["id"]})
        assert refused["errors"][0]["extensions"]["code"] == "NOT_FOUND", who


REVERSE = """mutation($e: ID!) { reverseEntitlement(input: {entitlementId: $e, reason: "账号错误",
  idempotencyKey: "rev-1"}) { userErrors { code } } }"""


async def test_a_reversed_payment_rejects_the_claim_with_its_reason(world):
    from unionaid.core import to_global_id
    from unionaid.plugins.mutualaid.claim_models import Claim

    city, p, members, _fund = world
    claim = await _submit(p["caseworker"], stay(members["住院甲"]))
    await _assess(p["caseworker"], claim["id"])
    await p["approver"].ok(APPROVE, {"c": claim["id"]})
    await p["admin"].ok(PAY, {"c": claim["id"], "k": "pay-1"})
    row = await Claim.get(status="paid")
    done = await p["admin"].ok(REVERSE, {"e": to_global_id("Entitlement", row.payment_id)})
    assert done["reverseEntitlement"]["userErrors"] == []
    after = (await city.ok(LIST, {}))["mutualAidClaims"]["edges"][0]["node"]
    assert after["status"] == "REJECTED"
    reversed_ = await Claim.get(id=row.id)
    assert reversed_.reject_reason == "支付已冲正：账号错误" and reversed_.paid_on is None
    # every step, the reversal's too (taken in the hook), carries the request's clock
    steps = await WorkflowStep.filter(record_type="MutualAidClaim", record_id=row.id).order_by("id")
    assert steps[-1].transition == "reverse" and {s.at for s in steps} == {NOW}


async def test_an_accident_claim_pays_by_the_grade_table_from_the_first_day(world):
    _city, p, members, _fund = world
    accident = {
        "i": {
            "memberId": members["住院甲"],
            "kind": "ACCIDENT",
            "accidentOn": "2026-01-05",  # inside the illness waiting period
            "accidentOutcome": "DISABILITY",
            "disabilityGrade": 3,
        }
    }
    claim = await _submit(p["caseworker"], accident)
    assessed = await _assess(p["caseworker"], claim["id"])
    assert assessed["amount"] == "8000.00"  # 5000 a share × 80 % (grade 3) × 2 shares
    assert any("伤残 3 级" in line["zh"] for line in assessed["trace"])
    bad = dict(accident["i"], disabilityGrade=11, accidentOn="2026-01-06")
    refused = (await p["caseworker"].ok(SUBMIT, {"i": bad}))["submitMutualAidClaim"]
    assert refused["userErrors"][0]["field"] == "disabilityGrade"
    # the contact sees the employee's claims but not the history
    seen = (await p["contact"].ok(PAGE, {"n": 5}))["mutualAidClaims"]["edges"][0]["node"]
    assert seen["history"] is None and seen["amount"] == "8000.00"


async def test_paying_past_the_cap_the_claim_was_judged_under_is_refused(world):
    from unionaid.core import pk_of
    from unionaid.core.models import Entitlement
    from unionaid.plugins.mutualaid.claim_models import Claim

    _city, p, members, _fund = world
    ids = []
    for dates in (("2026-06-01", "2026-06-11"), ("2026-07-01", "2026-07-11")):
        claim = await _submit(p["caseworker"], stay(members["住院甲"], *dates))
        await _assess(p["caseworker"], claim["id"])
        await p["approver"].ok(APPROVE, {"c": claim["id"]})
        ids.append(claim["id"])
    # the second was judged under a cap the first, once paid, leaves only 100.00 of
    second = pk_of(ids[1], "MutualAidClaim")
    await Claim.filter(id=second).update(year_cap=Decimal("1100.00"))
    assert (await p["admin"].ok(PAY, {"c": ids[0], "k": "a"}))["payMutualAidClaim"][
        "userErrors"
    ] == []
    refused = (await p["admin"].ok(PAY, {"c": ids[1], "k": "b"}))["payMutualAidClaim"]
    assert refused["userErrors"][0]["code"] == "MUTUALAID_YEARLY_CAP_REACHED"
    row = await Claim.get(id=second)
    assert row.status.value == "approved"
    assert (await Entitlement.get(id=row.payment_id)).status.value == "entitled"
    # nothing of a claim's health data is in its payment's entitlement
    for e in await Entitlement.all():
        assert "无锡市人民医院" not in str(e.facts) + str(e.explanation)
