"""What is paid once is an occurrence, not a period code: the festival of a lunar year, the
quarter, the month, the year, the term — or, for a one-off rule, the key it declares. Existing
rows get their period's occurrence, and the partial unique index of 0007 moves from
(…, period_code, …) to (…, occurrence, …): still live entitlements only (entitled or paid), the
same SQL on SQLite and PostgreSQL."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

BACKFILL = """UPDATE entitlement SET occurrence = CASE
  WHEN period_code LIKE '____-spring-festival' THEN 'spring-festival:' || substr(period_code, 1, 4)
  WHEN period_code LIKE '____-mid-autumn' THEN 'mid-autumn:' || substr(period_code, 1, 4)
  ELSE period_code END"""


class Migration(migrations.Migration):
    dependencies = [("core", "0011_ledger_reading")]

    operations = [
        ops.AddField(
            model_name="Entitlement",
            name="occurrence",
            field=fields.CharField(max_length=64, db_default=""),
        ),
        ops.RunSQL(BACKFILL, reverse_sql="SELECT 1"),
        ops.RunSQL(
            "DROP INDEX entitlement_live_once",
            reverse_sql="CREATE UNIQUE INDEX entitlement_live_once "
            "ON entitlement (program, rule_code, period_code, beneficiary) "
            "WHERE status IN ('entitled', 'paid')",
        ),
        ops.RunSQL(
            "CREATE UNIQUE INDEX entitlement_live_once "
            "ON entitlement (program, rule_code, occurrence, beneficiary) "
            "WHERE status IN ('entitled', 'paid')",
            reverse_sql="DROP INDEX entitlement_live_once",
        ),
    ]
