"""unionaid's public API for program plugins: import from here, never from core internals.

    from unionaid.core import hookimpl, ProgramInfo, GraphQLContribution, program_scope

Everything a plugin needs is re-exported here; what is not listed in ``__all__`` is private and
may change without notice."""

from unionaid.core.errors import Code, DomainError, ErrorCode, TopLevelError, Words, one_of
from unionaid.core.global_ids import pk_of, to_global_id
from unionaid.core.graphql.auth import principal
from unionaid.core.graphql.composed import MemberRef
from unionaid.core.graphql.connection import Connection, Edge, paginate
from unionaid.core.graphql.context import (
    open_text,
    program_settings,
    request_now,
    request_today,
    seal_text,
)
from unionaid.core.graphql.errors import UserError, run_mutation
from unionaid.core.graphql.gate import program_scope
from unionaid.core.graphql.imports import Job
from unionaid.core.graphql.loaders import visible_member_loader
from unionaid.core.graphql.member_fields import MemberSource, member_field, request_loader
from unionaid.core.graphql.program_jobs import queue_job
from unionaid.core.graphql.relay import PageInfo
from unionaid.core.graphql.scalars import Money
from unionaid.core.graphql.types import Dependent, Node
from unionaid.core.hookspecs import CONTRACT_VERSION, hookimpl
from unionaid.core.imports.engine import ImportMember
from unionaid.core.imports.engine import Planned as PlannedRow
from unionaid.core.imports.engine import Row as ImportRow
from unionaid.core.imports.engine import Run as ImportRun
from unionaid.core.imports.program_export import ExportRequest
from unionaid.core.money import Yuan, to_fen
from unionaid.core.periods import parse_period
from unionaid.core.plugin_types import (
    STAFF_ROLES,
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
    ProgramJob,
)
from unionaid.core.policy import Action, allows, require
from unionaid.core.principal import Principal
from unionaid.core.rules import BenefitRule, Condition, Decision, Schedule, Unit, program_off
from unionaid.core.scope import ProgramScope, ScopedMember, program_scope_for
from unionaid.core.services.audit import diff as audit_diff
from unionaid.core.services.audit import record as record_audit
from unionaid.core.services.audit import record_changes as audit_entries
from unionaid.core.services.campaigns import add_entitlement, open_campaign, paid_entitlements
from unionaid.core.services.event_payments import (
    EventPayment,
    EventPaymentStatus,
    approve_event_payment,
    cancel_event_payment,
    event_payment,
    event_payments_of,
    pay_event_payment,
    reject_event_payment,
    request_event_payment,
    reverse_event_payment,
)
from unionaid.core.services.funds import contribute as contribute_to_fund
from unionaid.core.services.households import (
    DependentInfo,
    child_school_levels,
    household_dependents,
    household_members,
)
from unionaid.core.services.programs import EffectiveSettings, effective_settings, enabled_districts
from unionaid.core.services.roster import (
    MemberBrief,
    district_members,
    enterprise_headcounts,
    fund_districts,
    ledger_totals,
    member_briefs,
)
from unionaid.core.services.validation import Plausibility, TextKind, clean_text, max_length
from unionaid.core.timezone import Clock, fixed_clock, today_in_shanghai
from unionaid.core.workflow import Transition, Workflow

__all__ = [
    "CONTRACT_VERSION",
    "STAFF_ROLES",
    "Action",
    "ActionSpec",
    "BenefitRule",
    "Clock",
    "Code",
    "Condition",
    "Connection",
    "Decision",
    "Dependent",
    "DependentInfo",
    "DomainError",
    "Edge",
    "EffectiveSettings",
    "EncryptedColumn",
    "EntitlementEvent",
    "ErrorCode",
    "EventPayment",
    "EventPaymentStatus",
    "ExportKind",
    "ExportRequest",
    "GraphQLContribution",
    "ImportColumn",
    "ImportKind",
    "ImportMember",
    "ImportRow",
    "ImportRun",
    "Job",
    "JobHandler",
    "MemberBrief",
    "MemberRef",
    "MemberSource",
    "ModelsSpec",
    "Money",
    "Node",
    "NodeType",
    "PageInfo",
    "PeriodKind",
    "PlannedRow",
    "Plausibility",
    "Principal",
    "ProgramInfo",
    "ProgramJob",
    "ProgramScope",
    "Schedule",
    "ScopedMember",
    "TextKind",
    "TopLevelError",
    "Transition",
    "Unit",
    "UserError",
    "Words",
    "Workflow",
    "Yuan",
    "add_entitlement",
    "allows",
    "approve_event_payment",
    "audit_diff",
    "audit_entries",
    "cancel_event_payment",
    "child_school_levels",
    "clean_text",
    "contribute_to_fund",
    "district_members",
    "effective_settings",
    "enabled_districts",
    "enterprise_headcounts",
    "event_payment",
    "event_payments_of",
    "fixed_clock",
    "fund_districts",
    "hookimpl",
    "household_dependents",
    "household_members",
    "ledger_totals",
    "max_length",
    "member_briefs",
    "member_field",
    "one_of",
    "open_campaign",
    "open_text",
    "paginate",
    "paid_entitlements",
    "parse_period",
    "pay_event_payment",
    "pk_of",
    "principal",
    "program_off",
    "program_scope",
    "program_scope_for",
    "program_settings",
    "queue_job",
    "record_audit",
    "reject_event_payment",
    "request_event_payment",
    "request_loader",
    "request_now",
    "request_today",
    "require",
    "reverse_event_payment",
    "run_mutation",
    "seal_text",
    "to_fen",
    "to_global_id",
    "today_in_shanghai",
    "visible_member_loader",
]
