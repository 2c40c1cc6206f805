"""Dates are judged in Asia/Shanghai. Rules receive "today" as an argument; only the edges of the
system (CLI, request handling) ask the clock, through this one function."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
# What services and jobs are given instead of reading the machine's clock: a function returning
# an aware UTC datetime (``JobContext.clock``; the app's ``clock``; tests pass a fixed one).
Clock = Callable[[], dt.datetime]


def fixed_clock(at: dt.datetime) -> Clock:
    """A clock that always answers ``at`` (aware): for tests and for replaying a day."""
    if at.tzinfo is None:
        raise ValueError("a clock answers aware datetimes")
    return lambda: at


def today_in_shanghai(now: dt.datetime | None = None) -> dt.date:
    now = now or dt.datetime.now(dt.UTC)
    return now.astimezone(SHANGHAI).date()
