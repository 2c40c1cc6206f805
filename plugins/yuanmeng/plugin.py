"""The yuanmeng program plugin (关爱·圆梦): registered through the entry-point group
``unionaid.plugins`` like any third-party program."""

from unionaid.core import ProgramInfo, hookimpl
from unionaid.plugins.yuanmeng.settings import YuanmengSettings

PROGRAM_ID = "yuanmeng"


@hookimpl
def register_program() -> ProgramInfo:
    return ProgramInfo(
        id=PROGRAM_ID,
        name="关爱·圆梦",
        name_en="Care · Dream work-study",
        version="0.1.0",
        description=(
            "Holiday internships at caring enterprises for students of hardship households."
        ),
        contract_versions=("2",),
    )


@hookimpl
def register_settings() -> type[YuanmengSettings]:
    return YuanmengSettings
