from tortoise import fields
from tortoise.models import Model

# The eight units of the Wuxi federation, created by migration core.0002.
WUXI_DISTRICTS: tuple[tuple[str, str], ...] = (
    ("320213", "梁溪区"),
    ("320205", "锡山区"),
    ("320206", "惠山区"),
    ("320211", "滨湖区"),
    ("320214", "新吴区"),
    ("320281", "江阴市"),
    ("320282", "宜兴市"),
    ("320271", "经开区"),
)


class District(Model):
    """A district federation (区总工会). The 6-digit administrative code is the key, so scoping a
    query to districts never needs a join."""

    code = fields.CharField(max_length=6, primary_key=True)
    name = fields.CharField(max_length=50)
    kind = fields.CharField(max_length=20, null=True)  # district, county-level city, zone
    source_ref = fields.CharField(max_length=64, null=True)

    class Meta:
        table = "district"
        ordering = ("code",)
