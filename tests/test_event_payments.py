"""Event payments (issue 16 item 5): a payment triggered by a program's record (a claim) is
approved once, on that record — never in a campaign, never twice — with maker-checker and the
district's second-approval threshold, paid once through the ledger, and the program is told
when it is paid or reversed. The sample plugin is the program; its rule ``welcome_gift`` is
one-off, so each payment is once per the key it is requested with."""

from decimal import Decimal

import pytest

from tests import test_campaigns
from tests.factories import ACTOR
from tests.test_campaigns import HUISHAN, NOW
from unionaid.core import (
    EventPaymentStatus,
    approve_event_payment,
    cancel_event_payment,
    event_payment,
    event_payments_of,
    hookimpl,
    pay_event_payment,
    reject_event_payment,
    request_event_payment,
    reverse_event_payment,
)
from unionaid.core.errors import Code, DomainError
from unionaid.core.models import DistrictPolicy, Entitlement, EntitlementStatus, LedgerEntry
from unionaid.core.services import accounts, campaigns, programs
from unionaid.core.services.funds import balances

world = test_campaigns.world


def sample_calls() -> list:
    import unionaid_sample.plugin as sample

    return sample.CALLS


async def request(host, fund, people, users, *, claim=1, amount="800.00", member=0, **more):
    return await request_event_payment(
        users["maker"],
        host,
        program="sample",
        rule_code="welcome_gift",
        record=("SampleClaim", claim),
        member_id=people[member],
        amount=Decimal(amount),
        fund_id=fund.id,
        period_code="2027",
        occurrence_key=f"claim:{claim}",
        explanation_zh=f"互助理赔 {claim}",
        explanation_en=f"claim {claim}",
        **more,
    )


async def approved(host, fund, people, users, **more):
    asked = await request(host, fund, people, users, **more)
    return await approve_event_payment(users["checker"], asked.id, now=NOW)


async def balance_of(fund):
    return (await balances([fund.id]))[fund.id]


async def test_requested_approved_once_and_paid_once(world):
    host, fund, people, users = world
    asked = await request(host, fund, people, users)
    assert (asked.status, asked.amount, asked.approvals_needed) == (
        EventPaymentStatus.AWAITING_APPROVAL,
        Decimal("800.00"),
        1,
    )
    assert (asked.record_type, asked.record_id) == ("SampleClaim", 1)
    done = await approve_event_payment(users["checker"], asked.id, now=NOW, version=asked.version)
    assert (done.status, done.approvals) == (EventPaymentStatus.APPROVED, 1)
    with pytest.raises(DomainError) as again:
        await approve_event_payment(users["checker2"], asked.id, now=NOW)
    assert again.value.code == Code.INVALID_STATE
    paid = await pay_event_payment(users["payer"], host, asked.id, "claim-1", NOW)
    assert paid["amount"] == "800.00"
    assert await balance_of(fund) == Decimal("9200.00")
    assert await pay_event_payment(users["payer"], host, asked.id, "claim-1", NOW) == paid
    with pytest.raises(DomainError) as twice:
        await pay_event_payment(users["payer"], host, asked.id, "claim-1-again", NOW)
    assert twice.value.code == Code.INVALID_STATE
    assert await balance_of(fund) == Decimal("9200.00")
    state = await event_payment(users["payer"], asked.id)
    assert (state.status, state.ledger_entry_id) == (EventPaymentStatus.PAID, paid["ledgerEntryId"])


async def test_hook_on_entitlements_paid_tells_the_program_its_record_was_paid(world):
    host, fund, people, users = world
    calls = sample_calls()
    calls.clear()
    done = await approved(host, fund, people, users, claim=7)
    await pay_event_payment(users["payer"], host, done.id, "pay-7", NOW)
    assert calls == [("paid", f"SampleClaim:7:{done.id}")]
    await pay_event_payment(users["payer"], host, done.id, "pay-7", NOW)  # the key's answer
    assert len(calls) == 1


async def test_hook_on_entitlements_paid_once_per_batch_of_a_campaign(world):
    host, fund, _people, users = world
    calls = sample_calls()
    campaign = await test_campaigns.new_campaign(host, fund, users)
    await campaigns.evaluate(users["maker"], host, campaign.id)
    await campaigns.decide_approval(users["checker"], campaign.id, True, "", NOW)
    calls.clear()
    await campaigns.pay_campaign(users["payer"], campaign.id, NOW, batch=2, host=host)
    paid = (
        await Entitlement.filter(campaign_id=campaign.id)
        .order_by("id")
        .values_list("id", flat=True)
    )
    assert calls == [("paid", f"None:None:{e}") for e in paid]  # no record: a campaign's


async def test_hook_on_entitlements_paid_refusing_pays_nothing(world, monkeypatch):
    host, fund, people, users = world
    import unionaid_sample.plugin as sample

    @hookimpl
    def refuse(payments, actor):
        raise DomainError(Code.CONFLICT, "paymentId")

    monkeypatch.setattr(sample, "on_entitlements_paid", refuse)
    host = type(host).load(only={"sample"})  # the plugin with its refusing hook
    done = await approved(host, fund, people, users)
    with pytest.raises(DomainError) as refused:
        await pay_event_payment(users["payer"], host, done.id, "refused", NOW)
    assert refused.value.code == Code.CONFLICT
    assert await balance_of(fund) == Decimal("10000.00")
    assert (await event_payment(users["payer"], done.id)).status == EventPaymentStatus.APPROVED


async def test_hook_on_entitlements_reversed_tells_the_program(world):
    host, fund, people, users = world
    calls = sample_calls()
    done = await approved(host, fund, people, users, claim=3)
    await pay_event_payment(users["payer"], host, done.id, "pay-3", NOW)
    calls.clear()
    undone = await reverse_event_payment(users["payer"], host, done.id, "错付", "rev-3", NOW)
    assert calls == [("reversed", "SampleClaim:3:错付")]
    assert await balance_of(fund) == Decimal("10000.00")
    credit = await LedgerEntry.get(id=undone["ledgerEntryId"])
    assert credit.amount == Decimal("800.00")
    assert (await event_payment(users["payer"], done.id)).status == EventPaymentStatus.REVERSED
    again = await request(host, fund, people, users, claim=3)  # the slot is free again
    assert again.status == EventPaymentStatus.AWAITING_APPROVAL


async def test_a_campaign_never_approves_adds_to_or_pays_an_event_payment(world):
    host, fund, people, users = world
    asked = await request(host, fund, people, users)
    for attempt in (
        lambda: campaigns.decide_approval(users["checker"], asked.campaign_id, True, "", NOW),
        lambda: campaigns.evaluate(users["maker"], host, asked.campaign_id),
        lambda: campaigns.add_entitlement(
            users["maker"],
            host,
            asked.campaign_id,
            people[1],
            amount=Decimal("1.00"),
            explanation_zh="加",
            explanation_en="add",
        ),
        lambda: campaigns.pay_campaign(users["payer"], asked.campaign_id, NOW),
        lambda: campaigns.cancel(users["maker"], asked.campaign_id, "no"),
    ):
        with pytest.raises(DomainError) as refused:
            await attempt()
        assert refused.value.code == Code.EVENT_PAYMENT
    # a district's visit-style campaign for the same rule and period never takes it in
    opened = await campaigns.open_campaign(
        users["maker"],
        host,
        name="零星发放",
        program="sample",
        rule_code="welcome_gift",
        period_code="2027",
        district_code=HUISHAN,
        fund_id=fund.id,
    )
    assert opened.id != asked.campaign_id
    # and the same occurrence cannot be entitled a second time anywhere
    with pytest.raises(DomainError) as twice:
        await campaigns.add_entitlement(
            users["maker"],
            host,
            opened.id,
            people[0],
            amount=Decimal("800.00"),
            explanation_zh="重复",
            explanation_en="again",
            occurrence_key="claim:1",
        )
    assert twice.value.code == Code.DUPLICATE
    with pytest.raises(DomainError) as duplicate:
        await request(host, fund, people, users)
    assert duplicate.value.code == Code.DUPLICATE


async def test_an_ordinary_entitlement_is_not_an_event_payment(world):
    host, fund, _people, users = world
    campaign = await test_campaigns.new_campaign(host, fund, users)
    await campaigns.evaluate(users["maker"], host, campaign.id)
    one = await Entitlement.filter(campaign_id=campaign.id).first()
    with pytest.raises(DomainError) as refused:
        await approve_event_payment(users["checker"], one.id, now=NOW)
    assert (refused.value.code, refused.value.field) == (Code.NOT_FOUND, "paymentId")


async def test_the_records_makers_and_the_requester_never_approve_it(world):
    host, fund, people, users = world
    asked = await request(host, fund, people, users, makers=["checker"])
    with pytest.raises(DomainError) as maker:
        await approve_event_payment(users["checker"], asked.id, now=NOW)
    assert (maker.value.code, maker.value.field) == (Code.MAKER_CANNOT_CHECK, "paymentId")
    done = await approve_event_payment(users["checker2"], asked.id, now=NOW)
    assert done.status == EventPaymentStatus.APPROVED
    await accounts.create_user(ACTOR, accounts.NewUser("boss", "city_admin", []))
    boss = await accounts.principal_for_user("boss", "req-test")
    mine = await request_event_payment(
        boss,
        host,
        program="sample",
        rule_code="welcome_gift",
        record=("SampleClaim", 2),
        member_id=people[1],
        amount=Decimal("100.00"),
        fund_id=fund.id,
        period_code="2027",
        occurrence_key="claim:2",
        explanation_zh="理赔",
        explanation_en="claim",
    )
    with pytest.raises(DomainError) as requester:
        await approve_event_payment(boss, mine.id, now=NOW)
    assert requester.value.code == Code.MAKER_CANNOT_CHECK


async def test_above_the_threshold_two_different_approvers(world):
    host, fund, people, users = world
    await DistrictPolicy.create(
        district_id=HUISHAN, second_approval_above=Decimal("500.00"), updated_by=ACTOR.username
    )
    small = await request(host, fund, people, users, claim=1, amount="500.00")
    assert small.approvals_needed == 1
    big = await request(host, fund, people, users, claim=2, amount="500.01", member=1)
    assert big.approvals_needed == 2
    first = await approve_event_payment(users["checker"], big.id, now=NOW)
    assert (first.status, first.approvals) == (EventPaymentStatus.AWAITING_APPROVAL, 1)
    with pytest.raises(DomainError) as early:
        await pay_event_payment(users["payer"], host, big.id, "early", NOW)
    assert early.value.code == Code.INVALID_STATE
    with pytest.raises(DomainError) as same:
        await approve_event_payment(users["checker"], big.id, now=NOW)
    assert same.value.code == Code.DUPLICATE
    second = await approve_event_payment(users["checker2"], big.id, now=NOW)
    assert (second.status, second.approvals) == (EventPaymentStatus.APPROVED, 2)
    await pay_event_payment(users["payer"], host, big.id, "big", NOW)
    assert await balance_of(fund) == Decimal("9499.99")


async def test_a_stale_version_is_a_conflict_and_rejection_releases(world):
    host, fund, people, users = world
    asked = await request(host, fund, people, users)
    with pytest.raises(DomainError) as stale:
        await approve_event_payment(users["checker"], asked.id, now=NOW, version=asked.version - 1)
    assert stale.value.code == Code.CONFLICT
    no = await reject_event_payment(users["checker"], asked.id, reason="材料不全", now=NOW)
    assert no.status == EventPaymentStatus.REJECTED
    assert (await Entitlement.get(id=asked.id)).status == EntitlementStatus.CANCELLED
    again = await request(host, fund, people, users)
    withdrawn = await cancel_event_payment(users["maker"], again.id, "重复申请")
    assert withdrawn.status == EventPaymentStatus.CANCELLED
    found = await event_payments_of("sample", "SampleClaim", [1, 99])
    assert list(found) == [1] and found[1].id == again.id


async def test_insufficient_funds_pays_nothing(world):
    host, fund, people, users = world
    done = await approved(host, fund, people, users, amount="10000.01")
    with pytest.raises(DomainError) as short:
        await pay_event_payment(users["payer"], host, done.id, "short", NOW)
    assert short.value.code == Code.INSUFFICIENT_FUNDS
    assert await balance_of(fund) == Decimal("10000.00")
    assert (await event_payment(users["payer"], done.id)).status == EventPaymentStatus.APPROVED


async def test_scope_and_enablement(world):
    host, fund, people, users = world
    done = await approved(host, fund, people, users)
    await programs.set_enabled(host, "sample", HUISHAN, False, ACTOR)
    with pytest.raises(DomainError) as off:
        await request(host, fund, people, users, claim=2, member=1)
    assert off.value.code == Code.PROGRAM_NOT_ENABLED
    await programs.set_enabled(host, "sample", HUISHAN, True, ACTOR)
    await accounts.create_user(ACTOR, accounts.NewUser("binhu", "district_admin", ["320211"]))
    other = await accounts.principal_for_user("binhu", "req-test")
    for attempt in (
        lambda: event_payment(other, done.id),
        lambda: pay_event_payment(other, host, done.id, "other", NOW),
    ):
        with pytest.raises(DomainError) as hidden:
            await attempt()
        assert (hidden.value.code, hidden.value.field) == (Code.NOT_FOUND, "paymentId")
