"""City defaults of the 4050 job train (PROGRAMS.md, program 4)."""

from pydantic import BaseModel, ConfigDict, Field


class Jobs4050Settings(BaseModel):
    model_config = ConfigDict(extra="forbid")

    women_from_age: int = Field(40, ge=16, le=70)  # "40" of 4050
    men_from_age: int = Field(50, ge=16, le=70)  # "50" of 4050
    include_hardship_households: bool = True
    age_friendly_min_upper_age: int = Field(50, ge=16, le=70)  # a posting open to this age counts
