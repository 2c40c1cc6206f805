"""Signing in and out, who am I, and the audit trail."""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from unionaid.core import policy
from unionaid.core.errors import Code, DomainError
from unionaid.core.graphql.auth import principal
from unionaid.core.graphql.connection import Connection, paginate
from unionaid.core.graphql.errors import UserError, run_mutation
from unionaid.core.graphql.types import District
from unionaid.core.models import AuditEntry as AuditModel
from unionaid.core.models import District as DistrictModel
from unionaid.core.models import Enterprise as EnterpriseModel
from unionaid.core.policy import Action
from unionaid.core.principal import Principal
from unionaid.core.services import accounts

AUDIT_MAX_PK = 2**63 - 1  # audit entries have 64-bit keys


@strawberry.type(description="The signed-in user")
class Viewer:
    username: str
    role: str = strawberry.field(
        description="city_admin, district_admin, caseworker, approver, auditor, enterprise or "
        "service"
    )
    districts: list[District] = strawberry.field(description="Where the user works")
    all_districts: bool = strawberry.field(description="True for city-wide roles")
    enterprise_uscc: str | None
    permissions: list[str] = strawberry.field(description="What the role may do (policy.py)")


async def viewer(who: Principal) -> Viewer:
    query = DistrictModel.filter(**policy.district_scope(who)).order_by("code")
    districts = [
        District(code=r["code"], name=r["name"]) for r in await query.values("code", "name")
    ]
    uscc = None
    if who.enterprise_ids:
        uscc = (
            await EnterpriseModel.filter(id__in=who.enterprise_ids)
            .first()
            .values_list("uscc", flat=True)
        )
    return Viewer(
        username=who.username,
        role=who.role,
        districts=districts,
        all_districts=who.district_codes is None,
        enterprise_uscc=uscc,
        permissions=sorted(a.value for a in policy.ROLE_ACTIONS[policy.Role(who.role)]),
    )


@strawberry.type(description="One entry of the append-only audit trail")
class AuditEntry:
    id: strawberry.ID
    at: dt.datetime
    username: str = strawberry.field(description="Who acted (a person, never a shared account)")
    role: str
    request_id: str
    operation: str = strawberry.field(description="e.g. updateMember, revealIdNumber, login")
    object_type: str
    object_id: str = strawberry.field(description="The object's global ID (or a program id)")
    district_code: str | None
    outcome: str = strawberry.field(description="ok, or refused")
    purpose: str | None = strawberry.field(description="Stated purpose of a personal-data read")
    changes: JSON = strawberry.field(
        description="{field: [before, after]}; ID numbers and phones masked"
    )


@strawberry.input
class LoginInput:
    username: str
    password: str


@strawberry.type
class LoginPayload:
    token: str | None = strawberry.field(
        default=None, description="Send as 'Authorization: Bearer <token>'"
    )
    expires_at: dt.datetime | None = None
    viewer: Viewer | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class LogoutPayload:
    revoked: bool = False
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _entry(row: dict[str, Any]) -> AuditEntry:
    return AuditEntry(
        id=strawberry.ID(str(row["id"])),
        at=row["at"],
        username=row["username"],
        role=row["role"],
        request_id=row["request_id"],
        operation=row["operation"],
        object_type=row["object_type"],
        object_id=row["object_id"],
        district_code=row["district_code"],
        outcome=row["outcome"],
        purpose=row["purpose"],
        changes=row["changes"],
    )


@strawberry.type
class AccessQuery:
    @strawberry.field(description="Who you are signed in as, and what you may do")
    async def me(self, info: Info) -> Viewer:
        return await viewer(principal(info))

    @strawberry.field(description="The audit trail, newest first (auditors and city admins)")
    async def audit_log(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        object_id: str | None = None,
        object_type: str | None = None,
        username: str | None = None,
        district_code: str | None = None,
        operation: str | None = None,
        since: dt.datetime | None = None,
        until: Annotated[dt.datetime | None, strawberry.argument(description="Exclusive")] = None,
    ) -> Connection[AuditEntry]:
        who = principal(info)
        policy.require_action(who, Action.READ_AUDIT)
        query = AuditModel.all()
        if who.district_codes is not None:
            query = query.filter(district_code__in=who.district_codes)
        filters = {
            "object_id": object_id,
            "object_type": object_type,
            "username": username,
            "district_code": district_code,
            "operation": operation,
            "at__gte": since,
            "at__lt": until,
        }
        query = query.filter(**{k: v for k, v in filters.items() if v is not None})
        return await paginate(
            query,
            first=first,
            after=after,
            newest_first=True,
            rows=lambda q: q.values(),
            node=_entry,
            max_pk=AUDIT_MAX_PK,
        )


@strawberry.type
class AccessMutation:
    @strawberry.mutation(
        description="Sign a person in: a token valid for 8 hours. Public. Repeated failures are "
        "throttled (TOO_MANY_ATTEMPTS)"
    )
    async def login(self, info: Info, input: LoginInput) -> LoginPayload:
        ctx = info.context
        checked: accounts.Credentials | DomainError = DomainError(Code.INVALID_CREDENTIALS)
        if input.username and input.password:
            try:  # before the transaction: no connection waits on the password hash
                checked = await accounts.check_credentials(
                    input.username, input.password, ctx.client, ctx.now
                )
            except DomainError as err:
                checked = err

        async def action() -> dict[str, Any]:
            if isinstance(checked, DomainError):
                raise checked
            issued, who = await accounts.login(checked, ctx.client, ctx.now, ctx.request_id)
            return {
                "token": issued.token,
                "expires_at": issued.expires_at,
                "viewer": await viewer(who),
            }

        return await run_mutation(info, LoginPayload, action)

    @strawberry.mutation(description="Revoke the token this request was made with")
    async def logout(self, info: Info) -> LogoutPayload:
        who = principal(info)

        async def action() -> dict[str, Any]:
            count = await accounts.revoke_tokens(who, info.context.now, token=info.context.token)
            return {"revoked": count > 0}

        return await run_mutation(info, LogoutPayload, action)
