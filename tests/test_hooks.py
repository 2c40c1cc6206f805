"""One test per hook, named ``test_hook_<hook name>...`` (tests/test_hook_docs.py requires it).

Each drives its hook through the host the way production does: ``Probe``, a small program
registered beside the built-ins, implements the hooks, and the tests talk to the app over HTTP
(or to the service that calls the hook), never to the plugin's functions directly.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import strawberry
from pydantic import BaseModel, ConfigDict
from strawberry.types import Info
from tortoise import Tortoise

from tests.factories import ACTOR, id_number
from tests.registers import MEMBER_HEADER, member_row, to_csv
from unionaid.core import (
    Code,
    Condition,
    Decision,
    DomainError,
    GraphQLContribution,
    ImportColumn,
    ProgramInfo,
    Schedule,
    Unit,
    UserError,
    Words,
    Yuan,
    hookimpl,
    program_scope,
    run_mutation,
)
from unionaid.core.crypto import Vault
from unionaid.core.host import PluginHost
from unionaid.core.imports.run import import_file
from unionaid.core.models import Member, ProgramEnablement

HUISHAN, BINHU = "320206", "320211"
REFUSED = BINHU  # Probe refuses to be switched on here
CALLS: list[tuple] = []


class ProbeSettings(BaseModel):
    model_config = ConfigDict(extra="forbid")
    bonus: Yuan = Decimal("100.00")
    min_score: int = 5


class ScoreBonus:
    code, name, name_en = "bonus", "积分奖励", "Score bonus"
    schedule, unit = Schedule.ANNUAL, Unit.MEMBER

    def evaluate(self, facts: dict, settings: ProbeSettings, on: dt.date) -> Decision:
        score, floor = facts.get("probe_score"), settings.min_score
        passed = score is not None and score >= floor
        return Decision(
            passed,
            settings.bonus if passed else Decimal("0"),
            [Condition(passed, f"积分 {score} 不低于 {floor}", f"score {score} at least {floor}")],
            facts={"probe_score": score},
            settings={"bonus": settings.bonus, "min_score": floor},
        )


@strawberry.type
class ProbeMemberFields:
    @strawberry.field
    def probe_tag(self) -> str | None:
        return f"probe:{self.district_code}"


@strawberry.type
class ProbeQuery:
    @strawberry.field
    async def probe_districts(self, info: Info) -> list[str]:
        return sorted((await program_scope(info, "probe")).district_codes)


@strawberry.input
class ProbeMarkInput:
    district_code: str


@strawberry.type
class ProbeMarkPayload:
    marked: str | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ProbeMutation:
    @strawberry.mutation
    async def probe_mark(self, info: Info, input: ProbeMarkInput) -> ProbeMarkPayload:
        async def action():
            (await program_scope(info, "probe")).require(input.district_code, "districtCode")
            return {"marked": input.district_code}

        return await run_mutation(info, ProbeMarkPayload, action)


def parse_note(cell: str) -> str:
    if len(cell) > 8:
        raise ValueError(Words("备注超过 8 个字", "note longer than 8 characters"))
    return cell


async def store_notes(values: dict[int, str], actor) -> int:
    CALLS.append(("notes", sorted(values.values()), actor.username))
    return len(values)


class Probe:
    """A program implementing every hook it can without tables of its own."""

    @hookimpl
    def register_program(self):
        return ProgramInfo(
            id="probe", name="探针", name_en="Probe", version="2.1", contract_versions=("2",)
        )

    @hookimpl
    def register_settings(self):
        return ProbeSettings

    @hookimpl
    def register_rules(self):
        return [ScoreBonus()]

    @hookimpl
    async def load_member_facts(self, member_ids):
        CALLS.append(("facts", list(member_ids)))
        return {pk: {"probe_score": 7} for pk in member_ids}

    @hookimpl
    def register_graphql(self):
        return GraphQLContribution(
            query=ProbeQuery, mutation=ProbeMutation, member_fields=ProbeMemberFields
        )

    @hookimpl
    def on_program_enabled(self, district_code, actor):
        CALLS.append(("enabled", district_code, actor))
        if district_code == REFUSED:
            raise DomainError(Code.INVALID_INPUT, "districtCode", detail=Words("拒绝", "refused"))

    @hookimpl
    async def on_program_disabled(self, district_code, actor):
        CALLS.append(("disabled", district_code, actor))

    @hookimpl
    def register_import_columns(self):
        return [ImportColumn("members", "probe_note", parse_note, store_notes)]

    @hookimpl
    def export_personal_data(self, member_id):
        return {"notes": [f"note of {member_id}"]}

    @hookimpl
    async def on_member_anonymised(self, member_id, actor):
        CALLS.append(("anonymised", member_id, actor))


@pytest.fixture
def host(builtin_host: PluginHost) -> PluginHost:
    """The built-in programs and Probe: the app, the services and the importer all use it."""
    with_probe = PluginHost()
    for program in builtin_host.programs.values():
        with_probe.register(program.plugin, builtin=program.builtin)
    with_probe.register(Probe())
    with_probe.check()
    CALLS.clear()
    return with_probe


ENABLE = """mutation($p: String!, $d: String!) { enableProgram(input: {programId: $p, districtCode: $d})
  { userErrors { field code } } }"""
DISABLE = """mutation($p: String!, $d: String!) { disableProgram(input: {programId: $p, districtCode: $d})
  { userErrors { field code } } }"""
CREATE = """mutation($i: CreateMemberInput!) { createMember(input: $i) { member { id } userErrors { code } } }"""
DECISIONS = """query($id: ID!) { member(id: $id) { entitlements(period: "2027") {
  program ruleCode eligible amount facts settings conditions { passed zh en } } } }"""


async def member_in(gql, district: str, name: str = "王五") -> str:
    made = await gql.ok(
        CREATE, {"i": {"name": name, "idNumber": id_number(), "districtCode": district}}
    )
    return made["createMember"]["member"]["id"]


async def enable(gql, district: str = HUISHAN) -> None:
    done = await gql.ok(ENABLE, {"p": "probe", "d": district})
    assert done["enableProgram"]["userErrors"] == []


async def probe_decisions(gql, member: str) -> list[dict]:
    found = (await gql.ok(DECISIONS, {"id": member}))["member"]["entitlements"]
    return [d for d in found if d["program"] == "probe"]


async def test_hook_register_program_names_the_program_everywhere(gql, host):
    programs = (await gql.ok("{ programs { id name nameEn version } }"))["programs"]
    assert {"id": "probe", "name": "探针", "nameEn": "Probe", "version": "2.1"} in programs
    assert host.get("probe").info.name_en == "Probe" and not host.get("probe").builtin


def test_hook_register_models_gives_the_program_its_own_app(orm, host):
    apps = host.tortoise_apps()
    assert apps["hardship"] == {
        "models": ["unionaid.plugins.hardship.models"],
        "migrations": "unionaid.plugins.hardship.migrations",
    }
    assert "HardshipProfile" in Tortoise.apps["hardship"]  # labelled with the program id
    assert "probe" not in apps  # no register_models: nothing stored


async def test_hook_register_settings_defaults_validate_and_apply(gql):
    query = "{ programs { id defaultSettings settingsSchema districts { district { code } settings } } }"
    probe = next(p for p in (await gql.ok(query))["programs"] if p["id"] == "probe")
    assert probe["defaultSettings"] == {"bonus": "100.00", "min_score": 5}
    assert set(probe["settingsSchema"]["properties"]) == {"bonus", "min_score"}
    configure = """mutation($s: JSON!) { configureProgram(input: {programId: "probe",
      districtCode: "320206", settings: $s, validFrom: "2020-01-01"}) { userErrors { code } } }"""
    refused = await gql.ok(configure, {"s": {"bonsu": "1"}})  # extra="forbid"
    assert refused["configureProgram"]["userErrors"] == [{"code": "INVALID_SETTINGS"}]
    saved = await gql.ok(configure, {"s": {"bonus": "150", "min_score": 6}})
    assert saved["configureProgram"]["userErrors"] == []
    await enable(gql)
    decision = (await probe_decisions(gql, await member_in(gql, HUISHAN)))[0]
    assert (decision["amount"], decision["settings"]) == (
        "150.00",
        {"bonus": "150.00", "min_score": 6},
    )


async def test_hook_register_graphql_adds_gated_fields_queries_and_mutations(gql):
    await member_in(gql, HUISHAN, "甲")
    await member_in(gql, BINHU, "乙")
    await enable(gql)
    body = await gql("{ members { edges { node { name probeTag } } } }")
    tags = {e["node"]["name"]: e["node"]["probeTag"] for e in body["data"]["members"]["edges"]}
    assert tags == {"甲": "probe:320206", "乙": None}
    assert [e["extensions"]["code"] for e in body["errors"]] == ["PROGRAM_NOT_ENABLED"]
    assert (await gql.ok("{ probeDistricts }"))["probeDistricts"] == [HUISHAN]
    mark = "mutation($d: String!) { probeMark(input: {districtCode: $d}) { marked userErrors { code } } }"
    assert (await gql.ok(mark, {"d": HUISHAN}))["probeMark"] == {
        "marked": HUISHAN,
        "userErrors": [],
    }
    refused = (await gql.ok(mark, {"d": BINHU}))["probeMark"]
    assert refused == {"marked": None, "userErrors": [{"code": "PROGRAM_NOT_ENABLED"}]}


async def test_hook_register_rules_judges_members_only_where_enabled(gql):
    here, there = await member_in(gql, HUISHAN), await member_in(gql, BINHU)
    await enable(gql)
    [decision] = await probe_decisions(gql, here)
    assert (decision["ruleCode"], decision["eligible"], decision["amount"]) == (
        "bonus",
        True,
        "100.00",
    )
    assert decision["conditions"] == [
        {"passed": True, "zh": "积分 7 不低于 5", "en": "score 7 at least 5"}
    ]
    assert await probe_decisions(gql, there) == []  # Binhu has not enabled Probe


async def test_hook_load_member_facts_feeds_the_rules_in_one_call(gql):
    member = await member_in(gql, HUISHAN)
    await enable(gql)
    CALLS.clear()
    [decision] = await probe_decisions(gql, member)
    assert decision["facts"] == {"probe_score": 7}  # only the program's hook knows it
    assert [("facts", [(await Member.first()).pk])] == CALLS


async def test_hook_on_program_enabled_runs_once_and_may_refuse(gql):
    await enable(gql)
    await enable(gql)  # already on: not told again
    assert [c[:2] for c in CALLS] == [("enabled", HUISHAN)]
    assert CALLS[0][2]  # the username of who switched it on
    refused = await gql.ok(ENABLE, {"p": "probe", "d": REFUSED})
    assert refused["enableProgram"]["userErrors"] == [
        {"field": "districtCode", "code": "INVALID_INPUT"}
    ]
    assert not await ProgramEnablement.filter(program="probe", district_id=REFUSED).exists()
    assert (await gql.ok("{ probeDistricts }"))["probeDistricts"] == [HUISHAN]


async def test_hook_on_program_disabled_runs_once_and_keeps_the_data(gql):
    await enable(gql)
    for _ in range(2):  # the second switch-off changes nothing: no second call
        done = await gql.ok(DISABLE, {"p": "probe", "d": HUISHAN})
        assert done["disableProgram"]["userErrors"] == []
    assert [c[:2] for c in CALLS] == [("enabled", HUISHAN), ("disabled", HUISHAN)]
    assert (await gql.ok("{ probeDistricts }"))["probeDistricts"] == []


async def test_hook_register_import_columns_parses_before_and_stores_after(orm, host, settings):
    rows = [
        [*member_row(1), "家访"],
        [*member_row(2), "这条备注实在是太长了"],
        [*member_row(3), ""],
    ]
    content = to_csv([*MEMBER_HEADER, "probe_note"], rows)
    result = await import_file("members", content, "m.csv", ACTOR, Vault(settings.data_key), host)
    assert (result.created, result.warnings, result.programs["probe"]) == (2, [], 1)
    [error] = result.errors
    assert (error.row, error.column, error.code) == (3, "probe_note", Code.INVALID_INPUT)
    assert [("notes", ["家访"], ACTOR.username)] == CALLS


PERSONAL = """mutation($i: PersonalDataInput!) { %s(input: $i) { userErrors { code } %s } }"""


async def test_hook_export_personal_data_collects_the_programs_answers(gql, login_as):
    member = await member_in(gql, HUISHAN)
    admin = await login_as("district_admin", (HUISHAN,))
    args = {"i": {"memberId": member, "reason": "本人书面申请"}}
    data = (await admin.ok(PERSONAL % ("exportPersonalData", "data"), args))["exportPersonalData"]
    pk = (await Member.first()).pk
    assert data["data"]["programs"] == {"probe": {"notes": [f"note of {pk}"]}}  # not enabled


async def test_hook_on_member_anonymised_runs_in_the_erasure(gql, login_as):
    member = await member_in(gql, HUISHAN)
    admin = await login_as("district_admin", (HUISHAN,))
    args = {"i": {"memberId": member, "reason": "依法删除"}}
    done = await admin.ok(PERSONAL % ("anonymiseMember", "member { name }"), args)
    assert done["anonymiseMember"] == {"userErrors": [], "member": {"name": "已匿名"}}
    [(what, pk, actor)] = CALLS
    assert (what, pk) == ("anonymised", (await Member.first()).pk) and actor
