"""Nobody (for household rules: no household) is entitled twice to the same rule and period,
across campaigns and districts, while an entitlement is live (entitled or paid). Cancelled and
reversed ones free the slot. A partial unique index, the same SQL on SQLite and PostgreSQL."""

from tortoise import migrations
from tortoise.migrations import operations as ops


class Migration(migrations.Migration):
    dependencies = [("core", "0006_campaigns")]

    operations = [
        ops.RunSQL(
            "CREATE UNIQUE INDEX entitlement_live_once "
            "ON entitlement (program, rule_code, period_code, beneficiary) "
            "WHERE status IN ('entitled', 'paid')",
            reverse_sql="DROP INDEX entitlement_live_once",
        ),
    ]
