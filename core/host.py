"""The plugin host: loads program plugins, checks them, and hands their contributions to the
core. Built-in programs and third-party ones are loaded the same way, from the entry-point group
``unionaid.plugins``."""

from __future__ import annotations

import importlib
import importlib.metadata
import inspect
from dataclasses import dataclass, field
from typing import Any

import pluggy
from pydantic import BaseModel

from unionaid.core import hookspecs, policy
from unionaid.core.errors import Code, ErrorCode
from unionaid.core.periods import CORE_KINDS, CORE_LABELS
from unionaid.core.plugin_types import (
    ActionSpec,
    EncryptedColumn,
    ExportKind,
    GraphQLContribution,
    ImportColumn,
    ImportKind,
    ModelsSpec,
    NodeType,
    PeriodKind,
    ProgramInfo,
    kind_problem,
)
from unionaid.core.rules import BenefitRule
from unionaid.core.schedules import check_rule, rule_period_kind

ENTRY_POINT_GROUP = "unionaid.plugins"
BUILTIN_DISTRIBUTION = "unionaid"
CORE_APP = "core"


class PluginError(RuntimeError):
    """A plugin is broken or incompatible: the service refuses to start."""


@dataclass
class Program:
    """Everything one plugin contributed, attributed to it."""

    info: ProgramInfo
    plugin: object
    builtin: bool
    models: ModelsSpec | None = None
    settings_model: type[BaseModel] | None = None
    rules: list[BenefitRule] = field(default_factory=list)
    columns: list[ImportColumn] = field(default_factory=list)
    job_handlers: dict[str, Any] = field(default_factory=dict)  # kind -> async handler
    import_kinds: dict[str, ImportKind] = field(default_factory=dict)
    export_kinds: dict[str, ExportKind] = field(default_factory=dict)

    error_codes: list[ErrorCode] = field(default_factory=list)
    actions: list[ActionSpec] = field(default_factory=list)
    period_kinds: list[PeriodKind] = field(default_factory=list)

    @property
    def id(self) -> str:
        return self.info.id


class PluginHost:
    def __init__(self) -> None:
        self.pm = pluggy.PluginManager(hookspecs.PROJECT)
        self.pm.add_hookspecs(hookspecs)
        self.programs: dict[str, Program] = {}

    # -- loading ---------------------------------------------------------------------------

    @classmethod
    def load(cls, *, builtin_only: bool = False, only: set[str] | None = None) -> PluginHost:
        """Load the plugins of the entry-point group.

        ``builtin_only`` keeps the programs shipped in unionaid's own distribution (the SDL export
        uses it, so an installed third-party plugin never makes the committed schema stale);
        ``only`` is an allow-list of entry-point names (tests use it).
        """
        host = cls()
        for ep in sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=_ep_key):
            builtin = ep.dist is not None and ep.dist.name == BUILTIN_DISTRIBUTION
            if (builtin_only and not builtin) or (only is not None and ep.name not in only):
                continue
            host.register(ep.load(), builtin=builtin)
        host.check()
        return host

    def register(self, plugin: object, *, builtin: bool = False) -> Program:
        try:
            self.pm.register(plugin)
        except pluggy.PluginValidationError as exc:
            raise PluginError(f"plugin {plugin!r}: {exc}") from exc
        info = self._call(plugin, "register_program")
        if not isinstance(info, ProgramInfo):
            raise PluginError(f"plugin {plugin!r} must implement register_program -> ProgramInfo")
        if info.id in self.programs:
            raise PluginError(f"two plugins claim the program id {info.id!r}")
        if not info.supports(hookspecs.CONTRACT_VERSION):
            declared = ", ".join(info.contract_versions) or "none"
            raise PluginError(
                f"{info.id}: supports plugin contract versions {declared}, but this unionaid has "
                f"contract {hookspecs.CONTRACT_VERSION}: declare contract_versions in its "
                "ProgramInfo, or install a release of the plugin for this contract"
            )
        settings_model = self._call(plugin, "register_settings")
        if settings_model is not None and not (
            inspect.isclass(settings_model) and issubclass(settings_model, BaseModel)
        ):
            raise PluginError(f"{info.id}: register_settings must return a pydantic model class")
        if settings_model is not None:
            try:
                settings_model()
            except Exception as exc:
                raise PluginError(f"{info.id}: settings defaults do not validate: {exc}") from exc
        program = Program(
            info=info,
            plugin=plugin,
            builtin=builtin,
            models=self._call(plugin, "register_models"),
            settings_model=settings_model,
            rules=list(self._call(plugin, "register_rules") or []),
        )
        columns = list(self._call(plugin, "register_import_columns") or [])
        for column in columns:
            if not isinstance(column, ImportColumn):
                raise PluginError(f"{info.id}: register_import_columns must return ImportColumn")
            for other in self.programs.values():
                if any((c.kind, c.name) == (column.kind, column.name) for c in other.columns):
                    raise PluginError(
                        f"{info.id}: import column {column.kind}.{column.name} is {other.id}'s"
                    )
        program.columns = columns
        self._register_kinds(program)
        for rule in program.rules:
            if (problem := check_rule(rule)) is not None:
                raise PluginError(f"{info.id}: {problem}")
        codes = [rule.code for rule in program.rules]
        if len(codes) != len(set(codes)):
            raise PluginError(f"{info.id}: duplicate rule codes {codes}")
        program.error_codes = self._error_codes(program)
        program.actions = self._actions(program)
        program.period_kinds = self._period_kinds(program)
        self.programs[info.id] = program
        policy.declare_actions(info.id, program.actions)
        return program

    def _register_kinds(self, program: Program) -> None:
        """Job, import and export kinds: each named "<program id>-<what>", so none clashes."""
        pid, plugin = program.id, program.plugin
        handlers = self._call(plugin, "register_job_handlers") or {}
        if not isinstance(handlers, dict):
            raise PluginError(f"{pid}: register_job_handlers must return {{kind: handler}}")
        for kind, handler in handlers.items():
            if (problem := kind_problem(pid, kind)) is not None:
                raise PluginError(f"{pid}: job {problem}")
            if not inspect.iscoroutinefunction(handler):
                raise PluginError(f"{pid}: job handler {kind!r} must be an async function")
        program.job_handlers = dict(handlers)
        for hook, spec_type, target in (
            ("register_import_kinds", ImportKind, program.import_kinds),
            ("register_export_kinds", ExportKind, program.export_kinds),
        ):
            for spec in self._call(plugin, hook) or []:
                if not isinstance(spec, spec_type):
                    raise PluginError(f"{pid}: {hook} must return {spec_type.__name__}")
                if (problem := kind_problem(pid, spec.name)) is not None:
                    raise PluginError(f"{pid}: {hook}: {problem}")
                if spec.name in target:
                    raise PluginError(f"{pid}: {hook}: {spec.name!r} declared twice")
                target[spec.name] = spec

    def _list(self, program: Program, hook: str, kind: type) -> list[Any]:
        found = list(self._call(program.plugin, hook) or [])
        if not all(isinstance(item, kind) for item in found):
            raise PluginError(f"{program.id}: {hook} must return a list of {kind.__name__}")
        return found

    def _error_codes(self, program: Program) -> list[ErrorCode]:
        codes = self._list(program, "register_error_codes", ErrorCode)
        taken = {c.value: "the core" for c in Code}
        taken.update({c.name: o.id for o in self.programs.values() for c in o.error_codes})
        for code in codes:
            if code.name in taken:
                raise PluginError(f"{program.id}: error code {code.name} is {taken[code.name]}'s")
            taken[code.name] = f"{program.id} (twice)"
        return codes

    def _actions(self, program: Program) -> list[ActionSpec]:
        actions = self._list(program, "register_actions", ActionSpec)
        names = [a.name for a in actions]
        if len(names) != len(set(names)):
            raise PluginError(f"{program.id}: an action is declared twice in {names}")
        for action in actions:
            if action.program != program.id:
                raise PluginError(f"{program.id}: action {action.name} must start {program.id}.")
            unserved = action.roles - program.info.serves - {"city_admin"}
            if unserved:
                raise PluginError(
                    f"{program.id}: action {action.name} for roles the program does not serve: "
                    f"{sorted(unserved)} (add them to ProgramInfo.serves)"
                )
        return actions

    def _period_kinds(self, program: Program) -> list[PeriodKind]:
        kinds = self._list(program, "register_period_kinds", PeriodKind)
        owner = {k: "the core" for k in CORE_KINDS | CORE_LABELS}
        owner.update({k.name: o.id for o in self.programs.values() for k in o.period_kinds})
        for kind in kinds:
            if kind.name in owner:
                raise PluginError(f"{program.id}: period kind {kind.name} is {owner[kind.name]}'s")
            owner[kind.name] = f"{program.id} (twice)"
        return kinds

    def check(self) -> None:
        """Fail now, not at the first request, on a misspelled or unknown hook implementation,
        or on a program that requires one not installed."""
        try:
            self.pm.check_pending()
        except pluggy.PluginValidationError as exc:
            raise PluginError(str(exc)) from exc
        for program in self.programs.values():
            missing = [p for p in program.info.requires if p not in self.programs]
            if missing:
                raise PluginError(
                    f"{program.id}: requires program {', '.join(missing)}, which is not "
                    "installed: install it, or a release of the plugin that does not need it"
                )
            for rule in program.rules:
                kind = rule_period_kind(rule)
                if kind is not None and kind not in self.period_kinds():
                    raise PluginError(
                        f"{program.id}: rule {rule.code} pays per period kind {kind!r}, which "
                        "no installed program declares (register_period_kinds)"
                    )

    # -- calling one plugin ----------------------------------------------------------------

    def _call(self, plugin: object, hook: str, **kwargs: Any) -> Any:
        others = [p for p in self.pm.get_plugins() if p is not plugin]
        return self.pm.subset_hook_caller(hook, remove_plugins=others)(**kwargs)

    def encrypted_columns(self) -> list[EncryptedColumn]:
        """Every program's columns of vault ciphertexts (``register_encrypted_columns``)."""
        found = []
        for program in self.programs.values():
            for column in self._call(program.plugin, "register_encrypted_columns") or []:
                if not isinstance(column, EncryptedColumn):
                    raise PluginError(f"{program.id}: register_encrypted_columns: EncryptedColumn")
                found.append(column)
        return found

    async def notify(self, program_id: str, hook: str, **kwargs: Any) -> None:
        """Call a lifecycle hook of one program and await what it returns."""
        for result in self._call(self.get(program_id).plugin, hook, **kwargs) or []:
            if inspect.isawaitable(result):
                await result

    async def gather(self, hook: str, **kwargs: Any) -> dict[str, Any]:
        """Call a hook of every program and await the results: {program id: result}, results of
        None left out."""
        found = {}
        for program in self.programs.values():
            for result in self._call(program.plugin, hook, **kwargs) or []:
                value = await result if inspect.isawaitable(result) else result
                if value is not None:
                    found[program.id] = value
        return found

    def call(self, program_id: str, hook: str, **kwargs: Any) -> Any:
        """Call a ``firstresult`` hook of one program (the result may be awaitable)."""
        return self._call(self.get(program_id).plugin, hook, **kwargs)

    def rule(self, program_id: str, code: str) -> BenefitRule | None:
        return next((r for r in self.get(program_id).rules if r.code == code), None)

    def graphql(self, program_id: str) -> GraphQLContribution | None:
        return self._call(self.get(program_id).plugin, "register_graphql")

    def node_types(self, program_id: str) -> list[NodeType]:
        """The program's ``register_node_types`` answer (asked at each schema build)."""
        return self._list(self.get(program_id), "register_node_types", NodeType)

    # -- look-ups ---------------------------------------------------------------------------

    def get(self, program_id: str) -> Program:
        return self.programs[program_id]

    def rules_for(
        self, district_code: str, enabled: set[tuple[str, str]]
    ) -> list[tuple[str, BenefitRule]]:
        """(program id, rule) for every program ``enabled`` in ``district_code``: the only way the
        money machinery reaches rules, so a rule never runs where its program is off."""
        return [
            (program.id, rule)
            for program in self.programs.values()
            if (program.id, district_code) in enabled
            for rule in program.rules
        ]

    def import_columns(self, kind: str) -> dict[str, tuple[str, ImportColumn]]:
        """Column name -> (program id, column) for the import of ``kind``."""
        return {
            c.name: (program.id, c)
            for program in self.programs.values()
            for c in program.columns
            if c.kind == kind
        }

    def job_handler(self, kind: str) -> tuple[str, Any] | None:
        """(program id, handler) of a program's job kind, or None."""
        return self._kind(kind, "job_handlers")

    def import_kind(self, name: str) -> tuple[str, ImportKind] | None:
        """(program id, kind) of a program's import kind, or None."""
        return self._kind(name, "import_kinds")

    def export_kind(self, name: str) -> tuple[str, ExportKind] | None:
        """(program id, kind) of a program's export kind, or None."""
        return self._kind(name, "export_kinds")

    def import_kinds(self) -> list[str]:
        return sorted(n for p in self.programs.values() for n in p.import_kinds)

    def export_kinds(self) -> list[str]:
        return sorted(n for p in self.programs.values() for n in p.export_kinds)

    def _kind(self, name: str, table: str) -> tuple[str, Any] | None:
        program = self.programs.get(name.partition("-")[0])
        found = getattr(program, table).get(name) if program is not None else None
        return None if found is None else (program.id, found)

    def period_kinds(self) -> dict[str, PeriodKind]:
        """Every program's city-dated period kinds, by name."""
        return {k.name: k for p in self.programs.values() for k in p.period_kinds}

    def error_codes(self) -> dict[str, ErrorCode]:
        """Every program's own error codes, by name."""
        return {c.name: c for p in self.programs.values() for c in p.error_codes}

    def settings_model(self, program_id: str) -> type[BaseModel] | None:
        return self.programs[program_id].settings_model

    def tortoise_apps(self) -> dict[str, dict[str, Any]]:
        apps: dict[str, dict[str, Any]] = {
            CORE_APP: {
                "models": ["unionaid.core.models"],
                "migrations": "unionaid.core.migrations",
            }
        }
        for program in self.programs.values():
            if program.models:
                apps[program.id] = {
                    "models": list(program.models.modules),
                    "migrations": program.models.migrations,
                }
        return apps


def _ep_key(ep: importlib.metadata.EntryPoint) -> tuple[int, str]:
    builtin = ep.dist is not None and ep.dist.name == BUILTIN_DISTRIBUTION
    return (0 if builtin else 1, ep.name)
