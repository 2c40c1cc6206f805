"""Facts across programs: a program reads the facts another publishes ("hardship.level"),
declared with ``ProgramInfo.requires``; where that program is off, they are absent and the rule
says so."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import id_number
from unionaid.core import (
    Condition,
    Decision,
    ProgramInfo,
    Schedule,
    Unit,
    hookimpl,
    program_off,
)
from unionaid.core.host import PluginError, PluginHost
from unionaid.core.models import Household, Member, ProgramEnablement
from unionaid.core.services.evaluation import member_facts
from unionaid.plugins.hardship.models import HardshipLevel, HardshipProfile

HUISHAN, BINHU = "320206", "320211"
ON = dt.date(2027, 6, 1)


class ExtremeTopUp:
    """Pays members whose hardship file says 特困 (a fact of another program)."""

    code, name, name_en = "top_up", "特困补充", "Extreme top-up"
    schedule, unit = Schedule.ANNUAL, Unit.MEMBER

    def evaluate(self, facts: dict, settings, on: dt.date) -> Decision:
        if (off := program_off(facts, "hardship")) is not None:
            return Decision(False, Decimal("0"), [off])
        level = facts.get("hardship.level")
        passed = level == "extreme"
        return Decision(
            passed, Decimal("50.00") if passed else Decimal("0"), [Condition(passed, level, level)]
        )


class Reader:
    """A program whose rule reads hardship's facts."""

    @hookimpl
    def register_program(self):
        return ProgramInfo(
            id="reader",
            name="读者",
            name_en="Reader",
            version="1.0",
            contract_versions=("2",),
            requires=("hardship",),
        )

    @hookimpl
    def register_rules(self):
        return [ExtremeTopUp()]


@pytest.fixture
def host(builtin_host: PluginHost) -> PluginHost:
    with_reader = PluginHost()
    for program in builtin_host.programs.values():
        with_reader.register(program.plugin, builtin=program.builtin)
    with_reader.register(Reader())
    with_reader.check()
    return with_reader


def test_a_program_requiring_one_not_installed_fails_at_startup():
    alone = PluginHost()
    alone.register(Reader())
    with pytest.raises(PluginError, match="reader: requires program hardship, which is not"):
        alone.check()


def test_a_program_may_not_require_itself():
    with pytest.raises(ValueError, match="requires itself"):
        ProgramInfo(id="reader", name="读者", name_en="Reader", version="1", requires=("reader",))


ENABLE = """mutation($p: String!, $d: String!) { enableProgram(input: {programId: $p,
  districtCode: $d}) { userErrors { code } } }"""
CREATE = """mutation($i: CreateMemberInput!) { createMember(input: $i) { member { id } } }"""
DECISIONS = """query($id: ID!) { member(id: $id) { entitlements(period: "2027") {
  program ruleCode eligible amount conditions { passed zh en } } } }"""


async def extreme_member(gql, district: str) -> str:
    made = await gql.ok(
        CREATE, {"i": {"name": "王五", "idNumber": id_number(), "districtCode": district}}
    )
    gid = made["createMember"]["member"]["id"]
    member = await Member.filter(district_id=district).order_by("-id").first()
    await HardshipProfile.create(member=member, level=HardshipLevel.EXTREME)
    return gid


async def test_a_rule_reads_another_programs_fact_and_sees_it_absent_where_it_is_off(gql):
    here, there = await extreme_member(gql, HUISHAN), await extreme_member(gql, BINHU)
    for program, district in (("hardship", HUISHAN), ("reader", HUISHAN), ("reader", BINHU)):
        done = await gql.ok(ENABLE, {"p": program, "d": district})
        assert done["enableProgram"]["userErrors"] == []

    async def decision(member: str) -> dict:
        found = (await gql.ok(DECISIONS, {"id": member}))["member"]["entitlements"]
        [only] = [d for d in found if d["program"] == "reader"]
        return only

    assert await decision(here) == {
        "program": "reader",
        "ruleCode": "top_up",
        "eligible": True,
        "amount": "50.00",
        "conditions": [{"passed": True, "zh": "extreme", "en": "extreme"}],
    }
    assert (await decision(there))["conditions"] == [  # hardship is off in Binhu
        {
            "passed": False,
            "zh": "困难职工帮扶项目未启用",
            "en": "program not enabled: Hardship assistance",
        }
    ]


async def test_required_facts_are_read_per_batch_not_per_member(orm, host, sql_counter):
    for program in ("hardship", "reader"):
        await ProgramEnablement.create(
            program=program, district_id=HUISHAN, enabled=True, updated_by="test"
        )

    async def members(n: int) -> None:
        for _ in range(n):
            household = await Household.create(district_id=HUISHAN)
            member = await Member.create(
                name="甲",
                id_number_enc="x",
                id_number_hash=id_number(),
                id_number_masked="x",
                birth_date=dt.date(1980, 1, 1),
                gender="male",
                district_id=HUISHAN,
                household=household,
            )
            await HardshipProfile.create(member=member, level=HardshipLevel.DIFFICULT)

    async def statements() -> tuple[int, list[dict]]:
        sql_counter.count = 0
        facts = await member_facts(host, "reader", Member.all(), ON)
        return sql_counter.count, facts

    await members(1)
    one, _ = await statements()
    await members(9)
    ten, facts = await statements()
    assert one == ten
    assert {f["hardship.level"] for f in facts} == {"difficult"}
    assert all(f["programs_off"] == {} for f in facts)
