"""The rules event payments of claims are requested under. A claim's payout is computed by its
assessment (``services/assessment.py``, with the claim's event and the member's other claims)
and handed to the payment with its amount; these rules only name what is paid. A campaign run
over the register with them entitles nobody: claims are paid one by one, on their own record."""

import datetime as dt
from decimal import Decimal
from typing import Any

from pydantic import BaseModel

from unionaid.core import Condition, Decision, Schedule, Unit

ONLY_PER_CLAIM = Condition(False, "仅按核定的理赔逐笔给付", "paid only per assessed claim")


class _PerClaim:
    schedule = Schedule.ONE_OFF
    unit = Unit.MEMBER

    def __init__(self, code: str, name: str, name_en: str) -> None:
        self.code, self.name, self.name_en = code, name, name_en

    def evaluate(self, facts: dict[str, Any], settings: BaseModel, on: dt.date) -> Decision:
        return Decision(False, Decimal("0.00"), (ONLY_PER_CLAIM,))


CLAIM_RULES = [
    _PerClaim("claim", "互助保障理赔", "Mutual-aid claim"),
    _PerClaim("condolence", "工会会员住院慰问金", "Union member hospital condolence"),
]
