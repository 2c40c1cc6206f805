"""Queueing a program's job from its mutation (``queue_job``)."""

from __future__ import annotations

from typing import Any

from strawberry.types import Info

from unionaid.core.graphql.auth import principal
from unionaid.core.graphql.imports import Job, job_of
from unionaid.core.jobs import enqueue
from unionaid.core.models import Job as JobModel
from unionaid.core.program_reach import job_districts


async def queue_job(
    info: Info, kind: str, params: dict[str, Any], *, district_code: str | None = None
) -> Job:
    """Queue a job of one of the program's kinds (``register_job_handlers``) for
    ``district_code`` (None: city-wide, every district where the program is on and the caller
    may act), acting as the caller; return it for the mutation's answer (``job(id:)`` follows
    it). Call it inside ``run_mutation``: the job is queued in the mutation's transaction and
    the in-process runner starts it once that commits.

    Refuses, as the job will when it runs: ``NOT_FOUND`` for a district the caller cannot see,
    ``PROGRAM_NOT_ENABLED`` where the program is off, ``FORBIDDEN`` for a role it does not
    serve. ``params`` must be JSON-safe. A kind no program registered is a bug (``ValueError``).
    """
    host = info.context.host
    found = host.job_handler(kind)
    if found is None:
        raise ValueError(f"no program registered the job kind {kind!r}")
    who = principal(info)
    await job_districts(host, found[0], who, district_code)
    queued = await enqueue(kind, params, who, info.context.now, district_code)
    if info.context.jobs is not None:
        info.context.jobs.kick()
    return job_of((await JobModel.filter(id=queued.id).values())[0])
