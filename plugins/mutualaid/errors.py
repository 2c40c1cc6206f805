"""The program's error codes (zh/en) and actions. ``plugin.py`` registers ``ERROR_CODES`` and
``ACTIONS``: each part of the program appends its own to these lists (one hook per plugin)."""

from unionaid.core import ActionSpec, ErrorCode

# --- plans and enrolment (ma) ---------------------------------------------------------------
ENROLMENT_CLOSED = ErrorCode(
    "MUTUALAID_ENROLMENT_CLOSED",
    "不在报名期内（{since} 至 {until}）",
    "Outside the enrolment window ({since} to {until})",
)
TOO_MANY_SHARES = ErrorCode(
    "MUTUALAID_SHARES_OUT_OF_RANGE",
    "份数应为 1 至 {max} 份",
    "Shares must be between 1 and {max}",
)
SHARES_DIFFER_IN_UNIT = ErrorCode(
    "MUTUALAID_SHARES_DIFFER_IN_UNIT",
    "同一单位的职工须参加相同份数（本单位为 {shares} 份）",
    "Everyone in a unit joins with the same number of shares (this unit: {shares})",
)
BELOW_UNIT_MINIMUM = ErrorCode(
    "MUTUALAID_BELOW_UNIT_MINIMUM",
    "集体参保人数不足：须至少 {needed} 人（本单位职工 {staff} 人），现为 {enrolled} 人",
    "Too few of the unit's staff join: at least {needed} of {staff} are needed, "
    "{enrolled} would be enrolled",
)
NOT_EMPLOYEE = ErrorCode(
    "MUTUALAID_NOT_EMPLOYEE",
    "该会员不是本单位职工",
    "The member is not an employee of this enterprise",
)

ERROR_CODES: list[ErrorCode] = [
    ENROLMENT_CLOSED,
    TOO_MANY_SHARES,
    SHARES_DIFFER_IN_UNIT,
    BELOW_UNIT_MINIMUM,
    NOT_EMPLOYEE,
]

ENROL = "mutualaid.enrol"
PUBLISH_PLAN = "mutualaid.publish_plan"

ACTIONS: list[ActionSpec] = [
    ActionSpec(
        ENROL,
        "办理互助保障参保（含单位集体参保）",
        "Enrol members in a mutual-aid plan (enterprises: their own staff)",
        roles=("district_admin", "caseworker", "enterprise"),
    ),
    ActionSpec(
        PUBLISH_PLAN,
        "发布和修订互助保障计划",
        "Publish and revise mutual-aid plans",
        roles=("district_admin",),
    ),
]
# --- claims and condolences (mc) --------------------------------------------------------------
YEARLY_CAP_REACHED = ErrorCode(
    "MUTUALAID_YEARLY_CAP_REACHED",
    "超过计划年度给付上限 {cap} 元：本年度已支付 {paid} 元",
    "Above the plan-year cap of {cap}: {paid} already paid this plan year",
)
PLAN_CLAIM_PENDING = ErrorCode(
    "MUTUALAID_PLAN_CLAIM_PENDING",
    "本区规定理赔给付时不发慰问金：请先核定该次住院的理赔",
    "This district pays no condolence for a stay a claim pays: assess the stay's claim first",
)
ERROR_CODES += [YEARLY_CAP_REACHED, PLAN_CLAIM_PENDING]
HANDLE_CLAIMS = "mutualaid.handle_claims"
ACTIONS.append(
    ActionSpec(
        HANDLE_CLAIMS,
        "受理和核定互助保障理赔与住院慰问",
        "Submit and assess mutual-aid claims and hospital condolences",
        # Staff only: an enterprise contact never handles a diagnosis.
        roles=("district_admin", "caseworker"),
    )
)
