"""The plugin contract: every hook a unionaid program plugin may implement.

A program plugin is a module (or object) whose functions are marked with ``@hookimpl`` and named
after the hooks below. It reaches unionaid through the entry-point group ``unionaid.plugins``::

    # the plugin's pyproject.toml
    [project.entry-points."unionaid.plugins"]
    eldercare = "unionaid_eldercare.plugin"

    # unionaid_eldercare/plugin.py
    from unionaid.core import hookimpl, ProgramInfo

    @hookimpl
    def register_program() -> ProgramInfo:
        return ProgramInfo(
            id="eldercare",
            name="关爱老人",
            name_en="Elder care",
            version="1.0",
            contract_versions=("2",),
        )

The four built-in programs (``unionaid.plugins.hardship`` ...) are registered the same way, in
unionaid's own pyproject. Rules of the contract:

* The contract has a version, ``CONTRACT_VERSION`` (``"MAJOR.MINOR"``, importable from
  ``unionaid.core``). A plugin declares the versions it supports in its ``ProgramInfo``:
  ``contract_versions=("2",)`` — each entry ``"MAJOR"`` (any 2.x) or ``"MAJOR.MINOR"`` (2.MINOR
  or later 2.x, for a plugin that needs what that minor added). A plugin that declares none, or
  none that the core's version satisfies, fails at startup. Minor versions only add (hooks,
  arguments with defaults, public names); a major version may remove or change them.
* Deprecation: a hook or public name is deprecated in a minor release (its docstring says
  ``Deprecated in X.Y: use ...`` and the release notes name it). It keeps working for the rest of
  that major version and is removed only by the next major version, released no sooner than six
  months after the deprecation.
* Import only names in ``unionaid.core.__all__`` (the public API) and never from core
  internals. ``register_program`` is required; every other hook is optional.
* A hook implementation whose name is not below fails at startup (``PluginValidationError``).
* The host calls each hook for one plugin at a time, never for all of them at once, so a plugin
  never sees another's contributions and precedence never depends on load order. A
  ``firstresult`` hook therefore answers with one value (None: "nothing to contribute"); the
  others (``on_*``, ``export_personal_data``) are called for their effect or collected per
  program.
* Hook names say what they do: ``register_*`` hooks are called once at startup (or once per
  schema build) and return a declaration; ``load_*`` hooks are asked for data while the host
  works; ``on_*`` hooks are told that something happened, inside its transaction, and may
  refuse it by raising. Hooks said to be "May be ``async``" may be coroutine functions.
* Plugins never check whether they are enabled. The host gates every contribution: rules never
  run for a district that has not enabled the program; the plugin's list queries receive only the
  districts where it is enabled (``await program_scope(info, "<id>")``); a single object or a
  mutation in another district answers ``PROGRAM_NOT_ENABLED``; fields added to core types are
  nullable and answer ``PROGRAM_NOT_ENABLED`` (with ``null``) for members of such districts.
  Root fields are gated by the host too: an explicit ``districtCode`` argument where the program
  is off answers ``PROGRAM_NOT_ENABLED``, and every field answers ``FORBIDDEN`` to a role the
  program does not serve (``ProgramInfo.serves``).

The hooks below are grouped by when the host calls them. ``docs/hooks.md`` is generated from
this file (``python scripts/gen_hook_docs.py``); ``tests/test_hook_docs.py`` fails when it is
stale, when a hook's docstring is thin, or when a hook has no test named ``test_hook_<name>...``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    import datetime as dt

    from pydantic import BaseModel

    from unionaid.core.errors import ErrorCode
    from unionaid.core.plugin_types import (
        ActionSpec,
        EncryptedColumn,
        EntitlementEvent,
        ExportKind,
        GraphQLContribution,
        ImportColumn,
        ImportKind,
        JobHandler,
        ModelsSpec,
        NodeType,
        PeriodKind,
        ProgramInfo,
    )
    from unionaid.core.principal import Principal
    from unionaid.core.rules import BenefitRule

PROJECT = "unionaid"
# The version of this contract (see the module docstring): minor for additions, major for
# removals and incompatible changes.
CONTRACT_VERSION = "2.0"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


# --------------------------------------------------------------------------------------------
# At startup: who the program is
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def register_program() -> ProgramInfo:
    """Describe the program. Required.

    Called once at startup, when the host registers the plugin, before any other hook. Takes no
    arguments. Return a :class:`ProgramInfo`: ``id`` is the stable program id used in the API,
    the CLI and the database (lowercase letters and digits, e.g. ``"hardship"``); ``name`` is
    the Chinese name, ``name_en`` the English one, ``version`` the plugin's version;
    ``contract_versions`` the versions of this contract it supports (required; see above);
    ``serves`` the roles whose users see and use it (default ``STAFF_ROLES``: every role but
    ``enterprise``). A plugin that returns anything else, or an id another installed plugin
    already claims, fails at startup.

    ``firstresult``: yes — the host calls it for this plugin alone and uses its one answer.
    """


# --------------------------------------------------------------------------------------------
# At startup: what the program says, who may do what, and its periods
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def register_error_codes() -> list[ErrorCode] | None:
    """Return the program's own error codes, or None.

    Called once at startup, when the plugin is registered. Takes no arguments. Each
    :class:`ErrorCode` has a stable UPPER_SNAKE ``name`` (part of the API: never rename or reuse
    one) and a Chinese (``zh``) and an English (``en``) message template, one language each,
    with the same ``{param}`` placeholders; a parameter that is words is passed as
    ``Words(zh, en)``. Raise them as the core's codes are raised:
    ``DomainError(CLAIM_TOO_LATE, "admittedOn", days=30)`` becomes a ``userErrors`` entry in a
    mutation, ``TopLevelError(...)`` (or a ``DomainError`` in a query) a top-level error with
    ``extensions.code``, in the request's language. A name that is a core code's or another
    program's, or twice in the list, fails at startup.

    ``firstresult``: yes — the host calls it for this plugin alone and uses its one answer.
    """


@hookspec(firstresult=True)
def register_actions() -> list[ActionSpec] | None:
    """Return the program's actions (permissions) and the roles holding each by default, or
    None.

    Called once at startup, when the plugin is registered. Takes no arguments. Each
    :class:`ActionSpec` is named ``"<program id>.<verb>"`` (``"mutualaid.enrol"``), says in
    ``zh`` and ``en`` what it allows and lists the ``roles`` that hold it; the city
    administrator holds every action. The host merges them into the core's role table
    (:mod:`unionaid.core.policy`, still the one place policy is decided), so resolvers check
    them like the core's: ``require(principal(info), "mutualaid.enrol", district_code)`` or
    ``allows(...)``. Checking an action no program declared is a bug (``LookupError``). A name
    not prefixed by the program's id, a name twice, an unknown role, or a role the program does
    not serve (``ProgramInfo.serves``) fails at startup.

    ``firstresult``: yes — the host calls it for this plugin alone and uses its one answer.
    """


@hookspec(firstresult=True)
def register_period_kinds() -> list[PeriodKind] | None:
    """Return the kinds of period the program adds whose dates the city sets, as it sets
    school terms' (e.g. a holiday season), or None.

    Called once at startup, when the plugin is registered. Takes no arguments. A
    :class:`PeriodKind` named ``holiday-season`` has one period a year, ``2027-holiday-season``;
    the city administrator sets each one's dates with ``setPeriodDates`` or ``unionaid period
    set`` (as for school terms); a campaign of a rule with ``schedule = Schedule.DATED`` and
    ``period_kind = "holiday-season"`` accepts only periods of that kind whose dates are set
    (``INVALID_PERIOD`` otherwise), judged on the period's first day and paid once per period.
    A kind the core names (``term``, ``spring-festival``...) or another program declared fails
    at startup, as does a ``DATED`` rule naming a kind no program declared.

    ``firstresult``: yes — the host calls it for this plugin alone and uses its one answer.
    """


# --------------------------------------------------------------------------------------------
# At startup: storage
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def register_models() -> ModelsSpec | None:
    """Name the plugin's Tortoise model modules and its migrations package.

    Called once at startup, when the plugin is registered and before the database is
    initialised. Takes no arguments. Return a :class:`ModelsSpec` (``modules``: dotted module
    paths holding Tortoise models; ``migrations``: the dotted path of the plugin's migrations
    package), or None when the plugin stores nothing of its own.

    The models form a Tortoise app whose label is the program id; foreign keys may point at core
    models as ``"core.Member"``. Generate migrations with ``unionaid makemigrations <id>`` after
    the core's; ``unionaid migrate`` applies them with the core's.

    ``firstresult``: yes — the host calls it for this plugin alone and uses its one answer.
    """


# --------------------------------------------------------------------------------------------
# At startup: settings
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def register_settings() -> type[BaseModel] | None:
    """Return the program's settings model: a pydantic model class whose field defaults are the
    city's default standards, or None when the program has no settings.

    Called once at startup, when the plugin is registered. Takes no arguments. The defaults
    must validate (a model that cannot be built from its defaults fails at startup); configure
    the model with ``extra="forbid"`` so an unknown key is refused. The host stores what the
    city and each district override (versioned, with a ``valid_from`` date), merges them key by
    key over these defaults and validates the merged values with this model before saving
    (``configureProgram`` answers ``INVALID_SETTINGS`` otherwise). Rules receive the validated
    model instance valid in the member's district on the day judged.

    ``firstresult``: yes — the host calls it for this plugin alone and uses its one answer.
    """


# --------------------------------------------------------------------------------------------
# At each schema build: GraphQL
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def register_graphql() -> GraphQLContribution | None:
    """Contribute to the composed GraphQL schema, or return None.

    Called once per schema build (at startup, and by ``unionaid export-schema``). Takes no
    arguments. Return a :class:`GraphQLContribution`:

    * ``query``: a strawberry type whose fields become root ``Query`` fields;
    * ``mutation``: a strawberry type whose fields become root ``Mutation`` fields (each taking
      ``input: XInput!`` and returning ``XPayload!`` with ``userErrors``, like the core's, and
      doing its work inside ``run_mutation`` so that it commits all or nothing);
    * ``member_fields``: a strawberry type whose fields are added to the core ``Member`` type.
      They must be nullable and have resolvers; ``self`` is the loaded member row, with ``pk``
      (the database id), ``district_code`` and ``household_id`` always present. A field read
      from a table declares its source, ``member_field(MemberSource(Model, key="member_id",
      columns=(...), build=...), graphql_type=T | None)``: a page's values come in one
      statement. A resolver that reads anything else batches through ``request_loader(info,
      name, load)`` keyed by ``self.pk`` — never one query per member.

    A field name that clashes with the core's or another plugin's fails at startup. Refer to
    the core's ``Member`` as ``MemberRef`` (from ``unionaid.core``): a lazy reference, since the
    type is composed when the schema is built.
    ``public_fields``: names of ``query`` fields readable without a token (a public price list,
    job postings). The request's other root fields still need one, mutations are never public,
    and limits and rate budgets apply to anonymous callers (budgeted by address). The resolver
    gets no principal (``principal(info)`` answers ``UNAUTHENTICATED``); ``program_scope(info,
    id)`` gives the anonymous scope: every district where the program is enabled
    (``scope.anonymous`` is true), so the field still answers only for enabled districts.
    Enums in outputs must be string enums (``class Level(str, enum.Enum)``).

    ``firstresult``: yes — the host calls it for this plugin alone and uses its one answer.
    """


@hookspec(firstresult=True)
def register_node_types() -> list[NodeType] | None:
    """Return the program's types that ``node(id:)`` resolves by global ID, or None.

    Called once per schema build, like ``register_graphql``. Takes no arguments. Each
    :class:`NodeType` gives a strawberry type implementing ``Node`` (from ``unionaid.core``)
    whose GraphQL name is unique in the schema, and ``load(pks) -> {pk: object}``, one
    statement for all the asked keys (the ``node`` fields of one request are batched into one
    call). The core checks the scope, as for its own nodes: an object outside the caller's
    districts, one an enterprise contact may not read (``enterprise``), or a program that does
    not serve the caller's role answers ``NOT_FOUND``; a visible object of a district that has
    not enabled the program, ``PROGRAM_NOT_ENABLED``. The types join the schema without being
    listed in ``GraphQLContribution.types``. A type that does not implement ``Node``, or whose
    name the core or another program uses, fails at startup.

    ``firstresult``: yes — the host calls it for this plugin alone and uses its one answer.
    """


# --------------------------------------------------------------------------------------------
# At startup and while members are judged: money
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def register_rules() -> list[BenefitRule] | None:
    """Return the program's benefit rules (see :mod:`unionaid.core.rules`), or None.

    Called once at startup, when the plugin is registered. Takes no arguments. A rule has a
    code unique within the program, a schedule (one-off, monthly, quarterly, annual, term, or
    festival with the ``festival`` it pays: it decides the periods its campaigns may use and
    what it pays once for, see :mod:`unionaid.core.schedules`), the unit it pays (member or
    household) and an ``evaluate(facts, settings, on)`` method that returns a
    :class:`Decision`: eligible or not, the amount (rounded half-up with ``to_fen``), every
    condition with its outcome in Chinese and English (one language each), and the facts and
    settings it read, which become the entitlement's snapshot (every one it read, or none for
    all). Duplicate codes, or a rule its schedule refuses (a festival rule without its
    ``festival``), fail at startup.

    The host runs a rule only for members of districts that have enabled the program, with that
    district's settings valid on the day judged; rules never read the clock or the database
    themselves.

    ``firstresult``: yes — the host calls it for this plugin alone and uses its one answer.
    """


@hookspec(firstresult=True)
def load_member_facts(member_ids: list[int]) -> Any:
    """Return ``{member id: {fact: value}}`` — what the program's rules need beyond the core's
    facts (e.g. a hardship level from the program's own table) — or None. May be ``async``.

    Called whenever the program's rules are about to judge members: while a campaign of this
    program is evaluated (a few thousand ``member_ids``, database ids, at a time) or a member's
    entitlements are previewed (one id). Read them in one or two statements, never one per
    member. The facts are merged over the core's facts (``age``, ``monthly_income``,
    ``per_capita_income``...) before ``evaluate`` sees them; members missing from the answer
    simply lack the program's facts.

    Also called, once per batch, for a program that ``requires`` this one (``ProgramInfo``),
    with the members of the batch in districts where this program is enabled: the keys this
    program ``publishes`` reach that program's rules as ``"<id>.<name>"`` (``"hardship.level"``).

    ``firstresult``: yes — the host calls it for this plugin alone and uses its one answer.
    """


# --------------------------------------------------------------------------------------------
# When the program's money moves
# --------------------------------------------------------------------------------------------


@hookspec
def on_entitlements_paid(payments: list[EntitlementEvent], actor: str) -> Any:
    """Called when entitlements of this program are paid, by the user named ``actor``:
    ``payments`` lists them (:class:`EntitlementEvent`), one for a single payment
    (``payEntitlement``, ``pay_event_payment``), up to a batch of a campaign's payment
    (``payCampaign`` pays in batches of a thousand and calls this once per batch). An event
    payment's entry names the program's record (``record_type``, ``record_id``): mutual aid
    moves its claim to ``paid`` here.

    Runs inside the transaction that writes the ledger debits, with the fund locked, for the
    owning program only: raise to refuse (nothing is paid; a :class:`DomainError` becomes the
    mutation's ``userErrors``). Read and write in a few statements per call, never one per
    payment. Not called for a payment refused (``INSUFFICIENT_FUNDS``) or answered again from
    its idempotency key. May be ``async``. Return nothing.

    ``firstresult``: no — it is called for its effect, for this plugin only; the return value is
    ignored.
    """


@hookspec
def on_entitlements_reversed(
    payments: list[EntitlementEvent], reason: str, actor: str, now: dt.datetime
) -> Any:
    """Called when paid entitlements of this program are reversed (a compensating ledger
    credit; ``reverseEntitlement``, ``reverse_event_payment``) by the user named ``actor``, for
    the stated ``reason``, at ``now`` (the request's clock: stamp what the program writes with
    it, never the machine's). ``payments`` lists them (:class:`EntitlementEvent`, its
    ``ledger_entry_id`` the credit); the entitlement's slot is free again, so the same
    occurrence may be requested anew.

    Runs inside the transaction that writes the credit, for the owning program only: raise to
    refuse (nothing is reversed). Not called for a request answered again from its idempotency
    key. May be ``async``. Return nothing.

    ``firstresult``: no — it is called for its effect, for this plugin only; the return value is
    ignored.
    """


# --------------------------------------------------------------------------------------------
# When a district switches the program on or off
# --------------------------------------------------------------------------------------------


@hookspec
def on_program_enabled(district_code: str, actor: str) -> Any:
    """Called when the program is switched on in district ``district_code`` (a six-digit code
    such as ``"320206"``) by the user named ``actor``; not called when it was already on.

    Runs inside the transaction that records the change, for this plugin only: raise to refuse
    (nothing is written; a :class:`DomainError` becomes the mutation's ``userErrors``). May be
    ``async``. Return nothing.

    ``firstresult``: no — it is called for its effect, for this plugin only; the return value is
    ignored.
    """


@hookspec
def on_program_disabled(district_code: str, actor: str) -> Any:
    """Called when the program is switched off in district ``district_code`` by the user named
    ``actor``; not called when it was already off.

    Runs inside the transaction that records the change, for this plugin only: raise to refuse
    (nothing is written). The plugin's data in that district is kept (disabling is reversible);
    it simply stops being reachable. May be ``async``. Return nothing.

    ``firstresult``: no — it is called for its effect, for this plugin only; the return value is
    ignored.
    """


# --------------------------------------------------------------------------------------------
# At startup: bulk import and export
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def register_import_columns() -> list[ImportColumn] | None:
    """Return the import-file columns the program understands (see
    :class:`unionaid.core.plugin_types.ImportColumn`), or None.

    Called once at startup, when the plugin is registered, for installed programs whether or
    not a district has enabled them. Takes no arguments. ``unionaid import members FILE`` hands
    each such column to its program: every cell is checked with ``parse`` before anything is
    written (a bad cell rejects its row), and ``store`` is called with the accepted values after
    the members are written. Columns nobody claims are reported as warnings. Two programs
    claiming one column fail at startup.

    ``firstresult``: yes — the host calls it for this plugin alone and uses its one answer.
    """


@hookspec(firstresult=True)
def register_import_kinds() -> list[ImportKind] | None:
    """Return the kinds of import file the program owns (see
    :class:`unionaid.core.plugin_types.ImportKind`), or None.

    Called once at startup, when the plugin is registered, for installed programs whether or
    not a district has enabled them. Takes no arguments. Each kind is named
    ``"<program id>-<what>"`` (``"mutualaid-enrolments"``) and is run by the core's import
    engine, like the core's own kinds: ``unionaid import <name> FILE`` and ``startImport``
    (whose ``kind`` enum lists it, as ``MUTUALAID_ENROLMENTS``) queue it as a job with progress;
    every row is checked before anything is written; bad rows are reported with their line,
    column and code; the run is audited. The importer's ``plan`` resolves members through
    ``run.find_members`` (only those the importer sees) and gives each planned row its
    ``district``: the host rejects rows whose district the importer cannot see
    (``NOT_FOUND``), where the program is off (``PROGRAM_NOT_ENABLED``) or where the importer's
    role lacks the kind's ``action`` (``FORBIDDEN``). A name that is not the program's, or
    declared twice, fails at startup.

    ``firstresult``: yes — the host calls it for this plugin alone and uses its one answer.
    """


@hookspec(firstresult=True)
def register_export_kinds() -> list[ExportKind] | None:
    """Return the kinds of export of the program's data (see
    :class:`unionaid.core.plugin_types.ExportKind`), or None.

    Called once at startup, when the plugin is registered, for installed programs whether or
    not a district has enabled them. Takes no arguments. Each kind is named
    ``"<program id>-<what>"`` and is offered by ``unionaid export <name> --out FILE`` and
    ``GET /exports/<name>.csv`` (or ``.xlsx``). The host checks the caller's role and the kind's
    ``action``, works out the districts the export covers (those where the program is on and
    the caller may act, or the one asked for: ``NOT_FOUND``, ``PROGRAM_NOT_ENABLED``,
    ``FORBIDDEN`` otherwise), calls ``rows(request)`` with them (an
    :class:`~unionaid.core.imports.program_export.ExportRequest`; filter members with
    ``request.member_filter(prefix)``), writes the file with the core's formula-safe CSV/XLSX
    writer and audits the export. A name that is not the program's, or declared twice, fails
    at startup.

    ``firstresult``: yes — the host calls it for this plugin alone and uses its one answer.
    """


# --------------------------------------------------------------------------------------------
# At startup: work run by the job queue
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def register_job_handlers() -> dict[str, JobHandler] | None:
    """Return the program's job handlers, ``{kind: async handler}``, or None.

    Called once at startup, when the plugin is registered. Takes no arguments. Each kind is
    named ``"<program id>-<what>"`` (``"mutualaid-reminders"``); a name that is not the
    program's fails at startup. Queue a job from a mutation with ``await queue_job(info, kind,
    params, district_code=...)`` (it returns the ``Job`` to answer with); the core's queue runs
    it (the in-process runner, ``unionaid worker``), acting as the user who queued it.

    The handler is called as ``await handler(job)`` with a
    :class:`~unionaid.core.plugin_types.ProgramJob` (params, the districts it may act in, the
    actor, today, a progress callback) and returns a JSON-safe dict (the job's ``result``) or
    None. Before each run the host checks that the program is still on in the job's district
    (a city-wide job: in at least one of the actor's districts); otherwise the job fails with
    ``PROGRAM_NOT_ENABLED`` and the handler is not called. A job whose worker died is run
    again: handlers must be idempotent. Raise :class:`DomainError` to fail the job with a
    code; its message is stored in both languages.

    ``firstresult``: yes — the host calls it for this plugin alone and uses its one answer.
    """


# --------------------------------------------------------------------------------------------
# Personal information (PIPL): keys, a person's export and erasure
# --------------------------------------------------------------------------------------------


@hookspec(firstresult=True)
def register_encrypted_columns() -> list[EncryptedColumn] | None:
    """Return the columns of the program's own tables that hold values encrypted with the
    core's vault (:class:`~unionaid.core.plugin_types.EncryptedColumn`: table, column and an
    optional look-up hash column), or None when it stores none.

    Called for every installed program, enabled or not, each time ``unionaid keys rotate``
    runs. Takes no arguments. The rotation re-encrypts these columns under the new data key in
    the same resumable batches as the core's ID numbers, before it records the new key, so a
    program's secrets never outlive the key that sealed them.

    ``firstresult``: yes — the host calls it for this plugin alone and uses its one answer.
    """


@hookspec
def export_personal_data(member_id: int, decrypt: Callable[[str], str]) -> Any:
    """Return what the program holds about member ``member_id`` (database id), as JSON-safe
    values (a dict), or None when it holds nothing. ``decrypt``: a function ``(sealed) -> str``
    opening what the program sealed with the vault (``seal_text``; the columns of its
    ``register_encrypted_columns``), since the export is in clear, for the person. (An argument
    added within contract 2: an implementation may leave it out.)

    Called for every installed program, enabled or not, when an administrator exports a
    person's data at their request (``exportPersonalData``); the core adds each answer under
    its program's id. May be ``async``.

    ``firstresult``: no — every program is asked in turn and each answer is kept under its id.
    """


@hookspec
def on_member_anonymised(member_id: int, actor: str) -> Any:
    """Erase what identifies member ``member_id`` (database id) in the program's own tables:
    names, ID numbers, phones, health facts. Keep amounts paid and dates: money and audit
    records stay.

    Called for every installed program, enabled or not, inside the transaction that anonymises
    the member in the core, at the request of the user named ``actor``; raise to refuse
    (nothing is written). May be ``async``. Return nothing.

    ``firstresult``: no — every program is told in turn; the return values are ignored.
    """


# --------------------------------------------------------------------------------------------
# The demo
# --------------------------------------------------------------------------------------------


@hookspec
def load_demo_data(
    actor: Principal, today: dt.date, district_funds: dict[str, int], host: Any
) -> Any:
    """Load the program's demo records (``unionaid serve --demo``), so that every query of the
    program answers something. May be ``async``. Return nothing.

    Called once, when the demo register is loaded into an empty database (never again on a
    restart), after the core's districts, enterprises, members, funds and demo users exist and
    the program is enabled in 惠山区 (320206) and 滨湖区 (320211) — the keys of
    ``district_funds``, each mapped to that district's demo fund (database id, with money in
    it). ``actor`` is the demo loader (a city administrator; for maker-checker steps build other
    principals with ``Principal.system(request_id, username)``); ``today`` is the loading day
    in Asia/Shanghai; ``host`` the plugin host (for core services that take one). Use the
    program's own services, as its mutations do: the demo then shows what real use leaves
    behind. A program that implements this hook is enabled in those districts by the demo.

    ``firstresult``: no — it is called for its effect, for this plugin only; the return value is
    ignored.
    """
