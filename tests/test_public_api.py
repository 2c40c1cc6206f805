"""The public API a program digs for otherwise (issue 16, item 4), used through the names
``unionaid.core`` exports: effective settings, the request's today and now, an injected clock,
the districts where a program is on, households' members and dependents (the ``Dependent``
node) and the caller's scope."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import strawberry
from pydantic import BaseModel
from strawberry.types import Info

import unionaid.core as core
from tests.factories import NOW, id_number
from unionaid.core import (
    ProgramInfo,
    Yuan,
    enabled_districts,
    fixed_clock,
    hookimpl,
    household_dependents,
    household_members,
    program_scope,
    program_settings,
    request_now,
    request_today,
    today_in_shanghai,
)
from unionaid.core.host import PluginHost
from unionaid.core.models import Member

HUISHAN, BINHU = "320206", "320211"


class AskerSettings(BaseModel):
    bonus: Yuan = Decimal("10.00")


@strawberry.type
class AskerQuery:
    @strawberry.field
    async def asker_bonus(self, info: Info, district_code: str, on: dt.date | None = None) -> str:
        return str((await program_settings(info, "asker", district_code, on)).bonus)

    @strawberry.field
    def asker_clock(self, info: Info) -> list[str]:
        return [request_today(info).isoformat(), request_now(info).isoformat()]

    @strawberry.field
    async def asker_districts(self, info: Info) -> list[str]:
        return sorted((await program_scope(info, "asker")).district_codes)


class Asker:
    @hookimpl
    def register_program(self):
        return ProgramInfo(
            id="asker", name="问询", name_en="Asker", version="1", contract_versions=("2",)
        )

    @hookimpl
    def register_settings(self):
        return AskerSettings

    @hookimpl
    def register_graphql(self):
        return core.GraphQLContribution(query=AskerQuery)


@pytest.fixture
def host(builtin_host: PluginHost) -> PluginHost:
    with_asker = PluginHost()
    for program in builtin_host.programs.values():
        with_asker.register(program.plugin, builtin=program.builtin)
    with_asker.register(Asker())
    with_asker.check()
    return with_asker


ENABLE = """mutation($p: String!, $d: String!) { enableProgram(input: {programId: $p,
  districtCode: $d}) { userErrors { code } } }"""
CONFIGURE = """mutation($s: JSON!, $d: String, $f: Date!) { configureProgram(input: {
  programId: "asker", districtCode: $d, settings: $s, validFrom: $f}) { userErrors { code } } }"""
CREATE = """mutation($i: CreateMemberInput!) { createMember(input: $i) {
  member { id household { id } } } }"""
ADD = """mutation($i: AddDependentInput!) { addDependent(input: $i) { userErrors { code } } }"""


def test_every_new_name_is_public():
    for name in (
        "Clock",
        "Dependent",
        "DependentInfo",
        "EffectiveSettings",
        "effective_settings",
        "enabled_districts",
        "fixed_clock",
        "household_dependents",
        "household_members",
        "program_scope",
        "ProgramScope",
        "program_settings",
        "request_now",
        "request_today",
        "today_in_shanghai",
    ):
        assert name in core.__all__ and hasattr(core, name), name


async def test_effective_settings_of_a_district_on_a_day(gql, host):
    for settings, district, valid_from in (
        ({"bonus": "20"}, None, "2020-01-01"),  # the city's
        ({"bonus": "30"}, HUISHAN, "2026-01-01"),
        ({"bonus": "40"}, HUISHAN, "2027-01-01"),  # not yet valid today
    ):
        done = await gql.ok(CONFIGURE, {"s": settings, "d": district, "f": valid_from})
        assert done["configureProgram"]["userErrors"] == []
    await enable(gql, HUISHAN)
    await enable(gql, BINHU)
    bonus = "query($d: String!, $on: Date) { askerBonus(districtCode: $d, on: $on) }"
    asked = {
        (d, on): (await gql.ok(bonus, {"d": d, "on": on}))["askerBonus"]
        for d, on in (
            (HUISHAN, None),  # the request's today, 2026-11-29
            (HUISHAN, "2027-02-01"),
            (HUISHAN, "2025-06-01"),
            (BINHU, None),
        )
    }
    assert asked == {
        (HUISHAN, None): "30.00",
        (HUISHAN, "2027-02-01"): "40.00",
        (HUISHAN, "2025-06-01"): "20.00",
        (BINHU, None): "20.00",
    }
    service = await core.effective_settings(host, "asker", HUISHAN, dt.date(2027, 2, 1))
    assert (service.values.bonus, service.district_version) == (Decimal("40.00"), 2)


async def test_today_and_now_come_from_the_request_and_services_take_a_clock(gql):
    # The app's clock is fixed at 2026-11-29 03:00 UTC (11:00 in Shanghai).
    assert (await gql.ok("{ askerClock }"))["askerClock"] == [
        "2026-11-29",
        NOW.isoformat(),
    ]
    late = fixed_clock(dt.datetime(2027, 3, 31, 17, 0, tzinfo=dt.UTC))
    assert today_in_shanghai(late()) == dt.date(2027, 4, 1)  # already 01:00 in Shanghai
    with pytest.raises(ValueError):
        fixed_clock(dt.datetime(2027, 3, 31))


async def test_the_districts_where_a_program_is_enabled(gql, login_as):
    assert await enabled_districts("asker") == []
    await enable(gql, BINHU)
    await enable(gql, HUISHAN)
    assert await enabled_districts("asker") == [HUISHAN, BINHU]  # by code: 320206 < 320211
    off = await gql.ok(
        ENABLE.replace("enableProgram", "disableProgram"), {"p": "asker", "d": BINHU}
    )
    assert off["disableProgram"]["userErrors"] == []
    assert await enabled_districts("asker") == [HUISHAN]
    # The caller's scope narrows it to their districts.
    await enable(gql, BINHU)
    binhu = await login_as("district_admin", (BINHU,))
    assert (await binhu.ok("{ askerDistricts }"))["askerDistricts"] == [BINHU]


async def test_household_members_and_dependents_with_ids(gql):
    made = await gql.ok(
        CREATE, {"i": {"name": "王五", "idNumber": id_number(), "districtCode": HUISHAN}}
    )
    member_gid = made["createMember"]["member"]["id"]
    for name, level, born in (("小明", "PRIMARY", "2018-09-01"), ("小红", None, None)):
        child = {"memberId": member_gid, "name": name, "relation": "CHILD", "schoolLevel": level}
        added = await gql.ok(ADD, {"i": {**child, "birthDate": born}})
        assert added["addDependent"]["userErrors"] == []
    member = await Member.get(name="王五")
    [ming, hong] = (await household_dependents([member.household_id]))[member.household_id]
    assert (ming.name, str(ming.school_level), ming.birth_date) == (
        "小明",
        "primary",
        dt.date(2018, 9, 1),
    )
    assert (hong.name, hong.school_level, hong.birth_date) == ("小红", None, None)
    assert ming.id == core.to_global_id("Dependent", ming.pk)
    assert await household_members({member.household_id}) == {member.household_id: [member.pk]}
    assert await household_dependents([]) == {}
    # The same ids in the API.
    query = """query($id: ID!) { member(id: $id) { household { dependents { id name } } } }"""
    listed = (await gql.ok(query, {"id": member_gid}))["member"]["household"]["dependents"]
    assert listed == [{"id": ming.id, "name": "小明"}, {"id": hong.id, "name": "小红"}]


NODE = """query($id: ID!) { node(id: $id) { id ... on Dependent { name relation birthDate
  schoolLevel } } }"""


async def test_a_dependent_is_a_node_within_the_callers_scope(gql, login_as):
    made = await gql.ok(
        CREATE, {"i": {"name": "王五", "idNumber": id_number(), "districtCode": HUISHAN}}
    )
    child = {
        "memberId": made["createMember"]["member"]["id"],
        "name": "小明",
        "relation": "CHILD",
        "birthDate": "2012-05-06",
        "schoolLevel": "JUNIOR_HIGH",
    }
    assert (await gql.ok(ADD, {"i": child}))["addDependent"]["userErrors"] == []
    member = await Member.get(name="王五")
    [dependent] = (await household_dependents([member.household_id]))[member.household_id]
    found = (await login_as("caseworker", (HUISHAN,))).ok(NODE, {"id": dependent.id})
    assert (await found)["node"] == {
        "id": dependent.id,
        "name": "小明",
        "relation": "CHILD",
        "birthDate": "2012-05-06",
        "schoolLevel": "JUNIOR_HIGH",
    }
    elsewhere = await (await login_as("caseworker", (BINHU,)))(NODE, {"id": dependent.id})
    assert elsewhere["data"]["node"] is None
    assert [e["extensions"]["code"] for e in elsewhere["errors"]] == ["NOT_FOUND"]
    missing = core.to_global_id("Dependent", dependent.pk + 1)
    assert [e["extensions"]["code"] for e in (await gql(NODE, {"id": missing}))["errors"]] == [
        "NOT_FOUND"
    ]


async def enable(gql, district: str) -> None:
    done = await gql.ok(ENABLE, {"p": "asker", "d": district})
    assert done["enableProgram"]["userErrors"] == []
