"""Collect every problem of an input before failing, so a form shows all its errors at once."""

from __future__ import annotations

from typing import Any

from unionaid.core.errors import Code, DomainError, DomainErrors


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

    def raise_if_any(self) -> None:
        if len(self.errors) == 1:
            raise self.errors[0]
        if self.errors:
            raise DomainErrors(self.errors)
