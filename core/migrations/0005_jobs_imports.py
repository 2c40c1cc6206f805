from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from unionaid.core.models.job import JobStatus
from unionaid.core.models.member import SchoolLevel
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0004_append_only')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Job',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=40)),
                ('status', fields.CharEnumField(default=JobStatus.QUEUED, description='QUEUED: queued\nRUNNING: running\nSUCCEEDED: succeeded\nFAILED: failed', enum_type=JobStatus, max_length=10)),
                ('params', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('district_code', fields.CharField(null=True, max_length=6)),
                ('created_by', fields.CharField(max_length=64)),
                ('created_by_id', fields.IntField(null=True)),
                ('progress', fields.IntField(default=0)),
                ('total', fields.IntField(null=True)),
                ('result', fields.JSONField(null=True, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('error', fields.TextField(null=True, unique=False)),
                ('attempts', fields.IntField(default=0)),
                ('worker', fields.CharField(null=True, max_length=100)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('heartbeat_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'job', 'app': 'core', 'indexes': [Index(fields=['status', 'id'])], 'pk_attr': 'id', 'table_description': "Long work (an import, a payment campaign) queued in the project's own database."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Upload',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('filename', fields.CharField(max_length=200)),
                ('size', fields.IntField()),
                ('sha256', fields.CharField(max_length=64)),
                ('content', fields.BinaryField()),
                ('created_by', fields.CharField(max_length=64)),
                ('created_by_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'upload', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A file sent to ``POST /imports``, kept in the database so a worker on any host reads it.'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Dependent',
            name='school_level',
            field=fields.CharEnumField(null=True, description='NONE: none\nKINDERGARTEN: kindergarten\nPRIMARY: primary\nJUNIOR_HIGH: junior_high\nSENIOR_HIGH: senior_high\nSECONDARY_VOCATIONAL: secondary_vocational\nHIGHER_VOCATIONAL: higher_vocational\nUNDERGRADUATE: undergraduate\nVOCATIONAL: vocational\nUNIVERSITY: university', enum_type=SchoolLevel, max_length=20),
        ),
        ops.AddField(
            model_name='District',
            name='kind',
            field=fields.CharField(null=True, max_length=20),
        ),
        ops.AddField(
            model_name='District',
            name='source_ref',
            field=fields.CharField(null=True, max_length=64),
        ),
        ops.AddField(
            model_name='Household',
            name='declared_size',
            field=fields.IntField(null=True),
        ),
    ]
