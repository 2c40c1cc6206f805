"""A claim's payout, computed by the plan's rules, with a trace a member could read.

Pure functions: the plan's terms, the member's cover, the event and what the member's other
claims of the plan year already hold come in; a core :class:`Decision` comes out, whose
conditions are the trace (each line in Chinese and English, the first naming the plan version
used) and whose ``settings`` name the plan and its version.

Why not ``register_rules``: a benefit rule judges a member from register facts on a day, for a
campaign run over a whole district. A claim's payout depends on the event and on the member's
other claims of the plan year, which a campaign rule never sees, and running these rules over the
register would pay nobody anything meaningful. So the computation keeps the rule machinery's
vocabulary (``Decision``, ``Condition``) without being a campaign rule.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from unionaid.core import Condition, Decision, to_fen
from unionaid.plugins.mutualaid.claim_models import AccidentOutcome

ZERO = Decimal("0.00")


class HospitalMode(StrEnum):
    DAILY = "daily"  # days × daily amount × shares
    REIMBURSE = "reimburse"  # (out-of-pocket − deductible) × ratio × shares


@dataclass(frozen=True)
class HospitalCover:
    mode: HospitalMode
    daily_amount: Decimal = ZERO  # per share and day (DAILY)
    deductible: Decimal = ZERO  # per stay (REIMBURSE), not scaled by shares
    ratio: Decimal = Decimal("0")  # share of the out-of-pocket above the deductible (REIMBURSE)
    cap_per_stay: Decimal = ZERO  # per share


@dataclass(frozen=True)
class CriticalCover:
    amount: Decimal  # per share, once per plan year
    categories: tuple[str, ...] = ()  # the diagnosis categories covered


@dataclass(frozen=True)
class AccidentCover:
    death: Decimal  # per share
    grades: Mapping[int, Decimal]  # disability grade 1..10 -> per share
    medical_ratio: Decimal = Decimal("0")  # share of the medical expense paid
    medical_cap: Decimal = ZERO  # per share and accident


@dataclass(frozen=True)
class PlanTerms:
    """What a plan promises, at the version a claim is judged under."""

    plan_id: int
    name: str
    version: int
    starts: dt.date
    ends: dt.date  # last day covered
    waiting_days: int  # for illness; accidents are covered from the first day
    yearly_cap: Decimal  # per share, across all the member's claims of the plan year
    hospital: HospitalCover | None = None
    critical: CriticalCover | None = None
    accident: AccidentCover | None = None


@dataclass(frozen=True)
class Cover:
    """The member's enrolment in the plan, if any."""

    shares: int
    covered_from: dt.date  # the enrolment's start (the plan's start for a timely enrolment)


@dataclass(frozen=True)
class HospitalStay:
    admitted: dt.date
    discharged: dt.date
    hospital: str
    out_of_pocket: Decimal = ZERO
    by_accident: bool = False  # an accident's stay has no waiting period

    @property
    def days(self) -> int:
        """Days in hospital, admission and discharge together counted as one (a stay of one
        night or none is one day)."""
        return max((self.discharged - self.admitted).days, 1)


@dataclass(frozen=True)
class CriticalIllness:
    category: str
    diagnosed_on: dt.date


@dataclass(frozen=True)
class Accident:
    occurred_on: dt.date
    outcome: AccidentOutcome
    grade: int | None = None  # DISABILITY
    expense: Decimal = ZERO  # MEDICAL


Event = HospitalStay | CriticalIllness | Accident


@dataclass(frozen=True)
class Used:
    """What the member's other live claims of the plan year (assessed, approved or paid) hold."""

    year_total: Decimal = ZERO
    critical_paid: bool = False
    # Under stacking "no_claim": the live condolence already granted for this stay, which the
    # plan claim deducts (the stay yields the larger of the two, and the claim stays the member's).
    condolence: Decimal = ZERO


@dataclass(frozen=True)
class CondolenceTerms:
    amount: Decimal
    min_days: int = 0  # 0: any stay
    per_year: int = 0  # 0: no yearly limit
    only_without_claim: bool = False  # the stacking setting


@dataclass(frozen=True)
class CondolenceContext:
    is_union_member: bool
    earlier_this_year: int  # condolences of the member's live claims in the stay's year
    claim_pays: bool = False  # a plan claim for the same stay pays (or was paid) something


@dataclass
class _Trace:
    lines: list[Condition] = field(default_factory=list)

    def add(self, passed: bool, zh: str, en: str) -> bool:
        self.lines.append(Condition(passed, zh, en))
        return passed

    def refuse(self) -> Decision:
        return Decision(False, ZERO, tuple(self.lines))


def yuan(amount: Decimal) -> str:
    return f"{to_fen(amount):,.2f}"


def _event_day(event: Event) -> dt.date:
    if isinstance(event, HospitalStay):
        return event.admitted
    if isinstance(event, CriticalIllness):
        return event.diagnosed_on
    return event.occurred_on


def _is_illness(event: Event) -> bool:
    return not isinstance(event, Accident) and not (
        isinstance(event, HospitalStay) and event.by_accident
    )


def assess(terms: PlanTerms, cover: Cover | None, event: Event, used: Used) -> Decision:
    """The payout of one plan claim and its trace."""
    t = _Trace()
    plan = {"plan_id": terms.plan_id, "plan_version": terms.version}
    t.add(
        True,
        f"依据互助保障计划《{terms.name}》第 {terms.version} 版",
        f"judged under plan “{terms.name}”, version {terms.version}",
    )
    if not t.add(
        cover is not None,
        f"已参加该计划，{cover.shares} 份" if cover else "未参加该计划",
        f"enrolled in the plan with {cover.shares} share(s)" if cover else "not enrolled",
    ):
        return t.refuse()
    assert cover is not None
    day = _event_day(event)
    if not t.add(
        terms.starts <= day <= terms.ends and day >= cover.covered_from,
        f"事件日期 {day} {'在' if terms.starts <= day <= terms.ends else '不在'}保障期 "
        f"{max(terms.starts, cover.covered_from)} 至 {terms.ends} 内",
        f"event on {day}, {'within' if terms.starts <= day <= terms.ends else 'outside'} "
        f"the cover from {max(terms.starts, cover.covered_from)} to {terms.ends}",
    ):
        return t.refuse()
    if _is_illness(event):
        waited = cover.covered_from + dt.timedelta(days=terms.waiting_days)
        if not t.add(
            day >= waited,
            f"疾病等待期 {terms.waiting_days} 天，{waited} 起保障"
            + ("" if day >= waited else "：事件在等待期内"),
            f"illness waiting period of {terms.waiting_days} days: covered from {waited}"
            + ("" if day >= waited else "; the event falls within it"),
        ):
            return t.refuse()
    else:
        t.add(True, "意外伤害自保障首日起保障", "accidents are covered from the first day")
    if isinstance(event, HospitalStay):
        amount = _hospital(t, terms, cover, event)
        if amount is not None and used.condolence > 0:
            amount = max(amount - used.condolence, ZERO)
            if not t.add(
                amount > 0,
                f"已发住院慰问金 {yuan(used.condolence)} 元，予以抵扣",
                f"condolence of {yuan(used.condolence)} already granted for this stay, deducted",
            ):
                amount = None
    elif isinstance(event, CriticalIllness):
        amount = _critical(t, terms, cover, event, used)
    else:
        amount = _accident(t, terms, cover, event)
    if amount is None:
        return Decision(False, ZERO, tuple(t.lines), settings=plan)
    cap = to_fen(terms.yearly_cap * cover.shares)
    plan["year_cap"] = cap
    left = max(cap - used.year_total, ZERO)
    paid = min(amount, left)
    t.add(
        paid > 0,
        f"计划年度上限 {yuan(terms.yearly_cap)} 元 × {cover.shares} 份 = {yuan(cap)} 元，"
        f"本年度其他理赔已占 {yuan(used.year_total)} 元，本次给付 {yuan(paid)} 元",
        f"plan-year cap {yuan(terms.yearly_cap)} × {cover.shares} share(s) = {yuan(cap)}; "
        f"other claims this plan year hold {yuan(used.year_total)}; this claim pays {yuan(paid)}",
    )
    return Decision(paid > 0, paid, tuple(t.lines), settings=plan)


def _hospital(t: _Trace, terms: PlanTerms, cover: Cover, stay: HospitalStay) -> Decimal | None:
    c = terms.hospital
    if not t.add(c is not None, "计划含住院保障", "the plan covers hospital stays"):
        return None
    assert c is not None
    n = cover.shares
    if c.mode == HospitalMode.DAILY:
        amount = to_fen(stay.days * c.daily_amount * n)
        t.add(
            True,
            f"住院 {stay.days} 天 × 每天 {yuan(c.daily_amount)} 元 × {n} 份 = {yuan(amount)} 元",
            f"{stay.days} day(s) in hospital × {yuan(c.daily_amount)} a day × {n} share(s) "
            f"= {yuan(amount)}",
        )
    else:
        above = max(stay.out_of_pocket - c.deductible, ZERO)
        amount = to_fen(above * c.ratio * n)
        pct = f"{(c.ratio * 100).normalize():f}%"
        t.add(
            True,
            f"自付 {yuan(stay.out_of_pocket)} 元，超过起付线 {yuan(c.deductible)} 元的部分 "
            f"{yuan(above)} 元 × {pct} × {n} 份 = {yuan(amount)} 元",
            f"out-of-pocket {yuan(stay.out_of_pocket)}, above the deductible of "
            f"{yuan(c.deductible)}: {yuan(above)} × {pct} × {n} share(s) = {yuan(amount)}",
        )
    cap = to_fen(c.cap_per_stay * n)
    if amount > cap:
        t.add(
            True,
            f"每次住院上限 {yuan(c.cap_per_stay)} 元 × {n} 份 = {yuan(cap)} 元",
            f"cap per stay {yuan(c.cap_per_stay)} × {n} share(s) = {yuan(cap)}",
        )
        amount = cap
    return amount


def _critical(
    t: _Trace, terms: PlanTerms, cover: Cover, illness: CriticalIllness, used: Used
) -> Decimal | None:
    c = terms.critical
    if not t.add(c is not None, "计划含重大疾病保障", "the plan covers critical illness"):
        return None
    assert c is not None
    if not t.add(
        illness.category in c.categories,
        f"诊断类别“{illness.category}”{'在' if illness.category in c.categories else '不在'}"
        "保障病种目录内",
        f"diagnosis category “{illness.category}” is "
        f"{'' if illness.category in c.categories else 'not '}on the plan's list",
    ):
        return None
    if not t.add(
        not used.critical_paid,
        "本计划年度首次重大疾病给付" if not used.critical_paid else "本计划年度已给付过重大疾病",
        "the first critical-illness benefit this plan year"
        if not used.critical_paid
        else "a critical-illness benefit was already given this plan year",
    ):
        return None
    amount = to_fen(c.amount * cover.shares)
    t.add(
        True,
        f"重大疾病 每份 {yuan(c.amount)} 元 × {cover.shares} 份 = {yuan(amount)} 元",
        f"critical illness {yuan(c.amount)} a share × {cover.shares} share(s) = {yuan(amount)}",
    )
    return amount


def _accident(t: _Trace, terms: PlanTerms, cover: Cover, accident: Accident) -> Decimal | None:
    c = terms.accident
    if not t.add(c is not None, "计划含意外伤害保障", "the plan covers accidents"):
        return None
    assert c is not None
    n = cover.shares
    if accident.outcome == AccidentOutcome.DEATH:
        amount = to_fen(c.death * n)
        t.add(
            True,
            f"意外身故 每份 {yuan(c.death)} 元 × {n} 份 = {yuan(amount)} 元",
            f"accidental death {yuan(c.death)} a share × {n} share(s) = {yuan(amount)}",
        )
    elif accident.outcome == AccidentOutcome.DISABILITY:
        grade = accident.grade
        per = c.grades.get(grade) if grade is not None else None
        if not t.add(
            per is not None,
            f"伤残等级 {grade} 级{'在' if per is not None else '不在'}等级表内",
            f"disability grade {grade} is {'' if per is not None else 'not '}in the grade table",
        ):
            return None
        assert per is not None
        amount = to_fen(per * n)
        t.add(
            True,
            f"伤残 {grade} 级 每份 {yuan(per)} 元 × {n} 份 = {yuan(amount)} 元",
            f"disability grade {grade}: {yuan(per)} a share × {n} share(s) = {yuan(amount)}",
        )
    else:
        pct = f"{(c.medical_ratio * 100).normalize():f}%"
        amount = to_fen(accident.expense * c.medical_ratio)
        cap = to_fen(c.medical_cap * n)
        t.add(
            True,
            f"意外医疗费 {yuan(accident.expense)} 元 × {pct} = {yuan(amount)} 元，"
            f"上限 {yuan(c.medical_cap)} 元 × {n} 份 = {yuan(cap)} 元",
            f"accident medical expense {yuan(accident.expense)} × {pct} = {yuan(amount)}, "
            f"capped at {yuan(c.medical_cap)} × {n} share(s) = {yuan(cap)}",
        )
        amount = min(amount, cap)
    return amount


def condolence(terms: CondolenceTerms, stay: HospitalStay, ctx: CondolenceContext) -> Decision:
    """The hospitalisation condolence for one stay: every union member, enrolled or not."""
    t = _Trace()
    if not t.add(
        ctx.is_union_member,
        "工会会员" if ctx.is_union_member else "不是工会会员",
        "a union member" if ctx.is_union_member else "not a union member",
    ):
        return t.refuse()
    if terms.min_days and not t.add(
        stay.days >= terms.min_days,
        f"住院 {stay.days} 天，{'达到' if stay.days >= terms.min_days else '不足'}"
        f"最短 {terms.min_days} 天",
        f"{stay.days} day(s) in hospital, "
        f"{'at least' if stay.days >= terms.min_days else 'fewer than'} "
        f"the minimum of {terms.min_days}",
    ):
        return t.refuse()
    if terms.per_year and not t.add(
        ctx.earlier_this_year < terms.per_year,
        f"{stay.admitted.year} 年已慰问 {ctx.earlier_this_year} 次，每年最多 {terms.per_year} 次",
        f"{ctx.earlier_this_year} condolence(s) in {stay.admitted.year}, "
        f"at most {terms.per_year} a year",
    ):
        return t.refuse()
    if terms.only_without_claim and not t.add(
        not ctx.claim_pays,
        "本区规定：住院已获互助保障给付的，不再发放慰问金"
        if ctx.claim_pays
        else "本次住院无互助保障给付",
        "district rule: no condolence for a stay a plan claim pays"
        if ctx.claim_pays
        else "no plan claim pays for this stay",
    ):
        return t.refuse()
    amount = to_fen(terms.amount)
    t.add(
        True,
        f"工会会员住院慰问金 {yuan(amount)} 元",
        f"union member hospital condolence {yuan(amount)}",
    )
    return Decision(True, amount, tuple(t.lines))
