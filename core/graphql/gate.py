"""Program enablement, gated in one place. Plugins never ask "am I enabled here?": the host
attaches :class:`ProgramGate` to every field they add to core types, and hands their own
resolvers a :class:`ProgramScope` naming the districts they may touch."""

from __future__ import annotations

import inspect
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from strawberry.extensions import FieldExtension
from strawberry.types import Info

from unionaid.core.errors import Code, DomainError, Words
from unionaid.core.graphql.auth import principal


@dataclass(frozen=True)
class ProgramScope:
    """The districts where a program may act for this request: the principal's districts that
    have enabled it."""

    program: str
    district_codes: frozenset[str]
    visible: Callable[[str], bool]

    def require(self, district_code: str, field: str | None = None) -> None:
        """Refuse an object or mutation in ``district_code`` unless the program runs there.

        Raises NOT_FOUND for districts the principal cannot see (no existence leak) and
        PROGRAM_NOT_ENABLED for visible districts that have not enabled the program. In a
        mutation this becomes a ``userErrors`` entry; in a query, a top-level error."""
        if not self.visible(district_code):
            raise DomainError(Code.NOT_FOUND, field, what=Words("记录", "record"))
        if district_code not in self.district_codes:
            raise DomainError(Code.PROGRAM_NOT_ENABLED, field, program=self.program)


async def program_scope(info: Info, program_id: str) -> ProgramScope:
    who = principal(info)
    enabled = await info.context.enabled()
    codes = frozenset(
        district
        for program, district in enabled
        if program == program_id and who.sees_district(district)
    )
    return ProgramScope(program_id, codes, who.sees_district)


class ProgramGate(FieldExtension):
    """On a field a plugin adds to a core type: null plus PROGRAM_NOT_ENABLED for objects of
    districts that have not enabled the program. The parent must have ``district_code``."""

    def __init__(self, program_id: str) -> None:
        self.program_id = program_id

    async def resolve_async(
        self, next_: Callable[..., Awaitable[Any]], source: Any, info: Info, **kwargs: Any
    ) -> Any:
        if (self.program_id, source.district_code) not in await info.context.enabled():
            raise DomainError(Code.PROGRAM_NOT_ENABLED, program=self.program_id)
        result = next_(source, info, **kwargs)
        return await result if inspect.isawaitable(result) else result
