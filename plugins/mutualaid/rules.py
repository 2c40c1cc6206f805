"""The program's benefit rules. Money leaving the mutual-aid fund is an event payment (approved
once, on its record) and each needs a one-off rule naming it; the amounts are decided by the
program's own computation (a refund: what was paid in; a claim: the assessment), never by a
campaign evaluating members. Each part appends its rules to ``RULES`` (one hook per plugin)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from unionaid.core import Condition, Decision, Schedule, Unit


class EnrolmentRefund:
    """The refund of a cancelled enrolment's contribution (cooling-off period)."""

    code = "enrolment_refund"
    name = "互助保障退保退费"
    name_en = "Mutual-aid enrolment refund"
    schedule = Schedule.ONE_OFF
    unit = Unit.MEMBER

    def evaluate(self, facts: dict[str, Any], settings: BaseModel, on: dt.date) -> Decision:
        # Never found by evaluating members: a refund is requested with its amount.
        return Decision(
            False,
            Decimal("0"),
            [Condition(False, "退费随退保办理", "refunds come with a cancellation")],
        )


# --- plans and enrolment (ma) ---------------------------------------------------------------
RULES: list = [EnrolmentRefund()]
# --- claims and condolences (mc) ------------------------------------------------------------
from unionaid.plugins.mutualaid.claim_rules import CLAIM_RULES  # noqa: E402 (the part's block)

RULES += CLAIM_RULES
