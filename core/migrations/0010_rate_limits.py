from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0009_school_terms')]

    initial = False

    operations = [
        ops.CreateModel(
            name='RateBucket',
            fields=[
                ('key', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=80)),
                ('count', fields.IntField(default=0)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'rate_bucket', 'app': 'core', 'indexes': [Index(fields=['expires_at'])], 'pk_attr': 'key', 'table_description': 'Requests counted per token (or address) and minute, shared by every server process.'},
            bases=['Model'],
        ),
    ]
