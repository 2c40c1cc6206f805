"""What a plan's coverage parameters may hold: the keys the assessment reads
(``claim_terms.plan_terms``), each of its kind. A plan is published once and read by every
claim of its year, so nonsense is refused when it is published (INVALID_INPUT, naming the key),
never met later by an assessment."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from unionaid.core import Code, DomainError, Words
from unionaid.plugins.mutualaid.services.assessment import HospitalMode

MONEY, RATIO, MODE, CATEGORIES, GRADES = "money", "ratio", "mode", "categories", "grades"

# Per coverage: key -> kind. Money is per share, yuan as text.
KEYS: dict[str, dict[str, str]] = {
    "hospital": {
        "mode": MODE,
        "daily_amount": MONEY,
        "deductible": MONEY,
        "ratio": RATIO,
        "cap_per_stay": MONEY,
    },
    "critical_illness": {"amount": MONEY, "categories": CATEGORIES},
    "accident": {
        "death": MONEY,
        "amount": MONEY,  # what plans published before 'death' was checked hold: the same
        "grade_ratios": GRADES,
        "medical_ratio": RATIO,
        "medical_cap": MONEY,
    },
}
GRADE_RANGE = range(1, 11)


def _bad(key: str) -> DomainError:
    return DomainError(
        Code.INVALID_INPUT,
        "coverages",
        detail=Words(f"保障参数 {key} 不正确", f"coverage parameter {key} is not valid"),
    )


def _decimal(value: Any, key: str) -> Decimal:
    # Text or an integer only: a JSON float has already lost its exact value.
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise _bad(key)
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        raise _bad(key) from None
    # Bounded before any quantize: 1e309 would overflow the context.
    if not number.is_finite() or not 0 <= number < Decimal("100000000"):
        raise _bad(key)
    return number


def _money(value: Any, key: str) -> str:
    number = _decimal(value, key)
    if number != number.quantize(Decimal("0.01")):
        raise _bad(key)
    return f"{number:.2f}"


def _ratio(value: Any, key: str) -> str:
    number = _decimal(value, key)
    if number > 1 or number.as_tuple().exponent < -4:
        raise _bad(key)
    return str(number)


def _checked(kind: str, value: Any, key: str) -> Any:
    if kind == MONEY:
        return _money(value, key)
    if kind == RATIO:
        return _ratio(value, key)
    if kind == MODE:
        if value not in {m.value for m in HospitalMode}:
            raise _bad(key)
        return value
    if kind == CATEGORIES:
        if not isinstance(value, list) or not value:
            raise _bad(key)
        if not all(isinstance(c, str) and c.strip() and len(c) <= 50 for c in value):
            raise _bad(key)
        return [c.strip() for c in value]
    if not isinstance(value, dict) or not value:  # GRADES
        raise _bad(key)
    grades = {}
    for grade, ratio in value.items():
        if not (str(grade).isdigit() and int(grade) in GRADE_RANGE):
            raise _bad(key)
        grades[str(int(grade))] = _ratio(ratio, key)
    return grades


def checked_overrides(coverage: str, overrides: Any) -> dict[str, Any]:
    """A coverage's parameter overrides, each checked and normalised (money "40.00")."""
    if overrides is None:
        return {}
    if not isinstance(overrides, dict):
        raise _bad(coverage)
    allowed = KEYS[coverage]
    out = {}
    for key, value in overrides.items():
        if key not in allowed:
            raise _bad(str(key)[:40])
        out[key] = _checked(allowed[key], value, key)
    return out
