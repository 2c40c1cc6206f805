"""The hardship program plugin (困难职工帮扶): registered through the entry-point group
``unionaid.plugins`` like any third-party program. Hooks only: what each one hands over lives in
its own module (README.md maps them)."""

from unionaid.core import (
    STAFF_ROLES,
    EntitlementEvent,
    GraphQLContribution,
    ImportColumn,
    ModelsSpec,
    NodeType,
    ProgramInfo,
    hookimpl,
)
from unionaid.plugins.hardship import PROGRAM_ID, facts
from unionaid.plugins.hardship.graphql import NODE_TYPES, contribution
from unionaid.plugins.hardship.imports import COLUMNS
from unionaid.plugins.hardship.models import HardshipProfile
from unionaid.plugins.hardship.rules import RULES
from unionaid.plugins.hardship.services import visits
from unionaid.plugins.hardship.settings import HardshipSettings


@hookimpl
def register_program() -> ProgramInfo:
    return ProgramInfo(
        id=PROGRAM_ID,
        name="困难职工帮扶",
        name_en="Hardship assistance",
        version="0.1.0",
        description=(
            "Hardship households: festival condolences, living, medical, education "
            "and price subsidies, visits."
        ),
        # Files hold a household's income, illnesses and history: the federation's staff
        # only, never an enterprise contact (whose scope is its employees' register data).
        serves=STAFF_ROLES,
        contract_versions=("2",),
        publishes=facts.PUBLISHED,
    )


@hookimpl
def register_settings() -> type[HardshipSettings]:
    return HardshipSettings


@hookimpl
def register_models() -> ModelsSpec:
    return ModelsSpec(
        modules=["unionaid.plugins.hardship.models"],
        migrations="unionaid.plugins.hardship.migrations",
    )


@hookimpl
def register_import_columns() -> list[ImportColumn]:
    return COLUMNS


@hookimpl
def export_personal_data(member_id: int):
    async def found():
        row = await HardshipProfile.get_or_none(member_id=member_id)
        if row is None:
            return None
        return {"level": row.level.value, "modelWorkerLevel": row.model_worker_level.value}

    return found()


@hookimpl
def register_rules() -> list:
    return RULES


@hookimpl
def load_member_facts(member_ids: list[int]):
    return facts.load(member_ids)


@hookimpl
def register_graphql() -> GraphQLContribution:
    return contribution()


@hookimpl
def register_node_types() -> list[NodeType]:
    return NODE_TYPES


@hookimpl
def on_entitlements_paid(payments: list[EntitlementEvent]):
    return visits.cash_paid(payments)


@hookimpl
def on_entitlements_reversed(payments: list[EntitlementEvent]):
    return visits.cash_reversed(payments)
