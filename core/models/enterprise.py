from tortoise import fields
from tortoise.models import Model


class Enterprise(Model):
    id = fields.IntField(primary_key=True)
    name = fields.CharField(max_length=200)
    uscc = fields.CharField(max_length=18, unique=True)  # GB 32100-2015, check char verified
    district = fields.ForeignKeyField(
        "core.District", related_name="enterprises", on_delete=fields.RESTRICT
    )
    is_caring = fields.BooleanField(default=False)  # 爱心企业: offers internships, job postings
    contact_name = fields.CharField(max_length=50, null=True)
    contact_phone = fields.CharField(max_length=20, null=True)
    kind = fields.CharField(max_length=30, null=True)
    industry = fields.CharField(max_length=50, null=True)
    source_ref = fields.CharField(max_length=64, null=True)  # key in the register it came from
    version = fields.IntField(default=1)
    created_at = fields.DatetimeField(auto_now_add=True)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "enterprise"
