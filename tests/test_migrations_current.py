"""The models and the migrations agree: ``unionaid makemigrations`` finds nothing to write for
the core or any built-in program. A model changed without its migration (a new field, an
index, even a table's description) fails here, not in a deployment's next makemigrations."""

from tortoise.cli import cli

from unionaid.core import db


async def test_makemigrations_finds_no_change_for_the_core_or_any_program(
    builtin_host, monkeypatch
):
    written: list[str] = []

    def write(writer) -> str:  # record what would be written; never touch the package
        written.append(f"{writer.app_label}.{writer.name}")
        return "(not written)"

    monkeypatch.setattr(cli.MigrationWriter, "write", write)
    await db.make_migrations(builtin_host, (), None)
    assert written == []
