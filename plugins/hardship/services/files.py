"""A household file's life: registered by a caseworker, changed (``CONFLICT`` on a stale
version), verified and reviewed by someone else than its registrar, closed with a reason. Every
move goes through the workflow (``..workflow``) and every change is kept in the file's own log
(``HardshipFileChange``) and in the core's audit trail, in the move's transaction."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tortoise.transactions import in_transaction

from unionaid.core import (
    Action,
    Code,
    DomainError,
    Plausibility,
    ProgramScope,
    ScopedMember,
    TextKind,
    Words,
    audit_diff,
    clean_text,
    max_length,
    record_audit,
    require,
    to_global_id,
)
from unionaid.plugins.hardship.models import (
    FileStatus,
    HardshipFileChange,
    HardshipLevel,
    HardshipProfile,
    ModelWorkerLevel,
    Reason,
)
from unionaid.plugins.hardship.workflow import FILES

# The fields whose before and after every change keeps (the file's log and the audit trail).
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
# What a caseworker may change on a file (``update_file``); the rest follows its workflow.
EDITABLE = (
    "level",
    "reasons",
    "assessed_income",
    "assessed_size",
    "next_review",
    "model_worker_level",
    "model_worker_in_difficulty",
)
_NOT_NULL = ("level", "reasons", "model_worker_level", "model_worker_in_difficulty")
MEMBER = Words("会员", "member")


@dataclass
class FileInput:
    """What registering a file records."""

    level: HardshipLevel
    reasons: list[Reason] = field(default_factory=list)
    assessed_income: Decimal | None = None
    assessed_size: int | None = None
    next_review: dt.date | None = None
    model_worker_level: ModelWorkerLevel = ModelWorkerLevel.NONE
    model_worker_in_difficulty: bool = False


async def writable_member(scope: ProgramScope, member_pk: int | None) -> ScopedMember:
    """The member a file belongs to: visible, in a district running the program, and the caller
    may write records there."""
    member = await scope.member(member_pk, "memberId")
    require(scope.principal, Action.WRITE_RECORDS, member.district_code, "memberId", MEMBER)
    return member


def check_values(level, reasons, size, income) -> None:
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


def _values(p: HardshipProfile) -> dict[str, Any]:
    return {key: getattr(p, key) for key in AUDITED}


async def _move(
    scope: ProgramScope,
    name: str,
    member: ScopedMember,
    *,
    now: dt.datetime,
    values: Any = (),
    version: int | None = None,
    note: str | None = None,
) -> HardshipProfile:
    """Move the file through its workflow; its change log is written in the same transaction."""
    who = scope.principal

    async def log(profile: HardshipProfile, changes: dict[str, list]) -> None:
        operation = FILES.transition(name).operation or name
        await HardshipFileChange.create(
            profile_id=profile.id, actor=who.username, operation=operation, changes=changes
        )

    return await FILES.move(
        who,
        name,
        now=now,
        where={"member_id": member.pk},
        district_code=member.district_code,
        object_id=to_global_id("Member", member.pk),
        version=version,
        note=note,
        values=values,
        audited=AUDITED,
        field="memberId",
        then=log,
    )


async def register_file(
    scope: ProgramScope, member_pk: int | None, new: FileInput, *, now: dt.datetime
) -> HardshipProfile:
    """Register a file for a member (again after it was closed). DUPLICATE while an active file
    with reasons exists; a model worker's standing imported without reasons is completed."""
    member = await writable_member(scope, member_pk)
    check_values(new.level, new.reasons, new.assessed_size, new.assessed_income)

    def values(profile: HardshipProfile | None) -> dict[str, Any]:
        if profile is not None and profile.status == FileStatus.ACTIVE and profile.reasons:
            raise DomainError(
                Code.DUPLICATE, "memberId", detail=Words("困难职工档案", "hardship file")
            )
        return {
            "level": new.level,
            "reasons": [Reason(r).value for r in new.reasons],
            "assessed_income": new.assessed_income,
            "assessed_size": new.assessed_size,
            "next_review": new.next_review,
            "model_worker_level": new.model_worker_level,
            "model_worker_in_difficulty": new.model_worker_in_difficulty,
            "status": FileStatus.ACTIVE,
            "close_reason": None,
            "verified_by": None,
            "verified_on": None,
        }

    return await _move(scope, "register", member, now=now, values=values)


async def update_file(
    scope: ProgramScope, member_pk: int | None, version: int, changes: dict[str, Any]
) -> HardshipProfile:
    """Change the ``EDITABLE`` fields named in ``changes`` (a field left out is kept); CONFLICT
    when the file is no longer at ``version``."""
    member = await writable_member(scope, member_pk)
    given = {key: value for key, value in changes.items() if key in EDITABLE}
    for key in _NOT_NULL:
        if key in given and given[key] is None:
            raise DomainError(Code.REQUIRED, key)
    if "reasons" in given:
        given["reasons"] = [Reason(r).value for r in given["reasons"]]
    check_values(
        given.get("level"),
        given.get("reasons"),
        given.get("assessed_size"),
        given.get("assessed_income"),
    )
    who = scope.principal
    async with in_transaction():
        profile = await HardshipProfile.filter(member_id=member.pk).select_for_update().first()
        if profile is None:
            raise DomainError(Code.NOT_FOUND, "memberId", what=FILES.what)
        if profile.version != version:
            raise DomainError(Code.CONFLICT, "version")
        before = _values(profile)
        await HardshipProfile.filter(id=profile.id).update(**given, version=profile.version + 1)
        profile = await HardshipProfile.get(id=profile.id)
        diff = audit_diff(before, _values(profile))
        await HardshipFileChange.create(
            profile_id=profile.id, actor=who.username, operation="updateHardshipFile", changes=diff
        )
        await record_audit(
            who,
            "updateHardshipFile",
            object_type="HardshipFile",
            object_id=to_global_id("Member", member.pk),
            district_code=member.district_code,
            changes=diff,
        )
    return profile


async def verify_file(
    scope: ProgramScope,
    member_pk: int | None,
    *,
    verified_on: dt.date,
    today: dt.date,
    now: dt.datetime,
    next_review: dt.date | None = None,
    version: int | None = None,
) -> HardshipProfile:
    """Record who verified a registered file (never who registered it: the workflow refuses the
    registrar) and when; a file pays only once verified."""
    member = await writable_member(scope, member_pk)
    if verified_on > today:
        raise DomainError(Code.INVALID_DATE, "verifiedOn")
    values = {"verified_by": scope.principal.username, "verified_on": verified_on}
    if next_review is not None:
        values["next_review"] = next_review
    return await _move(scope, "verify", member, now=now, values=values, version=version)


async def review_file(
    scope: ProgramScope,
    member_pk: int | None,
    *,
    reviewed_on: dt.date,
    next_review: dt.date,
    today: dt.date,
    now: dt.datetime,
    version: int | None = None,
    note: str | None = None,
) -> HardshipProfile:
    """Review (复核) a verified file when it falls due: who (never its registrar), when, and the
    next review, which must come after."""
    member = await writable_member(scope, member_pk)
    if reviewed_on > today:
        raise DomainError(Code.INVALID_DATE, "reviewedOn")
    if next_review <= reviewed_on:
        raise DomainError(Code.INVALID_DATE, "nextReview")
    note = clean_text(note, "note", max_length=200, kind=TextKind.NOTE)
    values = {
        "verified_by": scope.principal.username,
        "verified_on": reviewed_on,
        "next_review": next_review,
    }
    return await _move(scope, "review", member, now=now, values=values, version=version, note=note)


async def close_file(
    scope: ProgramScope,
    member_pk: int | None,
    reason: str,
    *,
    now: dt.datetime,
    version: int | None = None,
) -> HardshipProfile:
    """Close a file with the reason (kept, never deleted); it stops paying."""
    member = await writable_member(scope, member_pk)
    reason = clean_text(
        reason,
        "reason",
        max_length=max_length(HardshipProfile, "close_reason"),
        kind=TextKind.NOTE,
        required=True,
    )
    closing = {"status": FileStatus.CLOSED, "close_reason": reason}
    return await _move(
        scope, "close", member, now=now, values=closing, version=version, note=reason
    )


def listed(
    scope: ProgramScope,
    *,
    district_code: str | None = None,
    level: HardshipLevel | None = None,
    status: FileStatus | None = FileStatus.ACTIVE,
    review_due_by: dt.date | None = None,
) -> Any:
    """The files the caller may list, filtered (a queryset: the caller orders and pages)."""
    query = HardshipProfile.filter(**scope.member_filter("member__", district_code))
    if level is not None:
        query = query.filter(level=level)
    if status is not None:
        query = query.filter(status=status)
    if review_due_by is not None:
        query = query.filter(next_review__lte=review_due_by)
    return query
