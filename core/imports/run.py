"""The entry point shared by the CLI, the HTTP upload and the job worker."""

from __future__ import annotations

import datetime as dt

from unionaid.core.crypto import Vault
from unionaid.core.host import PluginHost
from unionaid.core.imports.districts import DistrictImporter
from unionaid.core.imports.engine import ImportResult, Progress, run_import
from unionaid.core.imports.enterprises import EnterpriseImporter
from unionaid.core.imports.members import MemberImporter
from unionaid.core.imports.reader import read_table
from unionaid.core.imports.students import StudentImporter
from unionaid.core.principal import Principal

IMPORTERS = {
    "districts": DistrictImporter,
    "enterprises": EnterpriseImporter,
    "members": MemberImporter,
    "students": StudentImporter,
}


async def import_file(
    kind: str,
    content: bytes,
    filename: str,
    actor: Principal,
    vault: Vault,
    host: PluginHost,
    *,
    encoding: str | None = None,
    strict: bool = False,
    progress: Progress | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Raises :class:`~unionaid.core.imports.reader.FileProblem` for a file that cannot be
    imported at all (nothing is written); otherwise reports row by row."""
    table = read_table(content, filename, encoding)
    return await run_import(
        IMPORTERS[kind](),
        table,
        actor,
        vault,
        host,
        strict=strict,
        progress=progress,
        source=filename,
        today=today,
    )
