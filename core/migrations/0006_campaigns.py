from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from unionaid.core.models.campaign import CampaignStatus, EntitlementStatus
from unionaid.core.models.fund import LedgerKind
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0005_jobs_imports')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Campaign',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=100)),
                ('program', fields.CharField(max_length=32)),
                ('rule_code', fields.CharField(max_length=64)),
                ('period_code', fields.CharField(max_length=32)),
                ('period_start', fields.DateField()),
                ('period_end', fields.DateField()),
                ('judged_on', fields.DateField()),
                ('district_codes', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('fund', fields.ForeignKeyField('core.Fund', source_field='fund_id', db_constraint=True, to_field='id', related_name='campaigns', on_delete=OnDelete.RESTRICT)),
                ('status', fields.CharEnumField(default=CampaignStatus.DRAFT, description='DRAFT: draft\nEVALUATED: evaluated\nAPPROVED: approved\nPAID: paid\nCLOSED: closed\nCANCELLED: cancelled\nREJECTED: rejected', enum_type=CampaignStatus, max_length=10)),
                ('created_by', fields.CharField(max_length=64)),
                ('created_by_id', fields.IntField(null=True)),
                ('entitled_count', fields.IntField(default=0)),
                ('entitled_total', fields.DecimalField(default=0, max_digits=14, decimal_places=2)),
                ('paid_count', fields.IntField(default=0)),
                ('paid_total', fields.DecimalField(default=0, max_digits=14, decimal_places=2)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'campaign', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A payment cycle of one rule over one period in some districts, paid from one fund.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Approval',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('campaign', fields.ForeignKeyField('core.Campaign', source_field='campaign_id', db_constraint=True, to_field='id', related_name='approvals', on_delete=OnDelete.RESTRICT)),
                ('approver', fields.CharField(max_length=64)),
                ('approver_id', fields.IntField(null=True)),
                ('decision', fields.CharField(max_length=10)),
                ('reason', fields.CharField(default='', max_length=500)),
                ('campaign_version', fields.IntField()),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'approval', 'app': 'core', 'pk_attr': 'id', 'table_description': "An approver's decision on a campaign (maker-checker): never the campaign's creator."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DistrictPolicy',
            fields=[
                ('district', fields.OneToOneField('core.District', source_field='district_id', primary_key=True, db_index=True, db_constraint=True, to_field='code', related_name='policy', on_delete=OnDelete.RESTRICT)),
                ('second_approval_above', fields.DecimalField(null=True, max_digits=14, decimal_places=2)),
                ('updated_by', fields.CharField(max_length=64)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'district_policy', 'app': 'core', 'pk_attr': 'district_id', 'table_description': "A district's own rules for money: a second approver above this campaign total."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Entitlement',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('campaign', fields.ForeignKeyField('core.Campaign', source_field='campaign_id', db_constraint=True, to_field='id', related_name='entitlements', on_delete=OnDelete.RESTRICT)),
                ('program', fields.CharField(max_length=32)),
                ('rule_code', fields.CharField(max_length=64)),
                ('period_code', fields.CharField(max_length=32)),
                ('beneficiary', fields.CharField(max_length=24)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='entitlements', on_delete=OnDelete.RESTRICT)),
                ('household_id', fields.IntField()),
                ('district_code', fields.CharField(max_length=6)),
                ('amount', fields.DecimalField(max_digits=14, decimal_places=2)),
                ('status', fields.CharEnumField(default=EntitlementStatus.ENTITLED, description='ENTITLED: entitled\nPAID: paid\nCANCELLED: cancelled\nREVERSED: reversed', enum_type=EntitlementStatus, max_length=10)),
                ('explanation', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('facts', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('settings', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('settings_version', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('paid_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('payment_entry_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'entitlement', 'app': 'core', 'indexes': [Index(fields=['campaign_id', 'id']), Index(fields=['member_id'])], 'pk_attr': 'id', 'table_description': "One beneficiary's decided amount in a campaign, with the facts and settings it was"},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='IdempotencyKey',
            fields=[
                ('key', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=100)),
                ('user_id', fields.IntField(null=True)),
                ('operation', fields.CharField(max_length=40)),
                ('request_hash', fields.CharField(max_length=64)),
                ('response', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'idempotency_key', 'app': 'core', 'pk_attr': 'key', 'table_description': "The answer to a payment request, kept under the caller's key: the same key gets the same"},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='LedgerEntry',
            name='kind',
            field=fields.CharEnumField(description='CONTRIBUTION: contribution\nTRANSFER_IN: transfer_in\nTRANSFER_OUT: transfer_out\nPAYMENT: payment\nREVERSAL: reversal', enum_type=LedgerKind, max_length=20),
        ),
        ops.AddField(
            model_name='LedgerEntry',
            name='district_code',
            field=fields.CharField(null=True, max_length=6),
        ),
        ops.AddField(
            model_name='LedgerEntry',
            name='period_code',
            field=fields.CharField(null=True, max_length=32),
        ),
        ops.AddField(
            model_name='LedgerEntry',
            name='program',
            field=fields.CharField(null=True, max_length=32),
        ),
    ]
