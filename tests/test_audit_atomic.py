"""A change and its audit entry commit together (issue 15 item 17), for every audited service
but the campaigns' and payments'.

Each case sets up what it needs, then the audit writer is made to fail — so every service
issues its change and then cannot record it — and the case runs. Afterwards no audit entry was
added and every table that holds records is exactly as before. Core services are called
directly (the CLI reaches them that way, without ``run_mutation``'s transaction); the hardship
program's writes live in its resolvers and are exercised through GraphQL."""

import datetime as dt
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest

from tests.factories import ACTOR, id_number, uscc
from unionaid.core import to_global_id
from unionaid.core.crypto import Vault
from unionaid.core.imports.run import import_file
from unionaid.core.models import (
    ApiToken,
    Approval,
    AuditEntry,
    Campaign,
    Dependent,
    District,
    DistrictPolicy,
    Enterprise,
    Entitlement,
    Fund,
    Household,
    IdempotencyKey,
    Job,
    LedgerEntry,
    Member,
    MemberMove,
    ProgramEnablement,
    ProgramSettings,
    Relation,
    SchoolTerm,
    User,
    UserDistrict,
)
from unionaid.core.services import (
    accounts,
    audit,
    enterprises,
    funds,
    members,
    personal_data,
    programs,
)
from unionaid.plugins.hardship.models import HardshipFileChange, HardshipProfile, Visit

HUISHAN = "320206"
RECORDS = (  # every table that holds records (not the trail, sign-in attempts, rate buckets)
    ApiToken,
    Approval,
    Campaign,
    Dependent,
    District,
    DistrictPolicy,
    Enterprise,
    Entitlement,
    Fund,
    HardshipFileChange,
    HardshipProfile,
    Household,
    IdempotencyKey,
    Job,
    LedgerEntry,
    Member,
    MemberMove,
    ProgramEnablement,
    ProgramSettings,
    SchoolTerm,
    User,
    UserDistrict,
    Visit,
)
NOW = dt.datetime(2027, 1, 10, 9, 0, tzinfo=dt.UTC)


class AuditDown(RuntimeError):
    """The audit table refused the entry (disk full, a trigger, a lost connection...)."""


@dataclass
class World:
    host: Any
    vault: Vault
    gql: Any


async def _member(w: World) -> Member:
    new = members.NewMember("王五", id_number(), HUISHAN, monthly_income=Decimal("900"))
    return await members.create_member(ACTOR, w.vault, new)


async def _fund(code: str, amount: str | None = None) -> Fund:
    fund = await funds.create_fund(ACTOR, code, f"基金{code}", HUISHAN)
    if amount is not None:
        await funds.contribute(ACTOR, fund.id, Decimal(amount))
    return fund


async def _user(name: str = "zhao") -> str:
    await accounts.create_user(ACTOR, accounts.NewUser(name, "caseworker", [HUISHAN]))
    return name


REGISTER = """mutation($i: HardshipFileInput!) { registerHardshipFile(input: $i) {
  file { version } userErrors { code } } }"""
UPDATE = """mutation($i: UpdateHardshipFileInput!) { updateHardshipFile(input: $i) {
  file { version } userErrors { code } } }"""
VISIT = """mutation($i: RecordVisitInput!) { recordVisit(input: $i) {
  visit { id } userErrors { code } } }"""


async def _gid(w: World, member: Member) -> str:
    return to_global_id("Member", member.id)


async def _visit_input(w: World, cash: bool) -> dict:
    member = await _member(w)
    await programs.set_enabled(w.host, "hardship", HUISHAN, True, ACTOR)
    given = {
        "districtCode": HUISHAN,
        "visiteeName": "王五",
        "visiteeKind": "HOUSEHOLD",
        "visitedBy": "工会主席",
        "visitedOn": "2026-09-01",
        "occasion": "OTHER",
        "memberId": await _gid(w, member),
    }
    if cash:
        fund = await _fund("VISIT", "5000.00")
        given |= {"cash": "500.00", "fundId": to_global_id("Fund", fund.id)}
    return given


async def _through_graphql(w: World, query: str, variables: dict) -> None:
    body = await w.gql(query, variables)
    assert body["errors"][0]["extensions"]["code"] == "INTERNAL_ERROR", body


@dataclass
class Case:
    name: str
    setup: Callable[[World], Awaitable[Any]]
    act: Callable[[World, Any], Awaitable[Any]]
    fails_at: str | None = None  # the operation whose entry is refused (default: the first)


async def _nothing(w: World) -> None:
    return None


async def _registered_file(w: World) -> str:
    member = await _member(w)
    await programs.set_enabled(w.host, "hardship", HUISHAN, True, ACTOR)
    gid = await _gid(w, member)
    done = await w.gql.ok(REGISTER, {"i": {"memberId": gid, "level": "EXTREME", "reasons": []}})
    assert done["registerHardshipFile"]["userErrors"] == []
    return gid


CASES = [
    Case("createMember", _nothing, lambda w, _: _member(w)),
    Case(
        "updateMember",
        _member,
        lambda w, m: members.update_member(ACTOR, m.id, m.version, {"name": "李四"}),
    ),
    Case(
        "addDependent",
        _member,
        lambda w, m: members.add_dependent(
            ACTOR, members.NewDependent(m.id, "小明", Relation.CHILD, dt.date(2015, 6, 1))
        ),
    ),
    Case(
        "declareHouseholdSize",
        _member,
        lambda w, m: members.declare_household_size(ACTOR, m.household_id, HUISHAN, 4),
    ),
    Case(
        "createEnterprise",
        _nothing,
        lambda w, _: enterprises.create_enterprise(
            ACTOR, enterprises.NewEnterprise("锡山纺织厂", uscc(), HUISHAN)
        ),
    ),
    Case("createFund", _nothing, lambda w, _: _fund("NEW")),
    Case(
        "contributeToFund",
        lambda w: _fund("IN"),
        lambda w, f: funds.contribute(ACTOR, f.id, Decimal("100.00")),
    ),
    Case(
        "transferBetweenFunds",
        lambda w: _two_funds(),
        lambda w, pair: funds.transfer(ACTOR, pair[0].id, pair[1].id, Decimal("100.00")),
    ),
    Case(
        "enableProgram",
        _nothing,
        lambda w, _: programs.set_enabled(w.host, "hardship", HUISHAN, True, ACTOR),
    ),
    Case(
        "disableProgram",
        lambda w: programs.set_enabled(w.host, "hardship", HUISHAN, True, ACTOR),
        lambda w, _: programs.set_enabled(w.host, "hardship", HUISHAN, False, ACTOR),
    ),
    Case(
        "configureProgram",
        _nothing,
        lambda w, _: programs.configure(
            w.host,
            "hardship",
            HUISHAN,
            {"spring_festival_amount": "4000.00"},
            dt.date(2027, 1, 1),
            ACTOR,
        ),
    ),
    Case("createUser", _nothing, lambda w, _: _user()),
    Case(
        "setPassword",
        lambda w: _user(),
        lambda w, name: accounts.set_password(ACTOR, name, "a-long-enough-password-1"),
    ),
    Case(
        "deactivateUser",
        lambda w: _user(),
        lambda w, name: accounts.set_active(ACTOR, name, False),
    ),
    Case(
        "issueToken",
        lambda w: _user(),
        lambda w, name: accounts.issue_token(ACTOR, name, dt.timedelta(hours=1), NOW),
    ),
    Case(
        "revokeTokens",
        lambda w: _user_with_token(),
        lambda w, name: accounts.revoke_tokens(ACTOR, NOW, username=name),
    ),
    Case(
        "exportPersonalData",
        _member,
        lambda w, m: personal_data.export(ACTOR, w.host, w.vault, m.id, "本人申请"),
    ),
    Case(
        "anonymiseMember",
        _member,
        lambda w, m: personal_data.anonymise(ACTOR, w.host, w.vault, m.id, "本人申请删除"),
    ),
    Case(
        "importMembers (a changed row: member and household size)",
        lambda w: _member_with_number(w),
        lambda w, number: import_file(
            "members",
            f"name,id_number,district_code,household_size\n李四,{number},{HUISHAN},4\n".encode(),
            "members.csv",
            ACTOR,
            w.vault,
            w.host,
        ),
        fails_at="declareHouseholdSize",
    ),
    Case(
        "setSchoolTerm",
        _nothing,
        lambda w, _: _through_graphql(
            w,
            """mutation { setSchoolTerm(input: {code: "2027-autumn-term", start: "2027-09-01",
              end: "2028-01-20"}) { userErrors { code } } }""",
            {},
        ),
    ),
    Case(
        "setDistrictPolicy",
        _nothing,
        lambda w, _: _through_graphql(
            w,
            """mutation { setDistrictPolicy(input: {districtCode: "320206",
              secondApprovalAbove: "10000.00"}) { userErrors { code } } }""",
            {},
        ),
    ),
    Case(
        "registerHardshipFile",
        lambda w: _member_in_hardship(w),
        lambda w, gid: _through_graphql(
            w, REGISTER, {"i": {"memberId": gid, "level": "EXTREME", "reasons": ["DISASTER"]}}
        ),
    ),
    Case(
        "updateHardshipFile",
        _registered_file,
        lambda w, gid: _through_graphql(
            w, UPDATE, {"i": {"memberId": gid, "version": 1, "assessedSize": 4}}
        ),
    ),
    Case(
        "closeHardshipFile",
        _registered_file,
        lambda w, gid: _through_graphql(
            w,
            """mutation($i: CloseHardshipFileInput!) { closeHardshipFile(input: $i) {
              userErrors { code } } }""",
            {"i": {"memberId": gid, "reason": "收入已恢复"}},
        ),
    ),
    Case(
        "recordVisit",
        lambda w: _visit_input(w, cash=False),
        lambda w, given: _through_graphql(w, VISIT, {"i": given}),
    ),
    Case(
        "recordVisitWithCash",
        lambda w: _visit_input(w, cash=True),
        lambda w, given: _through_graphql(w, VISIT, {"i": given}),
    ),
]


async def _member_with_number(w: World) -> str:
    number = id_number()
    new = members.NewMember("王五", number, HUISHAN, monthly_income=Decimal("900"))
    await members.create_member(ACTOR, w.vault, new)
    return number


async def _two_funds() -> tuple[Fund, Fund]:
    return await _fund("FROM", "1000.00"), await _fund("TO")


async def _user_with_token() -> str:
    name = await _user()
    await accounts.issue_token(ACTOR, name, dt.timedelta(hours=1), NOW)
    return name


async def _member_in_hardship(w: World) -> str:
    member = await _member(w)
    await programs.set_enabled(w.host, "hardship", HUISHAN, True, ACTOR)
    return await _gid(w, member)


async def _records() -> dict[str, list[dict]]:
    return {m.__name__: await m.all().order_by(m._meta.pk_attr).values() for m in RECORDS}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
async def test_a_change_and_its_audit_entry_commit_together(
    case, gql, host, settings, monkeypatch, caplog
):
    world = World(host, Vault(settings.data_key), gql)
    state = await case.setup(world)
    before, entries = await _records(), await AuditEntry.all().count()
    issued: list[str] = []

    async def refuse(found):
        issued.extend(e.operation for e in found)
        if case.fails_at is None or any(e.operation == case.fails_at for e in found):
            raise AuditDown("the audit trail refused the entry")
        await write(found)

    write = audit.write
    monkeypatch.setattr(audit, "write", refuse)
    with caplog.at_level(logging.CRITICAL, logger="unionaid.graphql"):
        try:
            await case.act(world, state)
        except AuditDown:
            pass
        else:
            assert issued, "the service recorded nothing in the trail"
    monkeypatch.undo()
    assert issued, "the audit writer was never reached"
    assert await AuditEntry.all().count() == entries
    assert await _records() == before
