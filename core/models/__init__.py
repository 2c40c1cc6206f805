"""The core's Tortoise models (app label ``core``). Plugins have their own apps and may point
foreign keys at these (``"core.Member"``)."""

from unionaid.core.models.access import (
    ApiToken,
    AuditEntry,
    LoginAttempt,
    RateBucket,
    Role,
    User,
    UserDistrict,
)
from unionaid.core.models.campaign import (
    LIVE,
    Approval,
    Campaign,
    CampaignDistrict,
    CampaignMaker,
    CampaignStatus,
    DistrictPolicy,
    Entitlement,
    EntitlementStatus,
    IdempotencyKey,
    SchoolTerm,
)
from unionaid.core.models.district import District
from unionaid.core.models.enterprise import Enterprise
from unionaid.core.models.fund import Fund, LedgerEntry, LedgerKind
from unionaid.core.models.job import Job, JobStatus, Upload
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
from unionaid.core.models.workflow import WorkflowStep

__all__ = [
    "LIVE",
    "ApiToken",
    "Approval",
    "AuditEntry",
    "Campaign",
    "CampaignDistrict",
    "CampaignMaker",
    "CampaignStatus",
    "Dependent",
    "District",
    "DistrictPolicy",
    "EmploymentStatus",
    "Enterprise",
    "Entitlement",
    "EntitlementStatus",
    "Fund",
    "Gender",
    "Household",
    "IdempotencyKey",
    "Job",
    "JobStatus",
    "LedgerEntry",
    "LedgerKind",
    "LoginAttempt",
    "Member",
    "MemberMove",
    "ProgramEnablement",
    "ProgramSettings",
    "RateBucket",
    "Relation",
    "Role",
    "SchoolLevel",
    "SchoolTerm",
    "Upload",
    "User",
    "UserDistrict",
    "WorkflowStep",
]
