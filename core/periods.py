"""Named payment periods and their dates, computed from the calendar.

    2027-03               a month
    2027-Q1               a quarter
    2027                  a year
    2027-spring-festival  春节: the campaign window runs from 30 days before the lunar new year
                          to the Lantern Festival (正月十五); members are judged on new year's day
    2027-mid-autumn       中秋: from 15 days before the 15th of the 8th lunar month to that day
    2027-spring-term      a school term: its dates are a setting (``setSchoolTerm``), since
    2027-autumn-term      education authorities fix them; judged on the term's first day

Lunar dates come from the ``lunardate`` library, never from a table typed by hand. Everything is
a date in Asia/Shanghai; nothing here reads the clock."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

from lunardate import LunarDate

from unionaid.core.errors import Code, DomainError, Words

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_YEAR = re.compile(r"(\d{4})")
_FESTIVAL = re.compile(r"(\d{4})-(spring-festival|mid-autumn)")
TERM = re.compile(r"(\d{4})-(spring|autumn)-term")
FIRST_YEAR, LAST_YEAR = 1950, 2099  # what the lunar tables cover with margin


@dataclass(frozen=True)
class Period:
    code: str
    kind: str  # month, quarter, year or festival
    start: dt.date
    end: dt.date  # inclusive
    judged_on: dt.date  # the day ages and statuses are judged

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


def _lunar(year: int, month: int, day: int) -> dt.date:
    return LunarDate(year, month, day).to_solar_date()


def parse_period(text: str, field: str = "period") -> Period:
    """The period named by ``text``; INVALID_PERIOD (a userErrors entry) otherwise."""
    code = (text or "").strip()
    try:
        if match := _QUARTER.fullmatch(code):
            year, quarter = int(match[1]), int(match[2])
            start = dt.date(year, 3 * quarter - 2, 1)
            last_month = 3 * quarter
            end = dt.date(year, last_month, calendar.monthrange(year, last_month)[1])
            period = Period(code, "quarter", start, end, start)
        elif match := _MONTH.fullmatch(code):
            year, month = int(match[1]), int(match[2])
            end = dt.date(year, month, calendar.monthrange(year, month)[1])
            period = Period(code, "month", dt.date(year, month, 1), end, dt.date(year, month, 1))
        elif match := _FESTIVAL.fullmatch(code):
            year, name = int(match[1]), match[2]
            if name == "spring-festival":
                day = _lunar(year, 1, 1)
                period = Period(
                    code, "festival", day - dt.timedelta(days=30), _lunar(year, 1, 15), day
                )
            else:
                day = _lunar(year, 8, 15)
                period = Period(code, "festival", day - dt.timedelta(days=15), day, day)
        elif match := _YEAR.fullmatch(code):
            year = int(match[1])
            period = Period(
                code, "year", dt.date(year, 1, 1), dt.date(year, 12, 31), dt.date(year, 1, 1)
            )
        else:
            raise ValueError(code)
    except ValueError:
        raise DomainError(Code.INVALID_PERIOD, field, period=code) from None
    if not FIRST_YEAR <= period.start.year <= LAST_YEAR:
        raise DomainError(Code.INVALID_PERIOD, field, period=code)
    return period


async def resolve_period(text: str, field: str = "period") -> Period:
    """Like :func:`parse_period`, and school terms from their stored dates."""
    code = (text or "").strip()
    if TERM.fullmatch(code):
        from unionaid.core.models import SchoolTerm

        term = await SchoolTerm.get_or_none(code=code)
        if term is None:
            raise DomainError(
                Code.INVALID_PERIOD,
                field,
                period=Words(f"{code}（未设定日期）", f"{code} (dates not set)"),
            )
        return Period(code, "term", term.start, term.end, term.judged_on)
    return parse_period(code, field)


def period_kind(code: str) -> str:
    return "term" if TERM.fullmatch(code) else parse_period(code).kind


async def set_school_term(code: str, start, end, actor_name: str) -> Period:
    from unionaid.core.models import SchoolTerm

    if not TERM.fullmatch(code or ""):
        raise DomainError(Code.INVALID_PERIOD, "code", period=code)
    if end < start or start.year != int(code[:4]):
        raise DomainError(
            Code.INVALID_INPUT,
            "end",
            detail=Words("学期须在其年份内开始", "the term must start in its year"),
        )
    await SchoolTerm.update_or_create(
        defaults={"start": start, "end": end, "judged_on": start, "updated_by": actor_name},
        code=code,
    )
    return Period(code, "term", start, end, start)
