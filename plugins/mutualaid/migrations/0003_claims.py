from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from unionaid.plugins.mutualaid.claim_models import AccidentOutcome, ClaimKind, ClaimState
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('mutualaid', '0001_plans')]

    initial = False

    operations = [
        ops.CreateModel(
            name='MemberLock',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.OneToOneField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='mutualaid_claim_lock', on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'mutualaid_member_lock', 'app': 'mutualaid', 'pk_attr': 'id', 'table_description': 'One row per member who ever claimed: claims of a member lock it (``SELECT … FOR'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Stay',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='mutualaid_stays', on_delete=OnDelete.RESTRICT)),
                ('district_code', fields.CharField(max_length=6)),
                ('hospital', fields.CharField(max_length=100)),
                ('admitted_on', fields.DateField()),
                ('discharged_on', fields.DateField()),
                ('out_of_pocket', fields.DecimalField(default=0, max_digits=14, decimal_places=2)),
                ('by_accident', fields.BooleanField(default=False)),
                ('created_by', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'mutualaid_stay', 'app': 'mutualaid', 'unique_together': (('member_id', 'hospital', 'admitted_on'),), 'pk_attr': 'id', 'table_description': 'A hospital stay of a member: (member, hospital, admission date) is unique, and the'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Claim',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='mutualaid_claims', on_delete=OnDelete.RESTRICT)),
                ('district_code', fields.CharField(max_length=6)),
                ('kind', fields.CharEnumField(description='HOSPITAL: hospital\nCRITICAL_ILLNESS: critical_illness\nACCIDENT: accident\nCONDOLENCE: condolence', enum_type=ClaimKind, max_length=16)),
                ('year', fields.IntField()),
                ('plan', fields.ForeignKeyField('mutualaid.Plan', source_field='plan_id', null=True, db_constraint=True, to_field='id', related_name='claims', on_delete=OnDelete.RESTRICT)),
                ('enrolment', fields.ForeignKeyField('mutualaid.Enrolment', source_field='enrolment_id', null=True, db_constraint=True, to_field='id', related_name='claims', on_delete=OnDelete.RESTRICT)),
                ('stay', fields.ForeignKeyField('mutualaid.Stay', source_field='stay_id', null=True, db_constraint=True, to_field='id', related_name='claims', on_delete=OnDelete.RESTRICT)),
                ('event_on', fields.DateField()),
                ('diagnosis_category', fields.CharField(null=True, max_length=40)),
                ('accident_outcome', fields.CharEnumField(null=True, description='MEDICAL: medical\nDISABILITY: disability\nDEATH: death', enum_type=AccidentOutcome, max_length=10)),
                ('disability_grade', fields.IntField(null=True)),
                ('accident_expense', fields.DecimalField(null=True, max_digits=14, decimal_places=2)),
                ('details', fields.TextField(null=True, unique=False)),
                ('status', fields.CharEnumField(description='SUBMITTED: submitted\nASSESSED: assessed\nAPPROVED: approved\nPAID: paid\nREJECTED: rejected', enum_type=ClaimState, max_length=10)),
                ('version', fields.IntField(default=1)),
                ('amount', fields.DecimalField(null=True, max_digits=14, decimal_places=2)),
                ('plan_version', fields.IntField(null=True)),
                ('year_cap', fields.DecimalField(null=True, max_digits=14, decimal_places=2)),
                ('trace', fields.JSONField(null=True, encoder=JSON_DUMPS, decoder=loads)),
                ('reject_reason', fields.CharField(null=True, max_length=200)),
                ('payment_id', fields.IntField(null=True)),
                ('submitted_on', fields.DateField()),
                ('paid_on', fields.DateField(null=True)),
                ('created_by', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'mutualaid_claim', 'app': 'mutualaid', 'unique_together': (('stay_id', 'kind'),), 'indexes': [Index(fields=['member_id', 'year']), Index(fields=['district_code', 'status'])], 'pk_attr': 'id', 'table_description': 'A claim on the plan (hospital, critical illness, accident) or a condolence, moved through'},
            bases=['Model'],
        ),
    ]
