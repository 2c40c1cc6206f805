"""The eight units of the Wuxi federation exist after migrating (values typed here, not imported
from models, so this migration never changes when the code does)."""

from tortoise import migrations
from tortoise.migrations import operations as ops

DISTRICTS = (
    ("320213", "梁溪区"),
    ("320205", "锡山区"),
    ("320206", "惠山区"),
    ("320211", "滨湖区"),
    ("320214", "新吴区"),
    ("320281", "江阴市"),
    ("320282", "宜兴市"),
    ("320271", "经开区"),
)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_initial")]

    operations = [
        ops.RunSQL(
            "INSERT INTO district (code, name) VALUES "
            + ", ".join(f"('{code}', '{name}')" for code, name in DISTRICTS),
            reverse_sql="DELETE FROM district WHERE code IN ("
            + ", ".join(f"'{code}'" for code, _ in DISTRICTS)
            + ")",
        ),
    ]
