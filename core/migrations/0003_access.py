from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from unionaid.core.models.access import Role
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('core', '0002_wuxi_districts')]

    initial = False

    operations = [
        ops.CreateModel(
            name='AuditEntry',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('user_id', fields.IntField(null=True)),
                ('username', fields.CharField(max_length=64)),
                ('role', fields.CharField(default='', max_length=20)),
                ('request_id', fields.CharField(default='', max_length=64)),
                ('operation', fields.CharField(max_length=64)),
                ('object_type', fields.CharField(default='', max_length=32)),
                ('object_id', fields.CharField(default='', max_length=64)),
                ('district_code', fields.CharField(null=True, max_length=6)),
                ('outcome', fields.CharField(default='ok', max_length=10)),
                ('purpose', fields.CharField(null=True, max_length=200)),
                ('changes', fields.JSONField(default=dict, encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
            ],
            options={'table': 'audit_entry', 'app': 'core', 'indexes': [Index(fields=['object_type', 'object_id']), Index(fields=['username', 'at']), Index(fields=['district_code', 'at'])], 'pk_attr': 'id', 'table_description': 'Append-only record of every change and every personal-data disclosure or refusal.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LoginAttempt',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('username', fields.CharField(max_length=64)),
                ('client', fields.CharField(default='', max_length=64)),
                ('succeeded', fields.BooleanField()),
                ('at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'login_attempt', 'app': 'core', 'indexes': [Index(fields=['username', 'at']), Index(fields=['client', 'at'])], 'pk_attr': 'id', 'table_description': 'Sign-in attempts, kept to throttle password guessing across server processes.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='User',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('username', fields.CharField(unique=True, max_length=64)),
                ('display_name', fields.CharField(default='', max_length=100)),
                ('role', fields.CharEnumField(description='CITY_ADMIN: city_admin\nDISTRICT_ADMIN: district_admin\nCASEWORKER: caseworker\nAPPROVER: approver\nAUDITOR: auditor\nENTERPRISE: enterprise\nSERVICE: service', enum_type=Role, max_length=20)),
                ('enterprise', fields.ForeignKeyField('core.Enterprise', source_field='enterprise_id', null=True, db_constraint=True, to_field='id', related_name='contacts', on_delete=OnDelete.RESTRICT)),
                ('password_hash', fields.CharField(null=True, max_length=200)),
                ('is_active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'app_user', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A person or a service account. Deactivated, never deleted: the audit trail names them.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ApiToken',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('core.User', source_field='user_id', db_constraint=True, to_field='id', related_name='tokens', on_delete=OnDelete.RESTRICT)),
                ('token_hash', fields.CharField(unique=True, max_length=64)),
                ('prefix', fields.CharField(max_length=12)),
                ('kind', fields.CharField(max_length=10)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('expires_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('revoked_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'api_token', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A bearer token, stored only as its SHA-256 (the token itself is 256 random bits).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='UserDistrict',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('core.User', source_field='user_id', db_constraint=True, to_field='id', related_name='districts', on_delete=OnDelete.RESTRICT)),
                ('district', fields.ForeignKeyField('core.District', source_field='district_id', db_constraint=True, to_field='code', related_name='user_links', on_delete=OnDelete.RESTRICT)),
            ],
            options={'table': 'user_district', 'app': 'core', 'unique_together': (('user_id', 'district_id'),), 'pk_attr': 'id', 'table_description': 'A district a user works in (district-scoped roles).'},
            bases=['Model'],
        ),
        ops.AddField(
            model_name='Member',
            name='anonymised_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
    ]
