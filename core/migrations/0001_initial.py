from tortoise import migrations
from tortoise.migrations import operations as ops
import functools
from json import dumps, loads
from tortoise.fields.base import OnDelete
from unionaid.core.models.fund import LedgerKind
from unionaid.core.models.member import EmploymentStatus, Gender, Relation, SchoolLevel
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    initial = True

    operations = [
        ops.CreateModel(
            name='District',
            fields=[
                ('code', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=6)),
                ('name', fields.CharField(max_length=50)),
            ],
            options={'table': 'district', 'app': 'core', 'pk_attr': 'code', 'table_description': 'A district federation (区总工会). The 6-digit administrative code is the key, so scoping a'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Enterprise',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=200)),
                ('uscc', fields.CharField(unique=True, max_length=18)),
                ('district', fields.ForeignKeyField('core.District', source_field='district_id', db_constraint=True, to_field='code', related_name='enterprises', on_delete=OnDelete.RESTRICT)),
                ('is_caring', fields.BooleanField(default=False)),
                ('contact_name', fields.CharField(null=True, max_length=50)),
                ('contact_phone', fields.CharField(null=True, max_length=20)),
                ('kind', fields.CharField(null=True, max_length=30)),
                ('industry', fields.CharField(null=True, max_length=50)),
                ('source_ref', fields.CharField(null=True, max_length=64)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'enterprise', 'app': 'core', 'pk_attr': 'id'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Fund',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('code', fields.CharField(unique=True, max_length=32)),
                ('name', fields.CharField(max_length=100)),
                ('district', fields.ForeignKeyField('core.District', source_field='district_id', null=True, db_constraint=True, to_field='code', related_name='funds', on_delete=OnDelete.RESTRICT)),
                ('purpose', fields.CharField(default='', max_length=200)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'fund', 'app': 'core', 'pk_attr': 'id', 'table_description': 'Money raised by the city or one district. Its balance is the sum of its ledger entries.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Household',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('district', fields.ForeignKeyField('core.District', source_field='district_id', db_constraint=True, to_field='code', related_name='households', on_delete=OnDelete.RESTRICT)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'household', 'app': 'core', 'pk_attr': 'id', 'table_description': 'The unit that per-household benefits pay once: spouses who are both members share one.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Dependent',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('household', fields.ForeignKeyField('core.Household', source_field='household_id', db_constraint=True, to_field='id', related_name='dependents', on_delete=OnDelete.RESTRICT)),
                ('name', fields.CharField(max_length=50)),
                ('relation', fields.CharEnumField(description='CHILD: child\nSPOUSE: spouse\nPARENT: parent\nOTHER: other', enum_type=Relation, max_length=10)),
                ('birth_date', fields.DateField(null=True)),
                ('gender', fields.CharEnumField(null=True, description='MALE: male\nFEMALE: female', enum_type=Gender, max_length=6)),
                ('school_level', fields.CharEnumField(null=True, description='NONE: none\nKINDERGARTEN: kindergarten\nPRIMARY: primary\nJUNIOR_HIGH: junior_high\nSENIOR_HIGH: senior_high\nVOCATIONAL: vocational\nUNIVERSITY: university', enum_type=SchoolLevel, max_length=12)),
                ('school', fields.CharField(null=True, max_length=100)),
                ('source_ref', fields.CharField(null=True, max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'dependent', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A household member who is not a union member: a child, a spouse, a parent.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='LedgerEntry',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('fund', fields.ForeignKeyField('core.Fund', source_field='fund_id', db_constraint=True, to_field='id', related_name='entries', on_delete=OnDelete.RESTRICT)),
                ('amount', fields.DecimalField(max_digits=14, decimal_places=2)),
                ('balance_after', fields.DecimalField(max_digits=14, decimal_places=2)),
                ('kind', fields.CharEnumField(description='CONTRIBUTION: contribution\nTRANSFER_IN: transfer_in\nTRANSFER_OUT: transfer_out', enum_type=LedgerKind, max_length=20)),
                ('reference', fields.CharField(null=True, max_length=64)),
                ('memo', fields.CharField(default='', max_length=200)),
                ('actor', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'ledger_entry', 'app': 'core', 'indexes': [Index(fields=['fund_id', 'id'])], 'pk_attr': 'id', 'table_description': 'Append-only: entries are never updated or deleted. A correction is a new entry.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Member',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(max_length=50)),
                ('id_number_enc', fields.CharField(max_length=120)),
                ('id_number_hash', fields.CharField(unique=True, max_length=64)),
                ('id_number_masked', fields.CharField(max_length=18)),
                ('birth_date', fields.DateField()),
                ('gender', fields.CharEnumField(description='MALE: male\nFEMALE: female', enum_type=Gender, max_length=6)),
                ('phone', fields.CharField(null=True, max_length=11)),
                ('district', fields.ForeignKeyField('core.District', source_field='district_id', db_constraint=True, to_field='code', related_name='members', on_delete=OnDelete.RESTRICT)),
                ('enterprise', fields.ForeignKeyField('core.Enterprise', source_field='enterprise_id', null=True, db_constraint=True, to_field='id', related_name='members', on_delete=OnDelete.RESTRICT)),
                ('household', fields.ForeignKeyField('core.Household', source_field='household_id', db_constraint=True, to_field='id', related_name='members', on_delete=OnDelete.RESTRICT)),
                ('is_union_member', fields.BooleanField(default=True)),
                ('employment_status', fields.CharEnumField(default=EmploymentStatus.EMPLOYED, description='EMPLOYED: employed\nLAID_OFF: laid_off\nUNEMPLOYED: unemployed\nRETIRED: retired', enum_type=EmploymentStatus, max_length=10)),
                ('monthly_income', fields.DecimalField(null=True, max_digits=14, decimal_places=2)),
                ('is_active', fields.BooleanField(default=True)),
                ('source_ref', fields.CharField(null=True, max_length=64)),
                ('version', fields.IntField(default=1)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'member', 'app': 'core', 'indexes': [Index(fields=['district_id', 'id'])], 'pk_attr': 'id', 'table_description': 'A worker on the register. The resident ID number is stored three ways: encrypted, as a keyed'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='MemberMove',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('member', fields.ForeignKeyField('core.Member', source_field='member_id', db_constraint=True, to_field='id', related_name='moves', on_delete=OnDelete.RESTRICT)),
                ('from_district', fields.ForeignKeyField('core.District', source_field='from_district_id', db_constraint=True, to_field='code', related_name='moves_out', on_delete=OnDelete.RESTRICT)),
                ('to_district', fields.ForeignKeyField('core.District', source_field='to_district_id', db_constraint=True, to_field='code', related_name='moves_in', on_delete=OnDelete.RESTRICT)),
                ('actor', fields.CharField(max_length=64)),
                ('moved_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'member_move', 'app': 'core', 'pk_attr': 'id', 'table_description': 'A member moved from one district to another: history is kept, never overwritten.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProgramEnablement',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('program', fields.CharField(max_length=64)),
                ('district', fields.ForeignKeyField('core.District', source_field='district_id', db_constraint=True, to_field='code', related_name='programs', on_delete=OnDelete.RESTRICT)),
                ('enabled', fields.BooleanField(default=False)),
                ('updated_by', fields.CharField(max_length=64)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'program_enablement', 'app': 'core', 'unique_together': (('program', 'district'),), 'pk_attr': 'id', 'table_description': 'Whether a program (plugin id) runs in a district. The only place enablement lives.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ProgramSettings',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('program', fields.CharField(max_length=64)),
                ('scope', fields.CharField(max_length=8)),
                ('version', fields.IntField()),
                ('valid_from', fields.DateField()),
                ('values', fields.JSONField(encoder=functools.partial(dumps, separators=(',', ':')), decoder=loads)),
                ('created_by', fields.CharField(max_length=64)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'program_settings', 'app': 'core', 'unique_together': (('program', 'scope', 'version'),), 'pk_attr': 'id', 'table_description': 'One version of the settings a scope (the city, or a district code) overrides for a program.'},
            bases=['Model'],
        ),
    ]
