"""City defaults of 职工互助保障 (PROGRAMS.md, program 3). The article gives no amounts: these are
our standards, and every one is a district setting."""

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field


class MutualAidSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    plan_term_months: int = Field(12, ge=1, le=36)  # one-year plan
    plan_contribution: Decimal = Field(Decimal("50.00"), ge=0, decimal_places=2)
    hospitalisation_daily: Decimal = Field(Decimal("50.00"), ge=0, decimal_places=2)
    critical_illness_amount: Decimal = Field(Decimal("10000.00"), ge=0, decimal_places=2)
    accident_amount: Decimal = Field(Decimal("5000.00"), ge=0, decimal_places=2)
    # 工会会员住院慰问金: free for every union member, no enrolment
    member_hospital_condolence: Decimal = Field(Decimal("500.00"), ge=0, decimal_places=2)
