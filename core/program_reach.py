"""Where a program's job, import or export may act for a principal: the one check its job
handlers, import rows and export rows pass, outside any GraphQL request (a worker, the CLI).

A program's job records the district it works for (``Job.district_code``), or none for a
city-wide job. Each time it runs (and when it is queued) the host checks again that the
program is on there and that the user who queued it still sees it: a district switched off in
between refuses the job with ``PROGRAM_NOT_ENABLED``. A city-wide job receives every district
where the program is on and its user may act, and is refused when there is none.

It asks the same questions as the GraphQL gate (:mod:`unionaid.core.graphql.gate`), in the same
order: may the role use the program at all (FORBIDDEN), can the principal see the district
(NOT_FOUND), has the district enabled the program (PROGRAM_NOT_ENABLED), may the role do the
kind's action there (FORBIDDEN)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from unionaid.core import policy
from unionaid.core.errors import Code, DomainError, TopLevelError, Words
from unionaid.core.host import PluginHost
from unionaid.core.principal import Principal
from unionaid.core.services.programs import enabled_districts


@dataclass(frozen=True)
class ProgramReach:
    program: str
    actor: Principal
    action: Any  # a core Action or a program's action name; None: the role's use is enough
    enabled: frozenset[str]  # the districts where the program is switched on

    @classmethod
    async def of(
        cls, host: PluginHost, program_id: str, actor: Principal, action: Any
    ) -> ProgramReach:
        """Refuses (FORBIDDEN) a role the program does not serve or that never holds ``action``."""
        program = host.get(program_id)
        if actor.role not in program.info.serves or (
            action is not None and not policy.has(actor, action)
        ):
            raise TopLevelError(Code.FORBIDDEN)
        return cls(program_id, actor, action, frozenset(await enabled_districts(program_id)))

    def refusal(self, district_code: str | None) -> DomainError | None:
        """Why the program may not act in ``district_code`` for the principal, or None."""
        if not district_code or not self.actor.sees_district(district_code):
            return DomainError(Code.NOT_FOUND, what=Words("记录", "record"))
        if district_code not in self.enabled:
            return DomainError(Code.PROGRAM_NOT_ENABLED, program=self.program)
        if self.action is not None and not policy.allows(self.actor, self.action, district_code):
            return DomainError(Code.FORBIDDEN)
        return None

    def require(self, district_code: str | None) -> None:
        if (refused := self.refusal(district_code)) is not None:
            raise refused

    def districts(self, district_code: str | None = None) -> frozenset[str]:
        """The one district asked for (checked), else every district where the program may act
        for the principal."""
        if district_code is not None:
            self.require(district_code)
            return frozenset({district_code})
        return frozenset(code for code in self.enabled if self.refusal(code) is None)


async def job_districts(
    host: PluginHost, program_id: str, actor: Principal, district_code: str | None
) -> frozenset[str]:
    """The districts a job of ``program_id`` queued by ``actor`` may act in (see the module)."""
    reach = await ProgramReach.of(host, program_id, actor, None)
    districts = reach.districts(district_code)
    if not districts:
        raise DomainError(Code.PROGRAM_NOT_ENABLED, program=program_id)
    return districts
