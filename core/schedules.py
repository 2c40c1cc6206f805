"""What a rule's schedule allows and what "paid once" means for it.

A campaign of a rule may use only the periods its schedule names (a Spring Festival rule only
``YYYY-spring-festival``), and a beneficiary is paid once per *occurrence*: the festival of a
lunar year, the quarter, the month, the year or the term of the period — never the string a
caller typed. A one-off rule pays once per key it (or the caller adding an entitlement)
declares — once ever, once per child, once per hospital stay, once per visit — whatever the
period, which then only dates its campaign."""

from __future__ import annotations

from typing import Any

from unionaid.core.errors import Code, DomainError, Words
from unionaid.core.periods import FESTIVALS, Period, invalid, occurrence_of
from unionaid.core.rules import Schedule

# The period kind each calendar schedule accepts, and how a refusal names it.
KINDS = {
    Schedule.MONTHLY: ("month", Words("月份（如 2027-03）", "a month (e.g. 2027-03)")),
    Schedule.QUARTERLY: ("quarter", Words("季度（如 2027-Q1）", "a quarter (e.g. 2027-Q1)")),
    Schedule.ANNUAL: ("year", Words("年度（如 2027）", "a year (e.g. 2027)")),
    Schedule.TERM: (
        "term",
        Words(
            "学期（如 2027-spring-term、2027-autumn-term）",
            "a school term (e.g. 2027-spring-term, 2027-autumn-term)",
        ),
    ),
}
FESTIVAL_WORDS = {
    "spring-festival": Words(
        "春节（如 2027-spring-festival）", "the Spring Festival (e.g. 2027-spring-festival)"
    ),
    "mid-autumn": Words(
        "中秋（如 2027-mid-autumn）", "the Mid-Autumn Festival (e.g. 2027-mid-autumn)"
    ),
}
ONCE = "once"  # a one-off rule's key when it declares none: once ever


def schedule_of(rule: Any) -> Schedule:
    return Schedule(getattr(rule.schedule, "value", rule.schedule))


def check_rule(rule: Any) -> str | None:
    """What is wrong with a rule's schedule (for the host to refuse it at startup), or None."""
    try:
        schedule = schedule_of(rule)
    except ValueError:
        return f"rule {rule.code}: unknown schedule {rule.schedule!r}"
    festival = getattr(rule, "festival", None)
    if schedule is Schedule.FESTIVAL and festival not in FESTIVALS:
        return f"rule {rule.code}: a festival rule names its festival, one of {FESTIVALS}"
    if schedule is Schedule.DATED and not isinstance(getattr(rule, "period_kind", None), str):
        return f"rule {rule.code}: a dated rule names its period_kind (register_period_kinds)"
    return None


def rule_period_kind(rule: Any) -> str | None:
    """The program period kind a ``DATED`` rule pays per (``holiday-season``), else None."""
    return rule.period_kind if schedule_of(rule) is Schedule.DATED else None


def require_period(rule: Any, period: Period, field: str = "period") -> None:
    """INVALID_PERIOD, naming what the rule accepts, unless its schedule allows ``period``."""
    schedule = schedule_of(rule)
    if schedule is Schedule.ONE_OFF:
        return
    if schedule is Schedule.FESTIVAL:
        if period.festival != rule.festival:
            raise invalid(period.code, field, FESTIVAL_WORDS[rule.festival])
        return
    if schedule is Schedule.DATED:
        if period.kind != rule.period_kind:
            raise invalid(period.code, field, dated_words(rule.period_kind))
        return
    kind, words = KINDS[schedule]
    if period.kind != kind:
        raise invalid(period.code, field, words)


def dated_words(kind: str) -> Words:
    return Words(
        f"市里已设定日期的期间（如 2027-{kind}）",
        f"a period whose dates the city has set (e.g. 2027-{kind})",
    )


def accepts(rule: Any, period: Period) -> bool:
    try:
        require_period(rule, period)
    except DomainError:
        return False
    return True


def is_one_off(rule: Any) -> bool:
    return schedule_of(rule) is Schedule.ONE_OFF


def occurrence(rule: Any, period_code: str) -> str | None:
    """The occurrence a calendar rule pays once per in ``period_code`` (already canonical and
    allowed); None for a one-off rule, whose occurrence is per beneficiary (:func:`key_of`)."""
    return None if is_one_off(rule) else occurrence_of(period_code)


def key_of(rule: Any, facts: dict[str, Any]) -> str:
    """A one-off rule's occurrence for a member: what the rule declares, else once ever."""
    method = getattr(rule, "occurrence", None)
    return str(method(facts)) if method is not None else ONCE


def require_key(key: str, field: str = "occurrence") -> str:
    """A caller-given occurrence key: 1 to 64 characters."""
    key = (key or "").strip()
    if not key or len(key) > 64:
        raise DomainError(
            Code.INVALID_INPUT,
            field,
            detail=Words("键须为 1 至 64 个字符", "a key of 1 to 64 characters"),
        )
    return key
