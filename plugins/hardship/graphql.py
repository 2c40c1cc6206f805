"""The hardship program on the API: ``Member.hardship``, the household files, and the mutations
that register, update, verify and close them. Scoped, gated and audited through the core's
public API only (``unionaid.core``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import strawberry
from strawberry.types import Info
from tortoise.transactions import in_transaction

from unionaid.core import (
    Action,
    Code,
    DomainError,
    MemberRef,
    MemberSource,
    Money,
    Plausibility,
    TextKind,
    UserError,
    Words,
    audit_diff,
    clean_text,
    max_length,
    member_field,
    paid_entitlements,
    pk_of,
    principal,
    program_scope,
    record_audit,
    request_loader,
    require,
    run_mutation,
    to_global_id,
    visible_member_loader,
)
from unionaid.plugins.hardship.models import (
    FileStage,
    FileStatus,
    HardshipFileChange,
    HardshipLevel,
    HardshipProfile,
    ModelWorkerLevel,
    Reason,
)
from unionaid.plugins.hardship.rules import judged_size
from unionaid.plugins.hardship.workflow import FILES

PROGRAM = "hardship"
Level = strawberry.enum(HardshipLevel, name="HardshipLevel")
Title = strawberry.enum(ModelWorkerLevel, name="ModelWorkerLevel")
ReasonType = strawberry.enum(Reason, name="HardshipReason")
Status = strawberry.enum(FileStatus, name="HardshipFileStatus")
Stage = strawberry.enum(FileStage, name="HardshipFileStage")
AUDITED = (
    "level",
    "reasons",
    "assessed_income",
    "assessed_size",
    "next_review",
    "model_worker_level",
    "model_worker_in_difficulty",
    "verified_by",
    "verified_on",
    "status",
    "close_reason",
)


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


@strawberry.type(description="A hardship household file (困难职工档案)")
class HardshipFile:
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
                from_stage=FileStage(s.from_state) if s.from_state else None,
                to_stage=FileStage(s.to_state),
                note=s.note,
            )
            for s in steps
        ]
        for pk, steps in (await FILES.histories(profile_pks)).items()
    }


_FILE_COLUMNS = ("id", "member_id", *AUDITED, "stage", "version")


def file_of(p: HardshipProfile | dict[str, Any]) -> HardshipFile:
    if isinstance(p, dict):  # a row read by a MemberSource
        p = SimpleNamespace(**p)
    return HardshipFile(
        level=p.level,
        reasons=[Reason(r) for r in p.reasons or []],
        assessed_income=p.assessed_income,
        assessed_size=p.assessed_size,
        verified_by=p.verified_by,
        verified_on=p.verified_on,
        next_review=p.next_review,
        status=p.status,
        stage=p.stage,
        close_reason=p.close_reason,
        model_worker_level=p.model_worker_level,
        model_worker_in_difficulty=p.model_worker_in_difficulty,
        version=p.version,
        pk=p.id,
        member_pk=p.member_id,
    )


@strawberry.type
class HardshipMemberFields:
    hardship: HardshipFile | None = member_field(
        MemberSource(HardshipProfile, key="member_id", columns=_FILE_COLUMNS, build=file_of),
        graphql_type=HardshipFile | None,
        description="The member's hardship file (hardship program), or null",
    )


@strawberry.type
class HardshipQuery:
    @strawberry.field(description="Households and people paid and amounts (the program's report)")
    async def hardship_report(
        self, info: Info, period: str | None = None, district_code: str | None = None
    ) -> list[HardshipReportRow]:
        return await hardship_report(info, period, district_code)

    @strawberry.field(description="Hardship files in your districts where the program runs")
    async def hardship_files(
        self,
        info: Info,
        district_code: str | None = None,
        level: Level | None = None,
        status: Status | None = FileStatus.ACTIVE,
        review_due_by: dt.date | None = None,
        first: int = 50,
    ) -> list[HardshipFile]:
        scope = await program_scope(info, PROGRAM)
        query = HardshipProfile.filter(**scope.member_filter("member__", district_code))
        if level is not None:
            query = query.filter(level=level)
        if status is not None:
            query = query.filter(status=status)
        if review_due_by is not None:
            query = query.filter(next_review__lte=review_due_by)
        rows = await query.order_by("id").limit(min(max(first, 1), 200))
        return [file_of(r) for r in rows]


@strawberry.type(description="Paid hardship benefits, by campaign, district, level and period")
class HardshipReportRow:
    campaign_id: strawberry.ID
    district_code: str
    rule_code: str
    period_code: str
    level: str
    households: int
    people: int = strawberry.field(description="Household members covered")
    amount: Money


async def hardship_report(info: Info, period: str | None, district_code: str | None):
    scope = await program_scope(info, PROGRAM)
    groups: dict[tuple, list] = {}
    for row in await paid_entitlements(PROGRAM, scope.districts(district_code), period):
        facts = row["facts"] or {}
        key = (
            row["campaign_id"],
            row["district_code"],
            row["rule_code"],
            row["period_code"],
            facts.get("hardship_level") or "none",
        )
        slot = groups.setdefault(key, [0, 0, Decimal("0.00")])
        slot[0] += 1
        slot[1] += int(judged_size(facts) or 1)
        slot[2] += Decimal(row["amount"])
    return [
        HardshipReportRow(
            campaign_id=strawberry.ID(to_global_id("Campaign", c)),
            district_code=d,
            rule_code=r,
            period_code=p,
            level=lv,
            households=n,
            people=people,
            amount=amount,
        )
        for (c, d, r, p, lv), (n, people, amount) in sorted(groups.items())
    ]


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


@strawberry.input
class VerifyHardshipFileInput:
    member_id: strawberry.ID
    verified_on: dt.date
    next_review: dt.date | None = None
    version: int | None = strawberry.field(
        default=None, description="The version you read: CONFLICT if the file changed since"
    )


@strawberry.input
class ReviewHardshipFileInput:
    member_id: strawberry.ID
    reviewed_on: dt.date
    next_review: dt.date
    version: int | None = strawberry.field(
        default=None, description="The version you read: CONFLICT if the file changed since"
    )
    note: str | None = None


@strawberry.input
class CloseHardshipFileInput:
    member_id: strawberry.ID
    reason: str
    version: int | None = strawberry.field(
        default=None, description="The version you read: CONFLICT if the file changed since"
    )


@strawberry.type
class HardshipFilePayload:
    file: HardshipFile | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _values(p: HardshipProfile) -> dict[str, Any]:
    return {key: getattr(p, key) for key in AUDITED}


async def _member(info: Info, global_id: str) -> tuple[int, str]:
    """The member a file belongs to: visible, in a district running the program, writable."""
    pk = pk_of(global_id, "Member")
    loaded = await visible_member_loader(info).load(pk) if pk is not None else None
    if loaded is None:
        raise DomainError(Code.NOT_FOUND, "memberId", what=Words("会员", "member"))
    (await program_scope(info, PROGRAM)).require(loaded.district_code, "memberId")
    require(
        principal(info),
        Action.WRITE_RECORDS,
        loaded.district_code,
        "memberId",
        Words("会员", "member"),
    )
    return pk, loaded.district_code


async def _save(info: Info, operation: str, member_pk: int, district: str, change) -> HardshipFile:
    who = principal(info)
    async with in_transaction():
        profile = await HardshipProfile.filter(member_id=member_pk).select_for_update().first()
        before = _values(profile) if profile else None
        profile = await change(profile)
        after = _values(profile)
        changes = audit_diff(before, after)
        await HardshipFileChange.create(
            profile_id=profile.id, actor=who.username, operation=operation, changes=changes
        )
        await record_audit(
            who,
            operation,
            object_type="HardshipFile",
            object_id=to_global_id("Member", member_pk),
            district_code=district,
            changes=changes,
        )
    return file_of(profile)


async def _move(
    info: Info,
    name: str,
    member_pk: int,
    district: str,
    *,
    values: Any = (),
    version: int | None = None,
    note: str | None = None,
) -> HardshipFile:
    """Move the file through its workflow; its change log is written in the same transaction."""
    who = principal(info)

    async def log(profile: HardshipProfile, changes: dict[str, list]) -> None:
        operation = FILES.transition(name).operation or name
        await HardshipFileChange.create(
            profile_id=profile.id, actor=who.username, operation=operation, changes=changes
        )

    profile = await FILES.move(
        who,
        name,
        where={"member_id": member_pk},
        district_code=district,
        object_id=to_global_id("Member", member_pk),
        version=version,
        note=note,
        values=values,
        audited=AUDITED,
        field="memberId",
        then=log,
    )
    return file_of(profile)


async def _bump(profile: HardshipProfile, values: dict[str, Any]) -> HardshipProfile:
    """Write ``values`` as the file's next version and read it back."""
    await HardshipProfile.filter(id=profile.id).update(**values, version=profile.version + 1)
    return await HardshipProfile.get(id=profile.id)


def _existing(profile: HardshipProfile | None) -> HardshipProfile:
    if profile is None:
        raise DomainError(Code.NOT_FOUND, "memberId", what=Words("困难职工档案", "hardship file"))
    return profile


def _check(level, reasons, size, income) -> None:
    if level is not None and level == HardshipLevel.NONE and reasons:
        raise DomainError(
            Code.INVALID_INPUT,
            "level",
            detail=Words("困难职工档案须有困难等级", "a hardship file needs a level"),
        )
    if size is not None and not 1 <= size <= 30:
        raise DomainError(Code.INVALID_INPUT, "assessedSize", detail=Words("应为 1 至 30", "1..30"))
    if income is not None and income < Decimal("0"):
        raise DomainError(Code.INVALID_AMOUNT, "assessedIncome")
    Plausibility.from_env().check_income(income, "assessedIncome")  # a month's, as the register's


@strawberry.type
class HardshipMutation:
    @strawberry.mutation(description="Register a hardship household file for a member")
    async def register_hardship_file(
        self, info: Info, input: HardshipFileInput
    ) -> HardshipFilePayload:
        async def action() -> dict[str, Any]:
            pk, district = await _member(info, input.member_id)
            _check(input.level, input.reasons, input.assessed_size, input.assessed_income)

            def values(profile):
                if profile is not None and profile.status == FileStatus.ACTIVE and profile.reasons:
                    raise DomainError(
                        Code.DUPLICATE, "memberId", detail=Words("困难职工档案", "hardship file")
                    )
                return {
                    "level": input.level,
                    "reasons": [Reason(r).value for r in input.reasons],
                    "assessed_income": input.assessed_income,
                    "assessed_size": input.assessed_size,
                    "next_review": input.next_review,
                    "model_worker_level": input.model_worker_level,
                    "model_worker_in_difficulty": input.model_worker_in_difficulty,
                    "status": FileStatus.ACTIVE,
                    "close_reason": None,
                    "verified_by": None,
                    "verified_on": None,
                }

            return {"file": await _move(info, "register", pk, district, values=values)}

        return await run_mutation(info, HardshipFilePayload, action)

    @strawberry.mutation(description="Change a file; CONFLICT if it changed since you read it")
    async def update_hardship_file(
        self, info: Info, input: UpdateHardshipFileInput
    ) -> HardshipFilePayload:
        async def action() -> dict[str, Any]:
            pk, district = await _member(info, input.member_id)
            given = {
                key: getattr(input, key)
                for key in (
                    "level",
                    "reasons",
                    "assessed_income",
                    "assessed_size",
                    "next_review",
                    "model_worker_level",
                    "model_worker_in_difficulty",
                )
                if getattr(input, key) is not strawberry.UNSET
            }
            for key in ("level", "reasons", "model_worker_level", "model_worker_in_difficulty"):
                if key in given and given[key] is None:
                    raise DomainError(Code.REQUIRED, key)
            if "reasons" in given:
                given["reasons"] = [Reason(r).value for r in given["reasons"]]
            _check(
                given.get("level"),
                given.get("reasons"),
                given.get("assessed_size"),
                given.get("assessed_income"),
            )

            async def change(profile):
                if _existing(profile).version != input.version:
                    raise DomainError(Code.CONFLICT, "version")
                return await _bump(profile, given)

            return {"file": await _save(info, "updateHardshipFile", pk, district, change)}

        return await run_mutation(info, HardshipFilePayload, action)

    @strawberry.mutation(
        description="Record who verified a file (never who registered it) and when; set the "
        "next review"
    )
    async def verify_hardship_file(
        self, info: Info, input: VerifyHardshipFileInput
    ) -> HardshipFilePayload:
        async def action() -> dict[str, Any]:
            pk, district = await _member(info, input.member_id)
            if input.verified_on > info.context.today:
                raise DomainError(Code.INVALID_DATE, "verifiedOn")

            values = {"verified_by": principal(info).username, "verified_on": input.verified_on}
            if input.next_review is not None:
                values["next_review"] = input.next_review
            moved = await _move(
                info, "verify", pk, district, values=values, version=input.version
            )  # by a second person: the workflow refuses the registrar
            return {"file": moved}

        return await run_mutation(info, HardshipFilePayload, action)

    @strawberry.mutation(
        description="Review a verified file when it falls due (复核): who (never its registrar), "
        "when, and the next review"
    )
    async def review_hardship_file(
        self, info: Info, input: ReviewHardshipFileInput
    ) -> HardshipFilePayload:
        async def action() -> dict[str, Any]:
            pk, district = await _member(info, input.member_id)
            if input.reviewed_on > info.context.today:
                raise DomainError(Code.INVALID_DATE, "reviewedOn")
            if input.next_review <= input.reviewed_on:
                raise DomainError(Code.INVALID_DATE, "nextReview")
            note = clean_text(input.note, "note", max_length=200, kind=TextKind.NOTE)
            values = {
                "verified_by": principal(info).username,
                "verified_on": input.reviewed_on,
                "next_review": input.next_review,
            }
            moved = await _move(
                info, "review", pk, district, values=values, version=input.version, note=note
            )
            return {"file": moved}

        return await run_mutation(info, HardshipFilePayload, action)

    @strawberry.mutation(description="Close a file, with the reason (it is kept, never deleted)")
    async def close_hardship_file(
        self, info: Info, input: CloseHardshipFileInput
    ) -> HardshipFilePayload:
        async def action() -> dict[str, Any]:
            pk, district = await _member(info, input.member_id)
            reason = clean_text(
                input.reason,
                "reason",
                max_length=max_length(HardshipProfile, "close_reason"),
                kind=TextKind.NOTE,
                required=True,
            )

            closing = {"status": FileStatus.CLOSED, "close_reason": reason}
            moved = await _move(
                info, "close", pk, district, values=closing, version=input.version, note=reason
            )
            return {"file": moved}

        return await run_mutation(info, HardshipFilePayload, action)
