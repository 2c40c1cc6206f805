"""Household files on the API: ``Member.hardship`` (loaded per page), ``hardshipFiles``, and the
mutations that register, update, verify, review and close a file."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import strawberry
from strawberry.types import Info

from unionaid.core import (
    Connection,
    MemberRef,
    MemberSource,
    Money,
    Node,
    NodeType,
    UserError,
    member_field,
    paginate,
    pk_of,
    program_scope,
    request_loader,
    request_now,
    request_today,
    run_mutation,
    to_global_id,
    visible_member_loader,
)
from unionaid.plugins.hardship import PROGRAM_ID
from unionaid.plugins.hardship.models import (
    FileStatus,
    HardshipFileChange,
    HardshipLevel,
    HardshipProfile,
    ModelWorkerLevel,
    Reason,
)
from unionaid.plugins.hardship.services import files
from unionaid.plugins.hardship.workflow import FILES

Level = strawberry.enum(HardshipLevel, name="HardshipLevel")
Title = strawberry.enum(ModelWorkerLevel, name="ModelWorkerLevel")
ReasonType = strawberry.enum(Reason, name="HardshipReason")
Status = strawberry.enum(FileStatus, name="HardshipFileStatus")
Stage = FILES.state_enum("HardshipFileStage", "Where a file is in its workflow")


@strawberry.type(description="One move of a file through its workflow (kept, never changed)")
class HardshipFileStep:
    at: dt.datetime
    actor: str
    transition: str = strawberry.field(description="register, verify, review or close")
    from_stage: Stage | None = strawberry.field(description="Null when the file was created")
    to_stage: Stage
    note: str | None


@strawberry.type
class HardshipFileChangeType:
    at: dt.datetime
    actor: str
    operation: str
    changes: strawberry.scalars.JSON


@strawberry.type(description="A hardship household file (困难职工档案); node(id:) finds it")
class HardshipFile(Node):
    level: Level
    reasons: list[ReasonType]
    assessed_income: Money | None = strawberry.field(description="Household income per month")
    assessed_size: int | None
    verified_by: str | None
    verified_on: dt.date | None
    next_review: dt.date | None
    status: Status
    stage: Stage = strawberry.field(description="Registered, verified (and reviewed) or closed")
    close_reason: str | None
    model_worker_level: Title
    model_worker_in_difficulty: bool = strawberry.field(description="困难劳模")
    version: int
    pk: strawberry.Private[int]
    member_pk: strawberry.Private[int]
    # The member's district, read only where node(id:) loads the file (the core scopes by it).
    district_code: strawberry.Private[str | None] = None

    @strawberry.field
    async def member(self, info: Info) -> MemberRef | None:
        return await visible_member_loader(info).load(self.member_pk)

    @strawberry.field(description="Every change, oldest first")
    async def history(self, info: Info) -> list[HardshipFileChangeType]:
        return await request_loader(info, "hardship.history", _histories, []).load(self.pk)

    @strawberry.field(description="Its moves through the workflow, oldest first")
    async def steps(self, info: Info) -> list[HardshipFileStep]:
        return await request_loader(info, "hardship.steps", _steps, []).load(self.pk)


async def _histories(profile_pks: list[int]) -> dict[int, list[HardshipFileChangeType]]:
    """The histories of every file of a list, in one statement."""
    found: dict[int, list[HardshipFileChangeType]] = {}
    for r in await HardshipFileChange.filter(profile_id__in=profile_pks).order_by("id"):
        found.setdefault(r.profile_id, []).append(
            HardshipFileChangeType(at=r.at, actor=r.actor, operation=r.operation, changes=r.changes)
        )
    return found


async def _steps(profile_pks: list[int]) -> dict[int, list[HardshipFileStep]]:
    """The workflow steps of every file of a list, in one statement."""
    return {
        pk: [
            HardshipFileStep(
                at=s.at,
                actor=s.actor,
                transition=s.transition,
                from_stage=Stage(s.from_state) if s.from_state else None,
                to_stage=Stage(s.to_state),
                note=s.note,
            )
            for s in steps
        ]
        for pk, steps in (await FILES.histories(profile_pks)).items()
    }


_FILE_COLUMNS = ("id", "member_id", *files.AUDITED, "stage", "version")


def file_of(p: HardshipProfile | dict[str, Any]) -> HardshipFile:
    if isinstance(p, dict):  # a row read by a MemberSource
        p = SimpleNamespace(**p)
    return HardshipFile(
        id=strawberry.ID(to_global_id("HardshipFile", p.id)),
        level=p.level,
        reasons=[Reason(r) for r in p.reasons or []],
        assessed_income=p.assessed_income,
        assessed_size=p.assessed_size,
        verified_by=p.verified_by,
        verified_on=p.verified_on,
        next_review=p.next_review,
        status=p.status,
        stage=Stage(p.stage),
        close_reason=p.close_reason,
        model_worker_level=p.model_worker_level,
        model_worker_in_difficulty=p.model_worker_in_difficulty,
        version=p.version,
        pk=p.id,
        member_pk=p.member_id,
        district_code=getattr(p, "district_code", None),
    )


async def _load_files(pks: list[int]) -> dict[int, HardshipFile]:
    """``node(id:)`` for files: a request's ids in one statement, with the member's district
    (where a file belongs)."""
    rows = await HardshipProfile.filter(id__in=pks).values(
        *_FILE_COLUMNS, district_code="member__district_id"
    )
    return {row["id"]: file_of(row) for row in rows}


# Enterprise contacts never read a file (``enterprise`` left None): the program serves staff.
FILE_NODE = NodeType(HardshipFile, _load_files)


@strawberry.type
class HardshipMemberFields:
    hardship: HardshipFile | None = member_field(
        MemberSource(HardshipProfile, key="member_id", columns=_FILE_COLUMNS, build=file_of),
        graphql_type=HardshipFile | None,
        description="The member's hardship file (hardship program), or null",
    )


@strawberry.type
class FileQuery:
    @strawberry.field(description="Hardship files in your districts where the program runs")
    async def hardship_files(
        self,
        info: Info,
        district_code: str | None = None,
        level: Level | None = None,
        status: Status | None = FileStatus.ACTIVE,
        review_due_by: dt.date | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[HardshipFile]:
        scope = await program_scope(info, PROGRAM_ID)
        query = files.listed(
            scope,
            district_code=district_code,
            level=HardshipLevel(level) if level is not None else None,
            status=FileStatus(status) if status is not None else None,
            review_due_by=review_due_by,
        )
        return await paginate(query, first=first, after=after, node=file_of)


@strawberry.input
class HardshipFileInput:
    member_id: strawberry.ID
    level: Level
    reasons: list[ReasonType]
    assessed_income: Money | None = None
    assessed_size: int | None = None
    next_review: dt.date | None = None
    model_worker_level: Title = ModelWorkerLevel.NONE
    model_worker_in_difficulty: bool = False


@strawberry.input
class UpdateHardshipFileInput:
    member_id: strawberry.ID
    version: int
    level: Level | None = strawberry.UNSET
    reasons: list[ReasonType] | None = strawberry.UNSET
    assessed_income: Money | None = strawberry.UNSET
    assessed_size: int | None = strawberry.UNSET
    next_review: dt.date | None = strawberry.UNSET
    model_worker_level: Title | None = strawberry.UNSET
    model_worker_in_difficulty: bool | None = strawberry.UNSET


_VERSION = "The version you read: CONFLICT if the file changed since"


@strawberry.input
class VerifyHardshipFileInput:
    member_id: strawberry.ID
    verified_on: dt.date
    next_review: dt.date | None = None
    version: int | None = strawberry.field(default=None, description=_VERSION)


@strawberry.input
class ReviewHardshipFileInput:
    member_id: strawberry.ID
    reviewed_on: dt.date
    next_review: dt.date
    version: int | None = strawberry.field(default=None, description=_VERSION)
    note: str | None = None


@strawberry.input
class CloseHardshipFileInput:
    member_id: strawberry.ID
    reason: str
    version: int | None = strawberry.field(default=None, description=_VERSION)


@strawberry.type
class HardshipFilePayload:
    file: HardshipFile | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


async def _file(info: Info, work) -> HardshipFilePayload:
    """Run a service on the caller's scope in one unit of work; the file it returns answers."""

    async def action() -> dict[str, Any]:
        return {"file": file_of(await work(await program_scope(info, PROGRAM_ID)))}

    return await run_mutation(info, HardshipFilePayload, action)


def _member(input: Any) -> int | None:
    return pk_of(input.member_id, "Member")


@strawberry.type
class FileMutation:
    @strawberry.mutation(description="Register a hardship household file for a member")
    async def register_hardship_file(
        self, info: Info, input: HardshipFileInput
    ) -> HardshipFilePayload:
        new = files.FileInput(
            level=input.level,
            reasons=list(input.reasons),
            assessed_income=input.assessed_income,
            assessed_size=input.assessed_size,
            next_review=input.next_review,
            model_worker_level=input.model_worker_level,
            model_worker_in_difficulty=input.model_worker_in_difficulty,
        )
        return await _file(
            info,
            lambda scope: files.register_file(scope, _member(input), new, now=request_now(info)),
        )

    @strawberry.mutation(description="Change a file; CONFLICT if it changed since you read it")
    async def update_hardship_file(
        self, info: Info, input: UpdateHardshipFileInput
    ) -> HardshipFilePayload:
        given = {
            key: getattr(input, key)
            for key in files.EDITABLE
            if getattr(input, key) is not strawberry.UNSET
        }
        return await _file(
            info, lambda scope: files.update_file(scope, _member(input), input.version, given)
        )

    @strawberry.mutation(
        description="Record who verified a file (never who registered it) and when; set the "
        "next review. Only a verified file pays."
    )
    async def verify_hardship_file(
        self, info: Info, input: VerifyHardshipFileInput
    ) -> HardshipFilePayload:
        return await _file(
            info,
            lambda scope: files.verify_file(
                scope,
                _member(input),
                verified_on=input.verified_on,
                next_review=input.next_review,
                version=input.version,
                today=request_today(info),
                now=request_now(info),
            ),
        )

    @strawberry.mutation(
        description="Review a verified file when it falls due (复核): who (never its registrar), "
        "when, and the next review"
    )
    async def review_hardship_file(
        self, info: Info, input: ReviewHardshipFileInput
    ) -> HardshipFilePayload:
        return await _file(
            info,
            lambda scope: files.review_file(
                scope,
                _member(input),
                reviewed_on=input.reviewed_on,
                next_review=input.next_review,
                version=input.version,
                note=input.note,
                today=request_today(info),
                now=request_now(info),
            ),
        )

    @strawberry.mutation(description="Close a file, with the reason (it is kept, never deleted)")
    async def close_hardship_file(
        self, info: Info, input: CloseHardshipFileInput
    ) -> HardshipFilePayload:
        return await _file(
            info,
            lambda scope: files.close_file(
                scope, _member(input), input.reason, version=input.version, now=request_now(info)
            ),
        )
