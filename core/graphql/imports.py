"""Imports through GraphQL: upload the file to ``POST /imports``, then ``startImport`` queues
the same import the CLI runs, as a job whose status and progress ``job(id:)`` reads."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from unionaid.core.errors import Code, DomainError, Words
from unionaid.core.global_ids import pk_of, to_global_id
from unionaid.core.graphql.auth import principal
from unionaid.core.graphql.errors import UserError, run_mutation
from unionaid.core.graphql.relay import status_filter
from unionaid.core.imports.jobs import queue_import
from unionaid.core.imports.run import may_import
from unionaid.core.jobs import error_in
from unionaid.core.models import Job as JobModel
from unionaid.core.models import JobStatus, Role, Upload


@strawberry.type(description="Long work (an import, a payment campaign) run by a worker")
class Job:
    id: strawberry.ID
    kind: str
    status: str = strawberry.field(description="queued, running, succeeded or failed")
    progress: int = strawberry.field(description="Rows (or items) done so far")
    total: int | None
    result: JSON | None = strawberry.field(
        description="For imports: counts, warnings and the first 1,000 row errors"
    )
    stored_error: strawberry.Private[str | None]
    created_by: str
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None

    @strawberry.field(description="Why a failed job failed")
    def error(self, info: Info) -> str | None:
        return error_in(self.stored_error, info.context.lang)


def job_of(row: dict[str, Any]) -> Job:
    return Job(
        id=strawberry.ID(to_global_id("Job", row["id"])),
        kind=row["kind"],
        status=str(row["status"].value if hasattr(row["status"], "value") else row["status"]),
        progress=row["progress"],
        total=row["total"],
        result=row["result"],
        stored_error=row["error"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
    )


def _visible_jobs(info: Info) -> Any:
    who = principal(info)
    if who.role == Role.CITY_ADMIN:
        return JobModel.all()
    return JobModel.filter(created_by_id=who.user_id)


@strawberry.type
class StartImportPayload:
    job: Job | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ImportQuery:
    @strawberry.field(description="A job you started (city administrators: any job)")
    async def job(self, info: Info, id: strawberry.ID) -> Job | None:
        pk = pk_of(id, "Job")
        rows = await _visible_jobs(info).filter(id=pk).values() if pk is not None else []
        if not rows:
            raise DomainError(Code.NOT_FOUND, what=Words("任务", "job"))
        return job_of(rows[0])

    @strawberry.field(description="Your newest jobs (city administrators: everyone's)")
    async def jobs(self, info: Info, status: str | None = None, first: int = 20) -> list[Job]:
        query = _visible_jobs(info)
        if status is not None:
            query = query.filter(status=status_filter(status, JobStatus))
        return [
            job_of(r) for r in await query.order_by("-id").limit(min(max(first, 1), 100)).values()
        ]


def import_mutation(kinds: list[str]) -> type:
    """The ``startImport`` mutation for ``kinds`` (the core's and installed programs' import
    kinds, ``run.import_kinds``): its ``ImportKind`` enum lists them, ``mutualaid-enrolments``
    as ``MUTUALAID_ENROLMENTS``. Built per schema, like the composed ``Member``."""
    kind_enum = strawberry.enum(
        Enum("ImportKind", {kind.upper().replace("-", "_"): kind for kind in kinds}),
        description="What an import file holds: the core's registers and programs' kinds",
    )

    # Built with real (not string) annotations: the enum and input are local to this call.
    namespace = {
        "__annotations__": {
            "upload_id": strawberry.ID,
            "kind": kind_enum,
            "strict": bool,
            "encoding": str | None,
        },
        "upload_id": strawberry.field(description="From POST /imports"),
        "strict": strawberry.field(default=False, description="All rows or nothing"),
        "encoding": strawberry.field(default=None, description="Default: UTF-8, else GBK"),
    }
    start_input = strawberry.input(type("StartImportInput", (), namespace))

    async def start_import(self, info, input) -> StartImportPayload:
        who = principal(info)
        kind = kind_enum(input.kind).value
        await may_import(who, kind, info.context.host)

        async def action() -> dict[str, Any]:
            pk = pk_of(input.upload_id, "Upload")
            upload = await Upload.get_or_none(id=pk, created_by_id=who.user_id) if pk else None
            if upload is None:  # another person's upload does not exist for you
                raise DomainError(Code.NOT_FOUND, "uploadId", what=Words("上传文件", "upload"))
            queued = await queue_import(
                who, upload, kind, info.context.now, encoding=input.encoding, strict=input.strict
            )
            if info.context.jobs is not None:
                info.context.jobs.kick()
            row = (await JobModel.filter(id=queued.id).values())[0]
            return {"job": job_of(row)}

        return await run_mutation(info, StartImportPayload, action)

    start_import.__annotations__ = {
        "info": Info,
        "input": start_input,
        "return": StartImportPayload,
    }
    mutation = strawberry.mutation(
        start_import,
        description="Import an uploaded file as a job (administrators; a program's kinds: whoever "
        "holds the action it names)",
    )
    return strawberry.type(type("ImportMutation", (), {"start_import": mutation}))
