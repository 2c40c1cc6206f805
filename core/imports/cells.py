"""Reading one cell of a register: the spellings Chinese registers and Excel actually use."""

from __future__ import annotations

import datetime as dt
import re
from enum import StrEnum
from typing import TypeVar

from unionaid.core.errors import Words, one_of

E = TypeVar("E", bound=StrEnum)

_TRUE = {"t", "true", "1", "y", "yes", "是", "会员"}
_FALSE = {"f", "false", "0", "n", "no", "否", "非会员"}
_GENDER = {
    "m": "male",
    "male": "male",
    "男": "male",
    "f": "female",
    "female": "female",
    "女": "female",
}
# The spellings accepted, named in error messages (data, the same in both languages)
BOOLEANS_ZH = "t/f、true/false、1/0 或 是/否"
BOOLEANS_EN = "t/f, true/false, 1/0 or 是/否"
GENDERS = ("M/F", "男/女")
_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def boolean(text: str) -> bool:
    value = text.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(Words(f"应为 {BOOLEANS_ZH}", f"expected {BOOLEANS_EN}"))


def gender(text: str) -> str:
    try:
        return _GENDER[text.strip().lower()]
    except KeyError:
        raise ValueError(
            Words(f"应为 {GENDERS[0]} 或 {GENDERS[1]}", f"expected {GENDERS[0]} or {GENDERS[1]}")
        ) from None


def date(text: str) -> dt.date:
    match = _DATE.fullmatch(text.strip())
    if not match:
        raise ValueError(Words("应为 YYYY-MM-DD", "expected YYYY-MM-DD"))
    return dt.date(int(match[1]), int(match[2]), int(match[3]))  # ValueError if no such day


def whole(text: str, low: int, high: int) -> int:
    expected = Words(f"应为 {low} 至 {high} 的整数", f"expected a whole number {low}..{high}")
    try:
        value = int(text.strip())
    except ValueError:
        raise ValueError(expected) from None
    if not low <= value <= high:
        raise ValueError(expected)
    return value


def choice(enum: type[E], text: str, aliases: dict[str, str] | None = None) -> E:
    value = text.strip().lower()
    value = (aliases or {}).get(value, value)
    try:
        return enum(value)
    except ValueError:
        raise ValueError(one_of([e.value for e in enum])) from None
