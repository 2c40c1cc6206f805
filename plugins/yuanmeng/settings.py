"""City defaults of 关爱·圆梦 work-study (PROGRAMS.md, program 2)."""

from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field

from unionaid.core import Yuan


class YuanmengSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    min_student_age: int = Field(16, ge=14, le=30)  # students from 16 take internships
    min_holiday_pay: Yuan = Decimal("2000.00")
    accept_outstanding_students: bool = True  # 优秀学生 may join too
    accept_partner_universities: bool = False  # Huishan's out-of-province partner students
    partner_universities: list[str] = []
