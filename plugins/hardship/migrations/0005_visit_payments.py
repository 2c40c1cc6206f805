"""Where a visit's cash stands: the ledger debit that paid it and the credit that reversed it,
kept from the core's payment hooks, which find a batch's visits by ``entitlement_id`` (indexed
now). Visits whose cash was already paid (or reversed) take the entries from their
entitlement."""

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops


def _from_entitlement(column: str) -> str:
    return (
        f"UPDATE hardship_visit SET {column} = (SELECT e.{column} FROM entitlement e "
        "WHERE e.id = hardship_visit.entitlement_id) WHERE entitlement_id IS NOT NULL"
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0015_workflow_history"), ("hardship", "0004_stage")]

    initial = False

    operations = [
        ops.AddField(
            model_name="Visit", name="payment_entry_id", field=fields.IntField(null=True)
        ),
        ops.AddField(
            model_name="Visit", name="reversal_entry_id", field=fields.IntField(null=True)
        ),
        ops.AddIndex(model_name="Visit", index=Index(fields=["entitlement_id"])),
        ops.RunSQL(_from_entitlement("payment_entry_id"), reverse_sql=ops.RunSQL.noop),
        ops.RunSQL(_from_entitlement("reversal_entry_id"), reverse_sql=ops.RunSQL.noop),
    ]
