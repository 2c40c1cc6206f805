"""Program enablement and the caller's scope, gated in one place. Plugins never ask "am I
enabled here?" or "may this role see this?": the host attaches :class:`ProgramGate` to every
field they add to core types and :class:`ProgramRootGate` to every root field they add, and
hands their resolvers a :class:`ProgramScope` carrying everything the caller may reach."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.types import Info

from unionaid.core.errors import Code, DomainError, TopLevelError, Words
from unionaid.core.graphql.auth import principal
from unionaid.core.policy import is_enterprise_contact


@dataclass(frozen=True)
class ProgramScope:
    """Where and for whom a program may act in this request.

    ``district_codes``: the caller's districts that have enabled the program (none when the
    program does not serve the caller's role); ``enterprise_ids``: the enterprises an
    enterprise contact stands for (None for everybody else, who is not limited to
    enterprises); ``serves_caller``: whether the program declares the caller's role among those
    it serves (:attr:`ProgramInfo.serves`)."""

    program: str
    district_codes: frozenset[str]
    visible: Callable[[str], bool]
    serves_caller: bool = True
    enterprise_ids: frozenset[int] | None = None
    anonymous: bool = False  # no token: a program's public field (every enabled district)

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


async def program_scope(info: Info, program_id: str) -> ProgramScope:
    """The caller's full scope for ``program_id`` (see :class:`ProgramScope`). Without a
    principal (only a program's public field runs so: see ``auth.Authentication``), the
    anonymous scope: every district where the program is enabled, reads only."""
    if info.context.principal is None:
        return await _anonymous_scope(info, program_id)
    who = principal(info)
    program = info.context.host.programs.get(program_id)
    serves = program is not None and who.role in program.info.serves
    codes: frozenset[str] = frozenset()
    if serves:
        codes = frozenset(
            district
            for enabled_program, district in await info.context.enabled()
            if enabled_program == program_id and who.sees_district(district)
        )
    enterprises = who.enterprise_ids if is_enterprise_contact(who) else None
    return ProgramScope(program_id, codes, who.sees_district, serves, enterprises)


async def _anonymous_scope(info: Info, program_id: str) -> ProgramScope:
    codes = frozenset(d for p, d in await info.context.enabled() if p == program_id)
    return ProgramScope(program_id, codes, lambda code: True, True, None, anonymous=True)


async def _resolved(result: Any) -> Any:
    return await result if inspect.isawaitable(result) else result


class ProgramGate(FieldExtension):
    """On a field a plugin adds to a core type: null plus PROGRAM_NOT_ENABLED for objects of
    districts that have not enabled the program, FORBIDDEN for roles it does not serve. The
    parent must have ``district_code``."""

    def __init__(self, program_id: str) -> None:
        self.program_id = program_id

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        program = info.context.host.programs.get(self.program_id)
        if program is None or principal(info).role not in program.info.serves:
            raise TopLevelError(Code.FORBIDDEN)
        if (self.program_id, source.district_code) not in await info.context.enabled():
            raise DomainError(Code.PROGRAM_NOT_ENABLED, program=self.program_id)
        return await _resolved(next_(source, info, **kwargs))


class ProgramRootGate(FieldExtension):
    """On every root field (query or mutation) a plugin adds: FORBIDDEN when the program does
    not serve the caller's role, and for an explicit ``districtCode`` argument NOT_FOUND
    outside the caller's districts and PROGRAM_NOT_ENABLED where the program is off — never
    an empty answer that looks like "nothing there"."""

    def __init__(self, program_id: str) -> None:
        self.program_id = program_id

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        scope = await program_scope(info, self.program_id)
        if not scope.serves_caller:
            raise TopLevelError(Code.FORBIDDEN)
        if kwargs.get("district_code") is not None:
            scope.require(kwargs["district_code"], "districtCode")
        return await _resolved(next_(source, info, **kwargs))
