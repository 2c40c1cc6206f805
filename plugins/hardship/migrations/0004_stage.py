"""A file's workflow stage (registered, verified, closed) and its history in the core's
``workflow_step``. Existing files take the stage their columns show; their registrations are
carried over as steps, so the registrar still may not verify or review them."""

from tortoise import fields, migrations
from tortoise.migrations import operations as ops

from unionaid.plugins.hardship.models import FileStage


class AddStage(ops.AddField):
    """The column with a database default: neither SQLite nor PostgreSQL adds a NOT NULL
    column to a table without one, and the ORM's default is Python's only."""

    async def database_forward(self, app_label, old_state, new_state, state_editor=None):
        if state_editor:
            await state_editor.client.execute_script(
                "ALTER TABLE hardship_profile "
                "ADD COLUMN stage VARCHAR(10) NOT NULL DEFAULT 'registered'"
            )


class Migration(migrations.Migration):
    dependencies = [("core", "0015_workflow_history"), ("hardship", "0003_visits")]

    initial = False

    operations = [
        AddStage(
            model_name="HardshipProfile",
            name="stage",
            field=fields.CharEnumField(default=FileStage.REGISTERED, description="REGISTERED: registered\nVERIFIED: verified\nCLOSED: closed", enum_type=FileStage, max_length=10),
        ),
        ops.RunSQL(
            "UPDATE hardship_profile SET stage = CASE WHEN status = 'closed' THEN 'closed' "
            "WHEN verified_on IS NOT NULL THEN 'verified' ELSE 'registered' END",
            reverse_sql=ops.RunSQL.noop,
        ),
        ops.RunSQL(
            "INSERT INTO workflow_step (record_type, record_id, transition, from_state, to_state, "
            "actor, actor_id, note, at) SELECT 'HardshipFile', profile_id, 'register', NULL, "
            "'registered', actor, NULL, NULL, at FROM hardship_file_change "
            "WHERE operation = 'registerHardshipFile' ORDER BY id",
            reverse_sql=ops.RunSQL.noop,
        ),
    ]
