"""Issue 15.5: an entitlement's snapshot explains its decision. Whatever a built-in rule reads
(facts and settings, caught by recording stand-ins) is in the snapshot the campaign keeps:
``Decision.facts``/``settings``, or everything when a rule reports none (``_row_maker``)."""

from __future__ import annotations

import pytest

from tests.rule_kit import MEMBERS, ON, ReadFacts, ReadSettings, facts_of, rules, settings_variants
from unionaid.core.host import PluginHost


@pytest.fixture
def every_program(sample_installed) -> PluginHost:
    return PluginHost.load()


def test_every_fact_and_setting_a_rule_reads_is_in_its_snapshot(every_program):
    checked = 0
    for program, rule, model in rules(every_program):
        for settings in settings_variants(model):
            for member in MEMBERS:
                facts, read_settings = ReadFacts(facts_of(member)), ReadSettings(settings)
                decision = rule.evaluate(facts, read_settings, ON)
                read_facts, used_settings = set(facts.read), set(read_settings.read)
                where = (program, rule.code, member, settings)
                kept_facts = dict(decision.facts) or dict.copy(facts)
                kept_settings = dict(decision.settings) or settings.model_dump()
                assert read_facts <= set(kept_facts), (read_facts - set(kept_facts), where)
                assert used_settings <= set(kept_settings), (
                    used_settings - set(kept_settings),
                    where,
                )
                for key in read_facts:  # and as read, not as something else
                    assert kept_facts[key] == dict.get(facts, key), (key, where)
                checked += 1
    assert checked > 100  # every rule, member shape and district setting above


def test_the_recorders_catch_a_rule_that_keeps_too_little(every_program):
    """The guard's own check: a rule reporting only some of what it read is caught."""
    from unionaid.core import Condition, Decision

    class Forgetful:
        code = "forgetful"

        def evaluate(self, facts, settings, on):
            ok = facts["age"] >= 18 and settings.gift_min_age >= 0
            conditions = [Condition(ok, "成年", "adult")]
            return Decision(ok, settings.gift_amount, conditions, {"x": 1}, {"gift_amount": 1})

    model = every_program.settings_model("sample")
    facts, settings = ReadFacts(facts_of({})), ReadSettings(model())
    decision = Forgetful().evaluate(facts, settings, ON)
    assert facts.read - set(decision.facts) == {"age"}
    assert settings.read - set(decision.settings) == {"gift_min_age"}
