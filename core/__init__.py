"""unionaid's public API for program plugins: import from here, never from core internals.

    from unionaid.core import hookimpl, ProgramInfo, ModelsSpec, GraphQLContribution
"""

from unionaid.core.hookspecs import hookimpl
from unionaid.core.plugin_types import GraphQLContribution, ModelsSpec, ProgramInfo
from unionaid.core.rules import BenefitRule, Condition, Decision, Schedule, Unit

__all__ = [
    "BenefitRule",
    "Condition",
    "Decision",
    "GraphQLContribution",
    "ModelsSpec",
    "ProgramInfo",
    "Schedule",
    "Unit",
    "hookimpl",
]
