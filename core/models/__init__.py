"""The core's Tortoise models (app label ``core``). Plugins have their own apps and may point
foreign keys at these (``"core.Member"``)."""

from unionaid.core.models.district import District
from unionaid.core.models.enterprise import Enterprise
from unionaid.core.models.fund import Fund, LedgerEntry, LedgerKind
from unionaid.core.models.member import (
    Dependent,
    EmploymentStatus,
    Gender,
    Household,
    Member,
    MemberMove,
    Relation,
    SchoolLevel,
)
from unionaid.core.models.program import ProgramEnablement, ProgramSettings

__all__ = [
    "Dependent",
    "District",
    "EmploymentStatus",
    "Enterprise",
    "Fund",
    "Gender",
    "Household",
    "LedgerEntry",
    "LedgerKind",
    "Member",
    "MemberMove",
    "ProgramEnablement",
    "ProgramSettings",
    "Relation",
    "SchoolLevel",
]
