"""The hardship program plugin (困难职工帮扶): registered through the entry-point group
``unionaid.plugins`` like any third-party program."""

from unionaid.core import ProgramInfo, hookimpl
from unionaid.plugins.hardship.settings import HardshipSettings

PROGRAM_ID = "hardship"


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
    )


@hookimpl
def register_settings() -> type[HardshipSettings]:
    return HardshipSettings
