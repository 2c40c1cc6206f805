"""The city sets the dates of the periods it dates: school terms and the kinds programs add
(``register_period_kinds``). One path for the API (``setPeriodDates``, ``setSchoolTerm``) and the
CLI (``unionaid period set``): permission, the dates, and the audit entry."""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection

from unionaid.core import policy
from unionaid.core.periods import Period, set_period_dates
from unionaid.core.policy import Action
from unionaid.core.principal import Principal
from unionaid.core.services import audit


async def set_dates(
    actor: Principal,
    code: str,
    start: dt.date,
    end: dt.date,
    kinds: Collection[str],
    operation: str = "setPeriodDates",
) -> Period:
    """City administrators only (FORBIDDEN otherwise); ``kinds``: the installed programs' kinds
    (``host.period_kinds()``), empty to accept school terms only."""
    policy.require(actor, Action.MANAGE_PROGRAMS, None, "code")
    period = await set_period_dates(code, start, end, actor.username, kinds)
    await audit.record(
        actor,
        operation,
        object_type="SchoolTerm",
        object_id=period.code,
        changes={"start": [None, start.isoformat()], "end": [None, end.isoformat()]},
    )
    return period
