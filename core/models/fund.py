from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class LedgerKind(StrEnum):
    CONTRIBUTION = "contribution"
    TRANSFER_IN = "transfer_in"
    TRANSFER_OUT = "transfer_out"
    PAYMENT = "payment"  # an entitlement paid (debit)
    REVERSAL = "reversal"  # a payment undone (credit): never a delete


class Fund(Model):
    """Money raised by the city or one district. Its balance is the sum of its ledger entries."""

    id = fields.IntField(primary_key=True)
    code = fields.CharField(max_length=32, unique=True)
    name = fields.CharField(max_length=100)
    district = fields.ForeignKeyField(  # the owner; None means the city federation
        "core.District", related_name="funds", null=True, on_delete=fields.RESTRICT
    )
    purpose = fields.CharField(max_length=200, default="")
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "fund"


class LedgerEntry(Model):
    """Append-only: entries are never updated or deleted. A correction is a new entry."""

    id = fields.IntField(primary_key=True)
    fund = fields.ForeignKeyField("core.Fund", related_name="entries", on_delete=fields.RESTRICT)
    amount = fields.DecimalField(max_digits=14, decimal_places=2)  # + credit, - debit
    balance_after = fields.DecimalField(max_digits=14, decimal_places=2)
    kind = fields.CharEnumField(LedgerKind, max_length=20)
    reference = fields.CharField(max_length=64, null=True)  # links the two legs of a transfer
    memo = fields.CharField(max_length=200, default="")
    actor = fields.CharField(max_length=64)
    # What a payment was for, so totals can be given by program, district and period.
    program = fields.CharField(max_length=32, null=True)
    district_code = fields.CharField(max_length=6, null=True)
    period_code = fields.CharField(max_length=32, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "ledger_entry"
        # reference: a payment's entry is found from its entitlement ("entitlement:<id>").
        indexes = (("fund_id", "id"), ("reference",))
