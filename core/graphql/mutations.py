"""The core's mutations: ``input: XInput!`` in, ``XPayload!`` with ``userErrors`` out."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from unionaid.core import policy
from unionaid.core.errors import Code, DomainError, Words
from unionaid.core.global_ids import pk_of
from unionaid.core.graphql import selection as sel
from unionaid.core.graphql.auth import principal
from unionaid.core.graphql.composed import MemberRef
from unionaid.core.graphql.errors import UserError, run_mutation
from unionaid.core.graphql.loaders import enterprise_by_pk, member_by_pk
from unionaid.core.graphql.scalars import Money
from unionaid.core.graphql.types import (
    EmploymentStatus,
    Enterprise,
    Fund,
    Gender,
    Household,
    Program,
    Relation,
    SchoolLevel,
)
from unionaid.core.graphql.views import fund_rows, program_rows
from unionaid.core.models import Enterprise as EnterpriseModel
from unionaid.core.models import Household as HouseholdModel
from unionaid.core.models import Member as MemberModel
from unionaid.core.policy import Action
from unionaid.core.services import enterprises, funds, members, programs


def _selected(info: Info, field: str) -> list:
    return sel.children(info.selected_fields[0].selections, field)


# What a global ID of each type names, for NOT_FOUND
KINDS = {
    "Enterprise": Words("企业", "enterprise"),
    "Household": Words("家庭", "household"),
    "Member": Words("会员", "member"),
    "Fund": Words("资金", "fund"),
}


def _pk(global_id: str | None, type_name: str, field: str) -> int | None:
    if global_id is None:
        return None
    pk = pk_of(global_id, type_name)
    if pk is None:
        what = KINDS.get(type_name, Words("记录", "record"))
        raise DomainError(Code.NOT_FOUND, field, what=what)
    return pk


def _may(info: Info, action: Action, district_code: str | None, field: str) -> None:
    """NOT_FOUND for districts out of scope, FORBIDDEN where the role may not (policy.py)."""
    policy.require(principal(info), action, district_code, field, what=Words("区", "district"))


async def _enterprise_ref(info: Info, global_id: str | None, field: str) -> int | None:
    """A referenced enterprise must be one the principal can see."""
    pk = _pk(global_id, "Enterprise", field)
    if pk is None:
        return None
    row = await EnterpriseModel.get_or_none(id=pk).values("district_id")
    policy.require_visible(
        row is not None and policy.sees_enterprise(principal(info), row["district_id"], pk),
        field,
        Words("企业", "enterprise"),
    )
    return pk


async def _household_ref(info: Info, global_id: str | None) -> int | None:
    pk = _pk(global_id, "Household", "householdId")
    if pk is None:
        return None
    row = await HouseholdModel.get_or_none(id=pk).values("district_id")
    policy.require_visible(
        row is not None and principal(info).sees_district(row["district_id"]),
        "householdId",
        Words("家庭", "household"),
    )
    return pk


async def _member_target(info: Info, global_id: str, field: str) -> dict[str, Any]:
    """A member the principal may change: NOT_FOUND if out of scope, FORBIDDEN if read-only."""
    pk = _pk(global_id, "Member", field)
    row = await MemberModel.get_or_none(id=pk).values("id", "district_id", "enterprise_id")
    who = principal(info)
    policy.require_visible(
        row is not None and policy.sees_member(who, row["district_id"], row["enterprise_id"]),
        field,
        Words("会员", "member"),
    )
    assert row is not None
    policy.require(
        who, Action.WRITE_RECORDS, row["district_id"], field, what=Words("会员", "member")
    )
    return row


def _given(value: Any) -> bool:
    return value is not strawberry.UNSET


# -- members ---------------------------------------------------------------------------------


@strawberry.input
class CreateMemberInput:
    name: str
    id_number: str = strawberry.field(description="18-character resident ID number")
    district_code: str
    phone: str | None = None
    enterprise_id: strawberry.ID | None = None
    household_id: strawberry.ID | None = strawberry.field(
        default=None, description="Join an existing household (a spouse's) instead of a new one"
    )
    is_union_member: bool = True
    employment_status: EmploymentStatus = EmploymentStatus.EMPLOYED
    monthly_income: Money | None = None


@strawberry.type
class CreateMemberPayload:
    member: MemberRef | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class UpdateMemberInput:
    id: strawberry.ID
    version: int = strawberry.field(description="The version you last read")
    name: str | None = strawberry.UNSET
    phone: str | None = strawberry.UNSET
    district_code: str | None = strawberry.field(
        default=strawberry.UNSET, description="Move the member to another district"
    )
    enterprise_id: strawberry.ID | None = strawberry.UNSET
    is_union_member: bool | None = strawberry.UNSET
    employment_status: EmploymentStatus | None = strawberry.UNSET
    monthly_income: Money | None = strawberry.UNSET
    is_active: bool | None = strawberry.field(
        default=strawberry.UNSET, description="false deactivates: members are never deleted"
    )


@strawberry.type
class UpdateMemberPayload:
    member: MemberRef | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class AddDependentInput:
    member_id: strawberry.ID = strawberry.field(description="A member of the household")
    name: str
    relation: Relation
    birth_date: dt.date | None = None
    gender: Gender | None = None
    school_level: SchoolLevel | None = None
    school: str | None = None


@strawberry.type
class AddDependentPayload:
    household: Household | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _update_changes(data: UpdateMemberInput) -> dict[str, Any]:
    plain = {
        "name": data.name,
        "phone": data.phone,
        "is_union_member": data.is_union_member,
        "employment_status": data.employment_status,
        "monthly_income": data.monthly_income,
        "is_active": data.is_active,
    }
    changes = {key: value for key, value in plain.items() if _given(value)}
    not_null = ("name", "is_union_member", "employment_status", "is_active")
    for key in not_null:
        if key in changes and changes[key] is None:
            raise DomainError(Code.REQUIRED, key)
    if _given(data.district_code):
        if data.district_code is None:
            raise DomainError(Code.REQUIRED, "districtCode")
        changes["district_id"] = data.district_code
    if _given(data.enterprise_id):
        changes["enterprise_id"] = _pk(data.enterprise_id, "Enterprise", "enterpriseId")
    return changes


# -- enterprises and funds --------------------------------------------------------------------


@strawberry.input
class CreateEnterpriseInput:
    name: str
    uscc: str = strawberry.field(description="18-character Unified Social Credit Code")
    district_code: str
    is_caring: bool = False
    contact_name: str | None = None
    contact_phone: str | None = None


@strawberry.type
class CreateEnterprisePayload:
    enterprise: Enterprise | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CreateFundInput:
    code: str
    name: str
    district_code: str | None = strawberry.field(default=None, description="null: a city fund")
    purpose: str = ""


@strawberry.type
class CreateFundPayload:
    fund: Fund | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ContributeToFundInput:
    fund_id: strawberry.ID
    amount: Money
    memo: str = ""
    reference: str | None = strawberry.field(default=None, description="e.g. a receipt number")


@strawberry.type
class ContributeToFundPayload:
    fund: Fund | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class TransferBetweenFundsInput:
    from_fund_id: strawberry.ID
    to_fund_id: strawberry.ID
    amount: Money
    memo: str = ""


@strawberry.type
class TransferBetweenFundsPayload:
    from_fund: Fund | None = None
    to_fund: Fund | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


async def _fund(info: Info, pk: int) -> Any:
    rows = await fund_rows(info, pk=pk)
    if not rows:
        raise DomainError(Code.NOT_FOUND, "fundId", what=Words("资金", "fund"))
    return rows[0]


async def _managed_fund(info: Info, global_id: str, field: str) -> int:
    """A fund the principal can see (else NOT_FOUND) and may manage (else FORBIDDEN)."""
    pk = _pk(global_id, "Fund", field)
    rows = await fund_rows(info, pk=pk)
    if not rows:
        raise DomainError(Code.NOT_FOUND, field, what=Words("资金", "fund"))
    owner = rows[0].district.code if rows[0].district else None
    policy.require(principal(info), Action.MANAGE_FUNDS, owner, field, what=Words("资金", "fund"))
    return pk


# -- programs ---------------------------------------------------------------------------------


@strawberry.input
class ProgramDistrictInput:
    program_id: str
    district_code: str


@strawberry.type
class ProgramPayload:
    program: Program | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ConfigureProgramInput:
    program_id: str
    district_code: str | None = strawberry.field(
        default=None, description="null: change the city's defaults"
    )
    settings: JSON = strawberry.field(
        description='Only the keys to change, e.g. {"spring_festival_amount": "4000.00"}'
    )
    valid_from: dt.date | None = strawberry.field(default=None, description="Default: today")


@strawberry.type
class ConfigureProgramPayload:
    program: Program | None = None
    settings_version: int | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CoreMutation:
    @strawberry.mutation(description="Register a member; birth date and gender come from the ID")
    async def create_member(self, info: Info, input: CreateMemberInput) -> CreateMemberPayload:
        async def action() -> dict[str, Any]:
            who = principal(info)
            _may(info, Action.WRITE_RECORDS, input.district_code, "districtCode")
            enterprise_id = await _enterprise_ref(info, input.enterprise_id, "enterpriseId")
            if policy.is_enterprise_contact(who):
                # An enterprise contact registers its own employees only.
                enterprise_id = enterprise_id or min(who.enterprise_ids)
            created = await members.create_member(
                who,
                info.context.vault,
                members.NewMember(
                    name=input.name,
                    id_number=input.id_number,
                    district_code=input.district_code,
                    phone=input.phone,
                    enterprise_id=enterprise_id,
                    household_id=await _household_ref(info, input.household_id),
                    is_union_member=input.is_union_member,
                    employment_status=input.employment_status,
                    monthly_income=input.monthly_income,
                ),
                today=info.context.today,
            )
            return {"member": await member_by_pk(info, created.id, _selected(info, "member"))}

        return await run_mutation(info, CreateMemberPayload, action)

    @strawberry.mutation(
        description="Change a member; CONFLICT if someone changed it since you read it"
    )
    async def update_member(self, info: Info, input: UpdateMemberInput) -> UpdateMemberPayload:
        async def action() -> dict[str, Any]:
            pk = (await _member_target(info, input.id, "id"))["id"]
            changes = _update_changes(input)
            if "district_id" in changes:
                _may(info, Action.WRITE_RECORDS, changes["district_id"], "districtCode")
            if changes.get("enterprise_id") is not None:
                await _enterprise_ref(info, input.enterprise_id, "enterpriseId")
            await members.update_member(principal(info), pk, input.version, changes)
            return {"member": await member_by_pk(info, pk, _selected(info, "member"))}

        return await run_mutation(info, UpdateMemberPayload, action)

    @strawberry.mutation(description="Add a child, spouse or parent who is not a union member")
    async def add_dependent(self, info: Info, input: AddDependentInput) -> AddDependentPayload:
        async def action() -> dict[str, Any]:
            target = await _member_target(info, input.member_id, "memberId")
            pk = target["id"]
            row = await member_by_pk(info, pk, [])
            await members.add_dependent(
                principal(info),
                members.NewDependent(
                    member_id=pk,
                    name=input.name,
                    relation=input.relation,
                    birth_date=input.birth_date,
                    gender=input.gender,
                    school_level=input.school_level,
                    school=input.school,
                ),
                today=info.context.today,
            )
            from unionaid.core.graphql.loaders import household_loader

            return {"household": await household_loader(info).load(row.household_id)}

        return await run_mutation(info, AddDependentPayload, action)

    @strawberry.mutation(description="Register an enterprise by its credit code")
    async def create_enterprise(
        self, info: Info, input: CreateEnterpriseInput
    ) -> CreateEnterprisePayload:
        async def action() -> dict[str, Any]:
            _may(info, Action.REGISTER_ENTERPRISES, input.district_code, "districtCode")
            created = await enterprises.create_enterprise(
                principal(info),
                enterprises.NewEnterprise(
                    name=input.name,
                    uscc=input.uscc,
                    district_code=input.district_code,
                    is_caring=input.is_caring,
                    contact_name=input.contact_name,
                    contact_phone=input.contact_phone,
                ),
            )
            return {
                "enterprise": await enterprise_by_pk(
                    info, created.id, _selected(info, "enterprise")
                )
            }

        return await run_mutation(info, CreateEnterprisePayload, action)

    @strawberry.mutation(description="Open a fund of the city or of a district")
    async def create_fund(self, info: Info, input: CreateFundInput) -> CreateFundPayload:
        async def action() -> dict[str, Any]:
            _may(info, Action.MANAGE_FUNDS, input.district_code, "districtCode")
            fund = await funds.create_fund(
                principal(info), input.code, input.name, input.district_code, input.purpose
            )
            return {"fund": await _fund(info, fund.id)}

        return await run_mutation(info, CreateFundPayload, action)

    @strawberry.mutation(description="Record money raised into a fund")
    async def contribute_to_fund(
        self, info: Info, input: ContributeToFundInput
    ) -> ContributeToFundPayload:
        async def action() -> dict[str, Any]:
            pk = await _managed_fund(info, input.fund_id, "fundId")
            await funds.contribute(principal(info), pk, input.amount, input.memo, input.reference)
            return {"fund": await _fund(info, pk)}

        return await run_mutation(info, ContributeToFundPayload, action)

    @strawberry.mutation(
        description="Move money between funds; INSUFFICIENT_FUNDS past the balance"
    )
    async def transfer_between_funds(
        self, info: Info, input: TransferBetweenFundsInput
    ) -> TransferBetweenFundsPayload:
        async def action() -> dict[str, Any]:
            source = await _managed_fund(info, input.from_fund_id, "fromFundId")
            target = await _managed_fund(info, input.to_fund_id, "toFundId")
            await funds.transfer(principal(info), source, target, input.amount, input.memo)
            return {"from_fund": await _fund(info, source), "to_fund": await _fund(info, target)}

        return await run_mutation(info, TransferBetweenFundsPayload, action)

    @strawberry.mutation(description="Switch a program on in a district")
    async def enable_program(self, info: Info, input: ProgramDistrictInput) -> ProgramPayload:
        return await _set_enabled(info, input, True)

    @strawberry.mutation(description="Switch a program off in a district (its data is kept)")
    async def disable_program(self, info: Info, input: ProgramDistrictInput) -> ProgramPayload:
        return await _set_enabled(info, input, False)

    @strawberry.mutation(description="Save a new version of a program's settings")
    async def configure_program(
        self, info: Info, input: ConfigureProgramInput
    ) -> ConfigureProgramPayload:
        async def action() -> dict[str, Any]:
            _may(info, Action.MANAGE_PROGRAMS, input.district_code, "districtCode")
            saved = await programs.configure(
                info.context.host,
                input.program_id,
                input.district_code,
                input.settings,
                input.valid_from or info.context.today,
                principal(info),
            )
            info.context.forget_enablement()
            program = (await program_rows(info, only=input.program_id))[0]
            return {"program": program, "settings_version": saved.version}

        return await run_mutation(info, ConfigureProgramPayload, action)


async def _set_enabled(info: Info, input: ProgramDistrictInput, enabled: bool) -> ProgramPayload:
    async def action() -> dict[str, Any]:
        _may(info, Action.MANAGE_PROGRAMS, input.district_code, "districtCode")
        await programs.set_enabled(
            info.context.host, input.program_id, input.district_code, enabled, principal(info)
        )
        info.context.forget_enablement()
        return {"program": (await program_rows(info, only=input.program_id))[0]}

    return await run_mutation(info, ProgramPayload, action)
