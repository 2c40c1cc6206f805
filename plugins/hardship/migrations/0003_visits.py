from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from unionaid.plugins.hardship.models import Occasion, VisiteeKind
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0001_initial'), ('core', '0002_wuxi_districts'), ('core', '0003_access'), ('core', '0004_append_only'), ('core', '0005_jobs_imports'), ('core', '0006_campaigns'), ('core', '0007_entitlement_once'), ('core', '0008_append_only_again'), ('core', '0009_school_terms'), ('hardship', '0002_files')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Visit',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('district_code', fields.CharField(max_length=6)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', null=True, db_constraint=True, to_field='id', related_name='hardship_visits', on_delete=OnDelete.RESTRICT)),
                ('visitee_name', fields.CharField(max_length=50)),
                ('visitee_kind', fields.CharEnumField(description='HOUSEHOLD: household\nMODEL_WORKER: model_worker\nFRONTLINE: frontline', enum_type=VisiteeKind, max_length=12)),
                ('workplace', fields.CharField(null=True, max_length=100)),
                ('visited_by', fields.CharField(max_length=100)),
                ('visited_on', fields.DateField()),
                ('occasion', fields.CharEnumField(description='SPRING_FESTIVAL: spring_festival\nMID_AUTUMN: mid_autumn\nOTHER: other', enum_type=Occasion, max_length=16)),
                ('cash', fields.DecimalField(default=0, max_digits=14, decimal_places=2)),
                ('gifts', fields.CharField(default='', max_length=200)),
                ('gift_value', fields.DecimalField(default=0, max_digits=14, decimal_places=2)),
                ('campaign_id', fields.IntField(null=True)),
                ('entitlement_id', fields.IntField(null=True)),
                ('recorded_by', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'hardship_visit', 'app': 'hardship', 'indexes': [Index(fields=['district_code', 'visited_on'])], 'pk_attr': 'id', 'table_description': 'A visit (走访慰问): who visited whom, when, and what was handed over. Cash is never written'},
            bases=['Model'],
        ),
    ]
