"""Reading the ledger: a payment's entry is found by its reference (``entitlement:<id>``) and a
household's payments by the entitlement's household, without scanning either table."""

from tortoise import migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("core", "0010_rate_limits")]

    operations = [
        ops.AddIndex(model_name="LedgerEntry", index=Index(fields=["reference"])),
        ops.AddIndex(model_name="Entitlement", index=Index(fields=["household_id"])),
    ]
