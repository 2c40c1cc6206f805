"""Benefit rules: what a program contributes to decide who is paid how much, and why.

The campaign machinery that runs rules (evaluation, approval, payment) lives in the core
(:mod:`unionaid.core.services.campaigns`); a program only contributes rules. A rule sees a
member's *facts* — a dict with the core's keys (``member_id``, ``household_id``,
``district_code``, ``age`` on the day judged, ``gender``, ``employment_status``,
``monthly_income`` (Decimal or None), ``is_union_member``, ``household_size``,
``per_capita_income``) plus whatever the program's ``load_member_facts`` hook adds — and the
district's effective settings on that day. It never reads the clock or the database.

A program that ``requires`` others (``ProgramInfo.requires``) also sees the facts they publish
(``ProgramInfo.publishes``) as ``"<id>.<name>"`` (``"hardship.level"``), read in the same
batches as its own. Where a required program is off in the member's district its facts are
absent; :func:`program_off` turns that into the condition that says so.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from enum import StrEnum
from types import MappingProxyType
from typing import Any, NamedTuple, Protocol

from pydantic import BaseModel


class Schedule(StrEnum):
    """How often a rule pays, which decides the periods a campaign of it may use and what "paid
    once" means (see :mod:`unionaid.core.schedules`)."""

    ONE_OFF = "one_off"  # once per key the rule or the caller declares, whatever the period
    MONTHLY = "monthly"  # once a month: periods like 2027-03
    QUARTERLY = "quarterly"  # 2027-Q1
    ANNUAL = "annual"  # 2027
    FESTIVAL = "festival"  # once a festival: the rule's ``festival`` (2027-spring-festival)
    TERM = "term"  # once a school term: 2027-spring-term, 2027-autumn-term
    # once a period of a kind a program adds and the city dates (the rule's ``period_kind``)
    DATED = "dated"


class Unit(StrEnum):
    MEMBER = "member"  # paid once per member
    HOUSEHOLD = "household"  # paid once per household, whoever in it is registered


class Condition(NamedTuple):
    """One condition of a decision, with its outcome in words."""

    passed: bool
    zh: str
    en: str


NOTHING_USED: Mapping[str, Any] = MappingProxyType({})


class Decision(NamedTuple):
    """A rule's decision for one member. (Named tuples, as :class:`Condition`: a campaign
    makes one per candidate, and a tuple is made several times faster than a frozen
    dataclass.)"""

    eligible: bool
    amount: Decimal
    conditions: Sequence[Condition]
    facts: Mapping[str, Any] = NOTHING_USED  # the facts the rule looked at (all when empty)
    settings: Mapping[str, Any] = NOTHING_USED  # the settings values it used (all when empty)


class BenefitRule(Protocol):
    """What ``register_rules`` returns a list of."""

    code: str  # unique within the program, e.g. "spring_festival"
    name: str  # Chinese
    name_en: str
    schedule: Schedule
    unit: Unit
    # A FESTIVAL rule also says which festival it pays (``periods.FESTIVALS``), e.g.
    # ``festival = "spring-festival"``. A ONE_OFF rule may say what it pays once for, from a
    # member's facts: ``def occurrence(self, facts) -> str`` (e.g. ``f"child:{id}"``); without
    # it, once ever ("once").

    def evaluate(self, facts: dict[str, Any], settings: BaseModel, on: dt.date) -> Decision:
        """Decide for one member (``facts``) under a district's ``settings`` on day ``on``."""
        ...


# The facts key holding the required programs that are off in the member's district:
# {program id: (name, English name)}. Present only for programs that require others.
PROGRAMS_OFF = "programs_off"


def program_off(facts: Mapping[str, Any], program_id: str) -> Condition | None:
    """The failed condition "program not enabled" when ``program_id`` — one the judging
    program ``requires`` — is off in the member's district (its facts are then absent), or None
    when it is on. A rule checks it before reading that program's facts::

        if (off := program_off(facts, "hardship")) is not None:
            return Decision(False, ZERO, [off])
    """
    names = facts.get(PROGRAMS_OFF, {}).get(program_id)
    if names is None:
        return None
    return Condition(False, f"{names[0]}项目未启用", f"program not enabled: {names[1]}")


def candidates(rule: Any, settings: BaseModel) -> dict[str, Any]:
    """The rule's database-side pre-filter: Member queryset filters (e.g.
    ``{"monthly_income__lt": settings.ceiling}``) that every eligible member passes, so a
    campaign evaluates only candidates in Python. Optional: a rule without ``candidates``
    sees every active member of the district."""
    method = getattr(rule, "candidates", None)
    return dict(method(settings)) if method is not None else {}
