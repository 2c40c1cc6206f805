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
    ACTIVE = "active"
    CLOSED = "closed"


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
