"""Hospital stays, claims (plan claims and the free condolence) and the per-member lock row that
serialises a member's claims (职工互助保障). Plans and enrolments live in ``models.py``."""

from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class ClaimKind(StrEnum):
    HOSPITAL = "hospital"  # 住院 (plan)
    CRITICAL_ILLNESS = "critical_illness"  # 重大疾病 (plan)
    ACCIDENT = "accident"  # 意外伤害 (plan)
    CONDOLENCE = "condolence"  # 工会会员住院慰问金: every union member, no enrolment


class ClaimState(StrEnum):
    SUBMITTED = "submitted"
    ASSESSED = "assessed"
    APPROVED = "approved"
    PAID = "paid"
    REJECTED = "rejected"


class AccidentOutcome(StrEnum):
    MEDICAL = "medical"
    DISABILITY = "disability"
    DEATH = "death"


class Stay(Model):
    """A hospital stay of a member: (member, hospital, admission date) is unique, and the
    services refuse a stay overlapping another of the same member. A plan claim and a
    condolence of one stay both point here."""

    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField(
        "core.Member", related_name="mutualaid_stays", on_delete=fields.RESTRICT
    )
    district_code = fields.CharField(max_length=6)
    hospital = fields.CharField(max_length=100)
    admitted_on = fields.DateField()
    discharged_on = fields.DateField()
    out_of_pocket = fields.DecimalField(max_digits=14, decimal_places=2, default=0)
    by_accident = fields.BooleanField(default=False)
    created_by = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "mutualaid_stay"
        unique_together = (("member_id", "hospital", "admitted_on"),)


class Claim(Model):
    """A claim on the plan (hospital, critical illness, accident) or a condolence, moved through
    its workflow (``workflow.py``). ``details`` is free-text health information: never listed,
    read only with a stated purpose (logged), erased on anonymisation. ``trace`` is the
    assessment's lines ([{passed, zh, en}]) under the plan version it names."""

    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField(
        "core.Member", related_name="mutualaid_claims", on_delete=fields.RESTRICT
    )
    district_code = fields.CharField(max_length=6)
    kind = fields.CharEnumField(ClaimKind, max_length=16)
    year = fields.IntField()  # the plan year (a condolence: the admission's calendar year)
    plan = fields.ForeignKeyField(
        "mutualaid.Plan", related_name="claims", null=True, on_delete=fields.RESTRICT
    )
    enrolment = fields.ForeignKeyField(
        "mutualaid.Enrolment", related_name="claims", null=True, on_delete=fields.RESTRICT
    )
    stay = fields.ForeignKeyField(
        "mutualaid.Stay", related_name="claims", null=True, on_delete=fields.RESTRICT
    )
    event_on = fields.DateField()  # admission, diagnosis or accident day
    diagnosis_category = fields.CharField(max_length=40, null=True)
    accident_outcome = fields.CharEnumField(AccidentOutcome, max_length=10, null=True)
    disability_grade = fields.IntField(null=True)
    accident_expense = fields.DecimalField(max_digits=14, decimal_places=2, null=True)
    details = fields.TextField(null=True)  # free-text health details (sensitive)
    status = fields.CharEnumField(ClaimState, max_length=10)
    version = fields.IntField(default=1)
    amount = fields.DecimalField(max_digits=14, decimal_places=2, null=True)  # once assessed
    plan_version = fields.IntField(null=True)
    # The member's plan-year cap (all shares) the assessment judged under: payment re-checks it.
    year_cap = fields.DecimalField(max_digits=14, decimal_places=2, null=True)
    trace = fields.JSONField(null=True)
    reject_reason = fields.CharField(max_length=200, null=True)
    payment_id = fields.IntField(null=True)  # the core's entitlement paying it
    submitted_on = fields.DateField()
    paid_on = fields.DateField(null=True)
    created_by = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "mutualaid_claim"
        # One plan claim and one condolence per stay (other kinds have no stay: NULLs differ).
        unique_together = (("stay_id", "kind"),)
        indexes = (("member_id", "year"), ("district_code", "status"))


class MemberLock(Model):
    """One row per member who ever claimed: claims of a member lock it (``SELECT … FOR
    UPDATE``) so that overlapping stays and yearly caps are judged one request at a time."""

    id = fields.IntField(primary_key=True)
    member = fields.OneToOneField(
        "core.Member", related_name="mutualaid_claim_lock", on_delete=fields.RESTRICT
    )

    class Meta:
        table = "mutualaid_member_lock"
