"""A campaign's districts as rows (``campaign_district``), so that a list of campaigns is
scoped, paged and counted in SQL (a principal sees a campaign all of whose districts are
theirs). Existing campaigns get theirs from ``campaign.district_codes``."""

import json

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


async def forward(apps, editor) -> None:
    client = editor.client
    _, rows = await client.execute_query("SELECT id, district_codes FROM campaign")
    for row in rows:
        codes = row["district_codes"]
        for code in json.loads(codes) if isinstance(codes, str) else codes:
            await client.execute_query(
                "INSERT INTO campaign_district (campaign_id, district_code) VALUES "
                + ("($1, $2)" if client.capabilities.dialect == "postgres" else "(?, ?)"),
                [row["id"], code],
            )


async def backward(apps, editor) -> None:
    return None  # the table is dropped with its rows


class Migration(migrations.Migration):
    dependencies = [("core", "0016_event_payments")]

    initial = False

    operations = [
        ops.CreateModel(
            name="CampaignDistrict",
            fields=[
                ("id", fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ("campaign", fields.ForeignKeyField("core.Campaign", source_field="campaign_id", db_constraint=True, to_field="id", related_name="districts", on_delete=OnDelete.RESTRICT)),
                ("district_code", fields.CharField(max_length=6)),
            ],
            options={
                "table": "campaign_district",
                "app": "core",
                "unique_together": (("campaign", "district_code"),),
                "pk_attr": "id",
                "table_description": (
                    "One of a campaign's districts (its ``district_codes``, as rows): lists "
                    "find the campaigns"
                ),
            },
            bases=["Model"],
        ),
        ops.RunPython(forward, backward),
    ]
