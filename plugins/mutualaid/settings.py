"""City defaults of 职工互助保障 (PROGRAMS.md, program 3). The article gives no amounts: these are
our standards, and every one is a district setting."""

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from unionaid.core import Yuan


class MutualAidSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    plan_term_months: int = Field(12, ge=1, le=36)  # one-year plan
    plan_contribution: Yuan = Decimal("50.00")
    hospitalisation_daily: Yuan = Decimal("50.00")
    critical_illness_amount: Yuan = Decimal("10000.00")
    accident_amount: Yuan = Decimal("5000.00")
    # 工会会员住院慰问金: free for every union member, no enrolment
    member_hospital_condolence: Yuan = Decimal("500.00")
