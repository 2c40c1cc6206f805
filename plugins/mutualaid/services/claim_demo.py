"""Claims in every state, for the demo data (and tests): each claim goes the whole way through
the real services — submitted by one person, assessed, approved by another, paid — and stops
at the state asked for."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from unionaid.core import Principal, ProgramScope
from unionaid.plugins.mutualaid.claim_models import Claim, ClaimKind, ClaimState
from unionaid.plugins.mutualaid.services import claims

ORDER = [ClaimState.SUBMITTED, ClaimState.ASSESSED, ClaimState.APPROVED, ClaimState.PAID]


@dataclass(frozen=True)
class Team:
    """Who does what: four different people, as maker-checker wants."""

    submitter: Principal  # a caseworker
    assessor: Principal  # a caseworker (may be the submitter)
    approver: Principal  # an approver
    payer: Principal  # a district administrator


async def claim_in_state(
    team: Team,
    scope: ProgramScope,
    host: Any,
    *,
    member_id: int,
    kind: ClaimKind,
    state: ClaimState,
    today: dt.date,
    now: dt.datetime,
    reason: str = "材料不全",
    **facts: Any,
) -> Claim:
    """A claim of ``member_id`` brought to ``state`` (REJECTED: rejected by the approver after
    its assessment). ``facts``: ``stay=StayFacts``, ``critical=CriticalFacts`` or
    ``accident=AccidentFacts`` as :func:`claims.submit_claim` takes them. An assessment that
    pays nothing stops at REJECTED whatever was asked."""
    claim = await claims.submit_claim(
        team.submitter, scope, host, member_id=member_id, kind=kind, today=today, now=now, **facts
    )
    if state == ClaimState.SUBMITTED:
        return claim
    claim = await claims.assess_claim(team.assessor, scope, host, claim.id, today=today, now=now)
    if claim.status == ClaimState.REJECTED:
        return claim
    if state == ClaimState.REJECTED:
        return await claims.reject_claim(team.approver, scope, claim.id, reason, now=now)
    for step in ORDER[2 : ORDER.index(state) + 1]:
        if step == ClaimState.APPROVED:
            claim = await claims.approve_claim(team.approver, scope, claim.id, now=now)
        else:
            key = f"demo-claim-{claim.id}"
            claim = await claims.pay_claim(team.payer, scope, host, claim.id, key, now=now)
    return claim
