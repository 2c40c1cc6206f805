"""The job queue: long work as rows in the project's own database.

A job is queued with :func:`enqueue` — inside the transaction that causes it, if there is one —
and claimed by exactly one worker: on PostgreSQL with ``FOR UPDATE SKIP LOCKED``, so any number
of worker processes on any number of hosts share the queue; on SQLite, whose writers are
serialised anyway, by the same single UPDATE. A worker beats a heartbeat while it works; a
running job whose heartbeat is older than the staleness interval (its process died) is claimed
again: ``UNIONAID_JOB_STALE_AFTER`` seconds, 300 by default — longer than the slowest batch
between two heartbeats, shorter than anyone wants to wait for a dead worker's job.
Handlers must be idempotent (imports match rows by natural keys), so a rerun finishes the work
without duplicates."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import inspect
import json
import logging
import os
import socket
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from tortoise import connections

from unionaid.core.crypto import Vault
from unionaid.core.errors import Code, DomainError, DomainErrors, TopLevelError, message
from unionaid.core.host import PluginHost
from unionaid.core.models import Job, JobStatus
from unionaid.core.plugin_types import ProgramJob
from unionaid.core.principal import Principal
from unionaid.core.program_reach import job_districts
from unionaid.core.timezone import today_in_shanghai
from unionaid.core.unit_of_work import after_commit

log = logging.getLogger("unionaid.jobs")
STALE_AFTER = dt.timedelta(minutes=5)
MAX_ATTEMPTS = 3


def stale_after(env: dict[str, str] | None = None) -> dt.timedelta:
    """How long a running job's heartbeat may be silent before it is claimed again."""
    env = os.environ if env is None else env
    raw = env.get("UNIONAID_JOB_STALE_AFTER")
    if not raw:
        return STALE_AFTER
    seconds = float(raw)
    if seconds <= 0:
        raise ValueError("UNIONAID_JOB_STALE_AFTER must be a positive number of seconds")
    return dt.timedelta(seconds=seconds)


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


@dataclass
class JobContext:
    host: PluginHost
    vault: Vault
    clock: Callable[[], dt.datetime] = utc_now
    worker: str = field(default_factory=lambda: f"{socket.gethostname()}:{os.getpid()}")
    stale_after: dt.timedelta = field(default_factory=stale_after)


Handler = Callable[[Job, JobContext], Awaitable[dict[str, Any]]]
HANDLERS: dict[str, Handler] = {}


def handler(kind: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        HANDLERS[kind] = fn
        return fn

    return register


async def enqueue(
    kind: str,
    params: dict[str, Any],
    actor: Principal,
    now: dt.datetime,
    district_code: str | None = None,
) -> Job:
    return await Job.create(
        kind=kind,
        params=params,
        created_by=actor.username,
        created_by_id=actor.user_id,
        district_code=district_code,
        created_at=now,
    )


_CLAIM = {
    "postgres": """
        UPDATE job SET status = 'running', worker = $1, started_at = COALESCE(started_at, $2),
               heartbeat_at = $2, attempts = attempts + 1
        WHERE id = (
            SELECT id FROM job
            WHERE (status = 'queued' OR (status = 'running' AND heartbeat_at < $3))
              AND attempts < $4 AND ($5::int IS NULL OR id = $5::int)
            ORDER BY id LIMIT 1 FOR UPDATE SKIP LOCKED)
        RETURNING id""",
    "sqlite": """
        UPDATE job SET status = 'running', worker = ?, started_at = COALESCE(started_at, ?),
               heartbeat_at = ?, attempts = attempts + 1
        WHERE id = (
            SELECT id FROM job
            WHERE (status = 'queued' OR (status = 'running' AND heartbeat_at < ?))
              AND attempts < ? AND (? IS NULL OR id = ?)
            ORDER BY id LIMIT 1)
        RETURNING id""",
}


async def claim(
    worker: str,
    now: dt.datetime,
    job_id: int | None = None,
    stale: dt.timedelta | None = None,
) -> Job | None:
    """Take the oldest runnable job (or ``job_id``), or None when there is none; a running job
    silent for ``stale`` (default: :func:`stale_after`) counts as abandoned."""
    conn = connections.get("default")
    stale = now - (stale_after() if stale is None else stale)
    dialect = conn.capabilities.dialect
    # Jobs abandoned too often are failed rather than retried for ever.
    await Job.filter(
        status=JobStatus.RUNNING, heartbeat_at__lt=stale, attempts__gte=MAX_ATTEMPTS
    ).update(status=JobStatus.FAILED, error=_ABANDONED, finished_at=now)
    if dialect == "postgres":
        params = [worker, now, stale, MAX_ATTEMPTS, job_id]
    else:
        params = [worker, now, now, stale, MAX_ATTEMPTS, job_id, job_id]
    # execute_query_dict: Tortoise's execute_query drops the rows of an UPDATE ... RETURNING.
    sql = _CLAIM["postgres" if dialect == "postgres" else "sqlite"]
    rows = await conn.execute_query_dict(sql, params)
    if not rows:
        return None
    return await Job.get(id=rows[0]["id"])


async def heartbeat(job_id: int, now: dt.datetime, progress: int, total: int | None) -> None:
    await Job.filter(id=job_id).update(progress=progress, total=total, heartbeat_at=now)


async def run(job: Job, ctx: JobContext) -> Job:
    """Run a claimed job to the end and record its outcome."""
    try:
        result = await handler_for(job.kind, ctx.host)(job, ctx)
    except Exception as exc:  # recorded on the job; the worker carries on with the next
        text = refusal_text(exc)
        if text is None:  # a bug, not a refusal: keep the stack trace
            log.exception("job %s (%s) failed", job.id, job.kind)
            text = f"{type(exc).__name__}: {exc}"
        await Job.filter(id=job.id).update(
            status=JobStatus.FAILED, error=text[:2000], finished_at=ctx.clock()
        )
    else:
        await Job.filter(id=job.id).update(
            status=JobStatus.SUCCEEDED, result=result, finished_at=ctx.clock()
        )
    return await Job.get(id=job.id)


class UnknownJobKind(Exception):
    expected = True  # e.g. the program that queued it was uninstalled: no stack trace

    def __init__(self, kind: str) -> None:
        super().__init__(f"no handler for job kind {kind!r}: is its program installed?")


def handler_for(kind: str, host: PluginHost) -> Handler:
    """The core's handler of ``kind``, else a program's (``register_job_handlers``), run only
    where the program is on (:func:`~unionaid.core.program_reach.job_districts`)."""
    if kind in HANDLERS:
        return HANDLERS[kind]
    found = host.job_handler(kind)
    if found is None:
        raise UnknownJobKind(kind)
    program_id, program_handler = found

    async def run_program_job(job: Job, ctx: JobContext, also: Callable | None = None) -> Any:
        actor = await job_actor(job)
        districts = await job_districts(ctx.host, program_id, actor, job.district_code)
        now = ctx.clock()
        progress = job_progress(job, ctx, also)
        today = today_in_shanghai(now)
        params = dict(job.params or {})
        return await program_handler(
            ProgramJob(job.id, kind, params, districts, actor, now, today, progress)
        )

    return run_program_job


def refusal_text(exc: Exception) -> str | None:
    """The text of an expected refusal (a domain error) in both languages (see
    :func:`said_in_both`), or None for anything else."""
    if isinstance(exc, TopLevelError):  # e.g. FORBIDDEN: the user lost the right meanwhile
        exc = DomainError(exc.code, **exc.params)
    if isinstance(exc, (DomainError, DomainErrors)):
        errors = exc.errors if isinstance(exc, DomainErrors) else [exc]
        return said_in_both(
            lambda lang: "; ".join(
                f"{e.code.value}: {message(e.code, lang, **e.params)}" for e in errors
            )
        )
    return str(exc) if getattr(exc, "expected", False) else None


def said_in_both(say: Callable[[str], str]) -> str:
    """A job's error as stored: its text in each language (JSON), for :func:`error_in` to
    give each reader the one they asked for."""
    return json.dumps({lang: say(lang)[:900] for lang in ("zh", "en")}, ensure_ascii=False)


_ABANDONED = said_in_both(
    {"zh": "已放弃：执行它的进程已停止", "en": "abandoned: its worker stopped"}.__getitem__
)


def error_in(stored: str | None, lang: str) -> str | None:
    """A failed job's error in one language (an unexpected failure's text is as raised)."""
    if stored and stored.startswith("{"):
        try:
            said = json.loads(stored)
        except ValueError:
            return stored
        if isinstance(said, dict) and {"zh", "en"} <= said.keys():
            return said["en" if lang == "en" else "zh"]
    return stored


async def job_actor(job: Job) -> Principal:
    """Jobs act as the user who queued them, with that user's current rights."""
    from unionaid.core.services.accounts import principal_for_user

    actor = await principal_for_user(job.created_by, f"job-{job.id}")
    if actor is None:
        raise DomainError(Code.FORBIDDEN)
    return actor


def job_progress(job: Job, ctx: JobContext, also: Callable | None = None):
    """A progress callback that beats the job's heartbeat (and calls ``also``, e.g. a bar)."""

    async def beat(done: int, total: int | None) -> None:
        await heartbeat(job.id, ctx.clock(), done, total)
        if also is not None:
            outcome = also(done, total)
            if inspect.isawaitable(outcome):
                await outcome

    return beat


async def drain(ctx: JobContext) -> int:
    """Run jobs until none is runnable; returns how many ran."""
    count = 0
    while (job := await claim(ctx.worker, ctx.clock(), stale=ctx.stale_after)) is not None:
        await run(job, ctx)
        count += 1
    return count


async def work(ctx: JobContext, poll: float = 2.0, stop: asyncio.Event | None = None) -> None:
    """The worker loop (``unionaid worker``, or embedded in ``unionaid serve``)."""
    stop = stop or asyncio.Event()
    while not stop.is_set():
        try:
            await drain(ctx)
        except Exception:  # the database blinked: try again at the next poll
            log.exception("worker %s: claiming failed", ctx.worker)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), timeout=poll)


class InProcessRunner:
    """Runs queued jobs in the server process right after they are queued (the SQLite default,
    and a help everywhere); other workers may take them first on PostgreSQL."""

    def __init__(self, ctx: JobContext) -> None:
        self.ctx = ctx
        self._task: asyncio.Task | None = None
        self._again = False

    def kick(self) -> None:
        """Start working the queue once the caller's unit of work has committed (a job queued
        inside it is invisible until then, and a task started inside would share its
        transaction)."""
        after_commit(self._start)

    def _start(self) -> None:
        self._again = True  # a drain already running looks once more before it stops
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._loop())

    async def _loop(self) -> None:
        while self._again:
            self._again = False
            await drain(self.ctx)

    async def idle(self) -> None:
        """Wait until the jobs started by :meth:`kick` are done (tests, shutdown)."""
        while self._task is not None and not self._task.done():
            await self._task
