"""The small value types plugins hand to the host through the hooks in :mod:`hookspecs`."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from unionaid.core.principal import Principal

_PROGRAM_ID = re.compile(r"[a-z][a-z0-9]{1,30}")
ROLES = frozenset(
    {"city_admin", "district_admin", "caseworker", "approver", "auditor", "enterprise", "service"}
)
# Who a program serves unless it says otherwise: the federation's own staff and machine
# accounts. An enterprise contact's scope is its own employees' register data; a program where
# enterprises act (placements, postings, enrolments) adds "enterprise" itself.
STAFF_ROLES = ROLES - {"enterprise"}
_CONTRACT_VERSION = re.compile(r"(\d+)(?:\.(\d+))?")


@dataclass(frozen=True)
class ProgramInfo:
    id: str
    name: str
    name_en: str
    version: str
    description: str = ""
    serves: frozenset[str] = STAFF_ROLES  # the roles whose users see and use the program
    # The plugin contract versions supported: "2" (any 2.x) or "2.1" (2.1 or later 2.x). Empty
    # means undeclared, refused at startup (a keyword with a default so the refusal can say so).
    contract_versions: tuple[str, ...] = ()
    # The programs whose published facts this program's rules read (ids); each must be
    # installed, or the service refuses to start.
    requires: tuple[str, ...] = ()
    # The facts it publishes to programs that require it: {public name: key of its
    # ``load_member_facts`` answer}. A reader sees them as "<id>.<name>", e.g. "hardship.level".
    publishes: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not _PROGRAM_ID.fullmatch(self.id) or self.id == "core":
            raise ValueError(f"invalid program id {self.id!r}: lowercase letters and digits")
        object.__setattr__(self, "serves", frozenset(self.serves))
        if not self.serves <= ROLES:
            unknown = sorted(self.serves - ROLES)
            raise ValueError(f"program {self.id!r} serves unknown roles {unknown}")
        declared = self.contract_versions or ()
        versions = (declared,) if isinstance(declared, str) else tuple(declared)
        object.__setattr__(self, "contract_versions", versions)
        for version in versions:
            if not isinstance(version, str) or not _CONTRACT_VERSION.fullmatch(version):
                raise ValueError(f"{self.id}: contract version {version!r} is not MAJOR[.MINOR]")
        requires = (self.requires,) if isinstance(self.requires, str) else tuple(self.requires)
        if self.id in requires:
            raise ValueError(f"program {self.id!r} requires itself")
        object.__setattr__(self, "requires", requires)
        object.__setattr__(self, "publishes", MappingProxyType(dict(self.publishes)))

    def __hash__(self) -> int:
        return hash(self.id)  # ids are unique per host; ``publishes`` is a mapping

    def supports(self, contract: str) -> bool:
        """Whether the plugin runs on contract ``contract`` (``"MAJOR.MINOR"``): a declared
        version of the same major whose minor is not newer."""
        major, minor = _major_minor(contract)
        return any(
            want[0] == major and want[1] <= minor
            for want in map(_major_minor, self.contract_versions)
        )


def _major_minor(version: str) -> tuple[int, int]:
    major, minor = _CONTRACT_VERSION.fullmatch(version).groups()
    return int(major), int(minor or 0)


@dataclass(frozen=True)
class ModelsSpec:
    modules: list[str]
    migrations: str


@dataclass(frozen=True)
class GraphQLContribution:
    query: type | None = None
    mutation: type | None = None
    member_fields: type | None = None
    types: list[type] = field(default_factory=list)  # extra types not reachable from fields
    # Root ``query`` fields readable without a token (their Python names). Mutations are never
    # public. Limits and rate budgets still apply; the field answers only for enabled districts.
    public_fields: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        public = self.public_fields
        object.__setattr__(
            self, "public_fields", (public,) if isinstance(public, str) else tuple(public)
        )


@dataclass(frozen=True)
class EncryptedColumn:
    """A column of a program's table holding ciphertexts of the core's vault
    (``Vault.encrypt``); ``hash_column``, if any, holds ``Vault.lookup_hash`` of the same
    plaintext. ``unionaid keys rotate`` re-encrypts (and re-hashes) them under a new data key.
    The table needs an integer primary key ``id``; NULL values are left alone."""

    table: str
    column: str
    hash_column: str | None = None


@dataclass(frozen=True)
class ImportColumn:
    """A column of an import file that belongs to a program (e.g. ``hardship_level``).

    ``parse`` turns a non-empty cell into a value, raising ValueError for a bad one: with
    ``Words(zh, en)`` the row's error report says why in both languages (a plain text is
    taken as English). After the file's rows are written, ``store`` receives
    ``{member database id: value}`` for every accepted row that has the column, and the
    importing principal; it must be idempotent (importing the same file twice changes nothing)
    and return how many of the program's records it created or changed."""

    kind: str  # "members", "enterprises", "students" or "districts"
    name: str
    parse: Callable[[str], Any]
    store: Callable[[dict[int, Any], Any], Awaitable[int]]


_ACTION = re.compile(r"([a-z][a-z0-9]{1,30})\.[a-z][a-z0-9_]{0,40}")


@dataclass(frozen=True)
class ActionSpec:
    """A permission of a program (``register_actions``): ``name`` is ``"<program id>.<verb>"``
    (``"mutualaid.enrol"``); ``zh``/``en`` say what it allows; ``roles`` hold it by default
    (the city administrator holds every action, core or program, whatever it lists). Checked
    like the core's actions: ``require(principal(info), "mutualaid.enrol", district_code)``."""

    name: str
    zh: str
    en: str
    roles: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        if not _ACTION.fullmatch(self.name):
            raise ValueError(f"action {self.name!r}: '<program id>.<verb>' in lower case")
        roles = (self.roles,) if isinstance(self.roles, str) else self.roles
        object.__setattr__(self, "roles", frozenset(roles))
        if not self.roles <= ROLES:
            raise ValueError(f"action {self.name}: unknown roles {sorted(self.roles - ROLES)}")

    @property
    def program(self) -> str:
        return self.name.partition(".")[0]


@dataclass(frozen=True)
class NodeType:
    """A program type that ``node(id:)`` resolves (``register_node_types``).

    ``type``: a strawberry type implementing the core's ``Node`` interface, its GraphQL name
    unique in the schema (the type name in its global IDs: ``to_global_id(name, pk)``);
    ``load``: ``async (pks) -> {pk: object}`` reading every asked object in one statement (the
    host batches the ``node`` fields of a request into one call); each object carries its
    ``id`` (the global ID) and the attribute named by ``district`` (the six-digit district
    code the core scopes it by). ``enterprise``: the attribute holding the enterprise id an
    enterprise contact must stand for to read it; None (the default): enterprise contacts never
    read it."""

    type: type
    load: Callable[[list[int]], Awaitable[Mapping[int, Any]]]
    district: str = "district_code"
    enterprise: str | None = None

    @property
    def name(self) -> str:
        definition = getattr(self.type, "__strawberry_definition__", None)
        return definition.name if definition is not None else self.type.__name__


_KIND = re.compile(r"[a-z]+(?:-[a-z]+)*")


@dataclass(frozen=True)
class PeriodKind:
    """A kind of period whose dates the city sets, as it does school terms
    (``register_period_kinds``). Its periods are ``YYYY-<name>`` (``2027-holiday-season``);
    ``zh``/``en`` name the kind in messages. A rule pays once per such period with
    ``schedule = Schedule.DATED`` and ``period_kind = "<name>"``."""

    name: str
    zh: str
    en: str

    def __post_init__(self) -> None:
        if not _KIND.fullmatch(self.name) or len(self.name) > 26:
            raise ValueError(f"period kind {self.name!r}: lower-case words joined by '-'")


@dataclass(frozen=True)
class EntitlementEvent:
    """One of a program's entitlements paid or reversed, as ``on_entitlements_paid`` and
    ``on_entitlements_reversed`` tell it. ``record_type`` and ``record_id`` name the program's
    record for an event payment (``request_event_payment``), and are None for an entitlement of
    an ordinary campaign (a program that linked one to a record of its own, like a visit's cash,
    finds it by ``entitlement_id``). ``ledger_entry_id`` is the debit that paid it, or the
    credit that reversed it."""

    entitlement_id: int
    campaign_id: int
    program: str
    rule_code: str
    occurrence: str
    member_id: int
    district_code: str
    amount: Decimal
    ledger_entry_id: int
    record_type: str | None = None
    record_id: int | None = None


# A kind a program contributes (a job, an import, an export) is named "<program id>-<what>",
# e.g. "mutualaid-enrolments": program ids hold no dash, so two programs never clash with each
# other or with the core's kinds. 40 characters at most (the job table's ``kind`` column).
_KIND_WHAT = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*")
KIND_MAX = 40


def kind_problem(program_id: str, name: object) -> str | None:
    """Why ``name`` cannot be a kind of ``program_id``, or None when it can."""
    if not isinstance(name, str):
        return f"kind {name!r} is not a string"
    prefix = f"{program_id}-"
    if not name.startswith(prefix) or not _KIND_WHAT.fullmatch(name[len(prefix) :]):
        return f"kind {name!r} must be {prefix}<what> (lowercase letters, digits and dashes)"
    if len(name) > KIND_MAX:
        return f"kind {name!r} is longer than {KIND_MAX} characters"
    return None


@dataclass(frozen=True)
class ImportKind:
    """A kind of import file a program understands: ``unionaid import <name> FILE`` and
    ``startImport(input: {kind: <NAME>})`` run it through the core's import engine.

    ``name``: ``"<program id>-<what>"``. ``importer``: a class (called with no arguments once
    per run) with the engine's importer shape: tuples ``required`` and ``optional`` (column
    names), ``tables`` (the tables it writes, whose planner statistics are refreshed) and the
    methods ``async plan(run, rows) -> list[PlannedRow]``, ``async create(run, batch)`` and
    ``async update(run, item)`` (see :class:`~unionaid.core.imports.engine.Importer`); its
    ``kind`` attribute is set to ``name``. ``action``: the action an importer needs, a core
    :class:`~unionaid.core.policy.Action` or a program's own action name; it is checked for the
    caller's role before the run and per row for the row's district."""

    name: str
    importer: Callable[[], Any]
    action: Any
    description: str = ""


@dataclass(frozen=True)
class ExportKind:
    """A kind of export of a program's data: ``unionaid export <name> --out FILE.csv|xlsx`` and
    ``GET /exports/<name>.csv|xlsx``, written by the core's writer (formula-safe: text is never
    a formula), scoped and audited.

    ``name``: ``"<program id>-<what>"``; ``columns``: the header row; ``rows``: ``async
    rows(request: ExportRequest) -> list[list]`` (one list of cells per row, in column order;
    text, numbers, ``Decimal``, dates) reading only what ``request`` scopes; ``action``: the
    action the caller needs (a core ``Action`` or a program's own action name)."""

    name: str
    columns: tuple[str, ...]
    rows: Callable[[Any], Awaitable[list[list[Any]]]]
    action: Any
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "columns", tuple(self.columns))


@dataclass(frozen=True)
class ProgramJob:
    """What a program's job handler receives.

    ``district_codes``: where the job may act — its own district, or (city-wide) every
    district where the program is enabled and ``actor`` (the user who queued it, with that
    user's current rights) may act. ``progress(done, total)``: await it now and then; it beats
    the job's heartbeat and is what ``job(id:) { progress total }`` reads."""

    id: int
    kind: str
    params: dict[str, Any]
    district_codes: frozenset[str]
    actor: Principal
    now: dt.datetime
    today: dt.date
    progress: Callable[[int, int | None], Awaitable[None]] = field(repr=False)


JobHandler = Callable[[ProgramJob], Awaitable[dict[str, Any] | None]]
