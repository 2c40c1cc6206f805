"""Event payments (``core/services/event_payments.py``): a campaign may be the own campaign of
one program record (a claim), named by its type and id; such a campaign holds one entitlement
approved on that record, never in another campaign's approval."""

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("core", "0015_workflow_history")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Campaign",
            name="record_type",
            field=fields.CharField(max_length=40, null=True),
        ),
        ops.AddField(
            model_name="Campaign",
            name="record_id",
            field=fields.IntField(null=True),
        ),
        ops.AddIndex(model_name="Campaign", index=Index(fields=["record_type", "record_id"])),
    ]
