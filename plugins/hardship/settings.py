"""City defaults of the hardship program (困难职工帮扶); districts override them key by key.
Figures from the 2021 campaign (PROGRAMS.md, program 1); the rest are our standards."""

from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from unionaid.core import Yuan

Level = Literal["difficult", "extreme"]  # 困难 / 特困
SchoolLevel = Literal[
    "kindergarten",
    "primary",
    "junior_high",
    "senior_high",
    "secondary_vocational",
    "higher_vocational",
    "undergraduate",
    "vocational",
    "university",
]


class HardshipSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    # 两节送温暖慰问金: ¥3,500 per household
    spring_festival_amount: Yuan = Decimal("3500.00")
    spring_festival_levels: list[Level] = ["extreme"]
    spring_festival_model_workers_in_difficulty: bool = True
    # 每季度生活补贴: the standard was doubled; base and multiplier stay visible
    quarterly_subsidy_base: dict[Level, Yuan] = {
        "difficult": Decimal("300.00"),
        "extreme": Decimal("600.00"),
    }
    quarterly_subsidy_multiplier: Decimal = Field(Decimal("2"), ge=0)
    # 一次性医疗补贴: +50% this year
    medical_subsidy_base: dict[Level, Yuan] = {
        "difficult": Decimal("1000.00"),
        "extreme": Decimal("2000.00"),
    }
    medical_subsidy_uplift: Decimal = Field(Decimal("0.5"), ge=0)
    # 助学: by school level of the household's children
    education_grants: dict[SchoolLevel, Yuan] = {
        "kindergarten": Decimal("1000.00"),
        "primary": Decimal("1500.00"),
        "junior_high": Decimal("2000.00"),
        "senior_high": Decimal("2500.00"),
    }
    # 临时价格补贴: ¥50 per month for 特困 households
    price_subsidy_monthly: Yuan = Decimal("50.00")
    price_subsidy_includes_difficult: bool = False
