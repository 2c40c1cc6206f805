"""Periods are computed from the calendar: lunar festivals move every year."""

import datetime as dt

import pytest

from unionaid.core.errors import DomainError
from unionaid.core.periods import parse_period


@pytest.mark.parametrize(
    ("code", "kind", "start", "end", "judged"),
    [
        ("2021-spring-festival", "festival", "2021-01-13", "2021-02-26", "2021-02-12"),
        ("2027-spring-festival", "festival", "2027-01-07", "2027-02-20", "2027-02-06"),
        ("2026-mid-autumn", "festival", "2026-09-10", "2026-09-25", "2026-09-25"),
        ("2027-Q4", "quarter", "2027-10-01", "2027-12-31", "2027-10-01"),
        ("2028-02", "month", "2028-02-01", "2028-02-29", "2028-02-01"),
        ("2027", "year", "2027-01-01", "2027-12-31", "2027-01-01"),
    ],
)
def test_periods(code, kind, start, end, judged):
    period = parse_period(code)
    assert (period.kind, period.start, period.end, period.judged_on) == (
        kind,
        dt.date.fromisoformat(start),
        dt.date.fromisoformat(end),
        dt.date.fromisoformat(judged),
    )


@pytest.mark.parametrize(
    "code", ["2027-13", "2027-Q5", "27-03", "spring", "", "3000", "2027-02-01"]
)
def test_bad_periods(code):
    with pytest.raises(DomainError) as refused:
        parse_period(code)
    assert refused.value.code.value == "INVALID_PERIOD"


@pytest.mark.parametrize(
    ("text", "code", "occurrence"),
    [
        (" 2027-q1 ", "2027-Q1", "2027-Q1"),
        ("2027-Spring-Festival", "2027-spring-festival", "spring-festival:2027"),
        ("2026-MID-AUTUMN", "2026-mid-autumn", "mid-autumn:2026"),
        ("2027-03", "2027-03", "2027-03"),
        ("2027", "2027", "2027"),
    ],
)
def test_codes_are_stored_canonical_and_name_their_occurrence(text, code, occurrence):
    period = parse_period(text)
    assert (period.code, period.occurrence) == (code, occurrence)
