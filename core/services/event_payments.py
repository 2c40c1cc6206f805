"""Event payments: money a program pays because something happened to one of its records (a
mutual-aid claim, a top-up), approved once, on that record — the one path for them.

An event payment is one entitlement in a campaign of its own, named by the record it pays
(``campaign.record_type``, ``record_id``). So it reuses all the money machinery of campaigns
(the ledger debit with the fund locked, paid once per occurrence by the unique index, the
idempotency key, reversal, audit) and is approved exactly once:

* the campaign holds nothing else and nobody can add to it, evaluate it, approve or pay it as
  a campaign (``EVENT_PAYMENT``); no ordinary campaign can take it either (``open_campaign``
  skips such campaigns), so it is never in another approval;
* who made the record (the makers the program names, e.g. a claim's submitter and assessor) and
  who requested the payment never approve it (``MAKER_CANNOT_CHECK``);
* the district's second-approval threshold applies to its amount: above it, two different
  approvers; a second approval after it is approved is ``INVALID_STATE``.

(Cash handed over on a visit goes the other way, into the district's visit campaign with
``add_entitlement``: approved in that campaign, never here. Either way, once.)"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from typing import Any

from tortoise.transactions import in_transaction

from unionaid.core.errors import Code, DomainError, Words
from unionaid.core.host import PluginHost
from unionaid.core.models import (
    Approval,
    Campaign,
    CampaignMaker,
    CampaignStatus,
    DistrictPolicy,
    Entitlement,
    EntitlementStatus,
    Member,
)
from unionaid.core.policy import Action
from unionaid.core.principal import Principal
from unionaid.core.services import campaigns

S = CampaignStatus
FIELD = "paymentId"


class EventPaymentStatus(StrEnum):
    AWAITING_APPROVAL = "awaiting_approval"  # requested; needs its approval(s)
    APPROVED = "approved"  # may be paid
    PAID = "paid"
    REVERSED = "reversed"  # paid, then undone: the occurrence may be requested anew
    REJECTED = "rejected"  # an approver said no: released, may be requested anew
    CANCELLED = "cancelled"  # withdrawn before payment: released


@dataclass(frozen=True)
class EventPayment:
    """Where an event payment stands. ``id`` is its entitlement's id (what is paid, what the
    payment hooks name); ``version`` is what an approver saw (``CONFLICT`` if it moved)."""

    id: int
    campaign_id: int
    program: str
    rule_code: str
    record_type: str
    record_id: int
    member_id: int
    district_code: str
    amount: Decimal
    status: EventPaymentStatus
    version: int
    approvals_needed: int
    approvals: int  # approvals given to this version
    ledger_entry_id: int | None  # the debit that paid it


async def request_event_payment(
    actor: Principal,
    host: PluginHost,
    *,
    program: str,
    rule_code: str,
    record: tuple[str, int],
    member_id: int,
    amount: Decimal | None,
    fund_id: int,
    period_code: str,
    occurrence_key: str,
    explanation_zh: str,
    explanation_en: str,
    facts: dict[str, Any] | None = None,
    makers: Sequence[str] = (),
    name: str | None = None,
) -> EventPayment:
    """Ask for one payment to ``member_id`` for the program's ``record`` (type, id), from
    ``fund_id``, dated in ``period_code`` (e.g. the year of the event), paid once per
    ``occurrence_key`` (e.g. ``"claim:42"``: a second request for it is ``DUPLICATE`` while the
    first is live). ``amount`` None: the rule decides (``NOT_ELIGIBLE`` when it says no).
    ``makers``: usernames of who made the record (they never approve it); the requester is one
    too. Needs ``create_campaigns`` in the member's district; the program must be enabled there.
    Returns it awaiting approval. Runs in one transaction (nested in the caller's, if any)."""
    found = await Member.get_or_none(id=member_id).values("district_id")
    if found is None or not actor.sees_district(found["district_id"]):
        raise DomainError(Code.NOT_FOUND, "memberId", what=Words("会员", "member"))
    record_type, record_id = record
    if not record_type or len(record_type) > 40:
        raise DomainError(Code.INVALID_INPUT, "record", detail=Words("记录类型", "record type"))
    async with in_transaction():
        campaign = await campaigns.create(
            actor,
            host,
            name=(name or f"{program} {record_type} {record_id}")[:100],
            program=program,
            rule_code=rule_code,
            period_code=period_code,
            district_codes=[found["district_id"]],
            fund_id=fund_id,
            record=(record_type, record_id),
        )
        now = dt.datetime.now(dt.UTC)
        for username in sorted(set(makers) - {actor.username}):
            await CampaignMaker.create(
                campaign_id=campaign.id, username=username, action="record", at=now
            )
        entitlement_id = await campaigns.add_checked(
            actor,
            host,
            campaign,
            member_id,
            amount=amount,
            explanation_zh=explanation_zh,
            explanation_en=explanation_en,
            facts=facts,
            occurrence_key=occurrence_key,
        )
    return await _state(entitlement_id)


async def approve_event_payment(
    actor: Principal,
    payment_id: int,
    *,
    now: dt.datetime,
    version: int | None = None,
    reason: str = "",
) -> EventPayment:
    """Approve it (``approve`` in its district). One approval releases it for payment, or two
    from different people when its amount is above the district's second-approval threshold.
    A maker is ``MAKER_CANNOT_CHECK``, the same approver twice ``DUPLICATE``, approving it once
    approved (or paid) ``INVALID_STATE``, another ``version`` than the current ``CONFLICT``."""
    campaign = await _checked(actor, payment_id, Action.APPROVE, (S.EVALUATED,), "approve")
    await campaigns.decide_checked(
        actor, campaign, True, reason, now, version, FIELD, Code.MAKER_CANNOT_CHECK
    )
    return await _state(payment_id)


async def reject_event_payment(
    actor: Principal,
    payment_id: int,
    *,
    reason: str,
    now: dt.datetime,
    version: int | None = None,
) -> EventPayment:
    """Refuse it, with a reason (``approve`` in its district; never a maker): it is released,
    so the program may request the occurrence again, corrected."""
    campaign = await _checked(actor, payment_id, Action.APPROVE, (S.EVALUATED,), "reject")
    async with in_transaction():
        await campaigns.decide_checked(
            actor, campaign, False, reason, now, version, FIELD, Code.MAKER_CANNOT_CHECK
        )
        await Entitlement.filter(id=payment_id, status=EntitlementStatus.ENTITLED).update(
            status=EntitlementStatus.CANCELLED
        )
    return await _state(payment_id)


async def cancel_event_payment(actor: Principal, payment_id: int, reason: str) -> EventPayment:
    """Withdraw it before it is paid (``create_campaigns`` in its district), with a reason:
    released, like a cancelled campaign's entitlements."""
    campaign = await _checked(
        actor, payment_id, Action.CREATE_CAMPAIGNS, (S.EVALUATED, S.APPROVED), "cancel"
    )
    await campaigns.cancel_checked(actor, campaign, reason)
    return await _state(payment_id)


async def pay_event_payment(
    actor: Principal, host: PluginHost, payment_id: int, key: str, now: dt.datetime
) -> dict[str, Any]:
    """Pay it once it is approved (``pay`` in its district): the ledger debit, the
    entitlement paid and ``on_entitlements_paid`` told, in one transaction with the fund
    locked. The same ``key`` gets the same answer; a second payment under another key is
    ``INVALID_STATE``; ``INSUFFICIENT_FUNDS`` pays nothing; not yet approved is
    ``INVALID_STATE``. Answers ``{entitlementId, ledgerEntryId, amount}``."""
    await _checked(actor, payment_id, Action.PAY, (*campaigns.PAYABLE, S.PAID), None)
    return await campaigns.pay_entitlement(actor, payment_id, key, now, host=host)


async def reverse_event_payment(
    actor: Principal,
    host: PluginHost,
    payment_id: int,
    reason: str,
    key: str,
    now: dt.datetime,
) -> dict[str, Any]:
    """Undo its payment with a compensating credit (``pay`` in its district), telling the
    program (``on_entitlements_reversed``) in the same transaction; idempotent like paying."""
    await _checked(actor, payment_id, Action.PAY, tuple(S), None)
    return await campaigns.reverse_entitlement(actor, payment_id, reason, key, now, host=host)


async def event_payment(actor: Principal, payment_id: int) -> EventPayment:
    """Where it stands (NOT_FOUND outside the actor's districts)."""
    await _checked(actor, payment_id, Action.READ_RECORDS, tuple(S), None)
    return await _state(payment_id)


async def event_payments_of(
    program: str, record_type: str, record_ids: Sequence[int]
) -> dict[int, EventPayment]:
    """The latest event payment of each of the program's records (record id -> payment), in
    a few statements for a page of records. The caller has scoped the records already."""
    rows = await Campaign.filter(
        program=program, record_type=record_type, record_id__in=list(record_ids)
    ).order_by("id")
    latest = {c.record_id: c for c in rows}
    return {p.record_id: p for p in (await _states(list(latest.values()))).values()}


# -- inside ------------------------------------------------------------------------------------


async def _checked(
    actor: Principal, payment_id: int, action: Action, states: tuple[S, ...], verb: str | None
) -> Campaign:
    found = await Entitlement.get_or_none(id=payment_id).values("campaign_id")
    if found is None:
        raise DomainError(Code.NOT_FOUND, FIELD, what=Words("事件支付", "event payment"))
    try:
        return await campaigns.checked(
            actor, found["campaign_id"], action, states, verb or "pay", event=True
        )
    except DomainError as err:
        if err.code == Code.NOT_FOUND:  # say what was not found where it was asked for
            raise DomainError(
                Code.NOT_FOUND, FIELD, what=Words("事件支付", "event payment")
            ) from err
        raise


async def _state(payment_id: int) -> EventPayment:
    entitlement = await Entitlement.get(id=payment_id)
    return (await _states([await Campaign.get(id=entitlement.campaign_id)]))[entitlement.id]


async def _states(found: list[Campaign]) -> dict[int, EventPayment]:
    """{entitlement id: EventPayment} of event campaigns, in three statements for any number."""
    ids = [c.id for c in found]
    limits = dict(
        await DistrictPolicy.filter(
            district_id__in={code for c in found for code in c.district_codes},
            second_approval_above__isnull=False,
        ).values_list("district_id", "second_approval_above")
    )
    rows = {e.campaign_id: e for e in await Entitlement.filter(campaign_id__in=ids).order_by("id")}
    given: dict[tuple[int, int], int] = {}
    for a in await Approval.filter(campaign_id__in=ids, decision="approve").values(
        "campaign_id", "campaign_version"
    ):
        slot = (a["campaign_id"], a["campaign_version"])
        given[slot] = given.get(slot, 0) + 1
    out: dict[int, EventPayment] = {}
    for c in found:
        e = rows.get(c.id)
        if e is None:
            continue
        out[e.id] = EventPayment(
            id=e.id,
            campaign_id=c.id,
            program=c.program,
            rule_code=c.rule_code,
            record_type=c.record_type or "",
            record_id=c.record_id or 0,
            member_id=e.member_id,
            district_code=e.district_code,
            amount=e.amount,
            status=_status(c, e),
            version=c.version,
            approvals_needed=_needed(c, limits),
            approvals=given.get((c.id, c.version), 0),
            ledger_entry_id=e.payment_entry_id,
        )
    return out


def _needed(campaign: Campaign, limits: dict[str, Any]) -> int:
    """As :func:`campaigns.approvals_needed`, from thresholds read once for a page."""
    set_here = [Decimal(limits[code]) for code in campaign.district_codes if code in limits]
    return 2 if set_here and campaign.entitled_total > min(set_here) else 1


def _status(campaign: Campaign, e: Entitlement) -> EventPaymentStatus:
    if e.status == EntitlementStatus.PAID:
        return EventPaymentStatus.PAID
    if e.status == EntitlementStatus.REVERSED:
        return EventPaymentStatus.REVERSED
    if campaign.status == S.REJECTED:
        return EventPaymentStatus.REJECTED
    if e.status == EntitlementStatus.CANCELLED:
        return EventPaymentStatus.CANCELLED
    if campaign.status == S.APPROVED and e.approved_version is not None:
        return EventPaymentStatus.APPROVED
    return EventPaymentStatus.AWAITING_APPROVAL
