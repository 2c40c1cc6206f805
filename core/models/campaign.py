from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class CampaignStatus(StrEnum):
    DRAFT = "draft"
    EVALUATED = "evaluated"
    APPROVED = "approved"
    PARTLY_PAID = "partly_paid"  # the fund ran out part way: paying again pays the rest
    PAID = "paid"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    REJECTED = "rejected"


class EntitlementStatus(StrEnum):
    ENTITLED = "entitled"  # decided at evaluation, waiting for approval and payment
    PAID = "paid"
    CANCELLED = "cancelled"  # its campaign was cancelled before payment
    REVERSED = "reversed"  # paid, then undone by a compensating ledger entry


# Statuses that hold the (program, rule, occurrence, beneficiary) slot: a beneficiary is never
# entitled twice while one of these exists (partial unique index, migration core.0011).
LIVE = (EntitlementStatus.ENTITLED, EntitlementStatus.PAID)


class Campaign(Model):
    """A payment cycle of one rule over one period in some districts, paid from one fund."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=100)
    program = fields.CharField(max_length=32)
    rule_code = fields.CharField(max_length=64)
    period_code = fields.CharField(max_length=32)
    period_start = fields.DateField()
    period_end = fields.DateField()
    judged_on = fields.DateField()
    district_codes = fields.JSONField()  # list of district codes
    fund = fields.ForeignKeyField("core.Fund", related_name="campaigns", on_delete=fields.RESTRICT)
    status = fields.CharEnumField(CampaignStatus, max_length=12, default=CampaignStatus.DRAFT)
    created_by = fields.CharField(max_length=64)
    created_by_id = fields.IntField(null=True)
    entitled_count = fields.IntField(default=0)
    entitled_total = fields.DecimalField(max_digits=14, decimal_places=2, default=0)
    paid_count = fields.IntField(default=0)
    paid_total = fields.DecimalField(max_digits=14, decimal_places=2, default=0)
    version = fields.IntField(default=1)
    # An event payment's own campaign (core.services.event_payments): the program's record it
    # pays (a claim). It holds one entitlement, approved and paid only through that path.
    record_type = fields.CharField(max_length=40, null=True)
    record_id = fields.IntField(null=True)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "campaign"
        indexes = (("record_type", "record_id"),)


class Entitlement(Model):
    """One beneficiary's decided amount in a campaign, with the facts and settings it was
    decided on (a snapshot: later edits of the register never change it)."""

    id = fields.IntField(primary_key=True)
    campaign = fields.ForeignKeyField(
        "core.Campaign", related_name="entitlements", on_delete=fields.RESTRICT
    )
    program = fields.CharField(max_length=32)
    rule_code = fields.CharField(max_length=64)
    period_code = fields.CharField(max_length=32)
    # What "paid once" is counted by (core.schedules): the period's occurrence for a calendar
    # rule ("spring-festival:2027", "2027-Q1"), a declared key for a one-off rule ("once").
    occurrence = fields.CharField(max_length=64, db_default="")
    beneficiary = fields.CharField(max_length=24)  # "member:12" or "household:7"
    member = fields.ForeignKeyField(
        "core.Member", related_name="entitlements", on_delete=fields.RESTRICT
    )
    household_id = fields.IntField()
    district_code = fields.CharField(max_length=6)
    amount = fields.DecimalField(max_digits=14, decimal_places=2)
    status = fields.CharEnumField(
        EntitlementStatus, max_length=10, default=EntitlementStatus.ENTITLED
    )
    explanation = fields.JSONField()  # [{passed, zh, en}]
    facts = fields.JSONField()
    settings = fields.JSONField()
    settings_version = fields.JSONField()  # {"city": n, "district": m}
    # The campaign version whose approval released it for payment (stamped by that approval);
    # None: added after the last approval, so it waits for the next one and is never paid.
    approved_version = fields.IntField(null=True)
    paid_at = fields.DatetimeField(null=True)
    payment_entry_id = fields.IntField(null=True)  # the ledger debit that paid it
    reversal_entry_id = fields.IntField(null=True)  # the ledger credit that undid it
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "entitlement"
        # household_id: what a household has been paid (Household.payments).
        indexes = (("campaign_id", "id"), ("member_id",), ("household_id",))


class Approval(Model):
    """An approver's decision on a campaign (maker-checker): never the campaign's creator."""

    id = fields.IntField(primary_key=True)
    campaign = fields.ForeignKeyField(
        "core.Campaign", related_name="approvals", on_delete=fields.RESTRICT
    )
    approver = fields.CharField(max_length=64)
    approver_id = fields.IntField(null=True)
    decision = fields.CharField(max_length=10)  # approve or reject
    reason = fields.CharField(max_length=500, default="")
    campaign_version = fields.IntField()  # approvals count for the evaluation they saw
    at = fields.DatetimeField()

    class Meta:
        table = "approval"


class CampaignMaker(Model):
    """Someone who made a campaign what it is (created it, evaluated it, added an entitlement
    to it): a maker never approves it (maker-checker)."""

    id = fields.IntField(primary_key=True)
    campaign = fields.ForeignKeyField(
        "core.Campaign", related_name="makers", on_delete=fields.RESTRICT
    )
    username = fields.CharField(max_length=64)
    user_id = fields.IntField(null=True)
    action = fields.CharField(max_length=20)  # the first thing they did: create, evaluate, add
    at = fields.DatetimeField()

    class Meta:
        table = "campaign_maker"
        unique_together = (("campaign", "username"),)


class IdempotencyKey(Model):
    """The answer to a payment request, kept under the caller's key: the same key gets the same
    answer; the same key with other arguments is refused."""

    key = fields.CharField(max_length=100, primary_key=True)
    user_id = fields.IntField(null=True)
    operation = fields.CharField(max_length=40)
    request_hash = fields.CharField(max_length=64)
    response = fields.JSONField()
    created_at = fields.DatetimeField()

    class Meta:
        table = "idempotency_key"


class DistrictPolicy(Model):
    """A district's own rules for money: a second approver above this campaign total."""

    district = fields.OneToOneField(
        "core.District", related_name="policy", primary_key=True, on_delete=fields.RESTRICT
    )
    second_approval_above = fields.DecimalField(max_digits=14, decimal_places=2, null=True)
    updated_by = fields.CharField(max_length=64)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "district_policy"


class SchoolTerm(Model):
    """A school term's dates, set by the city (education authorities fix them each year), so a
    period like ``2027-autumn-term`` means the right days."""

    code = fields.CharField(max_length=32, primary_key=True)  # e.g. 2027-autumn-term
    start = fields.DateField()
    end = fields.DateField()
    judged_on = fields.DateField()
    updated_by = fields.CharField(max_length=64)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "school_term"
