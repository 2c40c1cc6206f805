"""Issue 15.14: money rounds half-up everywhere. Each built-in rule is fed amounts that end on a
half fen (in its settings, or made by its arithmetic) and must pay them rounded half-up, as the
core's one rounding function (``unionaid.core.money.to_fen``) does: 100.03 × 1.5 = 150.045
pays 150.05, never the 150.04 of the default (half-even) rounding."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.rule_kit import MEMBERS, ON, facts_of, rules
from unionaid.core.host import PluginHost
from unionaid.core.money import to_fen
from unionaid.core.services.evaluation import decide

EXTREME = MEMBERS[2]  # an active 特困 file, serious illness, children at primary and university
# (program, rule) -> (settings that make a half fen, member, amount paid; None: nobody entitled)
CASES = {
    ("hardship", "spring_festival"): ({"spring_festival_amount": "100.005"}, EXTREME, "100.01"),
    ("hardship", "quarterly_subsidy"): (
        {"quarterly_subsidy_base": {"extreme": "100.03"}, "quarterly_subsidy_multiplier": "1.5"},
        EXTREME,
        "150.05",
    ),
    ("hardship", "medical_subsidy"): (
        {"medical_subsidy_base": {"extreme": "100.03"}, "medical_subsidy_uplift": "0.5"},
        EXTREME,
        "150.05",
    ),
    ("hardship", "education_grant"): (
        {"education_grants": {"primary": "100.005", "university": "0.025"}},
        EXTREME,
        "100.04",
    ),
    ("hardship", "price_subsidy"): ({"price_subsidy_monthly": "0.125"}, EXTREME, "0.13"),
    # Visit cash is an amount typed on a visit (the Money scalar: two decimals at most).
    ("hardship", "visit_cash"): ({}, EXTREME, None),
    # Mutual aid pays per claim or refund, with amounts its own computation decides (rounded
    # half-up: tests/test_mutualaid_assessment.py); a campaign over the register pays nobody.
    ("mutualaid", "enrolment_refund"): ({}, EXTREME, None),
    ("mutualaid", "claim"): ({}, EXTREME, None),
    ("mutualaid", "condolence"): ({}, EXTREME, None),
    ("sample", "gift"): ({"gift_amount": "500.005"}, MEMBERS[0], "500.01"),
    ("sample", "term_gift"): ({"gift_amount": "500.005"}, MEMBERS[0], "500.01"),
    ("sample", "welcome_gift"): ({"gift_amount": "500.005"}, MEMBERS[0], "500.01"),
    ("sample", "holiday_gift"): ({"gift_amount": "500.005"}, MEMBERS[0], "500.01"),
    ("sample", "visit"): ({}, MEMBERS[0], "300.00"),  # a fixed amount, nothing to round
}


@pytest.fixture
def every_program(sample_installed) -> PluginHost:
    return PluginHost.load()


def test_every_rule_rounds_a_half_fen_up(every_program):
    seen = set()
    for program, rule, model in rules(every_program):
        seen.add((program, rule.code))
        changed, member, paid = CASES[program, rule.code]
        settings = model.model_validate({**model().model_dump(), **changed})
        decision = decide(rule, facts_of(member), settings, ON)
        if paid is None:
            assert not decision.eligible, (program, rule.code)
            continue
        assert decision.eligible, (program, rule.code, decision.conditions)
        assert str(decision.amount) == paid, (program, rule.code)
    assert seen == set(CASES)  # a new rule needs its case here


def test_the_core_rounds_half_up():
    assert [to_fen(Decimal(x)) for x in ("150.045", "0.125", "2.345", "-0.005")] == [
        Decimal("150.05"),
        Decimal("0.13"),
        Decimal("2.35"),
        Decimal("-0.01"),
    ]
