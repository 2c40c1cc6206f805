"""One import run: check every row before writing anything, then write the good rows in batches.

Rows are matched to records by natural keys (ID number, credit code, district code), so the same
file imported twice changes nothing the second time and files from different exports fit
together. Each batch commits on its own: a run cut short and started again finds the committed
rows unchanged and creates the rest, never duplicates."""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, Protocol

from unionaid.core import policy
from unionaid.core.crypto import Vault
from unionaid.core.db import refresh_statistics
from unionaid.core.errors import Code, DomainError, DomainErrors, Words, message, reason_of
from unionaid.core.host import PluginHost
from unionaid.core.identifiers import parse_id_number
from unionaid.core.imports.lookup import in_chunks
from unionaid.core.imports.reader import FileProblem, Table
from unionaid.core.keys import require_writer
from unionaid.core.models import Member
from unionaid.core.principal import Principal
from unionaid.core.program_reach import ProgramReach
from unionaid.core.services import audit
from unionaid.core.services.validation import Plausibility
from unionaid.core.timezone import today_in_shanghai

MAX_CELL = 500
BATCH = 2000
# The export's own numeric keys: understood (the reference format has them) but never used to
# resolve references, which go by natural keys.
EXPORT_KEYS = frozenset({"id", "district_id", "enterprise_id", "member_id"})

Progress = Callable[[int, int], Awaitable[None] | None]


@dataclass
class RowError:
    row: int  # line in the file (the header is line 1)
    column: str
    code: Code
    params: dict[str, Any] = field(default_factory=dict)

    def text(self, lang: str = "zh") -> str:
        return message(self.code, lang, **self.params)


@dataclass
class Planned:
    """A valid row and what it will do."""

    row: int
    action: str  # "create", "update" or "unchanged"
    values: dict[str, Any]  # model field -> value
    current: dict[str, Any] | None = None  # the record as it is, for updates
    pk: int | None = None
    extra: dict[str, Any] = field(default_factory=dict)  # program columns: name -> value
    # The district the row's record belongs to: required of a program's import kind, whose
    # rows the host refuses outside the program's reach (see ``Run.reach``).
    district: str | None = None


@dataclass(frozen=True)
class ImportMember:
    """A member an import row refers to, as ``Run.find_members`` answers."""

    pk: int  # the database id
    district_code: str
    enterprise_id: int | None
    household_id: int | None


@dataclass
class ImportResult:
    kind: str
    encoding: str
    rows: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    programs: dict[str, int] = field(default_factory=dict)  # program -> records it changed
    written: bool = True

    @property
    def rejected(self) -> int:
        return len({e.row for e in self.errors})

    def summary(self) -> str:
        text = (
            f"{self.kind}: {self.rows} rows — {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged, {self.rejected} rejected"
        )
        if self.programs:
            text += "; " + ", ".join(f"{p}: {n} records changed" for p, n in self.programs.items())
        if not self.written:
            text += " (strict: nothing written)"
        return text

    def as_json(self, lang: str = "zh", max_errors: int = 1000) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "encoding": self.encoding,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "written": self.written,
            "warnings": self.warnings,
            "programs": self.programs,
            "errors": [
                {"row": e.row, "column": e.column, "code": e.code.value, "message": e.text(lang)}
                for e in self.errors[:max_errors]
            ],
        }


class Run:
    """What importers share during one run: who imports, the keys, the plugins, the errors."""

    def __init__(
        self,
        actor: Principal,
        vault: Vault,
        host: PluginHost,
        kind: str,
        today: dt.date | None = None,
        reach: ProgramReach | None = None,
    ) -> None:
        self.reach = reach  # for a program's import kind: where its rows may go
        self.actor = actor
        self.vault = vault
        self.host = host
        self.kind = kind
        self.today = today or today_in_shanghai()  # judges birth dates, as a request's "today"
        self.bounds = Plausibility.from_env()
        self.errors: list[RowError] = []
        self.warnings: list[str] = []
        self._bad: set[int] = set()

    def reject(self, row: int, column: str, code: Code, **params: Any) -> None:
        self.errors.append(RowError(row, column, code, params))
        self._bad.add(row)

    def checked(self, row: int, column: str, check: Callable[..., Any], *args: Any, **kw: Any):
        """Run one of the checks the API runs (they raise DomainError); a refusal rejects the row
        with the same code. Returns the check's value, or None when it refused."""
        try:
            return check(*args, **kw)
        except DomainError as err:
            self.reject(row, column, err.code, **err.params)
            return None

    def ok(self, row: int) -> bool:
        return row not in self._bad

    def check_district(self, row: int, column: str, district_code: str | None) -> bool:
        """For a program's import: whether the row may write in ``district_code``; if not the
        row is rejected (NOT_FOUND, PROGRAM_NOT_ENABLED or FORBIDDEN, see ``ProgramReach``)."""
        refused = self.reach.refusal(district_code) if self.reach is not None else None
        if refused is not None:
            self.reject(row, column, refused.code, **refused.params)
        return refused is None

    async def find_members(self, id_numbers: Iterable[str]) -> dict[str, ImportMember]:
        """The members with these resident ID numbers (cells as written), in a few statements:
        ``{cell: ImportMember}``. Members the importer may not see (another district, or for an
        enterprise contact another enterprise's employees) and unknown numbers are absent:
        reject those rows with NOT_FOUND."""
        digests: dict[str, str] = {}
        for cell in id_numbers:
            resident = parse_id_number(cell)
            if resident is not None:
                digests[cell] = self.vault.lookup_hash(resident.number)
        by_digest: dict[str, ImportMember] = {}
        for chunk in in_chunks(sorted(set(digests.values()))):
            for row in await Member.filter(
                id_number_hash__in=chunk,
                anonymised_at__isnull=True,
                **policy.member_scope(self.actor),
            ).values("id", "id_number_hash", "district_id", "enterprise_id", "household_id"):
                by_digest[row["id_number_hash"]] = ImportMember(
                    row["id"], row["district_id"], row["enterprise_id"], row["household_id"]
                )
        return {cell: by_digest[d] for cell, d in digests.items() if d in by_digest}


Row = tuple[int, dict[str, str]]


class Importer(Protocol):
    kind: str
    tables: tuple[str, ...]  # written by the import; their planner statistics are refreshed
    required: tuple[str, ...]
    optional: tuple[str, ...]

    async def plan(self, run: Run, rows: list[Row]) -> list[Planned]:
        """Check rows (``run.reject`` the bad ones) and match them to records."""

    async def create(self, run: Run, batch: list[Planned]) -> None:
        """Insert a batch of new records in one transaction; set ``pk`` on each."""

    async def update(self, run: Run, item: Planned) -> None:
        """Apply one changed row, audited, in its own transaction."""


def _cells(run: Run, table: Table, columns: list[str]) -> list[Row]:
    rows = []
    for number, cells in table.rows:
        values = {}
        for index, column in enumerate(columns):
            value = cells[index].strip() if index < len(cells) else ""
            if len(value) > MAX_CELL:
                run.reject(number, column, Code.CELL_TOO_LONG, max=MAX_CELL)
            elif value.startswith("="):
                run.reject(number, column, Code.FORMULA_NOT_ALLOWED)
            values[column] = value
        if len(cells) > len(columns) and any(c.strip() for c in cells[len(columns) :]):
            run.reject(
                number,
                "",
                Code.INVALID_INPUT,
                detail=Words("单元格多于表头列数", "more cells than header columns"),
            )
        rows.append((number, values))
    return rows


async def run_import(
    importer: Importer,
    table: Table,
    actor: Principal,
    vault: Vault,
    host: PluginHost,
    *,
    strict: bool = False,
    progress: Progress | None = None,
    source: str = "",
    today: dt.date | None = None,
    reach: ProgramReach | None = None,
) -> ImportResult:
    try:
        await require_writer(vault)  # a key rotation is unfinished: matching could miss
    except DomainError as exc:
        raise FileProblem(exc.code) from exc
    run = Run(actor, vault, host, importer.kind, today, reach)
    program_columns = host.import_columns(importer.kind)
    known = set(importer.required) | set(importer.optional) | EXPORT_KEYS | set(program_columns)
    missing = [c for c in importer.required if c not in table.header]
    if missing:
        raise FileProblem(Code.MISSING_COLUMNS, columns=", ".join(missing))
    result = ImportResult(importer.kind, table.encoding, len(table.rows))
    result.warnings = [
        f"column {c!r} not understood; ignored" for c in table.header if c not in known
    ]
    result.warnings += table.warnings
    rows = _cells(run, table, table.header)
    parsed_extra: dict[int, dict[str, Any]] = {}
    for number, values in rows:
        for column, (program_id, spec) in program_columns.items():
            if values.get(column):
                try:
                    parsed_extra.setdefault(number, {})[column] = spec.parse(values[column])
                except ValueError as exc:
                    why = reason_of(exc)
                    run.reject(
                        number,
                        column,
                        Code.INVALID_INPUT,
                        detail=Words(f"{program_id}：{why.zh}", f"{program_id}: {why.en}"),
                    )
    plan = await importer.plan(run, [r for r in rows if run.ok(r[0])])
    if run.reach is not None:  # the host's own check, whatever the program's plan did
        for item in plan:
            run.check_district(item.row, "", item.district)
    plan = [p for p in plan if run.ok(p.row)]
    for item in plan:
        item.extra = parsed_extra.get(item.row, {})
    result.errors = sorted(run.errors, key=lambda e: (e.row, e.column))
    result.warnings += run.warnings
    if strict and result.errors:
        result.written = False
        return result
    await _write(importer, run, plan, result, progress)
    if result.created or result.updated:
        await refresh_statistics(*importer.tables)
    for column, (program_id, spec) in program_columns.items():
        values = {p.pk: p.extra[column] for p in plan if column in p.extra and p.pk is not None}
        if values:
            changed = await spec.store(values, actor)
            result.programs[program_id] = result.programs.get(program_id, 0) + changed
    await audit.record(
        actor,
        "import" + "".join(word.capitalize() for word in importer.kind.split("-")),
        object_type="Import",
        object_id=source,
        changes={
            key: [None, value]
            for key, value in (
                ("rows", result.rows),
                ("created", result.created),
                ("updated", result.updated),
                ("unchanged", result.unchanged),
                ("rejected", result.rejected),
            )
        },
    )
    return result


async def _write(
    importer: Importer, run: Run, plan: list[Planned], result: ImportResult, progress
) -> None:
    total, done = len(plan), 0

    async def tick(count: int) -> None:
        nonlocal done
        done += count
        if progress is not None:
            outcome = progress(done, total)
            if inspect.isawaitable(outcome):
                await outcome

    creates = [p for p in plan if p.action == "create"]
    for start in range(0, len(creates), BATCH):
        batch = creates[start : start + BATCH]
        await importer.create(run, batch)
        result.created += len(batch)
        await tick(len(batch))
    for item in plan:
        if item.action == "update":
            try:
                await importer.update(run, item)
            except (DomainError, DomainErrors) as exc:  # e.g. CONFLICT: changed meanwhile
                for err in exc.errors if isinstance(exc, DomainErrors) else [exc]:
                    result.errors.append(RowError(item.row, err.field or "", err.code, err.params))
                continue
            result.updated += 1
            await tick(1)
        elif item.action == "unchanged":
            result.unchanged += 1
    await tick(result.unchanged)
