"""Where and for whom a program may act: the caller's :class:`ProgramScope`, built from the
principal and the districts where the program is on. Below the GraphQL layer, so a program's
services take a scope and are tested without a request (:func:`program_scope_for`); a resolver
gets the same scope from ``program_scope(info, id)``, which reads enablement once per request."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from unionaid.core.errors import Code, DomainError, TopLevelError, Words
from unionaid.core.models import Member
from unionaid.core.policy import is_enterprise_contact
from unionaid.core.principal import Principal
from unionaid.core.services.programs import enabled_pairs


@dataclass(frozen=True)
class ScopedMember:
    """A member the caller may reach, in a district where the program runs."""

    pk: int
    district_code: str
    enterprise_id: int | None
    household_id: int | None


@dataclass(frozen=True)
class ProgramScope:
    """Where and for whom a program may act in this request.

    ``district_codes``: the caller's districts that have enabled the program (none when the
    program does not serve the caller's role); ``enterprise_ids``: the enterprises an
    enterprise contact stands for (None for everybody else, who is not limited to
    enterprises); ``serves_caller``: whether the program declares the caller's role among those
    it serves (:attr:`ProgramInfo.serves`); ``principal``: who is asking (the actor a service
    records); ``anonymous``: no token, a program's public field (reads only, never members)."""

    program: str
    district_codes: frozenset[str]
    visible: Callable[[str], bool]
    serves_caller: bool = True
    enterprise_ids: frozenset[int] | None = None
    principal: Principal | None = None
    anonymous: bool = False

    def require(self, district_code: str, field: str | None = None) -> None:
        """Refuse an object or mutation in ``district_code`` unless the program runs there for
        the caller.

        FORBIDDEN (a top-level error) when the program does not serve the caller's role;
        NOT_FOUND for districts the caller cannot see (no existence leak); PROGRAM_NOT_ENABLED
        for visible districts that have not enabled the program. In a mutation the last two
        become ``userErrors`` entries; in a query, top-level errors."""
        if not self.serves_caller:
            raise TopLevelError(Code.FORBIDDEN)
        if not self.visible(district_code):
            raise DomainError(Code.NOT_FOUND, field, what=Words("记录", "record"))
        if district_code not in self.district_codes:
            raise DomainError(Code.PROGRAM_NOT_ENABLED, field, program=self.program)

    def districts(self, district_code: str | None = None) -> frozenset[str]:
        """The districts a list covers: the one asked for (checked as :meth:`require` does),
        else every district where the program runs for the caller — silently only those."""
        if district_code is None:
            return self.district_codes
        self.require(district_code, "districtCode")
        return frozenset({district_code})

    def member_filter(self, prefix: str = "", district_code: str | None = None) -> dict[str, Any]:
        """Queryset filters keeping the members this scope reaches; ``prefix`` names the
        relation from the queried model (``"member__"``). Never for an anonymous caller:
        members are personal data, not something a public field may list."""
        if self.anonymous:
            raise TopLevelError(Code.UNAUTHENTICATED)
        scope: dict[str, Any] = {f"{prefix}district_id__in": self.districts(district_code)}
        if self.enterprise_ids is not None:
            scope[f"{prefix}enterprise_id__in"] = self.enterprise_ids
        return scope

    async def member(self, member_id: int | None, field: str = "memberId") -> ScopedMember:
        """The member ``member_id`` (a database id) if the caller may see it, in a district where
        the program runs: NOT_FOUND for a member that does not exist or that the caller cannot
        see (another district, another enterprise), PROGRAM_NOT_ENABLED where the program is
        off; UNAUTHENTICATED for an anonymous caller. One statement."""
        if self.anonymous:
            raise TopLevelError(Code.UNAUTHENTICATED)
        row = None
        if member_id is not None:
            row = (
                await Member.filter(id=member_id)
                .first()
                .values("id", "district_id", "enterprise_id", "household_id")
            )
        if (
            row is None
            or not self.visible(row["district_id"])
            or (self.enterprise_ids is not None and row["enterprise_id"] not in self.enterprise_ids)
        ):
            raise DomainError(Code.NOT_FOUND, field, what=Words("会员", "member"))
        self.require(row["district_id"], field)
        return ScopedMember(
            row["id"], row["district_id"], row["enterprise_id"], row["household_id"]
        )


def scope_of(
    who: Principal, host: Any, program_id: str, enabled: Iterable[tuple[str, str]]
) -> ProgramScope:
    """The scope of ``who`` for ``program_id`` given the (program, district) pairs switched on."""
    program = host.programs.get(program_id)
    serves = program is not None and who.role in program.info.serves
    codes: frozenset[str] = frozenset()
    if serves:
        codes = frozenset(
            district
            for enabled_program, district in enabled
            if enabled_program == program_id and who.sees_district(district)
        )
    enterprises = who.enterprise_ids if is_enterprise_contact(who) else None
    return ProgramScope(program_id, codes, who.sees_district, serves, enterprises, who)


async def program_scope_for(who: Principal, host: Any, program_id: str) -> ProgramScope:
    """The scope of ``who`` for ``program_id``, outside a request (a job, the CLI, a service's
    test): reads enablement (one statement). In a resolver use ``program_scope(info, id)``."""
    return scope_of(who, host, program_id, await enabled_pairs())
