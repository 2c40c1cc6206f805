"""The mutualaid program plugin (职工互助保障): registered through the entry-point group
``unionaid.plugins`` like any third-party program."""

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from strawberry.tools import merge_types

from unionaid.core import (
    STAFF_ROLES,
    ActionSpec,
    EncryptedColumn,
    EntitlementEvent,
    ErrorCode,
    GraphQLContribution,
    ModelsSpec,
    NodeType,
    Principal,
    ProgramInfo,
    hookimpl,
)
from unionaid.plugins.mutualaid.errors import ACTIONS, ERROR_CODES
from unionaid.plugins.mutualaid.graphql.claims import NODE_TYPES, ClaimMutation, ClaimQuery
from unionaid.plugins.mutualaid.services import claims
from unionaid.plugins.mutualaid.services import privacy as claim_privacy
from unionaid.plugins.mutualaid.settings import MutualAidSettings

PROGRAM_ID = "mutualaid"


@hookimpl
def register_program() -> ProgramInfo:
    return ProgramInfo(
        id=PROGRAM_ID,
        name="职工互助保障",
        name_en="Mutual-aid protection",
        version="0.1.0",
        description=(
            "One-year hospitalisation, critical illness and accident plan; free "
            "hospital condolence for union members."
        ),
        # Enterprise contacts enrol their own staff (never see a diagnosis).
        serves=STAFF_ROLES | {"enterprise"},
        contract_versions=("2",),
    )


@hookimpl
def register_settings() -> type[MutualAidSettings]:
    return MutualAidSettings


# --- plans, enrolment, contributions, reports, demo (ma) ------------------------------------


@hookimpl
def register_models() -> ModelsSpec:
    # claim_models (mc) joins this list; its migrations depend on 0001_plans.
    return ModelsSpec(
        modules=[
            "unionaid.plugins.mutualaid.models",
            "unionaid.plugins.mutualaid.claim_models",
        ],
        migrations="unionaid.plugins.mutualaid.migrations",
    )


@hookimpl
def register_error_codes() -> list[ErrorCode]:
    return ERROR_CODES  # errors.py: both parts' codes


@hookimpl
def register_actions() -> list[ActionSpec]:
    return ACTIONS


@hookimpl
def register_graphql() -> GraphQLContribution:
    from unionaid.plugins.mutualaid.graphql.plans import PlanMutation, PlanQuery

    return GraphQLContribution(
        query=merge_types("MutualAidQuery", (PlanQuery, ClaimQuery)),
        mutation=merge_types("MutualAidMutation", (PlanMutation, ClaimMutation)),
    )


@hookimpl
def register_rules() -> list:
    from unionaid.plugins.mutualaid.rules import RULES

    return RULES  # rules.py: both parts' rules


@hookimpl
async def on_entitlements_paid(payments: list[EntitlementEvent], actor: str) -> None:
    from unionaid.plugins.mutualaid.services.enrolment import REFUND_RECORD, refunds_paid

    # One hook per plugin: each record type's handler.
    handlers = {REFUND_RECORD: refunds_paid, claims.RECORD: claims.on_paid}
    by_type: dict[str | None, list[EntitlementEvent]] = {}
    for p in payments:
        by_type.setdefault(p.record_type, []).append(p)
    for record_type, events in by_type.items():
        if record_type in handlers:
            await handlers[record_type](events)


@hookimpl
def register_import_kinds() -> list:
    from unionaid.plugins.mutualaid.imports import IMPORTS

    return IMPORTS


@hookimpl
def register_export_kinds() -> list:
    from unionaid.plugins.mutualaid.graphql.reports import EXPORTS

    return EXPORTS  # mc: append the claims' export kinds here


@hookimpl
async def load_demo_data(
    actor: Principal, today: date, district_funds: dict[str, int], host: Any
) -> None:
    from unionaid.plugins.mutualaid.services.demo import load

    await load(actor, today, district_funds, host)


# --- claims, condolences, health data (mc) -------------------------------------------------


@hookimpl
async def on_entitlements_reversed(
    payments: list[EntitlementEvent], reason: str, actor: str, now: datetime
) -> None:
    # Only claims are reversed through their record today (a refund is not reversed).
    claims_reversed = [p for p in payments if p.record_type == claims.RECORD]
    if claims_reversed:
        await claims.on_reversed(claims_reversed, reason, actor, now)


@hookimpl
async def export_personal_data(member_id: int, decrypt: Callable[[str], str]) -> dict | None:
    return await claim_privacy.export(member_id, decrypt)


@hookimpl
def register_encrypted_columns() -> list[EncryptedColumn]:
    return claim_privacy.SEALED


@hookimpl
async def on_member_anonymised(member_id: int, actor: str) -> None:
    await claim_privacy.erase(member_id)


@hookimpl
def register_node_types() -> list[NodeType]:
    from unionaid.plugins.mutualaid.graphql.plans import NODE_TYPES as PLAN_NODES

    return [*PLAN_NODES, *NODE_TYPES]
