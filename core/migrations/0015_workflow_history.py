"""The history of records that move through states (``core/workflow.py``): one table for every
workflow, append-only in the database like the audit trail (UPDATE and DELETE fail, whoever
connects; the PostgreSQL trigger function is 0004's)."""

from tortoise import fields, migrations
from tortoise.indexes import Index
from tortoise.migrations import operations as ops

TABLE = "workflow_step"


async def forward(apps, editor) -> None:
    if editor.client.capabilities.dialect == "postgres":
        statements = [
            f"CREATE TRIGGER {TABLE}_append_only BEFORE UPDATE OR DELETE ON {TABLE} "
            "FOR EACH ROW EXECUTE FUNCTION unionaid_append_only()"
        ]
    else:
        statements = [
            f"CREATE TRIGGER {TABLE}_no_{verb} BEFORE {verb.upper()} ON {TABLE} "
            f"BEGIN SELECT RAISE(ABORT, '{TABLE} is append-only'); END"
            for verb in ("update", "delete")
        ]
    for statement in statements:
        await editor.client.execute_script(statement)


async def backward(apps, editor) -> None:
    if editor.client.capabilities.dialect == "postgres":
        statements = [f"DROP TRIGGER IF EXISTS {TABLE}_append_only ON {TABLE}"]
    else:
        statements = [f"DROP TRIGGER IF EXISTS {TABLE}_no_{v}" for v in ("update", "delete")]
    for statement in statements:
        await editor.client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0014_makers_approved_set")]

    initial = False

    operations = [
        ops.CreateModel(
            name="WorkflowStep",
            fields=[
                ("id", fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("record_type", fields.CharField(max_length=40)),
                ("record_id", fields.IntField()),
                ("transition", fields.CharField(max_length=32)),
                ("from_state", fields.CharField(null=True, max_length=20)),
                ("to_state", fields.CharField(max_length=20)),
                ("actor", fields.CharField(max_length=64)),
                ("actor_id", fields.IntField(null=True)),
                ("note", fields.CharField(null=True, max_length=200)),
                ("at", fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={
                "table": TABLE,
                "app": "core",
                "indexes": [Index(fields=["record_type", "record_id"])],
                "pk_attr": "id",
                "table_description": "One move of a record through its workflow: who took which transition, when, from which",
            },
            bases=["Model"],
        ),
        ops.RunPython(forward, backward),
    ]
