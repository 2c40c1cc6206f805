"""Dates are judged in Asia/Shanghai. Rules receive "today" as an argument; only the edges of the
system (CLI, request handling) ask the clock, through this one function."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today_in_shanghai(now: dt.datetime | None = None) -> dt.date:
    now = now or dt.datetime.now(dt.UTC)
    return now.astimezone(SHANGHAI).date()
