from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from unionaid.plugins.mutualaid.models import Channel, ContributionKind, EnrolmentState, Payer, PlanState, RefundState
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0015_workflow_history')]

    initial = True

    operations = [
        ops.CreateModel(
            name='Plan',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('plan_year', fields.IntField()),
                ('scope', fields.CharField(max_length=6)),
                ('district_code', fields.CharField(null=True, max_length=6)),
                ('name', fields.CharField(max_length=100)),
                ('fund', fields.ForeignKeyField('core.Fund', source_field='fund_id', db_constraint=True, to_field='id', related_name='mutualaid_plans', on_delete=OnDelete.RESTRICT)),
                ('state', fields.CharEnumField(default=PlanState.PUBLISHED, description='PUBLISHED: published\nWITHDRAWN: withdrawn', enum_type=PlanState, max_length=10)),
                ('version', fields.IntField(default=1)),
                ('published_by', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'mutualaid_plan', 'app': 'mutualaid', 'unique_together': (('plan_year', 'scope'),), 'pk_attr': 'id', 'table_description': 'A plan per plan year and scope (the city, or one district). Its parameters live in'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Enrolment',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('plan', fields.ForeignKeyField('mutualaid.Plan', source_field='plan_id', db_constraint=True, to_field='id', related_name='enrolments', on_delete=OnDelete.RESTRICT)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='mutualaid_enrolments', on_delete=OnDelete.RESTRICT)),
                ('plan_year', fields.IntField()),
                ('district_code', fields.CharField(max_length=6)),
                ('shares', fields.IntField()),
                ('amount', fields.DecimalField(max_digits=14, decimal_places=2)),
                ('channel', fields.CharEnumField(description='CASEWORKER: caseworker\nENTERPRISE: enterprise', enum_type=Channel, max_length=10)),
                ('payer', fields.CharEnumField(description='MEMBER: member\nENTERPRISE: enterprise', enum_type=Payer, max_length=10)),
                ('enterprise', fields.ForeignKeyField('core.Enterprise', source_field='enterprise_id', null=True, db_constraint=True, to_field='id', related_name='mutualaid_enrolments', on_delete=OnDelete.RESTRICT)),
                ('batch', fields.CharField(null=True, max_length=40)),
                ('state', fields.CharEnumField(default=EnrolmentState.ACTIVE, description='ACTIVE: active\nCANCELLED: cancelled', enum_type=EnrolmentState, max_length=10)),
                ('once_key', fields.CharField(null=True, unique=True, max_length=32)),
                ('enrolled_on', fields.DateField()),
                ('cover_from', fields.DateField()),
                ('enrolled_by', fields.CharField(max_length=64)),
                ('cancelled_on', fields.DateField(null=True)),
                ('cancelled_by', fields.CharField(null=True, max_length=64)),
                ('refund_state', fields.CharEnumField(default=RefundState.NONE, description='NONE: none\nDUE: due\nPAID: paid', enum_type=RefundState, max_length=6)),
                ('refund_amount', fields.DecimalField(default=0, max_digits=14, decimal_places=2)),
                ('refund_approved_by', fields.CharField(null=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'mutualaid_enrolment', 'app': 'mutualaid', 'indexes': [Index(fields=['plan_id', 'district_code']), Index(fields=['member_id', 'plan_year'])], 'pk_attr': 'id', 'table_description': 'A member in a plan with a number of shares. ``once_key`` ("<member>:<year>") is set while'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Contribution',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('plan', fields.ForeignKeyField('mutualaid.Plan', source_field='plan_id', db_constraint=True, to_field='id', related_name='contributions', on_delete=OnDelete.RESTRICT)),
                ('enrolment', fields.ForeignKeyField('mutualaid.Enrolment', source_field='enrolment_id', db_constraint=True, to_field='id', related_name='contributions', on_delete=OnDelete.RESTRICT)),
                ('kind', fields.CharEnumField(description='CONTRIBUTION: contribution\nREFUND: refund', enum_type=ContributionKind, max_length=12)),
                ('payer', fields.CharEnumField(description='MEMBER: member\nENTERPRISE: enterprise', enum_type=Payer, max_length=10)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='mutualaid_contributions', on_delete=OnDelete.RESTRICT)),
                ('enterprise', fields.ForeignKeyField('core.Enterprise', source_field='enterprise_id', null=True, db_constraint=True, to_field='id', related_name='mutualaid_contributions', on_delete=OnDelete.RESTRICT)),
                ('district_code', fields.CharField(max_length=6)),
                ('amount', fields.DecimalField(max_digits=14, decimal_places=2)),
                ('ledger_entry_id', fields.IntField(null=True)),
                ('batch', fields.CharField(null=True, max_length=40)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'mutualaid_contribution', 'app': 'mutualaid', 'indexes': [Index(fields=['plan_id', 'district_code'])], 'pk_attr': 'id', 'table_description': "Money into (or, for a refund, out of) the plan's fund for one enrolment: the ledger entry"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PlanVersion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('plan', fields.ForeignKeyField('mutualaid.Plan', source_field='plan_id', db_constraint=True, to_field='id', related_name='versions', on_delete=OnDelete.RESTRICT)),
                ('version', fields.IntField()),
                ('effective_from', fields.DateField()),
                ('starts_on', fields.DateField()),
                ('ends_on', fields.DateField()),
                ('enrol_from', fields.DateField()),
                ('enrol_until', fields.DateField()),
                ('share_price', fields.DecimalField(max_digits=14, decimal_places=2)),
                ('illness_waiting_days', fields.IntField()),
                ('coverages', fields.JSONField(encoder=JSON_DUMPS, decoder=loads)),
                ('reason', fields.CharField(default='', max_length=200)),
                ('created_by', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'mutualaid_plan_version', 'app': 'mutualaid', 'unique_together': (('plan_id', 'version'),), 'pk_attr': 'id', 'table_description': 'The parameters of a plan from a day on: term, enrolment window, share price, coverages'},
            bases=['Model'],
        ),
    ]
