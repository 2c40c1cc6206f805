"""decide(): every amount a rule returns is paid in yuan to the fen, whatever form it came in."""

import datetime as dt
from decimal import Decimal

import pytest
from pydantic import BaseModel

from unionaid.core import Condition, Decision
from unionaid.core.services.evaluation import decide


class Fixed:
    """A rule paying whatever amount it was made with."""

    def __init__(self, amount, eligible=True):
        self.amount, self.eligible = amount, eligible

    def evaluate(self, facts, settings, on):
        return Decision(self.eligible, self.amount, [Condition(self.eligible, "测试", "test")])


@pytest.mark.parametrize(
    ("amount", "paid"),
    [
        (Decimal("500"), "500.00"),
        (Decimal("500.0"), "500.00"),
        (Decimal("5E+2"), "500.00"),
        (Decimal("12.345"), "12.35"),  # half up
        (300, "300.00"),
    ],
)
def test_an_amount_in_another_form_is_paid_to_the_fen(amount, paid):
    decision = decide(Fixed(amount), {}, None, dt.date(2027, 2, 6))
    assert decision.eligible and str(decision.amount) == paid


def test_an_amount_already_in_fen_is_kept_and_the_ineligible_get_nothing():
    amount = Decimal("500.00")
    kept = decide(Fixed(amount), {}, None, dt.date(2027, 2, 6))
    assert kept.amount is amount
    refused = decide(Fixed(amount, eligible=False), {}, None, dt.date(2027, 2, 6))
    assert not refused.eligible and str(refused.amount) == "0.00"


def test_a_settings_snapshot_is_serialised_again_when_a_value_changes_form():
    # The row maker reuses the last snapshot's JSON only for equal values of the same types:
    # 1 == True == Decimal(1), yet each is stored as the rule gave it.
    from unionaid.core.rules import Unit
    from unionaid.core.services.campaigns import COLUMNS, _row_maker

    class Rule:
        unit = Unit.MEMBER

    class Settings(BaseModel):
        flag: int = 1

    row = _row_maker(Rule(), Settings(), {"city": 1, "district": None})
    fact = {"member_id": 7, "household_id": 3, "district_code": "320206"}
    used = [{"flag": 1}, {"flag": 1}, {"flag": True}, {"flag": Decimal("1")}, {}]
    stored = [
        row(fact, Decision(True, Decimal("1.00"), [], settings=u))[COLUMNS.index("settings")]
        for u in used
    ]
    # (No settings reported: the district's whole settings.)
    assert stored == ['{"flag":1}', '{"flag":1}', '{"flag":true}', '{"flag":"1.00"}', '{"flag":1}']
