"""Program enablement and the caller's scope, gated in one place. Plugins never ask "am I
enabled here?" or "may this role see this?": the host attaches :class:`ProgramGate` to every
field they add to core types and :class:`ProgramRootGate` to every root field they add, and
hands their resolvers a :class:`ProgramScope` carrying everything the caller may reach."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.types import Info

from unionaid.core.errors import Code, DomainError, TopLevelError
from unionaid.core.graphql.auth import principal
from unionaid.core.scope import ProgramScope, scope_of


async def program_scope(info: Info, program_id: str) -> ProgramScope:
    """The caller's full scope for ``program_id`` (see :class:`ProgramScope`), from the
    enablement read once per request. Without a principal (only a program's public field runs
    so: see ``auth.Authentication``), the anonymous scope: every district where the program is
    enabled, reads only."""
    if info.context.principal is None:
        return await _anonymous_scope(info, program_id)
    return scope_of(principal(info), info.context.host, program_id, await info.context.enabled())


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
