"""The workflow primitive (issue 16, item 6) through hardship files, its first user: illegal
moves refused with INVALID_TRANSITION, the history of steps (append-only in the database) and
the audit entry of every move, CONFLICT on a stale version, and maker-checker in the file's
current life."""

import datetime as dt

import pytest
from tortoise import connections

from tests import test_hardship
from tests.factories import NOW
from tests.old_rows import migrated_on
from tests.test_hardship import HUISHAN, REGISTER
from unionaid.core import (
    Action,
    Code,
    DomainError,
    Principal,
    Transition,
    Words,
    Workflow,
    pk_of,
)
from unionaid.core.errors import TopLevelError
from unionaid.core.models import AuditEntry, WorkflowStep
from unionaid.plugins.hardship.models import FileStage, HardshipProfile
from unionaid.plugins.hardship.workflow import FILES

story = test_hardship.registered_story  # 惠山区 members, files registered (not yet verified)
FILE = "file { stage status version steps { transition fromStage toStage actor note } }"
ERRORS = "userErrors { field code message }"
VERIFY = f"""mutation($m: ID!, $v: Int) {{ verifyHardshipFile(input: {{memberId: $m,
  verifiedOn: "2026-11-01", version: $v}}) {{ {FILE} {ERRORS} }} }}"""
REVIEW = f"""mutation($m: ID!, $v: Int, $n: String) {{ reviewHardshipFile(input: {{memberId: $m,
  reviewedOn: "2026-11-20", nextReview: "2027-11-20", version: $v, note: $n}}) {{
  {FILE} {ERRORS} }} }}"""
CLOSE = f"""mutation($m: ID!, $v: Int) {{ closeHardshipFile(input: {{memberId: $m,
  reason: "已脱困", version: $v}}) {{ {FILE} {ERRORS} }} }}"""


def payload(data: dict) -> dict:
    [(_, value)] = data.items()
    return value


async def steps_of(member_gid: str) -> list[tuple]:
    profile = await HardshipProfile.get(member__id=_pk(member_gid))
    return [
        (s.transition, s.from_state, s.to_state, s.actor)
        for s in await WorkflowStep.filter(record_id=profile.id).order_by("id")
    ]


def _pk(gid: str) -> int:
    return pk_of(gid, "Member")


async def test_an_illegal_move_is_refused_and_writes_nothing(story, login_as):
    _, people, members, _ = story
    colleague = await login_as("caseworker", (HUISHAN,))
    m = members["困难乙"]
    early = payload(await people["maker"].ok(REVIEW, {"m": m}))  # reviewed before verified
    assert early["file"] is None
    assert early["userErrors"] == [
        {"field": "memberId", "code": "INVALID_TRANSITION", "message": "当前状态为已登记，不能复核"}
    ]
    closed = payload(await people["maker"].ok(CLOSE, {"m": m}))
    assert closed["file"]["stage"] == "CLOSED" and closed["file"]["version"] == 2
    before = await steps_of(m)
    body = await colleague(VERIFY, {"m": m}, **{"Accept-Language": "en"})
    assert payload(body["data"])["userErrors"] == [
        {
            "field": "memberId",
            "code": "INVALID_TRANSITION",
            "message": "The record is closed: cannot verify it",
        }
    ]
    again = payload(await colleague.ok(CLOSE, {"m": m}))
    assert [e["code"] for e in again["userErrors"]] == ["INVALID_TRANSITION"]
    assert await steps_of(m) == before
    assert (await HardshipProfile.get(member__id=_pk(m))).version == 2


async def test_every_move_is_a_step_and_an_audit_entry(story, login_as):
    _, people, members, _ = story
    colleague = await login_as("caseworker", (HUISHAN,))
    third = await login_as("caseworker", (HUISHAN,))
    m = members["特困甲"]
    payload(await colleague.ok(VERIFY, {"m": m, "v": 1}))
    payload(await third.ok(REVIEW, {"m": m, "v": 2, "n": "收入未变"}))
    done = payload(await people["maker"].ok(CLOSE, {"m": m, "v": 3}))
    assert done["userErrors"] == [] and done["file"]["version"] == 4
    steps = done["file"]["steps"]
    assert [(s["transition"], s["fromStage"], s["toStage"], s["note"]) for s in steps] == [
        ("register", None, "REGISTERED", None),
        ("verify", "REGISTERED", "VERIFIED", None),
        ("review", "VERIFIED", "VERIFIED", "收入未变"),
        ("close", "VERIFIED", "CLOSED", "已脱困"),
    ]
    actors = [s["actor"] for s in steps]
    assert actors[0] == actors[3] and len(set(actors)) == 3
    audited = await AuditEntry.filter(object_type="HardshipFile", object_id=m).order_by("id")
    assert [(a.operation, a.username) for a in audited] == [
        ("registerHardshipFile", actors[0]),
        ("verifyHardshipFile", actors[1]),
        ("reviewHardshipFile", actors[2]),
        ("closeHardshipFile", actors[0]),
    ]
    assert audited[3].changes["stage"] == ["verified", "closed"]
    assert audited[3].changes["status"] == ["active", "closed"]


async def test_a_step_is_stamped_with_the_request_clock(story, login_as):
    """The step's and the audit entry's time are the app's clock (tests fix it at NOW), never
    the machine's."""
    _, _, members, _ = story
    colleague = await login_as("caseworker", (HUISHAN,))
    m = members["特困甲"]
    query = VERIFY.replace("steps { transition", "steps { at transition")
    steps = payload(await colleague.ok(query, {"m": m, "v": 1}))["file"]["steps"]
    assert steps[-1]["transition"] == "verify"
    assert dt.datetime.fromisoformat(steps[-1]["at"]) == NOW
    profile = await HardshipProfile.get(member__id=_pk(m))
    [step] = await WorkflowStep.filter(record_id=profile.id, transition="verify")
    [entry] = await AuditEntry.filter(operation="verifyHardshipFile", object_id=m)
    assert step.at == NOW and entry.at == NOW


async def test_the_history_is_append_only_in_the_database(story):
    db = connections.get("default")
    count = (await db.execute_query_dict("SELECT COUNT(*) AS n FROM workflow_step"))[0]["n"]
    assert count == 4  # the story's four registrations
    for statement in ("UPDATE workflow_step SET actor = 'someone'", "DELETE FROM workflow_step"):
        with pytest.raises(Exception, match="append-only"):
            await db.execute_script(statement)
    rows = await db.execute_query_dict("SELECT COUNT(*) AS n FROM workflow_step")
    assert rows[0]["n"] == count


async def test_a_stale_version_is_a_conflict(story, login_as):
    _, people, members, _ = story
    colleague = await login_as("caseworker", (HUISHAN,))
    m = members["困难乙"]
    update = """mutation($m: ID!) { updateHardshipFile(input: {memberId: $m, version: 1,
      level: EXTREME}) { file { version } } }"""
    assert (await people["maker"].ok(update, {"m": m}))["updateHardshipFile"]["file"][
        "version"
    ] == 2
    stale = payload(await colleague.ok(VERIFY, {"m": m, "v": 1}))
    assert (stale["file"], [e["code"] for e in stale["userErrors"]]) == (None, ["CONFLICT"])
    assert [s[0] for s in await steps_of(m)] == ["register"]
    fresh = payload(await colleague.ok(VERIFY, {"m": m, "v": 2}))
    assert fresh["file"]["stage"] == "VERIFIED" and fresh["file"]["version"] == 3


async def test_the_registrar_neither_verifies_nor_reviews_in_the_files_life(story, login_as):
    _, people, members, _ = story
    maker = people["maker"]
    colleague = await login_as("caseworker", (HUISHAN,))
    m = members["劳模丙"]
    assert payload(await maker.ok(VERIFY, {"m": m}))["userErrors"][0]["code"] == (
        "SELF_VERIFICATION"
    )
    assert payload(await colleague.ok(VERIFY, {"m": m}))["userErrors"] == []
    refused = payload(await maker.ok(REVIEW, {"m": m}))
    assert [e["code"] for e in refused["userErrors"]] == ["SELF_VERIFICATION"]
    # Closed and registered again by the colleague: a new life, with a new registrar.
    assert payload(await maker.ok(CLOSE, {"m": m}))["userErrors"] == []
    again = {"memberId": m, "level": "DIFFICULT", "reasons": ["DISABILITY"]}
    assert (await colleague.ok(REGISTER, {"i": again}))["registerHardshipFile"]["userErrors"] == []
    own = payload(await colleague.ok(VERIFY, {"m": m}))
    assert [e["code"] for e in own["userErrors"]] == ["SELF_VERIFICATION"]
    assert payload(await maker.ok(VERIFY, {"m": m}))["file"]["stage"] == "VERIFIED"


def caseworker(name: str) -> Principal:
    return Principal(None, name, "caseworker", frozenset({HUISHAN}), frozenset(), f"req-{name}")


# The primitive on its own: a record declared with every earlier step's taker barred (the
# default maker set), the generic refusal, and an action the caseworker does not hold.
FILES_STRICT = Workflow(
    name="StrictFile",
    model=HardshipProfile,
    state_field="stage",
    what=Words("档案", "file"),
    states=FILES.states,
    transitions=(
        Transition(
            "open", (None, "closed"), "registered", Action.WRITE_RECORDS, Words("登记", "open")
        ),
        Transition(
            "check",
            ("registered",),
            "verified",
            Action.WRITE_RECORDS,
            Words("核实", "check"),
            makers_may_take=False,
        ),
        Transition("shut", ("verified",), "closed", Action.PAY, Words("关闭", "shut")),
    ),
)


async def test_maker_checker_bars_everyone_who_took_an_earlier_step(story):
    _, _, members, _ = story
    where = {"member_id": _pk(members["普通丁"])}
    kw = {"where": where, "district_code": HUISHAN, "object_id": "x", "now": NOW}
    await FILES_STRICT.move(caseworker("amy"), "open", **kw)
    with pytest.raises(DomainError) as refused:
        await FILES_STRICT.move(caseworker("amy"), "check", **kw)
    assert refused.value.code == Code.MAKER_CANNOT_CHECK
    record = await FILES_STRICT.move(caseworker("ben"), "check", **kw)
    assert record.stage == FileStage.VERIFIED and record.version == 2
    with pytest.raises(TopLevelError) as forbidden:  # closing needs PAY: caseworkers lack it
        await FILES_STRICT.move(caseworker("cat"), "shut", **kw)
    assert forbidden.value.code == Code.FORBIDDEN
    assert [s.transition for s in await FILES_STRICT.history(record.id)] == ["open", "check"]


async def test_a_move_that_does_not_create_needs_the_record(story):
    with pytest.raises(DomainError) as missing:
        await FILES.move(
            caseworker("amy"),
            "verify",
            where={"member_id": 10**9},
            district_code=HUISHAN,
            object_id="x",
            now=NOW,
        )
    assert missing.value.code == Code.NOT_FOUND


def test_a_transition_to_an_undeclared_state_is_refused_at_declaration():
    with pytest.raises(ValueError, match="ill-declared"):
        Workflow(
            name="Broken",
            model=HardshipProfile,
            states={"a": Words("甲", "a")},
            transitions=(Transition("go", ("a",), "b", Action.WRITE_RECORDS, Words("去", "go")),),
            what=Words("记录", "record"),
        )


async def test_the_migration_gives_existing_files_their_stage_and_registrar(tmp_path, host):
    """Files written before hardship's 0004 take the stage their columns show, and their
    registrations become steps (so the registrar still may not verify): a fresh database
    migrated to hardship 0003, rows written there (references unchecked), then migrated on."""
    profiles = ", ".join(
        f"({i}, {i}, 'difficult', 'none', false, '[]', {verified}, '{status}', 1, "
        "CURRENT_TIMESTAMP)"
        for i, verified, status in (
            (1, "NULL", "active"),
            (2, "'2026-01-05'", "active"),
            (3, "'2026-01-05'", "closed"),
        )
    )
    inserts = [
        "INSERT INTO hardship_profile (id, member_id, level, model_worker_level, "
        "model_worker_in_difficulty, reasons, verified_on, status, version, updated_at) "
        f"VALUES {profiles}",
        "INSERT INTO hardship_file_change (profile_id, actor, operation, changes, at) VALUES "
        "(2, 'amy', 'registerHardshipFile', '{}', CURRENT_TIMESTAMP), "
        "(2, 'ben', 'verifyHardshipFile', '{}', CURRENT_TIMESTAMP)",
    ]
    reads = (
        "SELECT id, stage FROM hardship_profile ORDER BY id",
        "SELECT record_type, record_id, transition, from_state, to_state, actor "
        "FROM workflow_step ORDER BY id",
    )
    stages, steps = await migrated_on(tmp_path, host, "hardship.0003_visits", inserts, reads)
    assert stages == [(1, "registered"), (2, "verified"), (3, "closed")]
    assert steps == [("HardshipFile", 2, "register", None, "registered", "amy")]


def test_a_workflow_gives_its_states_as_a_graphql_enum():
    import strawberry

    stage = FILES.state_enum("TestFileState")
    assert FILES.state_enum("TestFileState") is stage  # made once
    assert {s.name: s.value for s in stage} == {s.upper(): s for s in FILES.states}
    assert stage("verified") is stage.VERIFIED and stage.VERIFIED == "verified"

    @strawberry.type
    class Query:
        @strawberry.field
        def state(self) -> stage:
            return stage("closed")

    schema = strawberry.Schema(query=Query)
    sdl = str(schema)
    assert "enum TestFileState {" in sdl and "VERIFIED" in sdl and "state: TestFileState!" in sdl
    assert schema.execute_sync("{ state }").data == {"state": "CLOSED"}
