"""Only approved money leaves a fund, approved by someone who made none of it; the fund is
checked up front and per batch; a campaign the fund could not cover is ``partly_paid`` and paid
in full by running payCampaign again; every paid entitlement links its ledger entry; a change
and its audit entries commit together (issue 15, items 2, 3, 7, 17, 18). SQLite and
PostgreSQL; the races that need two connections are in test_campaign_races_pg.py."""

from decimal import Decimal

import pytest

from tests import test_campaigns
from tests.factories import ACTOR
from tests.test_campaigns import HUISHAN, NOW, new_campaign
from unionaid.core.errors import DomainError
from unionaid.core.models import (
    AuditEntry,
    Campaign,
    CampaignMaker,
    CampaignStatus,
    Entitlement,
    EntitlementStatus,
    IdempotencyKey,
    LedgerEntry,
)
from unionaid.core.services import accounts, audit, campaigns, funds, programs
from unionaid.core.services.funds import balances

# test_campaigns' world: the sample plugin in 惠山区, five members (three entitled to 500.00 at
# the Spring Festival), a fund of 10,000.00, a maker, two checkers and a payer.
world = test_campaigns.world


async def approved_campaign(host, fund, users):
    """The world's Spring Festival campaign: 3 members entitled to 500.00, approved."""
    campaign = await new_campaign(host, fund, users)
    await campaigns.evaluate(users["maker"], host, campaign.id)
    await campaigns.decide_approval(users["checker"], campaign.id, True, "", NOW)
    return campaign


async def add(host, actor, campaign_id, member_id, amount="300.00"):
    return await campaigns.add_entitlement(
        actor,
        host,
        campaign_id,
        member_id,
        amount=Decimal(amount),
        explanation_zh="补充发放",
        explanation_en="added by hand",
    )


async def status_of(campaign_id):
    return (await Campaign.get(id=campaign_id)).status


async def balance_of(fund):
    return (await balances([fund.id]))[fund.id]


# -- item 2: only the approved set is paid ------------------------------------------------------


async def test_approval_stamps_the_set_it_approves(world):
    host, fund, _people, users = world
    campaign = await approved_campaign(host, fund, users)
    stamped = await Entitlement.filter(campaign_id=campaign.id).values_list(
        "approved_version", flat=True
    )
    assert stamped == [(await Campaign.get(id=campaign.id)).version] * 3


async def test_an_entitlement_added_after_approval_waits_for_a_new_approval(world):
    host, fund, people, users = world
    campaign = await approved_campaign(host, fund, users)
    added = await add(host, users["maker"], campaign.id, people[3])
    assert await status_of(campaign.id) == CampaignStatus.EVALUATED
    assert (await Entitlement.get(id=added)).approved_version is None
    with pytest.raises(DomainError) as waiting:
        await campaigns.pay_campaign(users["payer"], campaign.id, NOW)
    assert waiting.value.code.value == "INVALID_STATE"
    with pytest.raises(DomainError) as single:
        await campaigns.pay_entitlement(users["payer"], added, "k-added", NOW)
    assert single.value.code.value == "INVALID_STATE"
    assert await LedgerEntry.filter(kind="payment").count() == 0

    again = await campaigns.decide_approval(users["checker2"], campaign.id, True, "", NOW)
    assert again.status == CampaignStatus.APPROVED
    assert (await Entitlement.get(id=added)).approved_version == again.version
    assert await campaigns.pay_campaign(users["payer"], campaign.id, NOW) == {
        "paid": 4,
        "amount": "1800.00",
    }


async def test_an_entitlement_added_while_the_pay_job_runs_is_not_paid(world):
    """Batches of one; after the first, a caseworker adds an entitlement (a visit's cash): the
    job pays the three approved and not the fourth, which waits for a new approval."""
    host, fund, people, users = world
    campaign = await approved_campaign(host, fund, users)
    added = []

    async def between_batches(done, total):
        if done == 1:
            added.append(await add(host, users["maker"], campaign.id, people[3]))

    result = await campaigns.pay_campaign(
        users["payer"], campaign.id, NOW, between_batches, batch=1
    )
    assert result == {"paid": 3, "amount": "1500.00"}
    late = await Entitlement.get(id=added[0])
    assert (late.status, late.approved_version, late.payment_entry_id) == (
        EntitlementStatus.ENTITLED,
        None,
        None,
    )
    assert await LedgerEntry.filter(kind="payment").count() == 3
    assert await balance_of(fund) == Decimal("8500.00")
    # The campaign waits for the new entitlement's approval, then pays it alone.
    assert await status_of(campaign.id) == CampaignStatus.EVALUATED
    await campaigns.decide_approval(users["checker"], campaign.id, True, "", NOW)
    assert await status_of(campaign.id) == CampaignStatus.PARTLY_PAID  # some is paid already
    assert await campaigns.pay_campaign(users["payer"], campaign.id, NOW) == {
        "paid": 1,
        "amount": "300.00",
    }
    assert await status_of(campaign.id) == CampaignStatus.PAID


async def test_an_entitlement_no_approval_covered_is_never_paid(world):
    """However it came about (data from before approvals were stamped, say): an unstamped
    entitlement of an approved campaign is refused alone and skipped by the pay job, and the
    campaign then waits for an approval of it."""
    host, fund, _people, users = world
    campaign = await approved_campaign(host, fund, users)
    first = await Entitlement.filter(campaign_id=campaign.id).order_by("id").first()
    await Entitlement.filter(id=first.id).update(approved_version=None)
    with pytest.raises(DomainError) as refused:
        await campaigns.pay_entitlement(users["payer"], first.id, "unstamped", NOW)
    assert refused.value.code.value == "NOT_APPROVED"
    assert await campaigns.pay_campaign(users["payer"], campaign.id, NOW) == {
        "paid": 2,
        "amount": "1000.00",
    }
    assert (await Entitlement.get(id=first.id)).status == EntitlementStatus.ENTITLED
    assert await status_of(campaign.id) == CampaignStatus.EVALUATED


async def test_an_approval_of_another_version_is_a_conflict(world):
    host, fund, people, users = world
    campaign = await new_campaign(host, fund, users)
    await campaigns.evaluate(users["maker"], host, campaign.id)
    seen = (await Campaign.get(id=campaign.id)).version
    await add(host, users["maker"], campaign.id, people[3])  # meanwhile
    with pytest.raises(DomainError) as changed:
        await campaigns.decide_approval(users["checker"], campaign.id, True, "", NOW, seen)
    assert (changed.value.code.value, changed.value.field) == ("CONFLICT", "version")
    assert await Entitlement.filter(approved_version__isnull=False).count() == 0


# -- item 3: maker is never checker -------------------------------------------------------------


@pytest.fixture
async def boss(world):
    await accounts.create_user(ACTOR, accounts.NewUser("boss", "city_admin", []))
    return await accounts.principal_for_user("boss", "req-boss")


async def test_whoever_evaluated_a_campaign_cannot_approve_it(world, boss):
    host, fund, _people, users = world
    campaign = await new_campaign(host, fund, users)  # created by the caseworker
    await campaigns.evaluate(boss, host, campaign.id)
    with pytest.raises(DomainError) as own:
        await campaigns.decide_approval(boss, campaign.id, True, "", NOW)
    assert own.value.code.value == "SELF_APPROVAL"
    assert await status_of(campaign.id) == CampaignStatus.EVALUATED
    makers = (
        await CampaignMaker.filter(campaign_id=campaign.id)
        .order_by("id")
        .values_list("username", "action")
    )
    assert makers == [("maker", "create"), ("boss", "evaluate")]


async def test_whoever_added_an_entitlement_cannot_approve_it(world, boss):
    host, fund, people, users = world
    campaign = await new_campaign(host, fund, users)
    await campaigns.evaluate(users["maker"], host, campaign.id)
    await add(host, boss, campaign.id, people[3])
    with pytest.raises(DomainError) as own:
        await campaigns.decide_approval(boss, campaign.id, False, "不同意", NOW)
    assert own.value.code.value == "SELF_APPROVAL"
    # Someone who made none of it may.
    done = await campaigns.decide_approval(users["checker"], campaign.id, True, "", NOW)
    assert done.status == CampaignStatus.APPROVED


# -- item 7: partly paid, paid in full by running again; ledger links ----------------------------


async def test_a_fund_spent_between_batches_leaves_the_campaign_partly_paid(world):
    """Item 18's per-batch half: the fund covers the campaign when payment starts; after the
    first batch, a transfer elsewhere leaves 400.00 for the next 500.00. That batch is refused
    whole, the campaign is partly_paid and says what is left; with money added, paying again
    pays the rest."""
    host, fund, _people, users = world
    campaign = await approved_campaign(host, fund, users)
    other = await funds.create_fund(ACTOR, "HS-OTHER", "其他", HUISHAN)

    async def spend_elsewhere(done, total):
        if done == 1:
            await funds.transfer(ACTOR, fund.id, other.id, Decimal("9100.00"))

    with pytest.raises(DomainError) as short:
        await campaigns.pay_campaign(users["payer"], campaign.id, NOW, spend_elsewhere, batch=1)
    assert (short.value.code.value, short.value.params) == (
        "INSUFFICIENT_FUNDS",
        {"balance": "400.00"},
    )
    assert await balance_of(fund) == Decimal("400.00")
    left = await Campaign.get(id=campaign.id)
    assert (left.status, left.paid_count, left.paid_total) == (
        CampaignStatus.PARTLY_PAID,
        1,
        Decimal("500.00"),
    )
    assert (left.entitled_total - left.paid_total) == Decimal("1000.00")
    assert await LedgerEntry.filter(fund_id=fund.id, balance_after__lt=0).count() == 0

    await funds.contribute(ACTOR, fund.id, Decimal("600.00"))
    assert await campaigns.pay_campaign(users["payer"], campaign.id, NOW) == {
        "paid": 2,
        "amount": "1000.00",
    }
    assert await status_of(campaign.id) == CampaignStatus.PAID
    assert await balance_of(fund) == Decimal("0.00")


async def test_a_pay_job_stopped_part_way_leaves_the_campaign_partly_paid(world):
    """Any failure after a batch has committed (here: the job's heartbeat fails) leaves the
    campaign partly_paid, never approved with some of it silently paid; a rerun pays the rest."""
    host, fund, _people, users = world
    campaign = await approved_campaign(host, fund, users)

    async def heartbeat_fails(done, total):
        raise RuntimeError("worker lost")

    with pytest.raises(RuntimeError, match="worker lost"):
        await campaigns.pay_campaign(users["payer"], campaign.id, NOW, heartbeat_fails, batch=1)
    assert await status_of(campaign.id) == CampaignStatus.PARTLY_PAID
    assert await Entitlement.filter(status=EntitlementStatus.PAID).count() == 1
    assert (await campaigns.pay_campaign(users["payer"], campaign.id, NOW))["paid"] == 2
    assert await status_of(campaign.id) == CampaignStatus.PAID


async def test_the_up_front_check_covers_the_whole_approved_rest(world):
    """Item 18's up-front half: 1,000.00 pays the first two batches of one but not the
    campaign's 1,500.00, so nothing is paid."""
    host, _fund, _people, users = world
    small = await funds.create_fund(ACTOR, "HS-SMALL", "小额", HUISHAN)
    await funds.contribute(ACTOR, small.id, Decimal("1000.00"))
    campaign = await approved_campaign(host, small, users)
    with pytest.raises(DomainError) as short:
        await campaigns.pay_campaign(users["payer"], campaign.id, NOW, batch=1)
    assert (short.value.code.value, short.value.params) == (
        "INSUFFICIENT_FUNDS",
        {"balance": "1000.00"},
    )
    assert await LedgerEntry.filter(fund_id=small.id, kind="payment").count() == 0
    assert await status_of(campaign.id) == CampaignStatus.APPROVED


async def test_a_single_payment_is_refused_when_the_fund_is_short(world):
    """Item 18: payEntitlement's balance check (on SQLite too): nothing paid, no key kept."""
    host, _fund, _people, users = world
    small = await funds.create_fund(ACTOR, "HS-SMALL", "小额", HUISHAN)
    await funds.contribute(ACTOR, small.id, Decimal("499.99"))
    campaign = await approved_campaign(host, small, users)
    one = await Entitlement.filter(campaign_id=campaign.id).order_by("id").first()
    with pytest.raises(DomainError) as short:
        await campaigns.pay_entitlement(users["payer"], one.id, "short-1", NOW)
    assert (short.value.code.value, short.value.params) == (
        "INSUFFICIENT_FUNDS",
        {"balance": "499.99"},
    )
    assert (await Entitlement.get(id=one.id)).status == EntitlementStatus.ENTITLED
    assert await LedgerEntry.filter(fund_id=small.id, kind="payment").count() == 0
    assert not await IdempotencyKey.exists(key="short-1")


async def test_every_paid_entitlement_links_its_ledger_entry(world):
    host, fund, _people, users = world
    campaign = await approved_campaign(host, fund, users)
    first = await Entitlement.filter(campaign_id=campaign.id).order_by("id").first()
    single = await campaigns.pay_entitlement(users["payer"], first.id, "one", NOW)
    assert await status_of(campaign.id) == CampaignStatus.PARTLY_PAID  # begun, not finished
    await campaigns.pay_campaign(users["payer"], campaign.id, NOW, batch=1)
    rows = await Entitlement.filter(campaign_id=campaign.id).order_by("id")
    entries = {e.id: e for e in await LedgerEntry.filter(kind="payment")}
    assert rows[0].payment_entry_id == single["ledgerEntryId"]
    assert sorted(r.payment_entry_id for r in rows) == sorted(entries)
    for row in rows:
        entry = entries[row.payment_entry_id]
        assert (entry.reference, entry.amount) == (f"entitlement:{row.id}", -row.amount)
    reversal = await campaigns.reverse_entitlement(users["payer"], rows[1].id, "错发", "rev", NOW)
    undone = await Entitlement.get(id=rows[1].id)
    assert undone.reversal_entry_id == reversal["ledgerEntryId"]
    assert (await LedgerEntry.get(id=undone.reversal_entry_id)).amount == undone.amount


# -- item 17: a change and its audit entries commit together -----------------------------------


def failing_audit(monkeypatch):
    """The audit trail's writer fails (the storage itself stays real)."""

    async def fail(*args, **kwargs):
        raise RuntimeError("audit trail unavailable")

    monkeypatch.setattr(audit, "record", fail)
    monkeypatch.setattr(audit, "record_many", fail)


async def snapshot(fund):
    return (
        await Campaign.all().order_by("id").values_list("id", "status", "version"),
        await Entitlement.all().order_by("id").values_list("id", "status", "approved_version"),
        await LedgerEntry.filter(fund_id=fund.id).count(),
        await IdempotencyKey.all().count(),
        await AuditEntry.all().count(),
    )


@pytest.mark.parametrize(
    "operation",
    [
        "create",
        "approve",
        "reject",
        "cancel",
        "close",
        "pay_campaign",
        "pay_entitlement",
        "reverse",
        "add_entitlement",
        "evaluate",
    ],
)
async def test_a_failing_audit_leaves_the_change_unwritten(world, monkeypatch, operation):
    host, fund, people, users = world
    campaign = await new_campaign(host, fund, users)
    await campaigns.evaluate(users["maker"], host, campaign.id)
    one = await Entitlement.filter(campaign_id=campaign.id).order_by("id").first()
    if operation in ("close", "pay_campaign", "pay_entitlement", "reverse", "cancel"):
        await campaigns.decide_approval(users["checker"], campaign.id, True, "", NOW)
    if operation == "close":
        await campaigns.pay_campaign(users["payer"], campaign.id, NOW)
    if operation == "reverse":
        await campaigns.pay_entitlement(users["payer"], one.id, "paid-before", NOW)
    if operation == "evaluate":  # a fresh campaign: its evaluation ends with status + audit
        campaign = await campaigns.create(
            users["maker"],
            host,
            name="季度",
            program="sample",
            rule_code="gift",
            period_code="2028-spring-festival",
            district_codes=[HUISHAN],
            fund_id=fund.id,
        )
    before = await snapshot(fund)
    actions = {
        "create": lambda: new_campaign(host, fund, users, period="2029-spring-festival"),
        "approve": lambda: campaigns.decide_approval(users["checker"], campaign.id, True, "", NOW),
        "reject": lambda: campaigns.decide_approval(
            users["checker"], campaign.id, False, "不符", NOW
        ),
        "cancel": lambda: campaigns.cancel(users["maker"], campaign.id, "取消"),
        "close": lambda: campaigns.close(users["payer"], campaign.id),
        "pay_campaign": lambda: campaigns.pay_campaign(users["payer"], campaign.id, NOW),
        "pay_entitlement": lambda: campaigns.pay_entitlement(users["payer"], one.id, "k", NOW),
        "reverse": lambda: campaigns.reverse_entitlement(users["payer"], one.id, "错", "r", NOW),
        "add_entitlement": lambda: add(host, users["maker"], campaign.id, people[3]),
        "evaluate": lambda: campaigns.evaluate(users["maker"], host, campaign.id),
    }
    failing_audit(monkeypatch)
    with pytest.raises(RuntimeError, match="audit trail unavailable"):
        await actions[operation]()
    after = await snapshot(fund)
    if operation == "evaluate":
        # Evaluation writes its entitlements batch by batch (a rerun skips them); the status
        # that says it is done commits with its audit entry, or neither does.
        assert after[0] == before[0] and after[2:] == before[2:]
    else:
        assert after == before


async def test_a_program_switched_off_pays_nothing(world):
    """Review defect: an approved campaign still paid after its program was switched off in
    the district. Paying (a campaign, one entitlement, an event payment) answers
    PROGRAM_NOT_ENABLED and pays nothing; switched on again, it pays."""
    host, fund, _people, users = world
    campaign = await approved_campaign(host, fund, users)
    one = await Entitlement.filter(campaign_id=campaign.id).first()
    await programs.set_enabled(host, "sample", HUISHAN, False, ACTOR)
    for attempt in (
        lambda: campaigns.pay_campaign(users["payer"], campaign.id, NOW),
        lambda: campaigns.pay_entitlement(users["payer"], one.id, "off", NOW),
    ):
        with pytest.raises(DomainError) as off:
            await attempt()
        assert off.value.code.value == "PROGRAM_NOT_ENABLED"
    assert await LedgerEntry.filter(fund_id=fund.id, kind="payment").count() == 0
    assert await balance_of(fund) == Decimal("10000.00")
    await programs.set_enabled(host, "sample", HUISHAN, True, ACTOR)
    assert (await campaigns.pay_campaign(users["payer"], campaign.id, NOW))["paid"] == 3
