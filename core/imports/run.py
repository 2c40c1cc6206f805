"""The entry point shared by the CLI, the HTTP upload and the job worker."""

from __future__ import annotations

import datetime as dt

from unionaid.core import policy
from unionaid.core.crypto import Vault
from unionaid.core.errors import Code, TopLevelError, Words
from unionaid.core.host import PluginHost
from unionaid.core.imports.districts import DistrictImporter
from unionaid.core.imports.engine import Importer, ImportResult, Progress, run_import
from unionaid.core.imports.enterprises import EnterpriseImporter
from unionaid.core.imports.members import MemberImporter
from unionaid.core.imports.reader import FileProblem, read_table
from unionaid.core.imports.students import StudentImporter
from unionaid.core.policy import Action
from unionaid.core.principal import Principal
from unionaid.core.program_reach import ProgramReach

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
    importer, reach = await importer_for(kind, actor, host)
    table = read_table(content, filename, encoding)
    return await run_import(
        importer,
        table,
        actor,
        vault,
        host,
        strict=strict,
        progress=progress,
        source=filename,
        today=today,
        reach=reach,
    )


async def may_import(actor: Principal, kind: str, host: PluginHost) -> None:
    """Refuse (FORBIDDEN, top-level) an import the actor may never run: the core's kinds need
    ``IMPORT_FILES``; a program's, the action it names, in a role the program serves. Rows are
    checked one by one when the import runs."""
    if kind in IMPORTERS:
        policy.require_action(actor, Action.IMPORT_FILES)
        return
    found = host.import_kind(kind)
    if found is None:
        raise TopLevelError(Code.NOT_FOUND, what=Words(f"导入类型 {kind}", f"import kind {kind}"))
    await ProgramReach.of(host, found[0], actor, found[1].action)


def may_upload(actor: Principal, host: PluginHost) -> bool:
    """Whether the actor may upload a file to import: it may run some kind of import."""
    if policy.has(actor, Action.IMPORT_FILES):
        return True
    return any(
        actor.role in program.info.serves and policy.has(actor, spec.action)
        for program in host.programs.values()
        for spec in program.import_kinds.values()
    )


def import_kinds(host: PluginHost) -> list[str]:
    """Every kind ``unionaid import`` and ``startImport`` accept: the core's, then programs'."""
    return [*IMPORTERS, *host.import_kinds()]


async def importer_for(
    kind: str, actor: Principal, host: PluginHost
) -> tuple[Importer, ProgramReach | None]:
    """The importer of ``kind``, and for a program's kind where its rows may go (refuses,
    FORBIDDEN, a role without the kind's action or that the program does not serve)."""
    if kind in IMPORTERS:
        return IMPORTERS[kind](), None
    found = host.import_kind(kind)
    if found is None:
        raise FileProblem(Code.NOT_FOUND, what=Words(f"导入类型 {kind}", f"import kind {kind}"))
    program_id, spec = found
    reach = await ProgramReach.of(host, program_id, actor, spec.action)
    importer = spec.importer()
    importer.kind = kind
    return importer, reach
