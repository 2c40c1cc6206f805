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


class HardshipProfile(Model):
    """A member's standing in the hardship program: registered level and model-worker title."""

    id = fields.IntField(primary_key=True)
    member = fields.OneToOneField(
        "core.Member", related_name="hardship_profile", on_delete=fields.RESTRICT
    )
    level = fields.CharEnumField(HardshipLevel, max_length=10, default=HardshipLevel.NONE)
    model_worker_level = fields.CharEnumField(
        ModelWorkerLevel, max_length=10, default=ModelWorkerLevel.NONE
    )
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "hardship_profile"
