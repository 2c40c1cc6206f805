"""The mutualaid program plugin (职工互助保障): registered through the entry-point group
``unionaid.plugins`` like any third-party program."""

from datetime import date
from typing import Any

from unionaid.core import (
    STAFF_ROLES,
    ActionSpec,
    EntitlementEvent,
    ErrorCode,
    GraphQLContribution,
    ModelsSpec,
    Principal,
    ProgramInfo,
    hookimpl,
)
from unionaid.plugins.mutualaid.errors import ACTIONS, ERROR_CODES
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
        modules=["unionaid.plugins.mutualaid.models"],
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
    # mc: merge your Query/Mutation pieces into these with strawberry.tools.merge_types.
    from unionaid.plugins.mutualaid.graphql_plans import PlanMutation, PlanQuery

    return GraphQLContribution(query=PlanQuery, mutation=PlanMutation)


@hookimpl
def register_rules() -> list:
    from unionaid.plugins.mutualaid.rules import RULES

    return RULES  # rules.py: both parts' rules


@hookimpl
async def on_entitlements_paid(payments: list[EntitlementEvent], actor: str) -> None:
    from unionaid.plugins.mutualaid.enrolment import REFUND_RECORD, refunds_paid

    # One hook per plugin: each record type's handler (mc: add "MutualAidClaim").
    handlers = {REFUND_RECORD: refunds_paid}
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
    from unionaid.plugins.mutualaid.reports import EXPORTS

    return EXPORTS  # mc: append the claims' export kinds here


@hookimpl
async def load_demo_data(
    actor: Principal, today: date, district_funds: dict[str, int], host: Any
) -> None:
    from unionaid.plugins.mutualaid.demo import load

    await load(actor, today, district_funds, host)
