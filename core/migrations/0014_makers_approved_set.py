"""Maker-checker for everyone who made a campaign (``campaign_maker``), the approved set (an
entitlement's ``approved_version``), ``partly_paid`` campaigns, and entitlements linked to the
ledger entries that paid and reversed them. Existing data is carried over: creators are makers,
the entitlements of approved campaigns are approved at the campaign's version, and paid ones
find their entry by the ledger's ``entitlement:ID`` reference."""

from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from unionaid.core.models.campaign import CampaignStatus
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('core', '0013_data_key')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CampaignMaker',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('campaign', fields.ForeignKeyField('core.Campaign', source_field='campaign_id', db_constraint=True, to_field='id', related_name='makers', on_delete=OnDelete.RESTRICT)),
                ('username', fields.CharField(max_length=64)),
                ('user_id', fields.IntField(null=True)),
                ('action', fields.CharField(max_length=20)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'campaign_maker', 'app': 'core', 'unique_together': (('campaign', 'username'),), 'pk_attr': 'id', 'table_description': 'Someone who made a campaign what it is (created it, evaluated it, added an entitlement'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='Campaign',
            name='status',
            field=fields.CharEnumField(default=CampaignStatus.DRAFT, description='DRAFT: draft\nEVALUATED: evaluated\nAPPROVED: approved\nPARTLY_PAID: partly_paid\nPAID: paid\nCLOSED: closed\nCANCELLED: cancelled\nREJECTED: rejected', enum_type=CampaignStatus, max_length=12),
        ),
        ops.AddField(
            model_name='Entitlement',
            name='approved_version',
            field=fields.IntField(null=True),
        ),
        ops.AddField(
            model_name='Entitlement',
            name='reversal_entry_id',
            field=fields.IntField(null=True),
        ),
        ops.RunSQL(
            "INSERT INTO campaign_maker (campaign_id, username, user_id, action, at) "
            "SELECT id, created_by, created_by_id, 'create', created_at FROM campaign",
            reverse_sql="DELETE FROM campaign_maker",
        ),
        ops.RunSQL(
            "UPDATE entitlement SET approved_version = (SELECT version FROM campaign "
            "WHERE campaign.id = entitlement.campaign_id) WHERE status = 'entitled' AND "
            "campaign_id IN (SELECT id FROM campaign WHERE status = 'approved')",
            reverse_sql=ops.RunSQL.noop,
        ),
        ops.RunSQL(
            "UPDATE entitlement SET payment_entry_id = (SELECT MAX(id) FROM ledger_entry "
            "WHERE kind = 'payment' AND reference = 'entitlement:' || entitlement.id) "
            "WHERE status IN ('paid', 'reversed') AND payment_entry_id IS NULL",
            reverse_sql=ops.RunSQL.noop,
        ),
        ops.RunSQL(
            "UPDATE entitlement SET reversal_entry_id = (SELECT MAX(id) FROM ledger_entry "
            "WHERE kind = 'reversal' AND reference = 'entitlement:' || entitlement.id) "
            "WHERE status = 'reversed'",
            reverse_sql=ops.RunSQL.noop,
        ),
    ]
