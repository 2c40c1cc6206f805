"""Imports as jobs: the uploaded file lives in the database, so any worker can run the import,
and a rerun after a crash finds the committed batches unchanged."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from unionaid.core.errors import message
from unionaid.core.imports.engine import ImportResult, Progress
from unionaid.core.imports.reader import FileProblem
from unionaid.core.imports.run import import_file
from unionaid.core.jobs import (
    JobContext,
    enqueue,
    handler,
    job_actor,
    job_progress,
    said_in_both,
)
from unionaid.core.models import Job, Upload
from unionaid.core.principal import Principal
from unionaid.core.timezone import today_in_shanghai

MAX_UPLOAD = 50 * 1024 * 1024


class ImportRefused(Exception):
    """The file as a whole was refused (a FileProblem); recorded as the job's error."""

    expected = True  # not a bug: no stack trace in the log


async def save_upload(actor: Principal, filename: str, content: bytes, now: dt.datetime) -> Upload:
    return await Upload.create(
        filename=filename[:200],
        size=len(content),
        sha256=hashlib.sha256(content).hexdigest(),
        content=content,
        created_by=actor.username,
        created_by_id=actor.user_id,
        created_at=now,
    )


async def queue_import(
    actor: Principal,
    upload: Upload,
    kind: str,
    now: dt.datetime,
    *,
    encoding: str | None = None,
    strict: bool = False,
) -> Job:
    params = {"upload_id": upload.id, "kind": kind, "encoding": encoding, "strict": strict}
    return await enqueue("import", params, actor, now)


async def execute_import(
    job: Job, ctx: JobContext, progress: Progress | None = None
) -> ImportResult:
    params: dict[str, Any] = job.params
    actor = await job_actor(job)
    upload = await Upload.get(id=params["upload_id"])
    beat = job_progress(job, ctx, progress)

    try:
        return await import_file(
            params["kind"],
            upload.content,
            upload.filename,
            actor,
            ctx.vault,
            ctx.host,
            encoding=params.get("encoding"),
            strict=bool(params.get("strict")),
            progress=beat,
            today=today_in_shanghai(ctx.clock()),
        )
    except FileProblem as exc:
        code, params = exc.code, exc.params
        raise ImportRefused(
            said_in_both(lambda lang: f"{code.value}: {message(code, lang, **params)}")
        ) from exc


@handler("import")
async def import_job(job: Job, ctx: JobContext) -> dict[str, Any]:
    result = await execute_import(job, ctx)
    return result.as_json()
