"""The payout computation of mutual-aid claims and its trace (pure: no database)."""

import datetime as dt
from decimal import Decimal

from unionaid.plugins.mutualaid.services.assessment import (
    Accident,
    AccidentCover,
    AccidentOutcome,
    CondolenceContext,
    CondolenceTerms,
    Cover,
    CriticalCover,
    CriticalIllness,
    HospitalCover,
    HospitalMode,
    HospitalStay,
    PlanTerms,
    Used,
    assess,
    condolence,
)

D = Decimal
JAN1 = dt.date(2027, 1, 1)


def terms(**changes) -> PlanTerms:
    base = {
        "plan_id": 7,
        "name": "2027 年度职工互助保障",
        "version": 2,
        "starts": JAN1,
        "ends": dt.date(2027, 12, 31),
        "waiting_days": 90,
        "yearly_cap": D("3000.00"),
        "hospital": HospitalCover(
            HospitalMode.DAILY, daily_amount=D("40.00"), cap_per_stay=D("1200.00")
        ),
        "critical": CriticalCover(D("5000.00"), ("恶性肿瘤", "急性心肌梗塞")),
        "accident": AccidentCover(
            death=D("5000.00"),
            grades={1: D("5000.00"), 10: D("500.00")},
            medical_ratio=D("0.8"),
            medical_cap=D("1000.00"),
        ),
    }
    return PlanTerms(**(base | changes))


def stay(days: int, start=dt.date(2027, 5, 1), **kw) -> HospitalStay:
    return HospitalStay(start, start + dt.timedelta(days=days), "无锡市人民医院", **kw)


COVER2 = Cover(shares=2, covered_from=JAN1)


def texts(decision, lang="zh"):
    return [c.zh if lang == "zh" else c.en for c in decision.conditions]


def test_daily_hospital_pays_days_times_daily_times_shares_with_a_bilingual_trace():
    d = assess(terms(), COVER2, stay(10), Used())
    assert d.eligible and d.amount == D("800.00")
    assert "第 2 版" in texts(d)[0] and "version 2" in texts(d, "en")[0]
    assert "住院 10 天 × 每天 40.00 元 × 2 份 = 800.00 元" in texts(d)
    assert "10 day(s) in hospital × 40.00 a day × 2 share(s) = 800.00" in texts(d, "en")
    assert d.settings == {"plan_id": 7, "plan_version": 2, "year_cap": D("6000.00")}
    assert all(c.passed for c in d.conditions)


def test_a_stay_is_capped_per_stay_and_per_plan_year_across_claims():
    d = assess(terms(), COVER2, stay(40), Used())
    assert d.amount == D("2400.00")  # 40 × 40 × 2 = 3200, cap 1200 × 2
    assert any("每次住院上限" in line for line in texts(d))
    d = assess(terms(), COVER2, stay(40), Used(year_total=D("5500.00")))
    assert d.amount == D("500.00")  # the yearly cap 3000 × 2 less 5500 held
    d = assess(terms(), COVER2, stay(40), Used(year_total=D("6000.00")))
    assert not d.eligible and d.amount == 0


def test_reimbursement_pays_the_out_of_pocket_above_the_deductible_times_a_ratio():
    plan = terms(
        hospital=HospitalCover(
            HospitalMode.REIMBURSE, deductible=D("300"), ratio=D("0.6"), cap_per_stay=D("5000")
        )
    )
    d = assess(plan, Cover(1, JAN1), stay(3, out_of_pocket=D("2300.00")), Used())
    assert d.amount == D("1200.00")
    assert "超过起付线 300.00 元的部分 2,000.00 元 × 60% × 1 份" in texts(d)[-2]


def test_not_enrolled_outside_the_term_or_in_the_waiting_period_pays_nothing():
    assert assess(terms(), None, stay(3), Used()).conditions[-1].en == "not enrolled"
    late = assess(terms(), COVER2, stay(3, start=dt.date(2028, 1, 2)), Used())
    assert not late.eligible and "outside the cover" in late.conditions[-1].en
    early = assess(terms(), COVER2, stay(3, start=dt.date(2027, 3, 1)), Used())
    assert not early.eligible and "等待期内" in early.conditions[-1].zh
    # an accident's stay has no waiting period
    assert assess(terms(), COVER2, stay(3, start=dt.date(2027, 3, 1), by_accident=True), Used())[0]


def test_critical_illness_once_per_plan_year_from_the_configured_list():
    ill = CriticalIllness("恶性肿瘤", dt.date(2027, 6, 1))
    assert assess(terms(), COVER2, ill, Used()).amount == D("6000.00")  # 10000, yearly cap 6000
    again = assess(terms(), COVER2, ill, Used(critical_paid=True))
    assert not again.eligible and "已给付过重大疾病" in again.conditions[-1].zh
    other = assess(terms(), COVER2, CriticalIllness("痛风", dt.date(2027, 6, 1)), Used())
    assert not other.eligible and "not on the plan's list" in other.conditions[-1].en


def test_accident_by_grade_table_death_and_medical_expense_from_the_first_day():
    day = dt.date(2027, 1, 2)  # inside the illness waiting period
    one = Cover(1, JAN1)
    assert assess(terms(), one, Accident(day, AccidentOutcome.DISABILITY, 10), Used()).amount == (
        D("500.00")
    )
    assert assess(terms(), one, Accident(day, AccidentOutcome.DEATH), Used()).amount == D("3000")
    medical = Accident(day, AccidentOutcome.MEDICAL, expense=D("2000"))
    assert assess(terms(), one, medical, Used()).amount == D("1000.00")  # 1600 capped at 1000
    unknown = assess(terms(), one, Accident(day, AccidentOutcome.DISABILITY, 5), Used())
    assert not unknown.eligible and "not in the grade table" in unknown.conditions[-1].en


def test_condolence_for_every_union_member_with_minimum_days_yearly_count_and_stacking():
    t = CondolenceTerms(D("300"), min_days=3, per_year=1)
    ok = condolence(t, stay(3), CondolenceContext(True, 0))
    assert ok.eligible and ok.amount == D("300.00")
    assert not condolence(t, stay(2), CondolenceContext(True, 0)).eligible
    assert not condolence(t, stay(5), CondolenceContext(True, 1)).eligible
    assert not condolence(t, stay(5), CondolenceContext(False, 0)).eligible
    # both pay by default; the alternative pays the condolence only when no claim pays
    assert condolence(t, stay(5), CondolenceContext(True, 0, claim_pays=True)).eligible
    strict = CondolenceTerms(D("300"), only_without_claim=True)
    refused = condolence(strict, stay(5), CondolenceContext(True, 0, claim_pays=True))
    assert not refused.eligible and "plan claim pays" in refused.conditions[-1].en


def test_payouts_round_half_up_to_the_fen():
    plan = terms(
        hospital=HospitalCover(HospitalMode.REIMBURSE, ratio=D("0.5"), cap_per_stay=D("9999"))
    )
    d = assess(plan, Cover(1, JAN1), stay(3, out_of_pocket=D("100.01")), Used())
    assert d.amount == D("50.01")  # 50.005 rounds up, never to the even 50.00
