"""City defaults of 职工互助保障 (PROGRAMS.md, program 3). The article gives no amounts: the
figures below are chosen from published rules of other unions (PRACTICE.md, "Mutual-aid
protection"), and every one is a district setting (city default, district override, versioned).

Sections: ``# --- plans and enrolment (ma)`` and ``# --- claims and condolences (mc)``. A plan
copies the plan-level figures when it is published (its own versioned parameters); the
enrolment rules below are read when an enrolment is made or cancelled."""

from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from unionaid.core import Yuan


class MutualAidSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # --- plans and enrolment (ma) ---------------------------------------------------------
    plan_term_months: int = Field(12, ge=1, le=36)  # one-year plan (PRACTICE: "usually one year")
    # Price of one share (份): Beijing 2011 hospital allowance 60 元 a year, Hangzhou 2018
    # critical illness + hospital allowance 60 元; we take the national tier of 50 元.
    plan_contribution: Yuan = Decimal("50.00")
    # Shanghai: "up to 3 shares, the same for the whole unit".
    max_shares: int = Field(3, ge=1, le=20)
    same_shares_in_unit: bool = True
    # Minimum share of a unit's staff in a collective enrolment: ≥ 50 % nationally (Guangdong
    # 60 %, Shanghai 75 %); with at least this many people (Guangdong: 10; 1 keeps small units in).
    collective_min_ratio: Decimal = Field(Decimal("0.50"), ge=0, le=1)
    collective_min_people: int = Field(1, ge=1)
    # Cooling-off (犹豫期): cancelled within it, the contribution is refunded; later, not.
    cooling_off_days: int = Field(15, ge=0, le=365)
    refund_after_cooling_off: bool = False
    # Illness waiting period (等待期) of a new plan; accidents are covered from the first day.
    illness_waiting_days: int = Field(90, ge=0, le=365)
    # Coverage parameters a new plan starts from (per share; mc's assessment reads them).
    hospitalisation_daily: Yuan = Decimal("50.00")  # Beijing 2011: 40 元 a day
    critical_illness_amount: Yuan = Decimal("10000.00")  # Zhenjiang 8,000; Hangzhou 15,000
    accident_amount: Yuan = Decimal("5000.00")  # Shanghai: 5,000 元 a share
    # 工会会员住院慰问金: free for every union member, no enrolment
    member_hospital_condolence: Yuan = Decimal("500.00")

    # --- claims and condolences (mc) ------------------------------------------------------
    # A plan's coverage parameters win; these fill what a plan does not say (amounts per share).
    # Hospital: a daily allowance (Beijing 2011: 40 元 a day) or a reimbursement of the
    # out-of-pocket above a deductible (Xi'an 2014: 300 元 deductible, 60 %).
    claim_hospital_mode: Literal["daily", "reimburse"] = "daily"
    claim_hospital_deductible: Yuan = Decimal("300.00")
    claim_hospital_ratio: Decimal = Field(Decimal("0.60"), ge=0, le=1)
    claim_hospital_cap_per_stay: Yuan = Decimal("3000.00")
    # Per plan year, across all the member's claims (Hangzhou 2018: 15,000 元).
    claim_yearly_cap: Yuan = Decimal("15000.00")
    # The configurable list of critical-illness diagnosis categories (Suzhou: 17 diseases).
    claim_critical_categories: Annotated[
        list[Annotated[str, Field(min_length=1, max_length=50, pattern=r"\S")]], Field(min_length=1)
    ] = [
        "恶性肿瘤",
        "急性心肌梗塞",
        "脑中风后遗症",
        "重大器官移植术或造血干细胞移植术",
        "冠状动脉搭桥术",
        "终末期肾病",
        "多个肢体缺失",
        "急性或亚急性重症肝炎",
        "良性脑肿瘤",
        "慢性肝功能衰竭失代偿期",
        "脑炎后遗症或脑膜炎后遗症",
        "深度昏迷",
        "双耳失聪",
        "双目失明",
        "瘫痪",
        "心脏瓣膜手术",
        "严重阿尔茨海默病",
    ]
    # Disability grade 1 (worst) to 10 as a share of accident_amount (the usual 100 % to 10 %).
    claim_accident_grade_ratios: Annotated[
        dict[Annotated[int, Field(ge=1, le=10)], Annotated[Decimal, Field(ge=0, le=1)]],
        Field(min_length=1),
    ] = {g: Decimal(11 - g) / 10 for g in range(1, 11)}
    claim_accident_medical_ratio: Decimal = Field(Decimal("0.80"), ge=0, le=1)
    claim_accident_medical_cap: Yuan = Decimal("1000.00")
    # The condolence (amount: member_hospital_condolence above). Guangzhou 2015 and Huangpu 2024
    # ask a stay of 3 days or more; Huangpu pays once a calendar year (0: no limit).
    condolence_min_days: int = Field(3, ge=0, le=365)
    condolence_per_year: int = Field(1, ge=0, le=12)
    # Stacking: "both" (default) pays a condolence and a plan claim for one stay; "no_claim"
    # pays the condolence only when no plan claim pays for the stay.
    condolence_stacking: Literal["both", "no_claim"] = "both"
