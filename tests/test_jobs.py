"""Imports as jobs: upload over HTTP, queue with a mutation, follow with a query; a job whose
worker died is claimed again and finishes without duplicates; workers never share a job."""

import asyncio
import datetime as dt

import pytest

from tests.conftest import GQL
from tests.factories import ACTOR, token_for
from tests.registers import MEMBER_HEADER, member_row, to_csv
from unionaid.core import jobs
from unionaid.core.crypto import Vault
from unionaid.core.global_ids import to_global_id
from unionaid.core.imports.jobs import queue_import, save_upload
from unionaid.core.imports.run import import_file
from unionaid.core.models import Job, JobStatus, Member
from unionaid.core.services import accounts

START = """mutation($u: ID!, $k: ImportKind!) { startImport(input: {uploadId: $u, kind: $k}) {
  job { id status } userErrors { field code } } }"""
JOB = "query($id: ID!) { job(id: $id) { status progress total result error createdBy } }"
T0 = dt.datetime(2026, 11, 29, 2, 0, tzinfo=dt.UTC)


async def upload(client, token: str | None, content: bytes, name: str = "members.csv"):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await client.post(f"/imports?filename={name}", content=content, headers=headers)


async def test_upload_start_and_follow_an_import(client, app):
    token = await token_for("district_admin", ("320206",))
    content = to_csv(
        MEMBER_HEADER, [member_row(i) for i in range(1, 4)] + [member_row(9, phone="1")]
    )
    sent = await upload(client, token, content)
    assert sent.status_code == 201, sent.text
    admin = GQL(client, token)
    started = (await admin.ok(START, {"u": sent.json()["uploadId"], "k": "MEMBERS"}))["startImport"]
    assert started["userErrors"] == [] and started["job"]["status"] == "QUEUED"
    await app.state.jobs.idle()
    job = (await admin.ok(JOB, {"id": started["job"]["id"]}))["job"]
    assert job["status"] == "SUCCEEDED" and job["createdBy"].startswith("district_admin")
    assert (job["result"]["created"], job["result"]["rejected"]) == (3, 1)
    assert job["result"]["errors"][0]["code"] == "INVALID_PHONE"
    assert job["progress"] == job["total"] == 3
    assert await Member.all().count() == 3
    # Someone else's job, like someone else's upload, does not exist for you.
    other = GQL(client, await token_for("district_admin", ("320211",)))
    hidden = await other(JOB, {"id": started["job"]["id"]})
    assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    stolen = (await other.ok(START, {"u": sent.json()["uploadId"], "k": "MEMBERS"}))["startImport"]
    assert stolen == {"job": None, "userErrors": [{"field": "uploadId", "code": "NOT_FOUND"}]}


async def test_a_refused_file_fails_its_job_with_the_reason(client, app):
    token = await token_for("city_admin")
    sent = await upload(client, token, b"name,phone\n1,2\n")
    admin = GQL(client, token)
    started = (await admin.ok(START, {"u": sent.json()["uploadId"], "k": "MEMBERS"}))["startImport"]
    await app.state.jobs.idle()
    job = (await admin.ok(JOB, {"id": started["job"]["id"]}))["job"]
    assert job["status"] == "FAILED" and job["error"].startswith("MISSING_COLUMNS")
    # In the reader's language, one language per message (issue 15.13).
    assert job["error"] == "MISSING_COLUMNS: 缺少必需的列：id_number, district_code"
    english = await admin(JOB, {"id": started["job"]["id"]}, **{"Accept-Language": "en"})
    assert english["data"]["job"]["error"] == (
        "MISSING_COLUMNS: Required columns missing: id_number, district_code"
    )


async def test_uploads_are_for_importers_and_size_limited(client, monkeypatch):
    assert (await upload(client, None, b"x")).json()["code"] == "UNAUTHENTICATED"
    # Only a role holding some import kind's action uploads (caseworkers and enterprise
    # contacts hold mutualaid.enrol, the action of mutualaid-enrolments); an approver none.
    approver = await token_for("approver", ("320206",))
    refused = await upload(client, approver, b"x")
    assert (refused.status_code, refused.json()["code"]) == (403, "FORBIDDEN")
    admin = await token_for("city_admin")
    assert (await upload(client, admin, b"")).json()["code"] == "EMPTY_FILE"
    monkeypatch.setattr("unionaid.core.files.MAX_UPLOAD", 10)
    big = await upload(client, admin, b"x" * 11)
    assert (big.status_code, big.json()["code"]) == (413, "FILE_TOO_LARGE")


async def test_a_job_whose_worker_died_is_rerun_without_duplicates(orm, settings, host):
    await accounts.create_user(ACTOR, accounts.NewUser("importer", "city_admin", []))
    actor = await accounts.principal_for_user("importer", "req-1")
    vault = Vault(settings.data_key)
    rows = [member_row(i) for i in range(100, 110)]
    content = to_csv(MEMBER_HEADER, rows)
    queued = await queue_import(
        actor, await save_upload(actor, "m.csv", content, T0), "members", T0
    )
    first = await jobs.claim("worker-a", T0)
    assert first.id == queued.id and first.attempts == 1
    # worker-a commits half of the file, then its process dies.
    await import_file("members", to_csv(MEMBER_HEADER, rows[:5]), "m.csv", actor, vault, host)
    assert await jobs.claim("worker-b", T0 + dt.timedelta(minutes=1)) is None  # still alive
    later = T0 + jobs.STALE_AFTER + dt.timedelta(seconds=1)
    again = await jobs.claim("worker-b", later)
    assert (again.id, again.attempts, again.worker) == (queued.id, 2, "worker-b")
    done = await jobs.run(again, jobs.JobContext(host, vault, clock=lambda: later))
    assert done.status == JobStatus.SUCCEEDED
    assert (done.result["created"], done.result["unchanged"]) == (5, 5)
    assert await Member.all().count() == 10


async def test_a_job_abandoned_too_often_fails(orm):
    job = await jobs.enqueue("import", {}, ACTOR, T0)
    now = T0
    for _ in range(jobs.MAX_ATTEMPTS):
        assert (await jobs.claim("crashing", now)).id == job.id
        now += jobs.STALE_AFTER + dt.timedelta(seconds=1)
    assert await jobs.claim("next", now) is None
    failed = await Job.get(id=job.id)
    assert failed.status == JobStatus.FAILED and "abandoned" in failed.error


async def test_an_abandoned_job_says_so_in_the_readers_language(client, orm):
    """The reason a job was given up is one language per reader, like every other job error
    (it was English for a Chinese reader)."""
    job = await jobs.enqueue("import", {}, ACTOR, T0)
    now = T0
    for _ in range(jobs.MAX_ATTEMPTS):
        await jobs.claim("crashing", now)
        now += jobs.STALE_AFTER + dt.timedelta(seconds=1)
    await jobs.claim("next", now)
    reader = GQL(client, await token_for("city_admin"))
    job_id = to_global_id("Job", job.id)
    zh = await reader(JOB, {"id": job_id}, **{"Accept-Language": "zh-CN"})
    en = await reader(JOB, {"id": job_id}, **{"Accept-Language": "en"})
    assert zh["data"]["job"]["error"] == "已放弃：执行它的进程已停止"
    assert en["data"]["job"]["error"] == "abandoned: its worker stopped"


@pytest.mark.postgres
async def test_concurrent_workers_never_claim_the_same_job(orm):
    queued = [await jobs.enqueue("import", {}, ACTOR, T0) for _ in range(8)]
    claimed = await asyncio.gather(*(jobs.claim(f"w{i}", T0) for i in range(12)))
    taken = [job.id for job in claimed if job is not None]
    assert sorted(taken) == sorted(job.id for job in queued)  # each exactly once


async def test_the_staleness_interval_is_a_setting(orm, host, settings, monkeypatch):
    """``UNIONAID_JOB_STALE_AFTER`` (seconds) decides when a silent running job is taken again:
    by ``claim`` itself and by every worker's context."""
    monkeypatch.setenv("UNIONAID_JOB_STALE_AFTER", "30")
    assert jobs.stale_after() == dt.timedelta(seconds=30)
    job = await jobs.enqueue("import", {}, ACTOR, T0)
    assert (await jobs.claim("first", T0)).id == job.id
    assert await jobs.claim("second", T0 + dt.timedelta(seconds=29)) is None
    assert (await jobs.claim("second", T0 + dt.timedelta(seconds=31))).id == job.id
    ctx = jobs.JobContext(host, Vault(settings.data_key))
    assert ctx.stale_after == dt.timedelta(seconds=30)
    monkeypatch.setenv("UNIONAID_JOB_STALE_AFTER", "0")
    with pytest.raises(ValueError):
        jobs.stale_after()
    monkeypatch.delenv("UNIONAID_JOB_STALE_AFTER")
    assert jobs.stale_after() == dt.timedelta(minutes=5)


async def test_jobs_are_a_connection_newest_first_and_nodes(client, orm):
    """``jobs`` pages newest first through cursors; a page size out of range is refused, not
    capped (``first: -1`` was an INTERNAL_ERROR, then clamped); a job is a node, found only by
    who may see it."""
    reader = GQL(client, await token_for("city_admin"))
    older = await jobs.enqueue("import", {}, ACTOR, T0)
    newest = await jobs.enqueue("import", {}, ACTOR, T0)
    page = """query($n: Int, $a: String, $s: JobStatus) { jobs(first: $n, after: $a, status: $s) {
      totalCount edges { cursor node { id status } }
      pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }"""
    first = (await reader.ok(page, {"n": 1}))["jobs"]
    gid = to_global_id("Job", newest.id)
    assert first["totalCount"] == 2
    assert [e["node"] for e in first["edges"]] == [{"id": gid, "status": "QUEUED"}]
    info = first["pageInfo"]
    assert info["hasNextPage"] and not info["hasPreviousPage"]
    assert info["startCursor"] == info["endCursor"] == first["edges"][0]["cursor"]
    second = (await reader.ok(page, {"n": 1, "a": info["endCursor"]}))["jobs"]
    assert [e["node"]["id"] for e in second["edges"]] == [to_global_id("Job", older.id)]
    assert not second["pageInfo"]["hasNextPage"] and second["pageInfo"]["hasPreviousPage"]
    none = (await reader.ok(page, {"s": "SUCCEEDED"}))["jobs"]
    assert none["totalCount"] == 0 and none["edges"] == []
    assert none["pageInfo"]["startCursor"] is None and none["pageInfo"]["endCursor"] is None
    for n, code in ((-1, "BAD_USER_INPUT"), (101, "PAGE_SIZE_EXCEEDED")):
        refused = await reader(page, {"n": n})
        assert [e["extensions"]["code"] for e in refused["errors"]] == [code]
    node = "query($id: ID!) { node(id: $id) { id ... on Job { status kind } } }"
    assert (await reader.ok(node, {"id": gid}))["node"] == {
        "id": gid,
        "status": "QUEUED",
        "kind": "import",
    }
    stranger = GQL(client, await token_for("district_admin", ("320206",)))
    hidden = await stranger(node, {"id": gid})  # someone else's job
    assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND"
