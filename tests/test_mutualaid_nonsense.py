"""Mutual aid used as its users would, with nonsense input: every answer is a code, never
INTERNAL_ERROR, and nothing is written. Today is 2026-11-29 (app_clock)."""

import pytest

from tests import test_mutualaid_claims as claim_tests
from tests import test_mutualaid_enrolment as enrolment
from tests.test_mutualaid_enrolment import HUISHAN, PARAMS, PUBLISH, codes
from unionaid.plugins.mutualaid.claim_models import Claim, Stay
from unionaid.plugins.mutualaid.models import Plan, PlanVersion

world = enrolment.world  # the enrolment tests' district, fund, plan and staff


async def _publish(world, year: int, **parameters):
    return await world["admin"](
        PUBLISH,
        {
            "i": {
                "planYear": year,
                "name": "试",
                "fundId": world["fund"],
                "districtCode": HUISHAN,
                "parameters": {**PARAMS, "startsOn": f"{year}-01-01", **parameters},
            }
        },
    )


@pytest.mark.parametrize(
    "coverages",
    [
        [{"coverage": "HOSPITAL", "parameters": [1, 2]}],
        [{"coverage": "HOSPITAL", "parameters": "daily"}],
        [{"coverage": "HOSPITAL", "parameters": {"daily_amount": "abc"}}],
        [{"coverage": "HOSPITAL", "parameters": {"daily_amount": "-5"}}],
        [{"coverage": "HOSPITAL", "parameters": {"daily_amount": "NaN"}}],
        [{"coverage": "HOSPITAL", "parameters": {"daily_amount": "1e309"}}],
        [{"coverage": "HOSPITAL", "parameters": {"daily_amount": "1.234"}}],
        [{"coverage": "HOSPITAL", "parameters": {"daily_amount": 1.5}}],
        [{"coverage": "HOSPITAL", "parameters": {"daily_amount": {"a": 1}}}],
        [{"coverage": "HOSPITAL", "parameters": {"ratio": "5"}}],
        [{"coverage": "HOSPITAL", "parameters": {"mode": "zzz"}}],
        [{"coverage": "HOSPITAL", "parameters": {"dialy_amount": "40"}}],
        [{"coverage": "CRITICAL_ILLNESS", "parameters": {"categories": 5}}],
        [{"coverage": "CRITICAL_ILLNESS", "parameters": {"categories": ["", "恶性肿瘤"]}}],
        [{"coverage": "ACCIDENT", "parameters": {"grade_ratios": "x"}}],
        [{"coverage": "ACCIDENT", "parameters": {"grade_ratios": {"1": "x"}}}],
        [{"coverage": "ACCIDENT", "parameters": {"grade_ratios": {"11": "0.1"}}}],
        [{"coverage": "ACCIDENT", "parameters": {"medical_ratio": "-0.1"}}],
        [{"coverage": "HOSPITAL"}, {"coverage": "HOSPITAL"}],
    ],
)
async def test_nonsense_coverage_parameters_answer_a_code(world, coverages):
    before = await Plan.all().count()
    answer = await _publish(world, 2028, coverages=coverages)
    assert "errors" not in answer, answer
    assert codes(answer["data"]["publishMutualAidPlan"]) == ["INVALID_INPUT"]
    assert await Plan.all().count() == before


async def test_sound_coverage_parameters_are_kept(world):
    answer = await _publish(
        world,
        2028,
        coverages=[
            {"coverage": "HOSPITAL", "parameters": {"mode": "reimburse", "ratio": "0.6"}},
            {"coverage": "ACCIDENT", "parameters": {"death": "8000", "grade_ratios": {"1": 1}}},
        ],
    )
    plan = answer["data"]["publishMutualAidPlan"]
    assert plan["userErrors"] == []
    terms = {c["coverage"]: c["parameters"] for c in plan["plan"]["current"]["coverages"]}
    assert terms["HOSPITAL"]["mode"] == "reimburse" and terms["HOSPITAL"]["ratio"] == "0.6"
    assert terms["ACCIDENT"]["death"] == "8000.00"


@pytest.mark.parametrize(
    ("year", "starts_on"),
    [(2028, "9999-12-31"), (-1, "2027-01-01"), (9999, "2027-01-01"), (2031, "2027-01-01")],
)
async def test_plan_year_and_term_out_of_range_answer_a_code(world, year, starts_on):
    before = await Plan.all().count()
    answer = await world["admin"](
        PUBLISH,
        {
            "i": {
                "planYear": year,
                "name": "试",
                "fundId": world["fund"],
                "districtCode": HUISHAN,
                "parameters": {**PARAMS, "startsOn": starts_on},
            }
        },
    )
    assert "errors" not in answer, answer
    assert codes(answer["data"]["publishMutualAidPlan"]) == ["INVALID_INPUT"]
    assert await Plan.all().count() == before


def test_published_accident_amount_is_what_the_assessment_pays():
    """A plan copies the accident amount when published; the assessment read another key and
    so paid the district's current setting, not the plan's figure."""
    import datetime as dt
    from decimal import Decimal

    from unionaid.plugins.mutualaid.models import PlanVersion
    from unionaid.plugins.mutualaid.services.plans import default_coverages
    from unionaid.plugins.mutualaid.services.terms import plan_terms as claim_plan_terms
    from unionaid.plugins.mutualaid.settings import MutualAidSettings

    published = MutualAidSettings(accident_amount=Decimal("8000.00"))
    later = MutualAidSettings(accident_amount=Decimal("5000.00"))
    day = dt.date(2027, 1, 1)
    plan = Plan(id=1, name="试", plan_year=2027)
    for coverages in (default_coverages(published), {"accident": {"amount": "8000.00"}}):
        version = PlanVersion(
            plan_id=1,
            version=1,
            starts_on=day,
            ends_on=dt.date(2027, 12, 31),
            illness_waiting_days=90,
            coverages=coverages,
        )
        terms = claim_plan_terms(plan, version, later)
        assert terms.accident.death == Decimal("8000.00")
        assert terms.accident.grades[10] == Decimal("800.00")


# -- claims: the claim tests' district (today 2026-11-29, a 2026 plan, 住院甲 enrolled) ---------

claims_world = claim_tests.world


@pytest.mark.parametrize(
    ("facts", "field"),
    [
        (claim_tests.stay("M", "2026-06-01", "9999-12-31")["i"], "dischargedOn"),
        (claim_tests.stay("M", "2026-11-20", "2026-12-05")["i"], "dischargedOn"),
        (
            {
                "kind": "CRITICAL_ILLNESS",
                "diagnosisCategory": "恶性肿瘤",
                "diagnosedOn": "1800-01-01",
            },
            "eventOn",
        ),
        (
            {"kind": "ACCIDENT", "accidentOn": "2026-06-01", "accidentOutcome": "MEDICAL"},
            "accidentExpense",
        ),
    ],
)
async def test_nonsense_claim_facts_answer_a_code_and_write_nothing(claims_world, facts, field):
    _city, p, members, _fund = claims_world
    member = members["住院甲"]
    answer = await p["caseworker"].ok(claim_tests.SUBMIT, {"i": {**facts, "memberId": member}})
    done = answer["submitMutualAidClaim"]
    assert done["claim"] is None and [e["field"] for e in done["userErrors"]] == [field], done
    assert await Claim.all().count() == 0 and await Stay.all().count() == 0


async def test_a_discharge_in_the_future_never_blocks_the_members_later_stays(claims_world):
    _city, p, members, _fund = claims_world
    member = members["住院甲"]
    cw = p["caseworker"]
    await cw.ok(claim_tests.SUBMIT, claim_tests.stay(member, "2026-06-01", "9999-12-31"))
    later = await cw.ok(claim_tests.SUBMIT, claim_tests.stay(member, "2026-08-01", "2026-08-05"))
    assert later["submitMutualAidClaim"]["userErrors"] == []


@pytest.mark.parametrize(
    "values",
    [
        {"claim_accident_grade_ratios": {"0": "0.5"}},
        {"claim_accident_grade_ratios": {"1": "2"}},
        {"claim_accident_grade_ratios": {"11": "0.1"}},
        {"claim_accident_grade_ratios": {"3": "-0.1"}},
        {"claim_critical_categories": []},
        {"claim_critical_categories": ["恶性肿瘤", "  "]},
    ],
)
async def test_nonsense_claim_settings_are_refused(claims_world, values):
    _city, p, _members, _fund = claims_world
    done = await p["admin"].ok(claim_tests.CONFIGURE, {"s": values})
    assert [e["code"] for e in done["configureProgram"]["userErrors"]] == ["INVALID_SETTINGS"]


def _death(member: str, day: str) -> dict:
    return {
        "i": {"memberId": member, "kind": "ACCIDENT", "accidentOn": day, "accidentOutcome": "DEATH"}
    }


async def test_a_member_dies_once_and_nothing_happens_after(claims_world):
    """Two accidental deaths of one member were both paid, and a stay after the death too."""
    _city, p, members, _fund = claims_world
    cw = p["caseworker"]
    member = members["住院甲"]
    first = await cw.ok(claim_tests.SUBMIT, _death(member, "2026-05-01"))
    assert first["submitMutualAidClaim"]["userErrors"] == []
    again = (await cw.ok(claim_tests.SUBMIT, _death(member, "2026-05-02")))["submitMutualAidClaim"]
    assert [e["code"] for e in again["userErrors"]] == ["DUPLICATE"]
    after = await cw.ok(claim_tests.SUBMIT, claim_tests.stay(member, "2026-07-01", "2026-07-05"))
    done = after["submitMutualAidClaim"]
    assert [(e["code"], e["field"]) for e in done["userErrors"]] == [("INVALID_INPUT", "eventOn")]
    assert await Claim.all().count() == 1 and await Stay.all().count() == 0
    # a stay before the death is still claimed
    before = await cw.ok(claim_tests.SUBMIT, claim_tests.stay(member, "2026-04-01", "2026-04-05"))
    assert before["submitMutualAidClaim"]["userErrors"] == []


@pytest.mark.parametrize(
    ("effective_from", "starts_on", "field"),
    [
        ("9999-12-31", "2027-01-01", "effectiveFrom"),  # stuck: every later revision refused
        ("2028-01-01", "2027-01-01", "effectiveFrom"),  # after the term
        ("2027-06-01", "2031-01-01", "planYear"),  # the 2027 plan moved to 2031
    ],
)
async def test_a_revision_stays_in_the_plans_year(world, effective_from, starts_on, field):
    answer = await world["admin"].ok(
        enrolment.REVISE,
        {
            "p": world["plan"]["id"],
            "f": effective_from,
            "x": {**PARAMS, "startsOn": starts_on, "enrolUntil": PARAMS["enrolUntil"]},
        },
    )
    done = answer["reviseMutualAidPlan"]
    assert [(e["code"], e["field"]) for e in done["userErrors"]] == [("INVALID_INPUT", field)]
    assert await PlanVersion.all().count() == 1


async def test_a_rejection_reason_is_erased_with_the_member(claims_world):
    """An approver's reason may name the illness: it was copied into the append-only workflow
    history and the event payment's approval, where anonymiseMember could not reach it."""
    from unionaid.core.models import AuditEntry
    from unionaid.core.models.campaign import Approval
    from unionaid.core.models.workflow import WorkflowStep

    city, p, members, _fund = claims_world
    cw = p["caseworker"]
    member = members["住院甲"]
    claim = (await cw.ok(claim_tests.SUBMIT, claim_tests.stay(member)))["submitMutualAidClaim"]
    await cw.ok(claim_tests.ASSESS, {"c": claim["claim"]["id"]})
    why = "确诊肺癌晚期，住院与申报病种不符"
    done = await p["approver"].ok(claim_tests.REJECT, {"c": claim["claim"]["id"], "r": why})
    assert done["rejectMutualAidClaim"]["claim"]["rejectReason"] == why
    args = {"i": {"memberId": member, "reason": "本人申请"}}
    await city.ok(claim_tests.PERSONAL % ("anonymiseMember", "member { id }"), args)
    assert await WorkflowStep.filter(note__contains="肺癌").count() == 0
    assert await Approval.filter(reason__contains="肺癌").count() == 0
    assert all("肺癌" not in str(e.changes) for e in await AuditEntry.all())
    listed = await city.ok(claim_tests.LIST, {})
    assert "肺癌" not in str(listed)


async def test_an_enterprise_contact_never_sees_a_disability_grade(claims_world):
    """A disability grade is a medical assessment: the contact saw grade and outcome."""
    _city, p, members, _fund = claims_world
    accident = {
        "memberId": members["住院甲"],
        "kind": "ACCIDENT",
        "accidentOn": "2026-05-01",
        "accidentOutcome": "DISABILITY",
        "disabilityGrade": 3,
    }
    await p["caseworker"].ok(claim_tests.SUBMIT, {"i": accident})
    query = "{ mutualAidClaims { edges { node { kind accidentOutcome disabilityGrade } } } }"
    seen = (await p["contact"].ok(query))["mutualAidClaims"]["edges"]
    assert [e["node"] for e in seen] == [
        {"kind": "ACCIDENT", "accidentOutcome": None, "disabilityGrade": None}
    ]
    staff = (await p["caseworker"].ok(query))["mutualAidClaims"]["edges"]
    assert staff[0]["node"]["disabilityGrade"] == 3
