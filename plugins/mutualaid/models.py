"""Plans, their versions, enrolments and contributions (职工互助保障). Claims, stays and
condolences live in ``claim_models.py``."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Coverage(StrEnum):
    HOSPITAL = "hospital"  # 住院津贴
    CRITICAL_ILLNESS = "critical_illness"  # 重大疾病
    ACCIDENT = "accident"  # 意外伤害


class PlanState(StrEnum):
    PUBLISHED = "published"  # open for enrolment in its window, in force for its term
    WITHDRAWN = "withdrawn"  # taken back before anyone enrolled


class EnrolmentState(StrEnum):
    ACTIVE = "active"
    CANCELLED = "cancelled"


class Channel(StrEnum):
    CASEWORKER = "caseworker"  # one member, at the district's counter
    ENTERPRISE = "enterprise"  # collectively, by the enterprise contact for its employees


class Payer(StrEnum):
    MEMBER = "member"
    ENTERPRISE = "enterprise"


class RefundState(StrEnum):
    NONE = "none"  # nothing to refund (active, or cancelled after the cooling-off period)
    DUE = "due"  # waiting for the second person's approval and the payment
    PAID = "paid"


class ContributionKind(StrEnum):
    CONTRIBUTION = "contribution"
    REFUND = "refund"


class Plan(Model):
    """A plan per plan year and scope (the city, or one district). Its parameters live in
    versions (:class:`PlanVersion`); ``version`` is the newest."""

    id = fields.IntField(primary_key=True)
    plan_year = fields.IntField()
    scope = fields.CharField(max_length=6)  # "city" or a district code (unique with the year)
    district_code = fields.CharField(max_length=6, null=True)  # None: a city plan
    name = fields.CharField(max_length=100)
    fund = fields.ForeignKeyField(
        "core.Fund", related_name="mutualaid_plans", on_delete=fields.RESTRICT
    )
    state = fields.CharEnumField(PlanState, max_length=10, default=PlanState.PUBLISHED)
    version = fields.IntField(default=1)
    published_by = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "mutualaid_plan"
        unique_together = (("plan_year", "scope"),)


class PlanVersion(Model):
    """The parameters of a plan from a day on: term, enrolment window, share price, coverages
    with their parameters, illness waiting period. A claim names the version it used."""

    id = fields.IntField(primary_key=True)
    plan = fields.ForeignKeyField(
        "mutualaid.Plan", related_name="versions", on_delete=fields.RESTRICT
    )
    version = fields.IntField()
    effective_from = fields.DateField()
    starts_on = fields.DateField()
    ends_on = fields.DateField()  # inclusive: 12 months from the start, less a day
    enrol_from = fields.DateField()
    enrol_until = fields.DateField()
    share_price = fields.DecimalField(max_digits=14, decimal_places=2)
    illness_waiting_days = fields.IntField()
    coverages = fields.JSONField()  # {coverage: {parameter: value}}; decimals as strings
    reason = fields.CharField(max_length=200, default="")
    created_by = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "mutualaid_plan_version"
        unique_together = (("plan_id", "version"),)


class Enrolment(Model):
    """A member in a plan with a number of shares. ``once_key`` ("<member>:<year>") is set while
    the enrolment is active and unique: never twice in one plan year, even when two requests
    race; a cancelled enrolment frees it."""

    id = fields.IntField(primary_key=True)
    plan = fields.ForeignKeyField(
        "mutualaid.Plan", related_name="enrolments", on_delete=fields.RESTRICT
    )
    member = fields.ForeignKeyField(
        "core.Member", related_name="mutualaid_enrolments", on_delete=fields.RESTRICT
    )
    plan_year = fields.IntField()
    district_code = fields.CharField(max_length=6)  # the member's district when enrolled
    shares = fields.IntField()
    amount = fields.DecimalField(max_digits=14, decimal_places=2)  # shares × share price
    channel = fields.CharEnumField(Channel, max_length=10)
    payer = fields.CharEnumField(Payer, max_length=10)
    enterprise = fields.ForeignKeyField(
        "core.Enterprise", related_name="mutualaid_enrolments", null=True, on_delete=fields.RESTRICT
    )
    batch = fields.CharField(max_length=40, null=True)  # a collective enrolment's batch
    state = fields.CharEnumField(EnrolmentState, max_length=10, default=EnrolmentState.ACTIVE)
    once_key = fields.CharField(max_length=32, null=True, unique=True)
    enrolled_on = fields.DateField()
    cover_from = fields.DateField()  # the later of the plan's start and the enrolment day
    enrolled_by = fields.CharField(max_length=64)
    cancelled_on = fields.DateField(null=True)
    cancelled_by = fields.CharField(max_length=64, null=True)
    refund_state = fields.CharEnumField(RefundState, max_length=6, default=RefundState.NONE)
    refund_amount = fields.DecimalField(max_digits=14, decimal_places=2, default=0)
    refund_approved_by = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "mutualaid_enrolment"
        indexes = (("plan_id", "district_code"), ("member_id", "plan_year"))


class Contribution(Model):
    """Money into (or, for a refund, out of) the plan's fund for one enrolment: the ledger entry
    it wrote, tagged with plan, enrolment and payer. One per enrolment, also in a collective
    enrolment (``batch`` groups them): a refund then reverses exactly one entry, and a plan's
    collected total is the sum over its enrolments."""

    id = fields.IntField(primary_key=True)
    plan = fields.ForeignKeyField(
        "mutualaid.Plan", related_name="contributions", on_delete=fields.RESTRICT
    )
    enrolment = fields.ForeignKeyField(
        "mutualaid.Enrolment", related_name="contributions", on_delete=fields.RESTRICT
    )
    kind = fields.CharEnumField(ContributionKind, max_length=12)
    payer = fields.CharEnumField(Payer, max_length=10)
    member = fields.ForeignKeyField(
        "core.Member", related_name="mutualaid_contributions", on_delete=fields.RESTRICT
    )
    enterprise = fields.ForeignKeyField(
        "core.Enterprise",
        related_name="mutualaid_contributions",
        null=True,
        on_delete=fields.RESTRICT,
    )
    district_code = fields.CharField(max_length=6)
    amount = fields.DecimalField(max_digits=14, decimal_places=2)  # + in, - refunded
    ledger_entry_id = fields.IntField(null=True)  # None while a refund waits for payment
    batch = fields.CharField(max_length=40, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "mutualaid_contribution"
        indexes = (("plan_id", "district_code"),)
