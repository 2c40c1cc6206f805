from enum import StrEnum

from tortoise import fields
from tortoise.models import Model


class Role(StrEnum):
    """Role names exactly as the CLI and the API spell them."""

    CITY_ADMIN = "city_admin"
    DISTRICT_ADMIN = "district_admin"
    CASEWORKER = "caseworker"
    APPROVER = "approver"
    AUDITOR = "auditor"
    ENTERPRISE = "enterprise"
    SERVICE = "service"


class User(Model):
    """A person or a service account. Deactivated, never deleted: the audit trail names them."""

    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=64, unique=True)
    display_name = fields.CharField(max_length=100, default="")
    role = fields.CharEnumField(Role, max_length=20)
    enterprise = fields.ForeignKeyField(
        "core.Enterprise", related_name="contacts", null=True, on_delete=fields.RESTRICT
    )
    password_hash = fields.CharField(max_length=200, null=True)  # argon2; null: tokens only
    is_active = fields.BooleanField(default=True)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "app_user"


class UserDistrict(Model):
    """A district a user works in (district-scoped roles)."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("core.User", related_name="districts", on_delete=fields.RESTRICT)
    district = fields.ForeignKeyField(
        "core.District", related_name="user_links", on_delete=fields.RESTRICT
    )

    class Meta:
        table = "user_district"
        unique_together = (("user_id", "district_id"),)


class ApiToken(Model):
    """A bearer token, stored only as its SHA-256 (the token itself is 256 random bits)."""

    id = fields.IntField(primary_key=True)
    user = fields.ForeignKeyField("core.User", related_name="tokens", on_delete=fields.RESTRICT)
    token_hash = fields.CharField(max_length=64, unique=True)
    prefix = fields.CharField(max_length=12)  # shown in listings to tell tokens apart
    kind = fields.CharField(max_length=10)  # "api" (CLI) or "session" (login)
    created_at = fields.DatetimeField()
    expires_at = fields.DatetimeField()
    revoked_at = fields.DatetimeField(null=True)

    class Meta:
        table = "api_token"


class LoginAttempt(Model):
    """Sign-in attempts, kept to throttle password guessing across server processes."""

    id = fields.IntField(primary_key=True)
    username = fields.CharField(max_length=64)
    client = fields.CharField(max_length=64, default="")
    succeeded = fields.BooleanField()
    at = fields.DatetimeField()

    class Meta:
        table = "login_attempt"
        indexes = (("username", "at"), ("client", "at"))


class AuditEntry(Model):
    """Append-only record of every change and every personal-data disclosure or refusal.

    Database triggers refuse UPDATE and DELETE on this table."""

    id = fields.BigIntField(primary_key=True)
    at = fields.DatetimeField()
    user_id = fields.IntField(null=True)  # no foreign key: entries outlive everything
    username = fields.CharField(max_length=64)
    role = fields.CharField(max_length=20, default="")
    request_id = fields.CharField(max_length=64, default="")
    operation = fields.CharField(max_length=64)
    object_type = fields.CharField(max_length=32, default="")
    object_id = fields.CharField(max_length=64, default="")
    district_code = fields.CharField(max_length=6, null=True)
    outcome = fields.CharField(max_length=10, default="ok")  # ok or refused
    purpose = fields.CharField(max_length=200, null=True)
    changes = fields.JSONField(default=dict)  # field -> [before, after], sensitive values masked

    class Meta:
        table = "audit_entry"
        indexes = (("object_type", "object_id"), ("username", "at"), ("district_code", "at"))


class RateBucket(Model):
    """Requests counted per token (or address) and minute, shared by every server process."""

    key = fields.CharField(max_length=80, primary_key=True)
    count = fields.IntField(default=0)
    expires_at = fields.DatetimeField()

    class Meta:
        table = "rate_bucket"
        indexes = (("expires_at",),)
