"""Imports through GraphQL: upload the file to ``POST /imports``, then ``startImport`` queues
the same import the CLI runs, as a job whose status and progress ``job(id:)`` reads."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from unionaid.core import policy
from unionaid.core.errors import Code, DomainError, Words
from unionaid.core.global_ids import pk_of, to_global_id
from unionaid.core.graphql.auth import principal
from unionaid.core.graphql.connection import Connection, paginate
from unionaid.core.graphql.errors import UserError, run_mutation
from unionaid.core.graphql.types import Node
from unionaid.core.imports.jobs import queue_import
from unionaid.core.jobs import error_in
from unionaid.core.models import Job as JobModel
from unionaid.core.models import JobStatus, Role, Upload
from unionaid.core.policy import Action


@strawberry.enum
class ImportKind(Enum):
    DISTRICTS = "districts"
    ENTERPRISES = "enterprises"
    MEMBERS = "members"
    STUDENTS = "students"


JobStatus = strawberry.enum(
    JobStatus, name="JobStatus", description="QUEUED, RUNNING, SUCCEEDED or FAILED"
)


@strawberry.type(description="Long work (an import, a payment campaign) run by a worker")
class Job(Node):
    kind: str
    status: JobStatus
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
        status=JobStatus(getattr(row["status"], "value", row["status"])),
        progress=row["progress"],
        total=row["total"],
        result=row["result"],
        stored_error=row["error"],
        created_by=row["created_by"],
        created_at=row["created_at"],
        started_at=row["started_at"],
        finished_at=row["finished_at"],
    )


def visible_jobs(info: Info) -> Any:
    who = principal(info)
    if who.role == Role.CITY_ADMIN:
        return JobModel.all()
    return JobModel.filter(created_by_id=who.user_id)


@strawberry.input
class StartImportInput:
    upload_id: strawberry.ID = strawberry.field(description="From POST /imports")
    kind: ImportKind
    strict: bool = strawberry.field(default=False, description="All rows or nothing")
    encoding: str | None = strawberry.field(default=None, description="Default: UTF-8, else GBK")


@strawberry.type
class StartImportPayload:
    job: Job | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class ImportQuery:
    @strawberry.field(description="A job you started (city administrators: any job)")
    async def job(self, info: Info, id: strawberry.ID) -> Job | None:
        pk = pk_of(id, "Job")
        rows = await visible_jobs(info).filter(id=pk).values() if pk is not None else []
        if not rows:
            raise DomainError(Code.NOT_FOUND, what=Words("任务", "job"))
        return job_of(rows[0])

    @strawberry.field(description="Your jobs, newest first (city administrators: everyone's)")
    async def jobs(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        status: JobStatus | None = None,
    ) -> Connection[Job]:
        query = visible_jobs(info)
        if status is not None:
            query = query.filter(status=JobStatus(status))
        return await paginate(
            query,
            first=first,
            after=after,
            newest_first=True,
            rows=lambda q: q.values(),
            node=job_of,
        )


@strawberry.type
class ImportMutation:
    @strawberry.mutation(description="Import an uploaded register as a job (administrators)")
    async def start_import(self, info: Info, input: StartImportInput) -> StartImportPayload:
        who = principal(info)
        policy.require_action(who, Action.IMPORT_FILES)

        async def action() -> dict[str, Any]:
            pk = pk_of(input.upload_id, "Upload")
            upload = await Upload.get_or_none(id=pk, created_by_id=who.user_id) if pk else None
            if upload is None:  # another person's upload does not exist for you
                raise DomainError(Code.NOT_FOUND, "uploadId", what=Words("上传文件", "upload"))
            queued = await queue_import(
                who,
                upload,
                ImportKind(input.kind).value,
                info.context.now,
                encoding=input.encoding,
                strict=input.strict,
            )
            if info.context.jobs is not None:
                info.context.jobs.kick()
            row = (await JobModel.filter(id=queued.id).values())[0]
            return {"job": job_of(row)}

        return await run_mutation(info, StartImportPayload, action)
