"""Who is asking. Every request carries a principal; the identity issue fills it from tokens."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    user_id: int | None
    username: str
    roles: frozenset[str]
    district_codes: frozenset[str] | None  # None: every district (the city federation)
    enterprise_ids: frozenset[int]
    request_id: str

    @classmethod
    def system(cls, request_id: str, username: str = "system") -> Principal:
        """Full access. Used until authentication lands, and by CLI maintenance commands."""
        return cls(None, username, frozenset({"city_admin"}), None, frozenset(), request_id)

    def sees_district(self, code: str) -> bool:
        return self.district_codes is None or code in self.district_codes
