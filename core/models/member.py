from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Gender(StrEnum):
    MALE = "male"
    FEMALE = "female"


class EmploymentStatus(StrEnum):
    EMPLOYED = "employed"
    LAID_OFF = "laid_off"
    UNEMPLOYED = "unemployed"
    RETIRED = "retired"


class Relation(StrEnum):
    CHILD = "child"
    SPOUSE = "spouse"
    PARENT = "parent"
    OTHER = "other"


class SchoolLevel(StrEnum):
    NONE = "none"
    KINDERGARTEN = "kindergarten"
    PRIMARY = "primary"
    JUNIOR_HIGH = "junior_high"
    SENIOR_HIGH = "senior_high"
    SECONDARY_VOCATIONAL = "secondary_vocational"  # 中职
    HIGHER_VOCATIONAL = "higher_vocational"  # 高职
    UNDERGRADUATE = "undergraduate"
    VOCATIONAL = "vocational"  # either kind, when the register does not say
    UNIVERSITY = "university"  # higher education, when the register does not say


class Household(Model):
    """The unit that per-household benefits pay once: spouses who are both members share one."""

    id = fields.IntField(primary_key=True)
    district = fields.ForeignKeyField(
        "core.District", related_name="households", on_delete=fields.RESTRICT
    )
    declared_size = fields.IntField(null=True)  # as the register states it (imports)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "household"


class Dependent(Model):
    """A household member who is not a union member: a child, a spouse, a parent."""

    id = fields.IntField(primary_key=True)
    household = fields.ForeignKeyField(
        "core.Household", related_name="dependents", on_delete=fields.RESTRICT
    )
    name = fields.CharField(max_length=50)
    relation = fields.CharEnumField(Relation, max_length=10)
    birth_date = fields.DateField(null=True)
    gender = fields.CharEnumField(Gender, max_length=6, null=True)
    school_level = fields.CharEnumField(SchoolLevel, max_length=20, null=True)
    school = fields.CharField(max_length=100, null=True)
    source_ref = fields.CharField(max_length=64, null=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "dependent"


class Member(Model):
    """A worker on the register. The resident ID number is stored three ways: encrypted, as a keyed
    hash (unique, for look-up) and masked (for display), so listing never decrypts."""

    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=50)
    id_number_enc = fields.CharField(max_length=120)
    id_number_hash = fields.CharField(max_length=64, unique=True)
    id_number_masked = fields.CharField(max_length=18)
    birth_date = fields.DateField()  # derived from the ID number
    gender = fields.CharEnumField(Gender, max_length=6)  # derived from the ID number
    phone = fields.CharField(max_length=11, null=True)
    district = fields.ForeignKeyField(
        "core.District", related_name="members", on_delete=fields.RESTRICT
    )
    enterprise = fields.ForeignKeyField(
        "core.Enterprise", related_name="members", null=True, on_delete=fields.RESTRICT
    )
    household = fields.ForeignKeyField(
        "core.Household", related_name="members", on_delete=fields.RESTRICT
    )
    is_union_member = fields.BooleanField(default=True)
    employment_status = fields.CharEnumField(
        EmploymentStatus, max_length=10, default=EmploymentStatus.EMPLOYED
    )
    monthly_income = fields.DecimalField(max_digits=14, decimal_places=2, null=True)
    is_active = fields.BooleanField(default=True)  # never hard-deleted: deactivated instead
    anonymised_at = fields.DatetimeField(null=True)  # personal data erased on request (PIPL 47)
    source_ref = fields.CharField(max_length=64, null=True)
    version = fields.IntField(default=1)  # optimistic concurrency for updates
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "member"
        indexes = (("district_id", "id"),)


class MemberMove(Model):
    """A member moved from one district to another: history is kept, never overwritten."""

    id = fields.IntField(primary_key=True)
    member = fields.ForeignKeyField("core.Member", related_name="moves", on_delete=fields.RESTRICT)
    from_district = fields.ForeignKeyField(
        "core.District", related_name="moves_out", on_delete=fields.RESTRICT
    )
    to_district = fields.ForeignKeyField(
        "core.District", related_name="moves_in", on_delete=fields.RESTRICT
    )
    actor = fields.CharField(max_length=64)
    moved_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "member_move"
