"""National identifiers: resident ID numbers (GB 11643-1999), credit codes (GB 32100-2015), phones.

Checks are strict on purpose: full-width digits, a lowercase ``x`` and surrounding spaces are
refused rather than silently repaired, so what is stored is exactly what the document says.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"  # indexed by weighted sum mod 11
_ID_SHAPE = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)

_USCC_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # no I, O, S, V, Z
_USCC_WEIGHTS = tuple(pow(3, i, 31) for i in range(17))
_USCC_SHAPE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}", re.ASCII)

_PHONE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)


@dataclass(frozen=True, slots=True)
class ResidentId:
    number: str
    birth_date: dt.date
    gender: str  # "male" | "female": the 17th digit is odd for men

    @property
    def masked(self) -> str:
        return mask_id_number(self.number)


def parse_id_number(value: str) -> ResidentId | None:
    """The parsed ID, or None when it is not a valid 18-character resident ID number."""
    if not isinstance(value, str) or not _ID_SHAPE.fullmatch(value):
        return None
    total = sum(int(c) * w for c, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        return None
    try:
        born = dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return None
    if born.year < 1900:
        return None
    return ResidentId(value, born, "male" if int(value[16]) % 2 else "female")


def mask_id_number(value: str) -> str:
    """First 3 + 11 stars + last 4, e.g. ``320***********1234``."""
    return value[:3] + "*" * (len(value) - 7) + value[-4:]


def mask_phone(value: str | None) -> str | None:
    """First 3 + last 4 digits: 139****1234."""
    if not value:
        return value
    return value[:3] + "*" * (len(value) - 7) + value[-4:] if len(value) > 7 else "*" * len(value)


def is_valid_uscc(value: str) -> bool:
    """GB 32100-2015: 18 characters from the 31-character alphabet and a MOD 31 check character."""
    if not isinstance(value, str) or not _USCC_SHAPE.fullmatch(value):
        return False
    total = sum(_USCC_CHARS.index(c) * w for c, w in zip(value[:17], _USCC_WEIGHTS, strict=True))
    return _USCC_CHARS[(31 - total % 31) % 31] == value[17]


def is_valid_phone(value: str) -> bool:
    """A mainland mobile number: 11 ASCII digits starting 13-19."""
    return isinstance(value, str) and bool(_PHONE.fullmatch(value))


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))
