"""The audit trail and the fund ledger are append-only in the database itself, not only by
convention in the code: UPDATE and DELETE on them fail, whoever connects."""

from tortoise import migrations
from tortoise.migrations import operations as ops

TABLES = ("audit_entry", "ledger_entry")

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION unionaid_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql
"""


def _statements(dialect: str) -> list[str]:
    if dialect == "postgres":
        return [POSTGRES_FUNCTION] + [
            f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION unionaid_append_only()"
            for table in TABLES
        ]
    return [
        f"CREATE TRIGGER {table}_no_{verb} BEFORE {verb.upper()} ON {table} "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
        for table in TABLES
        for verb in ("update", "delete")
    ]


def _reverse(dialect: str) -> list[str]:
    if dialect == "postgres":
        return [f"DROP TRIGGER IF EXISTS {t}_append_only ON {t}" for t in TABLES] + [
            "DROP FUNCTION IF EXISTS unionaid_append_only()"
        ]
    return [f"DROP TRIGGER IF EXISTS {t}_no_{v}" for t in TABLES for v in ("update", "delete")]


async def forward(apps, editor) -> None:
    for statement in _statements(editor.client.capabilities.dialect):
        await editor.client.execute_script(statement)


async def backward(apps, editor) -> None:
    for statement in _reverse(editor.client.capabilities.dialect):
        await editor.client.execute_script(statement)


class Migration(migrations.Migration):
    dependencies = [("core", "0003_access")]

    operations = [ops.RunPython(forward, backward)]
