"""What the hardship rules know about a member beyond the core's facts: the household file
(with the income and household size the caseworker assessed, which the rules prefer to the
register's), the model-worker standing and the school levels of the household's children."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from unionaid.core import child_school_levels, to_fen
from unionaid.plugins.hardship.models import HardshipProfile

# What other programs may read (``ProgramInfo.requires``): "hardship.level" and so on, taken
# from the facts below. Public names: keep them when the keys here change.
PUBLISHED = {
    "level": "hardship_level",
    "status": "hardship_status",
    "stage": "hardship_stage",
    "reasons": "hardship_reasons",
    "model_worker_level": "model_worker_level",
    "model_worker_in_difficulty": "model_worker_in_difficulty",
    "assessed_income": "hardship_assessed_income",
    "assessed_size": "hardship_assessed_size",
}


async def load(member_ids: list[int]) -> dict[int, dict[str, Any]]:
    profiles = await HardshipProfile.filter(member_id__in=member_ids).values(
        "member_id",
        "level",
        "status",
        "stage",
        "reasons",
        "model_worker_level",
        "model_worker_in_difficulty",
        "assessed_income",
        "assessed_size",
    )
    children = await child_school_levels(member_ids)
    found: dict[int, dict[str, Any]] = {}
    for p in profiles:
        found[p["member_id"]] = {
            "hardship_level": str(getattr(p["level"], "value", p["level"])),
            "hardship_status": str(getattr(p["status"], "value", p["status"])),
            "hardship_stage": str(getattr(p["stage"], "value", p["stage"])),
            "hardship_reasons": list(p["reasons"] or []),
            "model_worker_level": str(
                getattr(p["model_worker_level"], "value", p["model_worker_level"])
            ),
            "model_worker_in_difficulty": bool(p["model_worker_in_difficulty"]),
            "hardship_assessed_income": _money(p["assessed_income"]),
            "hardship_assessed_size": p["assessed_size"],
        }
    for member_id, levels in children.items():
        found.setdefault(member_id, {})["children_school_levels"] = levels
    return found


def _money(value: Any) -> Decimal | None:
    return None if value is None else to_fen(Decimal(str(value)))
