from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from unionaid.plugins.hardship.models import HardshipLevel, ModelWorkerLevel
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0005_jobs_imports')]

    initial = True

    operations = [
        ops.CreateModel(
            name='HardshipProfile',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.OneToOneField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='hardship_profile', on_delete=OnDelete.RESTRICT)),
                ('level', fields.CharEnumField(default=HardshipLevel.NONE, description='NONE: none\nDIFFICULT: difficult\nEXTREME: extreme', enum_type=HardshipLevel, max_length=10)),
                ('model_worker_level', fields.CharEnumField(default=ModelWorkerLevel.NONE, description='NONE: none\nCITY: city\nPROVINCIAL: provincial\nNATIONAL: national', enum_type=ModelWorkerLevel, max_length=10)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'hardship_profile', 'app': 'hardship', 'pk_attr': 'id', 'table_description': "A member's standing in the hardship program: registered level and model-worker title."},
            bases=['Model'],
        ),
    ]
