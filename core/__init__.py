"""unionaid's public API for program plugins: import from here, never from core internals.

    from unionaid.core import hookimpl, ProgramInfo, GraphQLContribution, program_scope

Everything a plugin needs is re-exported here; what is not listed in ``__all__`` is private and
may change without notice."""

from unionaid.core.errors import Code, DomainError, Words, one_of
from unionaid.core.global_ids import pk_of, to_global_id
from unionaid.core.graphql.auth import principal
from unionaid.core.graphql.composed import MemberRef
from unionaid.core.graphql.errors import UserError, run_mutation
from unionaid.core.graphql.gate import ProgramScope, program_scope
from unionaid.core.graphql.loaders import visible_member_loader
from unionaid.core.graphql.scalars import Money
from unionaid.core.hookspecs import CONTRACT_VERSION, hookimpl
from unionaid.core.money import Yuan, to_fen
from unionaid.core.periods import parse_period
from unionaid.core.plugin_types import (
    STAFF_ROLES,
    EncryptedColumn,
    GraphQLContribution,
    ImportColumn,
    ModelsSpec,
    ProgramInfo,
)
from unionaid.core.policy import Action, allows, require
from unionaid.core.principal import Principal
from unionaid.core.rules import BenefitRule, Condition, Decision, Schedule, Unit
from unionaid.core.services.audit import diff as audit_diff
from unionaid.core.services.audit import record as record_audit
from unionaid.core.services.audit import record_changes as audit_entries
from unionaid.core.services.campaigns import add_entitlement, open_campaign, paid_entitlements
from unionaid.core.services.households import child_school_levels
from unionaid.core.services.validation import Plausibility, TextKind, clean_text, max_length
from unionaid.core.workflow import Transition, Workflow

__all__ = [
    "CONTRACT_VERSION",
    "STAFF_ROLES",
    "Action",
    "BenefitRule",
    "Code",
    "Condition",
    "Decision",
    "DomainError",
    "EncryptedColumn",
    "GraphQLContribution",
    "ImportColumn",
    "MemberRef",
    "ModelsSpec",
    "Money",
    "Plausibility",
    "Principal",
    "ProgramInfo",
    "ProgramScope",
    "Schedule",
    "TextKind",
    "Transition",
    "Unit",
    "UserError",
    "Words",
    "Workflow",
    "Yuan",
    "add_entitlement",
    "allows",
    "audit_diff",
    "audit_entries",
    "child_school_levels",
    "clean_text",
    "hookimpl",
    "max_length",
    "one_of",
    "open_campaign",
    "paid_entitlements",
    "parse_period",
    "pk_of",
    "principal",
    "program_scope",
    "record_audit",
    "require",
    "run_mutation",
    "to_fen",
    "to_global_id",
    "visible_member_loader",
]
