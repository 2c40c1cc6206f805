"""Hardship's services without GraphQL (issue 16 item 12): a file's life and a visit with its
cash, called directly with the caller's scope (``program_scope_for``), refusing with the same
codes the API answers. Set up with the plugin kit (``unionaid.testing``) as a third-party
program's tests would be: the plugin under test, the districts it runs in, ``add_member``."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import ACTOR, NOW
from unionaid.core import Code, DomainError, Principal, program_scope_for
from unionaid.core.errors import TopLevelError
from unionaid.core.models import AuditEntry, Entitlement, WorkflowStep
from unionaid.core.services import funds
from unionaid.plugins.hardship.models import (
    FileStage,
    FileStatus,
    HardshipFileChange,
    HardshipLevel,
    Occasion,
    Reason,
    Visit,
    VisiteeKind,
)
from unionaid.plugins.hardship.services import files, reports, visits

HUISHAN, BINHU, LIANGXI = "320206", "320211", "320213"
TODAY = dt.date(2026, 11, 29)


def caseworker(name: str, *districts: str) -> Principal:
    return Principal(None, name, "caseworker", frozenset(districts or (HUISHAN,)), frozenset(), "t")


@pytest.fixture
def unionaid_plugin() -> str:
    return "hardship"  # the kit installs hardship alone


@pytest.fixture
def program_districts() -> tuple[str, ...]:
    return (HUISHAN, BINHU)  # the kit enables it here (not in 梁溪区)


@pytest.fixture
async def town(app, host, add_member):
    """A member in each of 惠山区, 滨湖区 and 梁溪区 (where the program is off)."""
    people = {}
    for n, code in enumerate((HUISHAN, BINHU, LIANGXI)):
        people[code] = (await add_member(code, f"会员{n}")).id
    return host, people


async def scope(host, who: Principal):
    return await program_scope_for(who, host, "hardship")


async def refused(work) -> tuple[Code, str | None]:
    with pytest.raises(DomainError) as caught:
        await work
    return caught.value.code, caught.value.field


async def test_a_files_life_through_the_services(town):
    host, people = town
    maker, checker = caseworker("maker"), caseworker("checker")
    new = files.FileInput(HardshipLevel.EXTREME, [Reason.SERIOUS_ILLNESS], Decimal("300.00"), 3)
    made = await files.register_file(await scope(host, maker), people[HUISHAN], new, now=NOW)
    assert (made.stage, made.status, made.version) == (FileStage.REGISTERED, FileStatus.ACTIVE, 1)
    again = files.register_file(await scope(host, checker), people[HUISHAN], new, now=NOW)
    assert await refused(again) == (Code.DUPLICATE, "memberId")

    own = files.verify_file(
        await scope(host, maker), people[HUISHAN], verified_on=TODAY, today=TODAY, now=NOW
    )
    assert await refused(own) == (Code.SELF_VERIFICATION, "memberId")
    early = files.verify_file(
        await scope(host, checker),
        people[HUISHAN],
        verified_on=TODAY + dt.timedelta(days=1),
        today=TODAY,
        now=NOW,
    )
    assert await refused(early) == (Code.INVALID_DATE, "verifiedOn")
    verified = await files.verify_file(
        await scope(host, checker),
        people[HUISHAN],
        verified_on=TODAY,
        today=TODAY,
        now=NOW,
        version=1,
    )
    assert (verified.stage, verified.verified_by, verified.version) == (
        FileStage.VERIFIED,
        "checker",
        2,
    )

    stale = files.update_file(await scope(host, maker), people[HUISHAN], 1, {"assessed_size": 4})
    assert await refused(stale) == (Code.CONFLICT, "version")
    changed = await files.update_file(
        await scope(host, maker), people[HUISHAN], 2, {"assessed_size": 4, "stage": "closed"}
    )
    assert (changed.assessed_size, changed.stage, changed.version) == (4, FileStage.VERIFIED, 3)

    closed = await files.close_file(await scope(host, maker), people[HUISHAN], " 已脱困 ", now=NOW)
    assert (closed.status, closed.stage, closed.close_reason) == (
        FileStatus.CLOSED,
        FileStage.CLOSED,
        "已脱困",
    )
    log = await HardshipFileChange.filter(profile_id=made.id).order_by("id")
    assert [c.operation for c in log] == [
        "registerHardshipFile",
        "verifyHardshipFile",
        "updateHardshipFile",
        "closeHardshipFile",
    ]
    steps = await WorkflowStep.filter(record_type="HardshipFile", record_id=made.id)
    assert [s.transition for s in steps] == ["register", "verify", "close"]
    audited = await AuditEntry.filter(object_type="HardshipFile").values_list("operation", flat=1)
    assert sorted(audited) == sorted(c.operation for c in log)


async def test_the_services_refuse_what_the_callers_scope_does_not_reach(town):
    host, people = town
    new = files.FileInput(HardshipLevel.DIFFICULT, [Reason.LOW_INCOME])
    huishan = await scope(host, caseworker("maker"))
    # Another district's member does not exist for the caller; nor does an id that names none.
    for member in (people[BINHU], None, 10**9):
        assert await refused(files.register_file(huishan, member, new, now=NOW)) == (
            Code.NOT_FOUND,
            "memberId",
        )
    # A district the caller sees, where the program is off.
    city = await scope(host, Principal(None, "city", "city_admin", None, frozenset(), "t"))
    assert await refused(files.register_file(city, people[LIANGXI], new, now=NOW)) == (
        Code.PROGRAM_NOT_ENABLED,
        "memberId",
    )
    # Reading is not writing: an approver sees the member but may not register a file.
    approver = Principal(None, "ap", "approver", frozenset({HUISHAN}), frozenset(), "t")
    with pytest.raises(TopLevelError) as forbidden:  # the whole request is refused
        await files.register_file(await scope(host, approver), people[HUISHAN], new, now=NOW)
    assert forbidden.value.code == Code.FORBIDDEN
    assert await files.listed(huishan).count() == 0  # nothing was written


async def test_a_visit_with_cash_joins_the_districts_visit_campaign_once(town):
    host, people = town
    maker = caseworker("maker")
    fund = await funds.create_fund(ACTOR, "HS-V", "惠山走访", HUISHAN)
    visit = visits.NewVisit(
        district_code=HUISHAN,
        visitee_name="会员0",
        visitee_kind=VisiteeKind.HOUSEHOLD,
        visited_by="区总工会主席",
        visited_on=dt.date(2026, 11, 20),
        occasion=Occasion.OTHER,
        member_pk=people[HUISHAN],
        cash=Decimal("300.00"),
        fund_pk=fund.id,
        gift_value=Decimal("88.50"),
    )
    made = await visits.record_visit(await scope(host, maker), host, visit, today=TODAY)
    entitlement = await Entitlement.get(id=made.entitlement_id)
    assert (entitlement.amount, entitlement.member_id, entitlement.campaign_id) == (
        Decimal("300.00"),
        people[HUISHAN],
        made.campaign_id,
    )
    twice = visits.record_visit(await scope(host, maker), host, visit, today=TODAY)
    assert await refused(twice) == (Code.DUPLICATE, "memberId")
    assert await Visit.all().count() == 1  # the refused one left nothing behind

    no_fund = visits.NewVisit(**{**visit.__dict__, "fund_pk": None})
    assert await refused(
        visits.record_visit(await scope(host, maker), host, no_fund, today=TODAY)
    ) == (
        Code.REQUIRED,
        "fundId",
    )
    elsewhere = visits.NewVisit(**{**visit.__dict__, "member_pk": people[BINHU]})
    city = await scope(host, Principal(None, "city", "city_admin", None, frozenset(), "t"))
    assert await refused(visits.record_visit(city, host, elsewhere, today=TODAY)) == (
        Code.NOT_FOUND,
        "memberId",
    )
    [group] = await reports.visited(await scope(host, maker))
    assert (group.visits, group.people, group.cash, group.gift_value) == (
        1,
        1,
        Decimal("300.00"),
        Decimal("88.50"),
    )
