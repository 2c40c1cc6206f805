"""Named payment periods and their dates, computed from the calendar.

    2027-03               a month
    2027-Q1               a quarter
    2027                  a year
    2027-spring-festival  春节: the campaign window runs from 30 days before the lunar new year
                          to the Lantern Festival (正月十五); members are judged on new year's day
    2027-mid-autumn       中秋: from 15 days before the 15th of the 8th lunar month to that day
    2027-spring-term      a school term: its dates are a setting (``setSchoolTerm``), since
    2027-autumn-term      education authorities fix them; judged on the term's first day

Codes are read case-insensitively and stored in the canonical form above (``2027-q1`` is
``2027-Q1``), so one period has one code.

Lunar dates come from the ``lunardate`` library, never from a table typed by hand. Everything is
a date in Asia/Shanghai; nothing here reads the clock."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Collection
from dataclasses import dataclass

from lunardate import LunarDate

from unionaid.core.errors import Code, DomainError, Words

_MONTH = re.compile(r"(\d{4})-(\d{2})")
_QUARTER = re.compile(r"(\d{4})-Q([1-4])")
_YEAR = re.compile(r"(\d{4})")
_FESTIVAL = re.compile(r"(\d{4})-(spring-festival|mid-autumn)")
TERM = re.compile(r"(\d{4})-(spring|autumn)-term")
FIRST_YEAR, LAST_YEAR = 1950, 2099  # what the lunar tables cover with margin
ANY_PERIOD = Words(
    " 2027-03、2027-Q1、2027、2027-spring-festival、2027-mid-autumn 或 2027-autumn-term",
    "2027-03, 2027-Q1, 2027, 2027-spring-festival, 2027-mid-autumn or 2027-autumn-term",
)


@dataclass(frozen=True)
class Period:
    code: str
    kind: str  # month, quarter, year, festival or term
    start: dt.date
    end: dt.date  # inclusive
    judged_on: dt.date  # the day ages and statuses are judged

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    @property
    def festival(self) -> str | None:
        """``spring-festival`` or ``mid-autumn`` for a festival, else None."""
        return self.code[5:] if self.kind == "festival" else None

    @property
    def occurrence(self) -> str:
        return occurrence_of(self.code)


FESTIVALS = ("spring-festival", "mid-autumn")


def occurrence_of(code: str) -> str:
    """What a canonical period code is one of, for "paid once": the festival of a lunar year
    (``spring-festival:2027``), else the quarter, month, year or term itself (its code)."""
    name = code[5:]
    return f"{name}:{code[:4]}" if name in FESTIVALS else code


def canonical(text: str) -> str:
    """A period code as it is stored: trimmed, lower case but for a quarter's ``Q``."""
    code = (text or "").strip().lower()
    return code.upper() if _QUARTER.fullmatch(code.upper()) else code


def invalid(code: str, field: str, accepted: Words = ANY_PERIOD) -> DomainError:
    return DomainError(Code.INVALID_PERIOD, field, period=code, accepted=accepted)


def _lunar(year: int, month: int, day: int) -> dt.date:
    return LunarDate(year, month, day).to_solar_date()


def parse_period(text: str, field: str = "period") -> Period:
    """The period named by ``text``; INVALID_PERIOD (a userErrors entry) otherwise."""
    code = canonical(text)
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
        raise invalid(code, field) from None
    if not FIRST_YEAR <= period.start.year <= LAST_YEAR:
        raise invalid(code, field)
    return period


# What the core names: a program's period kind (``register_period_kinds``) must be another name.
CORE_KINDS = frozenset({"month", "quarter", "year", "festival", "term"})
CORE_LABELS = frozenset({*FESTIVALS, "spring-term", "autumn-term"})
_DATED = re.compile(r"(\d{4})-([a-z]+(?:-[a-z]+)*)")


def dated_kind(code: str, kinds: Collection[str] | None = None) -> str | None:
    """The kind of a city-dated period code (canonical): ``term`` for a school term; for
    ``YYYY-<name>`` the program kind ``name`` when it is one of ``kinds`` (the installed ones,
    ``host.period_kinds()``), or, with ``kinds`` None, whenever the calendar does not know the
    code (a stored campaign's period, already checked). None for the calendar's periods."""
    if TERM.fullmatch(code):
        return "term"
    match = _DATED.fullmatch(code)
    if match is None or match[2] in CORE_LABELS:
        return None
    if kinds is None:
        return match[2]
    return match[2] if match[2] in kinds else None


async def resolve_period(text: str, field: str = "period", kinds: Collection[str] = ()) -> Period:
    """Like :func:`parse_period`, and the periods the city dates from their stored dates:
    school terms, and the program kinds named in ``kinds`` (``host.period_kinds()``)."""
    code = canonical(text)
    kind = dated_kind(code, kinds)
    if kind is not None:
        from unionaid.core.models import SchoolTerm

        term = await SchoolTerm.get_or_none(code=code)
        if term is None:
            raise invalid(code, field, TERM_DATES_UNSET if kind == "term" else DATES_UNSET)
        return Period(code, kind, term.start, term.end, term.judged_on)
    return parse_period(code, field)


TERM_DATES_UNSET = Words(
    "市里已设定日期的学期", "a term whose dates the city has set (setSchoolTerm)"
)
DATES_UNSET = Words(
    "市里已设定日期的期间", "a period whose dates the city has set (setPeriodDates)"
)
CITY_DATED = Words(
    "市里设定日期的期间（如 2027-autumn-term）",
    "a period whose dates the city sets (e.g. 2027-autumn-term)",
)


def period_kind(code: str) -> str:
    """The kind of a stored (already checked) period code."""
    return dated_kind(code) or parse_period(code).kind


async def set_period_dates(
    code: str, start, end, actor_name: str, kinds: Collection[str] = ()
) -> Period:
    """Store the dates of a period the city dates: a school term, or a period of a kind a
    program added (``kinds`` as for :func:`resolve_period`). Judged on its first day."""
    from unionaid.core.models import SchoolTerm

    code = canonical(code)
    kind = dated_kind(code, kinds)
    if kind is None:
        raise invalid(code, "code", CITY_DATED)
    if end < start or start.year != int(code[:4]):
        raise DomainError(
            Code.INVALID_INPUT,
            "end",
            detail=Words("期间须在其年份内开始", "the period must start in its year"),
        )
    await SchoolTerm.update_or_create(
        defaults={"start": start, "end": end, "judged_on": start, "updated_by": actor_name},
        code=code,
    )
    return Period(code, kind, start, end, start)
