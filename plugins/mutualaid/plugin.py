"""The mutualaid program plugin (职工互助保障): registered through the entry-point group
``unionaid.plugins`` like any third-party program."""

from unionaid.core import (
    STAFF_ROLES,
    EntitlementEvent,
    GraphQLContribution,
    ModelsSpec,
    ProgramInfo,
    hookimpl,
)
from unionaid.plugins.mutualaid import claim_privacy, claim_rules, claims
from unionaid.plugins.mutualaid.claim_graphql import ClaimMutation, ClaimQuery
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
        # Enterprise contacts see their employees' claims (never a diagnosis).
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


# --- claims, condolences, health data (mc) -------------------------------------------------


@hookimpl
def register_rules() -> list:
    return claim_rules.RULES


@hookimpl
async def on_entitlements_paid(payments: list[EntitlementEvent], actor: str) -> None:
    await claims.on_paid(payments)


@hookimpl
async def export_personal_data(member_id: int) -> dict | None:
    return await claim_privacy.export(member_id)


@hookimpl
async def on_member_anonymised(member_id: int, actor: str) -> None:
    await claim_privacy.erase(member_id)


@hookimpl
def register_graphql() -> GraphQLContribution:
    return GraphQLContribution(query=ClaimQuery, mutation=ClaimMutation)
