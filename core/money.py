"""Money is Decimal yuan, rounded half-up to the fen; never float."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from typing import Annotated

from pydantic import AfterValidator, PlainSerializer

from unionaid.core.errors import Words

FEN = Decimal("0.01")
ZERO = Decimal("0.00")
MAX_DIGITS = 14  # NUMERIC(14, 2): up to a trillion yuan less a fen
# ASCII digits only, no sign, no exponent, no separators, at most two decimals.
_MONEY = re.compile(r"(0|[1-9][0-9]{0,11})(\.[0-9]{1,2})?", re.ASCII)


def to_fen(amount: Decimal) -> Decimal:
    """Round half-up to two decimals (2.345 -> 2.35)."""
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def parse_money(text: object) -> Decimal | None:
    """A strict money string ("3500", "3500.5", "3500.00") as Decimal, or None if malformed."""
    if not isinstance(text, str) or not _MONEY.fullmatch(text):
        return None
    return to_fen(Decimal(text))


def format_money(amount: Decimal) -> str:
    return f"{to_fen(amount):.2f}"


def _yuan(amount: Decimal) -> Decimal:
    if not amount.is_finite() or amount < 0:
        raise ValueError(Words("应为不小于 0 的金额", "a non-negative amount of yuan"))
    return to_fen(amount)


# Money in plugin settings models: non-negative, rounded half-up to the fen, "3500.00" in JSON.
Yuan = Annotated[
    Decimal,
    AfterValidator(_yuan),
    PlainSerializer(format_money, return_type=str, when_used="json"),
]
