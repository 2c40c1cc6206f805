"""The demo's helper makes claims in every state through the real services."""

import datetime as dt

import pytest

from tests import test_mutualaid_claims
from tests.test_mutualaid_claims import HUISHAN
from unionaid.core import Principal, ProgramScope, pk_of
from unionaid.plugins.mutualaid.claim_models import ClaimKind, ClaimState
from unionaid.plugins.mutualaid.services.claim_demo import Team, claim_in_state
from unionaid.plugins.mutualaid.services.claims import CriticalFacts, StayFacts

world = test_mutualaid_claims.world


def person(name: str, role: str) -> Principal:
    return Principal(None, name, role, frozenset({HUISHAN}), frozenset(), f"req-{name}")


@pytest.mark.parametrize("state", list(ClaimState))
async def test_claim_in_state_reaches_every_state(world, host, state):
    _city, _people, members, _fund = world
    team = Team(
        person("cw", "caseworker"),
        person("as", "caseworker"),
        person("ap", "approver"),
        person("pa", "district_admin"),
    )
    scope = ProgramScope("mutualaid", frozenset({HUISHAN}), lambda code: code == HUISHAN)
    kind, facts = (
        (ClaimKind.CRITICAL_ILLNESS, {"critical": CriticalFacts("恶性肿瘤", dt.date(2026, 8, 1))})
        if state == ClaimState.PAID
        else (
            ClaimKind.HOSPITAL,
            {"stay": StayFacts("无锡市人民医院", dt.date(2026, 6, 1), dt.date(2026, 6, 8))},
        )
    )
    claim = await claim_in_state(
        team,
        scope,
        host,
        member_id=pk_of(members["住院甲"], "Member"),
        kind=kind,
        state=state,
        today=dt.date(2026, 11, 29),
        now=dt.datetime(2026, 11, 29, 3, tzinfo=dt.UTC),
        **facts,
    )
    assert claim.status == state
    assert (claim.paid_on is not None) == (state == ClaimState.PAID)
