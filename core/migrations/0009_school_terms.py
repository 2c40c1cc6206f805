from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0008_append_only_again')]

    initial = False

    operations = [
        ops.CreateModel(
            name='SchoolTerm',
            fields=[
                ('code', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=32)),
                ('start', fields.DateField()),
                ('end', fields.DateField()),
                ('judged_on', fields.DateField()),
                ('updated_by', fields.CharField(max_length=64)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'school_term', 'app': 'core', 'pk_attr': 'code', 'table_description': "A school term's dates, set by the city (education authorities fix them each year), so a"},
            bases=['Model'],
        ),
        ops.AlterModelOptions(
            name='DistrictPolicy',
            options={'table': 'district_policy', 'app': 'core', 'pk_attr': 'district_id', 'table_description': "A district's own rules for money: a second approver above this campaign total."},
        ),
    ]
