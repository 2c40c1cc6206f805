"""Enrolment of members in a plan and their contributions into the plan's fund.

Contributions: one ledger entry per enrolment, also when an enterprise enrols 200 employees
(they share a ``batch``). A refund then reverses exactly one entry, a member's payout trace can
name the entry that paid for their cover, and a plan's collected total reconciles with its
enrolments row by row; 200 small inserts in one transaction cost less than the bookkeeping of
splitting a batch entry when one of its people cancels."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.expressions import Q
from tortoise.transactions import in_transaction

from unionaid.core import (
    Code,
    DomainError,
    EntitlementEvent,
    EventPayment,
    Principal,
    Words,
    approve_event_payment,
    contribute_to_fund,
    enterprise_headcounts,
    event_payments_of,
    member_briefs,
    pay_event_payment,
    record_audit,
    request_event_payment,
    to_global_id,
)
from unionaid.plugins.mutualaid.errors import (
    BELOW_UNIT_MINIMUM,
    ENROLMENT_CLOSED,
    NOT_EMPLOYEE,
    SHARES_DIFFER_IN_UNIT,
    TOO_MANY_SHARES,
)
from unionaid.plugins.mutualaid.models import (
    Channel,
    Contribution,
    ContributionKind,
    Enrolment,
    EnrolmentState,
    Payer,
    Plan,
    PlanState,
    RefundState,
)
from unionaid.plugins.mutualaid.rules import EnrolmentRefund
from unionaid.plugins.mutualaid.services.plans import plan_terms
from unionaid.plugins.mutualaid.settings import MutualAidSettings

PROGRAM = "mutualaid"
REFUND_RECORD = "MutualAidEnrolment"  # an event payment's record: a refund
MEMBER = Words("会员", "member")


def once_key(member_id: int, plan_year: int) -> str:
    return f"{member_id}:{plan_year}"


@dataclass(frozen=True)
class Applicant:
    member_id: int
    shares: int
    field: str = "memberId"  # where a row's error points (a file's row: "row 7.memberId")


def _check_shares(shares: int, settings: MutualAidSettings, field: str) -> None:
    if not 1 <= shares <= settings.max_shares:
        raise DomainError(
            TOO_MANY_SHARES, field.replace("memberId", "shares"), max=settings.max_shares
        )


async def enrol(
    actor: Principal,
    plan: Plan,
    applicants: list[Applicant],
    settings: MutualAidSettings,
    *,
    today: dt.date,
    visible_districts: frozenset[str],
    enterprise_id: int | None = None,
) -> list[Enrolment]:
    """Enrol members in ``plan``, each paying shares × the share price into the plan's fund.

    ``enterprise_id`` set: a collective enrolment by the enterprise, which pays; every member
    must be its employee, all its enrolments in the plan year hold the same number of shares
    (when the setting says so), and after this batch at least the minimum share of its staff
    is enrolled (also for a batch of one: the unit first joins with a list or a file).
    Otherwise a caseworker enrols members who pay for themselves. Never twice in one plan year
    (DUPLICATE, also for two requests racing: ``once_key`` is unique)."""
    if plan.state != PlanState.PUBLISHED:
        raise DomainError(
            Code.INVALID_STATE,
            "planId",
            status=Words("已撤回", "withdrawn"),
            action=Words("参保", "enrol"),
        )
    terms = await plan_terms(plan.id, today)
    if not terms.enrolment_open(today):
        raise DomainError(
            ENROLMENT_CLOSED, "planId", since=terms.enrol_from, until=terms.enrol_until
        )
    if not applicants:
        raise DomainError(Code.REQUIRED, "members")
    seen: set[int] = set()
    for a in applicants:
        _check_shares(a.shares, settings, a.field)
        if a.member_id in seen:
            raise DomainError(
                Code.DUPLICATE, a.field, detail=Words("同一名单中重复", "twice in the list")
            )
        seen.add(a.member_id)
    briefs = await member_briefs(seen)
    for a in applicants:
        brief = briefs.get(a.member_id)
        if (
            brief is None
            or not brief.is_active
            or brief.district_code not in visible_districts
            or (plan.district_code is not None and brief.district_code != plan.district_code)
        ):
            raise DomainError(Code.NOT_FOUND, a.field, what=MEMBER)
        if enterprise_id is not None and brief.enterprise_id != enterprise_id:
            raise DomainError(NOT_EMPLOYEE, a.field)
    taken = set(
        await Enrolment.filter(
            once_key__in=[once_key(m, plan.plan_year) for m in seen]
        ).values_list("member_id", flat=True)
    )
    for a in applicants:
        if a.member_id in taken:
            raise DomainError(
                Code.DUPLICATE, a.field, detail=Words("本计划年度已参保", "enrolled this plan year")
            )
    batch = None
    if enterprise_id is not None:
        batch = new_batch()
        await check_unit(plan, enterprise_id, applicants, settings)
    async with in_transaction():
        return [
            await enrol_one(
                actor,
                plan,
                a,
                district_code=briefs[a.member_id].district_code,
                today=today,
                enterprise_id=enterprise_id,
                batch=batch,
            )
            for a in applicants
        ]


def new_batch() -> str:
    """The tag a collective enrolment's enrolments and contributions share."""
    return f"batch:{uuid.uuid4().hex[:16]}"


async def check_unit(
    plan: Plan, enterprise_id: int, applicants: list[Applicant], settings: MutualAidSettings
) -> None:
    """The unit's minimum and equal shares, judged over the batch and the unit's staff already
    enrolled in the plan year by any channel (one by one at a caseworker's counter too); the
    unit's own collective enrolments name the agreed shares first."""
    rows = await (
        Enrolment.filter(plan_year=plan.plan_year, state=EnrolmentState.ACTIVE)
        .filter(Q(enterprise_id=enterprise_id) | Q(member__enterprise_id=enterprise_id))
        .order_by("id")
        .values_list("shares", "enterprise_id")
    )
    already = sorted(rows, key=lambda r: r[1] != enterprise_id)  # the unit's own first
    if settings.same_shares_in_unit:
        held = {shares for shares, _ in already}
        agreed = already[0][0] if already else applicants[0].shares
        for a in applicants:
            if a.shares != agreed or len(held) > 1:
                raise DomainError(
                    SHARES_DIFFER_IN_UNIT, a.field.replace("memberId", "shares"), shares=agreed
                )
    staff = (await enterprise_headcounts([enterprise_id]))[enterprise_id]
    enrolled = len(already) + len(applicants)
    ratio_needed = settings.collective_min_ratio * staff
    needed = int(ratio_needed) + (0 if ratio_needed == int(ratio_needed) else 1)  # round up
    needed = max(needed, min(settings.collective_min_people, staff))
    if enrolled < needed:
        raise DomainError(
            BELOW_UNIT_MINIMUM, "members", needed=needed, staff=staff, enrolled=enrolled
        )


async def enrol_one(
    actor: Principal,
    plan: Plan,
    a: Applicant,
    *,
    district_code: str,
    today: dt.date,
    enterprise_id: int | None,
    batch: str | None,
) -> Enrolment:
    """One enrolment and its contribution (checked by the caller: :func:`enrol`, the import)."""
    terms = await plan_terms(plan.id, today)
    cover_from = max(terms.starts_on, today)
    amount = terms.share_price * a.shares
    payer = Payer.ENTERPRISE if enterprise_id is not None else Payer.MEMBER
    try:
        async with in_transaction():
            enrolment = await Enrolment.create(
                plan_id=plan.id,
                member_id=a.member_id,
                plan_year=plan.plan_year,
                district_code=district_code,
                shares=a.shares,
                amount=amount,
                channel=Channel.ENTERPRISE if enterprise_id is not None else Channel.CASEWORKER,
                payer=payer,
                enterprise_id=enterprise_id,
                batch=batch,
                once_key=once_key(a.member_id, plan.plan_year),
                enrolled_on=today,
                cover_from=cover_from,
                enrolled_by=actor.username,
            )
    except IntegrityError as exc:  # the same member enrolled by a request racing this one
        raise DomainError(
            Code.DUPLICATE, a.field, detail=Words("本计划年度已参保", "enrolled this plan year")
        ) from exc
    entry = await contribute_to_fund(
        actor,
        plan.fund_id,
        amount,
        memo=f"互助保障 {plan.plan_year} 参保缴费",
        reference=f"mutualaid:enrolment:{enrolment.id}",
        program=PROGRAM,
        district_code=district_code,
        period_code=str(plan.plan_year),
    )
    await Contribution.create(
        plan_id=plan.id,
        enrolment_id=enrolment.id,
        kind=ContributionKind.CONTRIBUTION,
        payer=payer,
        member_id=a.member_id,
        enterprise_id=enterprise_id,
        district_code=district_code,
        amount=amount,
        ledger_entry_id=entry.id,
        batch=batch,
    )
    await record_audit(
        actor,
        "mutualaid.enrol",
        object_type="MutualAidEnrolment",
        object_id=to_global_id("MutualAidEnrolment", enrolment.id),
        district_code=district_code,
        changes={"shares": [None, a.shares], "amount": [None, f"{amount:.2f}"]},
    )
    return enrolment


async def cancel_enrolment(
    actor: Principal,
    host: Any,
    enrolment: Enrolment,
    settings: MutualAidSettings,
    *,
    today: dt.date,
) -> Enrolment:
    """Cancel an active enrolment. Within the cooling-off period (or later when the setting
    allows it) its contribution is due back: an event payment from the plan's fund to the
    member, which someone other than who enrolled or cancelled approves, and is then paid;
    later, nothing is refunded. Its plan year is free again."""
    if enrolment.state != EnrolmentState.ACTIVE:
        raise DomainError(
            Code.INVALID_STATE,
            "enrolmentId",
            status=Words("已退保", "cancelled"),
            action=Words("退保", "cancel"),
        )
    in_cooling_off = today <= enrolment.enrolled_on + dt.timedelta(days=settings.cooling_off_days)
    refunds = in_cooling_off or settings.refund_after_cooling_off
    async with in_transaction():
        enrolment.state = EnrolmentState.CANCELLED
        enrolment.once_key = None
        enrolment.cancelled_on = today
        enrolment.cancelled_by = actor.username
        enrolment.refund_state = RefundState.DUE if refunds else RefundState.NONE
        enrolment.refund_amount = enrolment.amount if refunds else Decimal("0")
        await enrolment.save()
        if refunds:
            plan = await Plan.get(id=enrolment.plan_id)
            await request_event_payment(
                actor,
                host,
                program=PROGRAM,
                rule_code=EnrolmentRefund.code,
                record=(REFUND_RECORD, enrolment.id),
                member_id=enrolment.member_id,
                amount=enrolment.amount,
                fund_id=plan.fund_id,
                period_code=str(plan.plan_year),
                occurrence_key=f"refund:enrolment:{enrolment.id}",
                explanation_zh=f"{plan.plan_year} 年互助保障退保，退还 {enrolment.amount} 元",
                explanation_en=(
                    f"{plan.plan_year} mutual-aid enrolment cancelled in the cooling-off "
                    f"period: {enrolment.amount} refunded"
                ),
                makers=[enrolment.enrolled_by],
            )
        await record_audit(
            actor,
            "mutualaid.cancelEnrolment",
            object_type="MutualAidEnrolment",
            object_id=to_global_id("MutualAidEnrolment", enrolment.id),
            district_code=enrolment.district_code,
            changes={
                "state": ["active", "cancelled"],
                "refund": [None, f"{enrolment.refund_amount:.2f}"],
            },
        )
    return enrolment


async def refund_payment(enrolment: Enrolment) -> EventPayment:
    found = (await event_payments_of(PROGRAM, REFUND_RECORD, [enrolment.id])).get(enrolment.id)
    if found is None or enrolment.refund_state != RefundState.DUE:
        raise DomainError(
            Code.INVALID_STATE,
            "enrolmentId",
            status=Words("无待退款项", "no refund due"),
            action=Words("退费", "refund"),
        )
    return found


async def approve_refund(
    actor: Principal, enrolment: Enrolment, *, now: dt.datetime
) -> EventPayment:
    """The second person's approval of a refund (never who enrolled or cancelled)."""
    payment = await refund_payment(enrolment)
    return await approve_event_payment(actor, payment.id, now=now)


async def pay_refund(
    actor: Principal, host: Any, enrolment: Enrolment, *, key: str, now: dt.datetime
) -> dict[str, Any]:
    """Pay an approved refund from the plan's fund (once per idempotency key)."""
    payment = await refund_payment(enrolment)
    return await pay_event_payment(actor, host, payment.id, key, now)


async def refunds_paid(events: list[EntitlementEvent]) -> None:
    """Told by the core when refunds were paid (any way: this program's mutation or the
    generic payEntitlement), inside the money's transaction: the enrolment's refund is paid and
    a negative contribution names the ledger entry."""
    by_id = {e.record_id: e for e in events}
    for enrolment in await Enrolment.filter(id__in=list(by_id)):
        event = by_id[enrolment.id]
        enrolment.refund_state = RefundState.PAID
        await enrolment.save(update_fields=["refund_state"])
        await Contribution.create(
            plan_id=enrolment.plan_id,
            enrolment_id=enrolment.id,
            kind=ContributionKind.REFUND,
            payer=enrolment.payer,
            member_id=enrolment.member_id,
            enterprise_id=enrolment.enterprise_id,
            district_code=enrolment.district_code,
            amount=-Decimal(event.amount),
            ledger_entry_id=event.ledger_entry_id,
            batch=enrolment.batch,
        )
