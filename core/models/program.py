from tortoise import fields
from tortoise.models import Model

CITY = "city"  # the settings scope of the city federation's defaults


class ProgramEnablement(Model):
    """Whether a program (plugin id) runs in a district. The only place enablement lives."""

    id = fields.IntField(primary_key=True)
    program = fields.CharField(max_length=64)
    district = fields.ForeignKeyField(
        "core.District", related_name="programs", on_delete=fields.RESTRICT
    )
    enabled = fields.BooleanField(default=False)
    updated_by = fields.CharField(max_length=64)
    updated_at = fields.DatetimeField(auto_now=True)

    class Meta:
        table = "program_enablement"
        unique_together = (("program", "district"),)


class ProgramSettings(Model):
    """One version of the settings a scope (the city, or a district code) overrides for a program.

    Only the keys the scope changes are stored; the effective settings of a district on a day are
    the plugin's defaults, overridden by the city's and then the district's latest versions valid
    on that day, key by key."""

    id = fields.IntField(primary_key=True)
    program = fields.CharField(max_length=64)
    scope = fields.CharField(max_length=8)  # "city" or a district code
    version = fields.IntField()
    valid_from = fields.DateField()
    values = fields.JSONField()
    created_by = fields.CharField(max_length=64)
    created_at = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "program_settings"
        unique_together = (("program", "scope", "version"),)
