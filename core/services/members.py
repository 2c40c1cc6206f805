"""Registering and changing members and their households."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from unionaid.core.crypto import Vault
from unionaid.core.errors import Code, DomainError, Words
from unionaid.core.global_ids import to_global_id
from unionaid.core.identifiers import is_valid_phone, parse_id_number
from unionaid.core.keys import require_writer
from unionaid.core.models import (
    Dependent,
    District,
    EmploymentStatus,
    Enterprise,
    Gender,
    Household,
    Member,
    MemberMove,
    Relation,
    SchoolLevel,
)
from unionaid.core.principal import Principal
from unionaid.core.services import audit
from unionaid.core.services.validation import Plausibility, Problems, TextKind, max_length
from unionaid.core.timezone import today_in_shanghai

UNSET: Any = object()  # "not given" in an update, distinct from an explicit null


@dataclass
class NewMember:
    name: str
    id_number: str
    district_code: str
    phone: str | None = None
    enterprise_id: int | None = None
    household_id: int | None = None  # join a spouse's household instead of starting one
    is_union_member: bool = True
    employment_status: EmploymentStatus = EmploymentStatus.EMPLOYED
    monthly_income: Decimal | None = None
    source_ref: str | None = None


def _name(problems: Problems, model: type, value: str | None) -> str:
    limit = max_length(model, "name")
    return problems.text(value, "name", max_length=limit, kind=TextKind.NAME, required=True)


async def create_member(
    actor: Principal, vault: Vault, new: NewMember, *, today: dt.date | None = None
) -> Member:
    """``today`` (Asia/Shanghai) judges the birth date; the request's, or the clock's."""
    today = today or today_in_shanghai()
    bounds = Plausibility.from_env()
    problems = Problems()
    name = _name(problems, Member, new.name)
    resident = parse_id_number(new.id_number)
    if resident is None:
        problems.add(Code.INVALID_ID_NUMBER, "idNumber")
    else:
        problems.check(bounds.check_birth_date, resident.birth_date, today, "idNumber")
    if new.phone is not None and not is_valid_phone(new.phone):
        problems.add(Code.INVALID_PHONE, "phone")
    problems.check(bounds.check_income, new.monthly_income, "monthlyIncome")
    if not await District.exists(code=new.district_code):
        problems.add(Code.NOT_FOUND, "districtCode", what=Words("区", "district"))
    if new.enterprise_id is not None and not await Enterprise.exists(id=new.enterprise_id):
        problems.add(Code.NOT_FOUND, "enterpriseId", what=Words("企业", "enterprise"))
    household = None
    if new.household_id is not None:
        household = await Household.get_or_none(id=new.household_id)
        if household is None:
            problems.add(Code.NOT_FOUND, "householdId", what=Words("家庭", "household"))
        elif household.district_id != new.district_code:
            problems.add(
                Code.INVALID_INPUT,
                "householdId",
                detail=Words("家庭属于其他区", "household of another district"),
            )
    if resident is not None:
        await require_writer(vault)  # no registering while a key rotation re-hashes members
        digest = vault.lookup_hash(resident.number)
        if await Member.exists(id_number_hash=digest):
            problems.add(Code.DUPLICATE, "idNumber", detail=Words("身份证号码", "ID number"))
    problems.raise_if_any()
    assert resident is not None
    try:
        async with in_transaction():
            if household is None:
                household = await Household.create(district_id=new.district_code)
            created = await Member.create(
                name=name,
                id_number_enc=vault.encrypt(resident.number),
                id_number_hash=vault.lookup_hash(resident.number),
                id_number_masked=resident.masked,
                birth_date=resident.birth_date,
                gender=Gender(resident.gender),
                phone=new.phone,
                district_id=new.district_code,
                enterprise_id=new.enterprise_id,
                household_id=household.id,
                is_union_member=new.is_union_member,
                employment_status=new.employment_status,
                monthly_income=new.monthly_income,
                source_ref=new.source_ref,
            )
            await audit.record(
                actor,
                "createMember",
                object_type="Member",
                object_id=to_global_id("Member", created.id),
                district_code=new.district_code,
                changes=audit.diff(None, {"id_number": resident.number, **_audited(created)}),
            )
            return created
    except IntegrityError as exc:  # a concurrent registration of the same ID number
        raise DomainError(
            Code.DUPLICATE, "idNumber", detail=Words("身份证号码", "ID number")
        ) from exc


# Member columns the audit trail follows (the ID number is audited masked, at creation).
AUDITED = (
    "name",
    "phone",
    "district_id",
    "enterprise_id",
    "household_id",
    "is_union_member",
    "employment_status",
    "monthly_income",
    "is_active",
)


def _audited(member: Member) -> dict[str, Any]:
    return {key: getattr(member, key) for key in AUDITED}


async def update_member(
    actor: Principal, member_id: int, version: int, changes: dict[str, Any]
) -> Member:
    """Apply ``changes`` (model field names) if the member is still at ``version``."""
    member = await Member.get_or_none(id=member_id)
    if member is None:
        raise DomainError(Code.NOT_FOUND, "id", what=Words("会员", "member"))
    problems = Problems()
    changes = dict(changes)
    if "name" in changes:
        changes["name"] = _name(problems, Member, changes["name"])
    phone = changes.get("phone")
    if phone is not None and not is_valid_phone(phone):
        problems.add(Code.INVALID_PHONE, "phone")
    problems.check(
        Plausibility.from_env().check_income, changes.get("monthly_income"), "monthlyIncome"
    )
    target_district = changes.get("district_id", member.district_id)
    if "district_id" in changes and not await District.exists(code=target_district):
        problems.add(Code.NOT_FOUND, "districtCode", what=Words("区", "district"))
    enterprise_id = changes.get("enterprise_id")
    if enterprise_id is not None and not await Enterprise.exists(id=enterprise_id):
        problems.add(Code.NOT_FOUND, "enterpriseId", what=Words("企业", "enterprise"))
    problems.raise_if_any()
    moved = target_district != member.district_id
    async with in_transaction():
        updated = await Member.filter(id=member_id, version=version).update(
            **changes, version=version + 1, updated_at=dt.datetime.now(dt.UTC)
        )
        if not updated:
            raise DomainError(Code.CONFLICT, "version")
        if moved:
            await MemberMove.create(
                member_id=member_id,
                from_district_id=member.district_id,
                to_district_id=target_district,
                actor=actor.username,
            )
            # A household lives in one district: a member moving alone starts a new one there.
            others = await Member.filter(household_id=member.household_id).exclude(id=member_id)
            if others:
                household = await Household.create(district_id=target_district)
                await Member.filter(id=member_id).update(household_id=household.id)
            else:
                await Household.filter(id=member.household_id).update(district_id=target_district)
        after = await Member.get(id=member_id)
        await audit.record(
            actor,
            "updateMember",
            object_type="Member",
            object_id=to_global_id("Member", member_id),
            district_code=target_district,
            changes=audit.diff(_audited(member), _audited(after))
            | {"version": [version, version + 1]},
        )
    return after


@dataclass
class NewDependent:
    member_id: int
    name: str
    relation: Relation
    birth_date: dt.date | None = None
    gender: Gender | None = None
    school_level: SchoolLevel | None = None
    school: str | None = None
    source_ref: str | None = None


async def add_dependent(
    actor: Principal, new: NewDependent, *, today: dt.date | None = None
) -> Dependent:
    member = await Member.get_or_none(id=new.member_id)
    problems = Problems()
    if member is None:
        problems.add(Code.NOT_FOUND, "memberId", what=Words("会员", "member"))
    name = _name(problems, Dependent, new.name)
    school = problems.text(new.school, "school", max_length=max_length(Dependent, "school"))
    if new.birth_date is not None:
        bounds = Plausibility.from_env()
        problems.check(
            bounds.check_birth_date, new.birth_date, today or today_in_shanghai(), "birthDate"
        )
    problems.raise_if_any()
    assert member is not None
    values = {
        "household_id": member.household_id,
        "name": name,
        "relation": new.relation,
        "birth_date": new.birth_date,
        "gender": new.gender,
        "school_level": new.school_level,
        "school": school,
        "source_ref": new.source_ref,
    }
    async with in_transaction():
        dependent = await Dependent.create(**values)
        await audit.record(
            actor,
            "addDependent",
            object_type="Household",
            object_id=to_global_id("Household", member.household_id),
            district_code=member.district_id,
            changes=audit.diff(None, values),
        )
    return dependent


async def declare_household_size(
    actor: Principal, household_id: int, district_code: str, size: int
) -> None:
    """The household size as the register states it (per-capita income tests use it)."""
    async with in_transaction():
        before = await Household.get(id=household_id).values_list("declared_size", flat=True)
        await Household.filter(id=household_id).update(declared_size=size)
        await audit.record(
            actor,
            "declareHouseholdSize",
            object_type="Household",
            object_id=to_global_id("Household", household_id),
            district_code=district_code,
            changes=audit.diff({"declared_size": before}, {"declared_size": size}),
        )
