from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class HardshipLevel(StrEnum):
    NONE = "none"
    DIFFICULT = "difficult"  # 困难职工
    EXTREME = "extreme"  # 特困职工


class ModelWorkerLevel(StrEnum):
    NONE = "none"
    CITY = "city"  # 市级劳模
    PROVINCIAL = "provincial"  # 省级劳模
    NATIONAL = "national"  # 全国劳模


class Reason(StrEnum):
    SERIOUS_ILLNESS = "serious_illness"  # 大病
    DISABILITY = "disability"  # 残疾
    UNEMPLOYMENT = "unemployment"  # 失业
    LOW_INCOME = "low_income"  # 低收入
    DISASTER = "disaster"  # 灾害
    OTHER = "other"


class FileStatus(StrEnum):
    """Whether the file counts (the rules read it): active unless the file is closed."""

    ACTIVE = "active"
    CLOSED = "closed"


class FileStage(StrEnum):
    """Where the file is in its workflow (``workflow.py``): register, verify, review, close."""

    REGISTERED = "registered"  # 已登记
    VERIFIED = "verified"  # 已核实 (and reviewed, 复核, since)
    CLOSED = "closed"  # 已关闭


class HardshipProfile(Model):
    """A member's hardship household file (困难职工档案) and model-worker standing."""

    id = fields.IntField(primary_key=True)
    member = fields.OneToOneField(
        "core.Member", related_name="hardship_profile", on_delete=fields.RESTRICT
    )
    level = fields.CharEnumField(HardshipLevel, max_length=10, default=HardshipLevel.NONE)
    model_worker_level = fields.CharEnumField(
        ModelWorkerLevel, max_length=10, default=ModelWorkerLevel.NONE
    )
    model_worker_in_difficulty = fields.BooleanField(default=False)  # 困难劳模
    reasons = fields.JSONField(default=list)  # Reason values
    assessed_income = fields.DecimalField(max_digits=14, decimal_places=2, null=True)
    assessed_size = fields.IntField(null=True)
    verified_by = fields.CharField(max_length=64, null=True)
    verified_on = fields.DateField(null=True)
    next_review = fields.DateField(null=True)
    status = fields.CharEnumField(FileStatus, max_length=10, default=FileStatus.ACTIVE)
    stage = fields.CharEnumField(FileStage, max_length=10, default=FileStage.REGISTERED)
    close_reason = fields.CharField(max_length=200, null=True)
    version = fields.IntField(default=1)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "hardship_profile"


class HardshipFileChange(Model):
    """Every change to a hardship file, kept: who, when, before and after."""

    id = fields.IntField(primary_key=True)
    profile = fields.ForeignKeyField(
        "hardship.HardshipProfile", related_name="changes", on_delete=fields.RESTRICT
    )
    actor = fields.CharField(max_length=64)
    operation = fields.CharField(max_length=32)
    changes = fields.JSONField()
    at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "hardship_file_change"


class VisiteeKind(StrEnum):
    HOUSEHOLD = "household"  # a hardship household
    MODEL_WORKER = "model_worker"
    FRONTLINE = "frontline"  # on holiday duty, a key project, sanitation, transport


class Occasion(StrEnum):
    SPRING_FESTIVAL = "spring_festival"
    MID_AUTUMN = "mid_autumn"
    OTHER = "other"


class Visit(Model):
    """A visit (走访慰问): who visited whom, when, and what was handed over. Cash is never written
    to the ledger here: it is an entitlement of the district's visit campaign, approved by a
    second person and paid from a fund like every other payment; the core tells the program
    when that entitlement is paid or reversed, and the visit keeps the ledger entries."""

    id = fields.IntField(primary_key=True)
    district_code = fields.CharField(max_length=6)
    member = fields.ForeignKeyField(
        "core.Member", related_name="hardship_visits", null=True, on_delete=fields.RESTRICT
    )
    visitee_name = fields.CharField(max_length=50)  # also for people not on the register
    visitee_kind = fields.CharEnumField(VisiteeKind, max_length=12)
    workplace = fields.CharField(max_length=100, null=True)
    visited_by = fields.CharField(max_length=100)
    visited_on = fields.DateField()
    occasion = fields.CharEnumField(Occasion, max_length=16)
    cash = fields.DecimalField(max_digits=14, decimal_places=2, default=0)
    gifts = fields.CharField(max_length=200, default="")
    gift_value = fields.DecimalField(max_digits=14, decimal_places=2, default=0)
    campaign_id = fields.IntField(null=True)
    entitlement_id = fields.IntField(null=True)
    payment_entry_id = fields.IntField(null=True)  # the ledger debit that paid its cash
    reversal_entry_id = fields.IntField(null=True)  # the credit that reversed that payment
    recorded_by = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "hardship_visit"
        # entitlement_id: the payment hooks find a batch's visits by it.
        indexes = (("district_code", "visited_on"), ("entitlement_id",))
