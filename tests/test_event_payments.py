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
    pay_event_payment,
    reject_event_payment,
    request_event_payment,
    reverse_event_payment,
)
from unionaid.core.errors import Code, DomainError
from unionaid.core.models import DistrictPolicy, Entitlement, EntitlementStatus, LedgerEntry
from unionaid.core.services import campaigns, programs
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
