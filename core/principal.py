"""Who is asking. Every request carries a principal, built from its bearer token; CLI commands
build one from ``--as USERNAME``. What a principal may do is decided in :mod:`.policy`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Principal:
    user_id: int | None
    username: str
    role: str
    district_codes: frozenset[str] | None  # None: every district (city-wide roles)
    enterprise_ids: frozenset[int]  # the enterprise role sees only these enterprises' records
    request_id: str

    @classmethod
    def system(cls, request_id: str, username: str = "system") -> Principal:
        """Full access for maintenance code (migrations, the demo loader), never for requests."""
        return cls(None, username, "city_admin", None, frozenset(), request_id)

    def sees_district(self, code: str) -> bool:
        return self.district_codes is None or code in self.district_codes
