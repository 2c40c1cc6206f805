"""Checks every way in (the API, the import, plugins) shares, so they accept and refuse the same
values; and ``Problems``, which collects every problem of an input before failing, so a form shows
all its errors at once."""

from __future__ import annotations

import datetime as dt
import os
import unicodedata
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum
from typing import Any

from unionaid.core.errors import Code, DomainError, DomainErrors, Words


class TextKind(Enum):
    NAME = "name"  # a person's or an enterprise's name: one line, NFC, one kind of middle dot
    LINE = "line"  # any other one-line text: a memo, a school, a fund's name
    NOTE = "note"  # a reason or a note: line breaks and tabs allowed


# The middle dot of ethnic-minority names (阿卜杜拉·艾尼) is U+00B7; these look-alikes are what
# input methods and other registers type instead.
_MIDDLE_DOTS = str.maketrans(dict.fromkeys("\u2022\u30fb\uff65\u2027", "\u00b7"))
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_LINE_BREAKS = frozenset("\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029")
_NOTE_WHITESPACE = frozenset("\n\r\t")

CONTROL = Words("控制字符", "control character")
LINE_BREAK = Words("换行符", "line break")
BIDI = Words("双向文本控制符", "bidirectional override")
ZERO_WIDTH = Words("零宽字符", "zero-width character")
BOM = Words("字节顺序标记", "byte order mark")
SURROGATE = Words("孤立代理码位", "lone surrogate")


def _forbidden(char: str, kind: TextKind) -> Words | None:
    """The class of a character the text may not hold, or None."""
    if kind is TextKind.NOTE and char in _NOTE_WHITESPACE:
        return None
    if char in _LINE_BREAKS:
        return LINE_BREAK
    if char == "\ufeff":
        return BOM
    if char in _BIDI:
        return BIDI
    category = unicodedata.category(char)
    if category == "Cs":
        return SURROGATE
    if category == "Cc":
        return CONTROL
    if category == "Cf":  # ZWSP, ZWJ, word joiner, soft hyphen…: invisible in any case
        return ZERO_WIDTH
    return None


def forbidden_in(value: str, kind: TextKind = TextKind.NOTE) -> Words | None:
    """The class of the first character ``value`` may not hold as ``kind``, or None."""
    for char in value:
        found = _forbidden(char, kind)
        if found is not None:
            return found
    return None


def screen(value: Any, field: str | None = None) -> None:
    """Refuse (``INVALID_TEXT``) any text in a nested input that no field may hold, line breaks
    aside: a NUL or a lone surrogate never reaches the database, whatever the field."""
    if isinstance(value, str):
        found = forbidden_in(value)
        if found is not None:
            raise DomainError(Code.INVALID_TEXT, field, kind=found)
    elif isinstance(value, dict):
        for key, item in value.items():
            screen(item, key)
    elif isinstance(value, list | tuple):
        for item in value:
            screen(item, field)


def clean_text(
    value: str | None,
    field: str | None,
    *,
    max_length: int,
    kind: TextKind = TextKind.LINE,
    required: bool = False,
) -> str | None:
    """The text as it is stored (trimmed, NFC; a name's middle dots unified), or a DomainError:
    ``REQUIRED``, ``INVALID_TEXT`` naming the class of the first forbidden character,
    ``FORMULA_NOT_ALLOWED`` (``=…``, as the import refuses it) or ``TEXT_TOO_LONG``.
    An optional text that is ``None`` or blank comes back as it was given."""
    if value is None or not value.strip():
        if required:
            raise DomainError(Code.REQUIRED, field)
        return value
    text = value.strip()  # surrounding whitespace is trimmed (as the import trims cells)
    found = forbidden_in(text, kind)  # before normalising: NFC must not hide what was sent
    if found is not None:
        raise DomainError(Code.INVALID_TEXT, field, kind=found)
    text = unicodedata.normalize("NFC", text)
    if kind is TextKind.NAME:
        text = text.translate(_MIDDLE_DOTS)
    if text.startswith("="):
        raise DomainError(Code.FORMULA_NOT_ALLOWED, field)
    if len(text) > max_length:
        raise DomainError(Code.TEXT_TOO_LONG, field, max=max_length)
    return text


def max_length(model: Any, field: str) -> int:
    """The column's own limit, so a check never drifts from the schema."""
    return model._meta.fields_map[field].max_length


def _date_setting(env: dict[str, str], name: str, default: str) -> dt.date:
    return dt.date.fromisoformat(env.get(name) or default)


def _money_setting(env: dict[str, str], name: str, default: str) -> Decimal:
    return Decimal(env.get(name) or default)


@dataclass(frozen=True)
class Plausibility:
    """Bounds on register values, from the environment:

    ``UNIONAID_BIRTH_DATE_FLOOR``   earliest birth date accepted (default 1900-01-01)
    ``UNIONAID_INCOME_HARD_MAX``    a monthly income above it is refused (default 200000.00: a
                                    typo in fen or a yearly figure, never a worker's month)
    ``UNIONAID_INCOME_SOFT_MAX``    above it an import warns (default 50000.00)"""

    birth_date_floor: dt.date = dt.date(1900, 1, 1)
    income_hard_max: Decimal = Decimal("200000.00")
    income_soft_max: Decimal = Decimal("50000.00")

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Plausibility:
        env = dict(os.environ if env is None else env)
        return cls(
            _date_setting(env, "UNIONAID_BIRTH_DATE_FLOOR", "1900-01-01"),
            _money_setting(env, "UNIONAID_INCOME_HARD_MAX", "200000.00"),
            _money_setting(env, "UNIONAID_INCOME_SOFT_MAX", "50000.00"),
        )

    def check_birth_date(self, born: dt.date, today: dt.date, field: str | None) -> None:
        """Refuse a birth date in the future (judged on ``today``, Asia/Shanghai) or before the
        floor, with a message naming the date."""
        if born > today or born < self.birth_date_floor:
            raise DomainError(
                Code.IMPLAUSIBLE_BIRTH_DATE,
                field,
                date=born.isoformat(),
                floor=self.birth_date_floor.isoformat(),
                today=today.isoformat(),
            )

    def check_income(self, amount: Decimal | None, field: str | None = None) -> Decimal | None:
        """The amount, or INCOME_TOO_HIGH above the hard bound."""
        if amount is not None and amount > self.income_hard_max:
            raise DomainError(Code.INCOME_TOO_HIGH, field, amount=amount, max=self.income_hard_max)
        return amount

    def income_is_unusual(self, amount: Decimal | None) -> bool:
        return amount is not None and amount > self.income_soft_max


class Problems:
    def __init__(self) -> None:
        self.errors: list[DomainError] = []

    def add(self, code: Code, field: str | None = None, **params: Any) -> None:
        self.errors.append(DomainError(code, field, **params))

    def require(self, value: Any, field: str) -> bool:
        if value is None or (isinstance(value, str) and not value.strip()):
            self.add(Code.REQUIRED, field)
            return False
        return True

    def text(self, value: str | None, field: str, **rules: Any) -> str | None:
        """``clean_text``, its refusal collected with the others."""
        try:
            return clean_text(value, field, **rules)
        except DomainError as err:
            self.errors.append(err)
            return value

    def check(self, check: Any, *args: Any) -> None:
        """Run a check that raises DomainError, collecting its refusal."""
        try:
            check(*args)
        except DomainError as err:
            self.errors.append(err)

    def about(self, field: str) -> bool:
        """Whether ``field`` already has a problem (then look-ups by it are skipped)."""
        return any(err.field == field for err in self.errors)

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise DomainErrors(self.errors)
