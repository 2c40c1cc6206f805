"""Benefit rules: what a program contributes to decide who is paid how much, and why.

The campaign machinery that runs rules (evaluation, approval, payment) lives in the core and
arrives with the money issue; this module fixes the shape a rule has, so plugins can be written
against it now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, Protocol

from pydantic import BaseModel


class Schedule(StrEnum):
    ONE_OFF = "one_off"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"
    FESTIVAL = "festival"


class Unit(StrEnum):
    MEMBER = "member"  # paid once per member
    HOUSEHOLD = "household"  # paid once per household, whoever in it is registered


@dataclass(frozen=True)
class Condition:
    """One condition of a decision, with its outcome in words."""

    passed: bool
    zh: str
    en: str


@dataclass(frozen=True)
class Decision:
    eligible: bool
    amount: Decimal
    conditions: list[Condition]
    facts: dict[str, Any] = field(default_factory=dict)  # the facts the rule looked at
    settings: dict[str, Any] = field(default_factory=dict)  # the settings values it used


class BenefitRule(Protocol):
    """What ``register_rules`` returns a list of."""

    code: str  # unique within the program, e.g. "spring_festival"
    name: str  # Chinese
    name_en: str
    schedule: Schedule
    unit: Unit

    def evaluate(self, facts: Any, settings: BaseModel, on: dt.date) -> Decision:
        """Decide for one member (``facts``) under a district's ``settings`` on day ``on``."""
        ...
