"""Claims and condolences: submit, assess (the payout with its trace), approve, reject, pay.

Every step of a member's claims that judges stays or money locks the member's row in
``MemberLock`` first, so overlapping stays and the yearly cap are decided one request at a time
on PostgreSQL (SQLite serialises anyway). Payment goes through the core's one path for event
payments: the assessment requests it (the submitter and the assessor are its makers), approval
is given on it (one approver, or two above the district's second-approval threshold), paying
writes the ledger debit once per claim."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tortoise.transactions import in_transaction

from unionaid.core import (
    Code,
    Condition,
    Decision,
    DomainError,
    EventPaymentStatus,
    Principal,
    ProgramScope,
    TextKind,
    Words,
    approve_event_payment,
    clean_text,
    effective_settings,
    pay_event_payment,
    reject_event_payment,
    request_event_payment,
    to_global_id,
    today_in_shanghai,
)
from unionaid.plugins.mutualaid.claim_models import (
    AccidentOutcome,
    Claim,
    ClaimKind,
    ClaimState,
    MemberLock,
    Stay,
)
from unionaid.plugins.mutualaid.errors import PLAN_CLAIM_PENDING, YEARLY_CAP_REACHED
from unionaid.plugins.mutualaid.models import Enrolment, EnrolmentState, Plan
from unionaid.plugins.mutualaid.services import assessment as a
from unionaid.plugins.mutualaid.services.terms import condolence_terms, plan_terms, version_on
from unionaid.plugins.mutualaid.settings import MutualAidSettings
from unionaid.plugins.mutualaid.workflow import CLAIMS, COMMITTED

PROGRAM = "mutualaid"
RECORD = "MutualAidClaim"  # the record type of a claim's event payment
RULES = {True: "condolence", False: "claim"}  # the rule code of an event payment
STAY_KINDS = (ClaimKind.HOSPITAL, ClaimKind.CONDOLENCE)
KIND_WORDS = {
    ClaimKind.HOSPITAL: Words("住院理赔", "hospital claim"),
    ClaimKind.CRITICAL_ILLNESS: Words("重大疾病理赔", "critical-illness claim"),
    ClaimKind.ACCIDENT: Words("意外伤害理赔", "accident claim"),
    ClaimKind.CONDOLENCE: Words("住院慰问金", "hospital condolence"),
}
CLAIM = Words("互助保障理赔", "mutual-aid claim")


def members() -> Any:
    """The core's member table, reached through our own foreign key once the ORM is up
    (plugins import no core model)."""
    return Claim._meta.fields_map["member"].related_model


@dataclass(frozen=True)
class StayFacts:
    hospital: str
    admitted_on: dt.date
    discharged_on: dt.date
    out_of_pocket: Decimal = Decimal("0.00")
    by_accident: bool = False


@dataclass(frozen=True)
class CriticalFacts:
    category: str
    diagnosed_on: dt.date


@dataclass(frozen=True)
class AccidentFacts:
    occurred_on: dt.date
    outcome: AccidentOutcome
    grade: int | None = None
    expense: Decimal | None = None


def gid(claim_id: int) -> str:
    return to_global_id("MutualAidClaim", claim_id)


async def _settings(host: Any, district: str, on: dt.date) -> MutualAidSettings:
    return (await effective_settings(host, PROGRAM, district, on)).values  # type: ignore[return-value]


async def lock_member(member_id: int) -> None:
    """Take the member's claim lock (the row is made on first use; racing makers both end up
    waiting on the one row)."""
    await MemberLock.bulk_create([MemberLock(member_id=member_id)], ignore_conflicts=True)
    await MemberLock.filter(member_id=member_id).select_for_update().first()


async def visible_claim(scope: ProgramScope, claim_id: int | None, field: str = "claimId") -> Claim:
    """The claim, if the caller reaches it (NOT_FOUND otherwise, PROGRAM_NOT_ENABLED where the
    program is off; an enterprise contact only its own employees' claims)."""
    claim = None if claim_id is None else await Claim.get_or_none(id=claim_id)
    if claim is not None and scope.enterprise_ids is not None:
        enterprise = (
            await members().filter(id=claim.member_id).values_list("enterprise_id", flat=True)
        )
        if not enterprise or enterprise[0] not in scope.enterprise_ids:
            claim = None
    if claim is None:
        raise DomainError(Code.NOT_FOUND, field, what=CLAIM)
    scope.require(claim.district_code, field)
    return claim


# -- submitting --------------------------------------------------------------------------------


async def submit_claim(
    who: Principal,
    scope: ProgramScope,
    host: Any,
    *,
    member_id: int,
    kind: ClaimKind,
    today: dt.date,
    now: dt.datetime,
    stay: StayFacts | None = None,
    critical: CriticalFacts | None = None,
    accident: AccidentFacts | None = None,
    details: str | None = None,
    seal: Callable[[str], str] | None = None,
) -> Claim:
    """Record a claim (or, ``kind`` CONDOLENCE, a condolence) as ``submitted``. A stay is
    (member, hospital, admission date): a second plan claim or condolence for it, or a stay
    overlapping another of the member's, is ``DUPLICATE``. ``details`` (free-text health
    information) are stored sealed with ``seal`` (the vault: ``seal_text``), never in clear."""
    m = (
        await members()
        .get_or_none(id=member_id)
        .values("district_id", "enterprise_id", "birth_date")
    )
    if m is None or (
        scope.enterprise_ids is not None and m["enterprise_id"] not in scope.enterprise_ids
    ):
        raise DomainError(Code.NOT_FOUND, "memberId", what=Words("会员", "member"))
    district = m["district_id"]
    scope.require(district, "memberId")
    details = clean_text(details, "details", max_length=2000, kind=TextKind.NOTE) or None
    if details is not None:
        if seal is None:
            raise ValueError("health details are stored sealed: pass seal")
        details = seal(details)
    values: dict[str, Any] = {"district_code": district, "submitted_on": today, "details": details}
    values["created_by"] = who.username
    if kind in STAY_KINDS:
        if stay is None:
            raise DomainError(Code.REQUIRED, "admittedOn")
        hospital = clean_text(stay.hospital, "hospital", max_length=100, required=True)
        if stay.discharged_on < stay.admitted_on:
            raise DomainError(
                Code.INVALID_DATE_RANGE,
                "dischargedOn",
                since=stay.admitted_on.isoformat(),
                until=stay.discharged_on.isoformat(),
            )
        if stay.out_of_pocket < 0:
            raise DomainError(Code.INVALID_AMOUNT, "outOfPocket")
        # A stay is claimed once the member is discharged: its length decides the payout, and
        # an open-ended stay would overlap every later stay of the member.
        if stay.discharged_on > today:
            raise DomainError(
                Code.INVALID_INPUT,
                "dischargedOn",
                detail=Words("出院日期晚于今天", "the discharge is in the future"),
            )
        stay = StayFacts(hospital or "", *(vars(stay)[k] for k in list(vars(stay))[1:]))
        event_on = stay.admitted_on
    elif kind == ClaimKind.CRITICAL_ILLNESS:
        if critical is None or not critical.category.strip():
            raise DomainError(Code.REQUIRED, "diagnosisCategory")
        s = await _settings(host, district, critical.diagnosed_on)
        if critical.category not in s.claim_critical_categories:
            raise DomainError(
                Code.INVALID_INPUT,
                "diagnosisCategory",
                detail=Words("不在重大疾病病种目录内", "not on the critical-illness list"),
            )
        event_on = critical.diagnosed_on
        values["diagnosis_category"] = critical.category
    else:
        if accident is None:
            raise DomainError(Code.REQUIRED, "accidentOutcome")
        grade = accident.grade
        if accident.outcome == AccidentOutcome.DISABILITY and (
            grade is None or not 1 <= grade <= 10
        ):
            raise DomainError(
                Code.INVALID_INPUT,
                "disabilityGrade",
                detail=Words("伤残等级应为 1 至 10 级", "a disability grade from 1 to 10"),
            )
        if accident.outcome == AccidentOutcome.MEDICAL and accident.expense is None:
            raise DomainError(Code.REQUIRED, "accidentExpense")
        if accident.expense is not None and accident.expense < 0:
            raise DomainError(Code.INVALID_AMOUNT, "accidentExpense")
        event_on = accident.occurred_on
        values |= {
            "accident_outcome": accident.outcome,
            "disability_grade": grade if accident.outcome == AccidentOutcome.DISABILITY else None,
            "accident_expense": accident.expense,
        }
    if event_on > today:
        raise DomainError(
            Code.INVALID_INPUT,
            "eventOn",
            detail=Words("事件日期晚于今天", "the event is in the future"),
        )
    if m["birth_date"] is not None and event_on < m["birth_date"]:
        raise DomainError(
            Code.INVALID_INPUT,
            "eventOn",
            detail=Words("事件日期早于会员出生日期", "the event is before the member's birth"),
        )
    values["event_on"] = event_on
    async with in_transaction():
        await lock_member(member_id)
        if kind == ClaimKind.CONDOLENCE:
            values |= {"year": event_on.year}
        else:
            enrolment = await enrolment_on(member_id, event_on)
            plan_year = enrolment.plan_year if enrolment else event_on.year
            values |= {
                "year": plan_year,
                "enrolment_id": enrolment.id if enrolment else None,
                "plan_id": enrolment.plan_id if enrolment else None,
            }
        await _alive_on(member_id, kind, accident, event_on)
        if stay is not None:
            where = {"stay_id": (await _stay(who, member_id, district, stay)).id, "kind": kind}
        else:
            where = {"member_id": member_id, "kind": kind, "event_on": event_on}
            values.pop("event_on")
        if await Claim.exists(**where):
            raise DomainError(
                Code.DUPLICATE, "kind", detail=Words("该事件已有同类理赔", "a claim of this event")
            )
        where.setdefault("member_id", member_id)
        return await CLAIMS.move(
            who,
            "submit",
            now=now,
            where=where,
            district_code=district,
            object_id=to_global_id("Member", member_id),
            values=values,
            audited=("kind", "event_on"),
            field="memberId",
        )


async def _alive_on(
    member_id: int, kind: ClaimKind, accident: AccidentFacts | None, event_on: dt.date
) -> None:
    """A member dies once: a second death claim is ``DUPLICATE``, an event after a claimed
    death ``INVALID_INPUT`` (a rejected death claim does not count). Call it holding the lock."""
    death = (
        await Claim.filter(
            member_id=member_id,
            kind=ClaimKind.ACCIDENT,
            accident_outcome=AccidentOutcome.DEATH,
        )
        .exclude(status=ClaimState.REJECTED)
        .order_by("event_on")
        .first()
    )
    if death is None:
        return
    if kind == ClaimKind.ACCIDENT and accident and accident.outcome == AccidentOutcome.DEATH:
        raise DomainError(
            Code.DUPLICATE,
            "accidentOutcome",
            detail=Words("该会员已有身故理赔", "the member's death is already claimed"),
        )
    if event_on > death.event_on:
        raise DomainError(
            Code.INVALID_INPUT,
            "eventOn",
            detail=Words("事件日期晚于会员身故日期", "the event is after the member's death"),
        )


async def _stay(who: Principal, member_id: int, district: str, stay: StayFacts) -> Stay:
    """The stay (member, hospital, admission day), made if new; a stay overlapping another of
    the member's is ``DUPLICATE``. Call it holding the member's lock."""
    same = await Stay.get_or_none(
        member_id=member_id, hospital=stay.hospital, admitted_on=stay.admitted_on
    )
    overlapping = Stay.filter(
        member_id=member_id,
        admitted_on__lte=stay.discharged_on,
        discharged_on__gte=stay.admitted_on,
    )
    if same is not None:
        overlapping = overlapping.exclude(id=same.id)
    if await overlapping.exists():
        raise DomainError(
            Code.DUPLICATE,
            "admittedOn",
            detail=Words(
                "与该会员的另一次住院日期重叠", "a stay overlapping another of the member"
            ),
        )
    if same is not None:
        return same
    return await Stay.create(
        member_id=member_id,
        district_code=district,
        hospital=stay.hospital,
        admitted_on=stay.admitted_on,
        discharged_on=stay.discharged_on,
        out_of_pocket=stay.out_of_pocket,
        by_accident=stay.by_accident,
        created_by=who.username,
    )


async def enrolment_on(member_id: int, day: dt.date) -> Enrolment | None:
    """The member's active enrolment whose plan's term holds ``day``."""
    for enrolment in await Enrolment.filter(
        member_id=member_id, state=EnrolmentState.ACTIVE
    ).order_by("-plan_year"):
        version = await version_on(enrolment.plan_id, day)
        if version is not None and version.starts_on <= day <= version.ends_on:
            return enrolment
    return None


# -- assessing ---------------------------------------------------------------------------------


async def assess_claim(
    who: Principal,
    scope: ProgramScope,
    host: Any,
    claim_id: int,
    *,
    today: dt.date,
    now: dt.datetime,
    version: int | None = None,
) -> Claim:
    """Compute the payout with its trace. Something to pay: ``assessed``, and its payment is
    requested from the fund (awaiting approval). Nothing: ``rejected``, the trace saying why."""
    claim = await visible_claim(scope, claim_id)
    async with in_transaction():
        await lock_member(claim.member_id)
        claim = await Claim.get(id=claim_id)
        decision, fund_id = await _decide(host, claim)
        trace = [{"passed": c.passed, "zh": c.zh, "en": c.en} for c in decision.conditions]
        values: dict[str, Any] = {
            "amount": decision.amount,
            "trace": trace,
            "plan_version": decision.settings.get("plan_version"),
            "year_cap": decision.settings.get("year_cap"),
        }
        if not decision.eligible:
            failed = next((c for c in reversed(decision.conditions) if not c.passed), None)
            values["reject_reason"] = (failed.zh if failed else "不予给付")[:200]
        claim = await CLAIMS.move(
            who,
            "assess" if decision.eligible else "decline",
            now=now,
            where={"id": claim_id},
            district_code=claim.district_code,
            object_id=gid(claim_id),
            version=version,
            values=values,
            audited=("amount", "plan_version"),
            field="claimId",
        )
        if decision.eligible:
            if fund_id is None:
                raise DomainError(
                    Code.INVALID_INPUT,
                    "claimId",
                    detail=Words("该年度没有互助保障计划及其资金", "no plan (and fund) that year"),
                )
            payment = await request_event_payment(
                who,
                host,
                program=PROGRAM,
                rule_code=RULES[claim.kind == ClaimKind.CONDOLENCE],
                record=(RECORD, claim.id),
                member_id=claim.member_id,
                amount=decision.amount,
                fund_id=fund_id,
                period_code=str(claim.year),
                occurrence_key=f"claim:{claim.id}",
                # No health detail in the entitlement: the trace stays on the claim.
                explanation_zh=f"互助保障{KIND_WORDS[claim.kind].zh} {gid(claim.id)} 核定给付",
                explanation_en=f"mutual-aid {KIND_WORDS[claim.kind].en} {gid(claim.id)} assessed",
                facts={"claim": gid(claim.id), "kind": claim.kind.value},
                makers=[claim.created_by],
                name=f"互助保障理赔 {claim.id}",
            )
            await Claim.filter(id=claim.id).update(payment_id=payment.id)
            claim = await Claim.get(id=claim.id)
    return claim


async def _decide(host: Any, claim: Claim) -> tuple[Decision, int | None]:
    """The decision on a claim (and the fund that pays it), holding the member's lock."""
    others = Claim.filter(member_id=claim.member_id, status__in=COMMITTED).exclude(id=claim.id)
    stay = await Stay.get(id=claim.stay_id) if claim.stay_id else None
    event: a.Event
    if stay is not None:
        event = a.HospitalStay(
            stay.admitted_on,
            stay.discharged_on,
            stay.hospital,
            stay.out_of_pocket,
            stay.by_accident,
        )
    s = await _settings(host, claim.district_code, claim.event_on)
    if claim.kind == ClaimKind.CONDOLENCE:
        assert isinstance(event, a.HospitalStay)
        earlier = await others.filter(kind=ClaimKind.CONDOLENCE, year=claim.year).count()
        plan_claims = Claim.filter(stay_id=claim.stay_id).exclude(kind=ClaimKind.CONDOLENCE)
        claim_pays = False
        if s.condolence_stacking == "no_claim":
            if await plan_claims.filter(status="submitted").exists():
                raise DomainError(PLAN_CLAIM_PENDING, "claimId")
            claim_pays = await plan_claims.filter(status__in=COMMITTED, amount__gt=0).exists()
        is_member = (
            await members().filter(id=claim.member_id).values_list("is_union_member", flat=True)
        )
        ctx = a.CondolenceContext(bool(is_member and is_member[0]), earlier, claim_pays)
        return a.condolence(condolence_terms(s), event, ctx), await condolence_fund(claim)
    if claim.kind == ClaimKind.CRITICAL_ILLNESS:
        event = a.CriticalIllness(claim.diagnosis_category or "", claim.event_on)
    elif claim.kind == ClaimKind.ACCIDENT:
        event = a.Accident(
            claim.event_on,
            claim.accident_outcome or AccidentOutcome.MEDICAL,
            claim.disability_grade,
            claim.accident_expense or Decimal("0"),
        )
    enrolment = await Enrolment.get_or_none(id=claim.enrolment_id) if claim.enrolment_id else None
    plan = await Plan.get_or_none(id=claim.plan_id) if claim.plan_id else None
    version = await version_on(plan.id, claim.event_on) if plan else None
    if enrolment is None or plan is None or version is None:
        why = Condition(False, "未参加在保障期内的互助保障计划", "not enrolled in a plan in force")
        return Decision(False, a.ZERO, (why,)), None
    year_claims = others.filter(year=claim.year).exclude(kind=ClaimKind.CONDOLENCE)
    held = [Decimal(x or 0) for x in await year_claims.values_list("amount", flat=True)]
    used = a.Used(
        year_total=sum(held, a.ZERO),
        critical_paid=await year_claims.filter(
            kind=ClaimKind.CRITICAL_ILLNESS, amount__gt=0
        ).exists(),
    )
    if s.condolence_stacking == "no_claim" and claim.stay_id is not None:
        granted = await others.filter(stay_id=claim.stay_id, kind=ClaimKind.CONDOLENCE).first()
        if granted is not None and granted.amount:
            used = dataclasses.replace(used, condolence=Decimal(granted.amount))
    cover = a.Cover(enrolment.shares, enrolment.cover_from)
    return a.assess(plan_terms(plan, version, s), cover, event, used), plan.fund_id


async def condolence_fund(claim: Claim) -> int | None:
    """A condolence is paid from the fund of the mutual-aid plan of its year in the member's
    district (a district plan, else the city's)."""
    plans = await Plan.filter(plan_year=claim.year, scope__in=[claim.district_code, "city"])
    ordered = sorted(plans, key=lambda p: p.scope == "city")
    return ordered[0].fund_id if ordered else None


# -- approving, rejecting, paying --------------------------------------------------------------


async def approve_claim(
    who: Principal,
    scope: ProgramScope,
    claim_id: int,
    *,
    now: dt.datetime,
    version: int | None = None,
) -> Claim:
    """Approve the claim's payment, never by who submitted or assessed it. Above the district's
    second-approval threshold the first approval leaves it ``assessed`` (``approve_first``); the
    second, by someone else, makes it ``approved``."""
    claim = await visible_claim(scope, claim_id)
    move = {
        "now": now,
        "where": {"id": claim_id},
        "district_code": claim.district_code,
        "object_id": gid(claim_id),
        "version": version,
        "field": "claimId",
    }
    if claim.payment_id is None or claim.status != "assessed":
        return await CLAIMS.move(who, "approve", **move)  # refused: not assessed
    async with in_transaction():
        payment = await approve_event_payment(who, claim.payment_id, now=now)
        done = payment.status == EventPaymentStatus.APPROVED
        return await CLAIMS.move(who, "approve" if done else "approve_first", **move)


# The reason may name an illness: it lives on the claim alone (erased with the member), never in
# the append-only workflow history or the event payment's approval.
REASON_ON_CLAIM = "拒付原因见理赔记录 / reason on the claim"


async def reject_claim(
    who: Principal,
    scope: ProgramScope,
    claim_id: int,
    reason: str,
    *,
    now: dt.datetime,
    version: int | None = None,
) -> Claim:
    """Reject the claim with a reason (an approver; before it is approved)."""
    claim = await visible_claim(scope, claim_id)
    reason = clean_text(reason, "reason", max_length=200, kind=TextKind.NOTE, required=True) or ""
    async with in_transaction():
        moved = await CLAIMS.move(
            who,
            "reject",
            now=now,
            where={"id": claim_id},
            district_code=claim.district_code,
            object_id=gid(claim_id),
            version=version,
            note=REASON_ON_CLAIM,
            values={"reject_reason": reason},
            field="claimId",
        )
        if claim.payment_id is not None:
            await reject_event_payment(who, claim.payment_id, reason=REASON_ON_CLAIM, now=now)
    return moved


async def pay_claim(
    who: Principal, scope: ProgramScope, host: Any, claim_id: int, key: str, *, now: dt.datetime
) -> Claim:
    """Pay an approved claim from the fund, once: the same ``key`` answers again with the paid
    claim; paying it again under another key is refused."""
    claim = await visible_claim(scope, claim_id)
    move = {
        "now": now,
        "where": {"id": claim_id},
        "district_code": claim.district_code,
        "object_id": gid(claim_id),
        "field": "claimId",
    }
    if claim.payment_id is not None and claim.status == "paid":
        await pay_event_payment(who, host, claim.payment_id, key, now)  # same key, same answer
        return claim
    if claim.payment_id is None or claim.status != "approved":
        return await CLAIMS.move(who, "pay", **move)  # refused: not approved
    async with in_transaction():
        await pay_event_payment(who, host, claim.payment_id, key, now)
        return await CLAIMS.move(who, "pay", values={"paid_on": today_in_shanghai(now)}, **move)


# -- told by the core --------------------------------------------------------------------------


async def on_paid(payments: list[Any]) -> None:
    """A claim's payment is being paid: under the member's lock, refuse it if the member's
    claims paid this plan year would pass the yearly cap (assessments already keep within it;
    this holds even against a plan revised in between)."""
    for p in payments:
        claim = await Claim.get(id=p.record_id)
        if claim.kind == ClaimKind.CONDOLENCE or claim.plan_id is None:
            continue
        await lock_member(claim.member_id)
        cap = claim.year_cap
        if cap is None:
            continue
        paid = (
            await Claim.filter(
                member_id=claim.member_id, year=claim.year, status="paid", plan_id__isnull=False
            )
            .exclude(kind=ClaimKind.CONDOLENCE)
            .values_list("amount", flat=True)
        )
        held = sum((Decimal(x) for x in paid), a.ZERO)
        if held + p.amount > cap:
            cap_text, held_text = f"{cap:.2f}", f"{held:.2f}"  # amounts: data, one language
            raise DomainError(YEARLY_CAP_REACHED, "claimId", cap=cap_text, paid=held_text)


async def on_reversed(payments: list[Any], reason: str, actor: str, now: dt.datetime) -> None:
    """A claim's payment was reversed: the claim is rejected with the reversal's reason, in the
    reversal's transaction. The core checked that ``actor`` may pay (and reverse) in the
    claim's district; the move is taken in their name with that right."""
    for p in payments:
        who = Principal(
            None, actor, "district_admin", frozenset({p.district_code}), frozenset(), ""
        )
        await CLAIMS.move(
            who,
            "reverse",
            now=now,
            where={"id": p.record_id},
            district_code=p.district_code,
            object_id=gid(p.record_id),
            note=reason,
            values={"reject_reason": f"支付已冲正：{reason}"[:200], "paid_on": None},
            field="claimId",
        )
