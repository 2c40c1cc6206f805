"""0006 added columns to ledger_entry; SQLite rebuilds a table to alter it, which drops its
triggers. Put the append-only triggers back (on PostgreSQL they survived: this is a no-op
there, as the triggers are dropped and created again)."""

import importlib

from tortoise import migrations
from tortoise.migrations import operations as ops

first = importlib.import_module("unionaid.core.migrations.0004_append_only")


async def forward(apps, editor) -> None:
    await first.backward(apps, editor)
    await first.forward(apps, editor)


class Migration(migrations.Migration):
    dependencies = [("core", "0007_entitlement_once")]

    operations = [ops.RunPython(forward, first.backward)]
