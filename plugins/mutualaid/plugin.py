"""The mutualaid program plugin (职工互助保障): registered through the entry-point group
``unionaid.plugins`` like any third-party program."""

from unionaid.core import ProgramInfo, hookimpl
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
        contract_versions=("2",),
    )


@hookimpl
def register_settings() -> type[MutualAidSettings]:
    return MutualAidSettings
