"""The jobs4050 program plugin (4050专列): registered through the entry-point group
``unionaid.plugins`` like any third-party program."""

from unionaid.core import ProgramInfo, hookimpl
from unionaid.plugins.jobs4050.settings import Jobs4050Settings

PROGRAM_ID = "jobs4050"


@hookimpl
def register_program() -> ProgramInfo:
    return ProgramInfo(
        id=PROGRAM_ID,
        name="4050专列",
        name_en="4050 job train",
        version="0.1.0",
        description=(
            "Job fairs for laid-off, unemployed and hardship job seekers: women 40+, men 50+."
        ),
        contract_versions=("2",),
    )


@hookimpl
def register_settings() -> type[Jobs4050Settings]:
    return Jobs4050Settings
