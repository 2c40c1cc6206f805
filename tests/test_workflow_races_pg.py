"""Two moves of one hardship file racing on PostgreSQL (issue 16, item 6): a second connection
pool stands for another server process, which holds the file's row lock while this process's
move starts; the test waits until PostgreSQL shows this one waiting on the lock, then lets the
other commit. One move wins; the other sees its outcome (CONFLICT on the version it read, or
INVALID_TRANSITION from the state it finds) and writes nothing."""

import asyncio

import pytest

from tests import test_hardship
from tests.factories import NOW
from tests.test_campaign_races_pg import holding, until_blocked
from tests.test_hardship import HUISHAN
from unionaid.core import Code, DomainError, Principal, pk_of
from unionaid.core.models import AuditEntry, WorkflowStep
from unionaid.plugins.hardship.models import FileStage, HardshipProfile
from unionaid.plugins.hardship.workflow import FILES

pytestmark = pytest.mark.postgres
story = test_hardship.registered_story  # files of 惠山区 registered by a caseworker


def caseworker(name: str) -> Principal:
    return Principal(None, name, "caseworker", frozenset({HUISHAN}), frozenset(), f"req-{name}")


@pytest.mark.parametrize(
    ("theirs", "ours", "version", "refused"),
    [
        ("verify", "verify", 1, Code.CONFLICT),  # both read version 1
        ("close", "verify", None, Code.INVALID_TRANSITION),  # the file is closed under us
    ],
)
async def test_two_racing_moves_one_wins(story, settings, host, theirs, ours, version, refused):
    _, _, members, _ = story
    member_pk = pk_of(members["特困甲"], "Member")
    profile = await HardshipProfile.get(member_id=member_pk)
    kw = {"where": {"member_id": member_pk}, "district_code": HUISHAN, "object_id": "m"}
    kw["now"] = NOW
    values = {"close_reason": "已脱困"} if theirs == "close" else {}
    ready, go = asyncio.Event(), asyncio.Event()

    async def lock():
        await HardshipProfile.filter(id=profile.id).select_for_update().first()

    async def then():
        return await FILES.move(caseworker("ann"), theirs, version=1, values=values, **kw)

    other = asyncio.create_task(holding(settings, host, lock, then, ready, go))
    await ready.wait()
    ours_task = asyncio.create_task(FILES.move(caseworker("bob"), ours, version=version, **kw))
    await until_blocked(settings)
    go.set()
    won = await other
    with pytest.raises(DomainError) as lost:
        await ours_task
    assert lost.value.code == refused
    assert won.version == 2
    stored = await HardshipProfile.get(id=profile.id)
    assert (stored.version, stored.stage) == (2, won.stage)
    assert stored.stage == (FileStage.CLOSED if theirs == "close" else FileStage.VERIFIED)
    steps = await WorkflowStep.filter(record_id=profile.id).order_by("id")
    assert [(s.transition, s.actor) for s in steps] == [
        ("register", steps[0].actor),
        (theirs, "ann"),
    ]
    assert await AuditEntry.filter(username="bob").count() == 0
