from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from unionaid.plugins.hardship.models import FileStatus
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0009_school_terms'), ('hardship', '0001_profile')]

    initial = False

    operations = [
        ops.CreateModel(
            name='HardshipFileChange',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('profile', fields.ForeignKeyField('hardship.HardshipProfile', source_field='profile_id', db_constraint=True, to_field='id', related_name='changes', on_delete=OnDelete.RESTRICT)),
                ('actor', fields.CharField(max_length=64)),
                ('operation', fields.CharField(max_length=32)),
                ('changes', fields.JSONField(encoder=JSON_DUMPS, decoder=loads)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'hardship_file_change', 'app': 'hardship', 'pk_attr': 'id', 'table_description': 'Every change to a hardship file, kept: who, when, before and after.'},
            bases=['Model'],
        ),
        ops.AlterModelOptions(
            name='HardshipProfile',
            options={'table': 'hardship_profile', 'app': 'hardship', 'pk_attr': 'id', 'table_description': "A member's hardship household file (困难职工档案) and model-worker standing."},
        ),
        ops.AddField(
            model_name='HardshipProfile',
            name='assessed_income',
            field=fields.DecimalField(null=True, max_digits=14, decimal_places=2),
        ),
        ops.AddField(
            model_name='HardshipProfile',
            name='assessed_size',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='HardshipProfile',
            name='close_reason',
            field=fields.CharField(null=True, max_length=200),
        ),
        ops.AddField(
            model_name='HardshipProfile',
            name='model_worker_in_difficulty',
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name='HardshipProfile',
            name='next_review',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='HardshipProfile',
            name='reasons',
            field=fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.AddField(
            model_name='HardshipProfile',
            name='status',
            field=fields.CharEnumField(default=FileStatus.ACTIVE, description='ACTIVE: active\nCLOSED: closed', enum_type=FileStatus, max_length=10),
        ),
        ops.AddField(
            model_name='HardshipProfile',
            name='verified_by',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AddField(
            model_name='HardshipProfile',
            name='verified_on',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='HardshipProfile',
            name='version',
            field=fields.IntField(default=1),
        ),
    ]
