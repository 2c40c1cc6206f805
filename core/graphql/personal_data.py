"""Personal information on the API: masked by default, disclosed only with a stated purpose to
roles allowed it, every disclosure and every refusal written to the audit trail; and the
person's own rights (a full export, anonymisation) as audited administrator operations."""

from __future__ import annotations

from typing import Any

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.scalars import JSON
from strawberry.types import Info

from unionaid.core import policy
from unionaid.core.errors import Code, DomainError, TopLevelError, Words
from unionaid.core.global_ids import pk_of, to_global_id
from unionaid.core.graphql.auth import principal
from unionaid.core.graphql.composed import MemberRef
from unionaid.core.graphql.errors import UserError, run_mutation
from unionaid.core.graphql.loaders import member_by_pk
from unionaid.core.graphql.selection import children
from unionaid.core.identifiers import mask_phone
from unionaid.core.models import Member as MemberModel
from unionaid.core.policy import Action
from unionaid.core.services import audit, personal_data

MAX_PURPOSE = 200


def phone_for(info: Info, row: Any) -> str | None:
    """The phone number, masked for roles that do not need it."""
    if policy.allows(principal(info), Action.READ_PHONE, row.district_code):
        return row.phone
    return mask_phone(row.phone)


def _reveal_loader(info: Info) -> DataLoader:
    cache = info.context.cache
    if "reveal" not in cache:
        cache["reveal"] = DataLoader(load_fn=lambda keys: _reveal(info, keys))
    return cache["reveal"]


async def full_id_number(info: Info, row: Any, purpose: str) -> str | None:
    return await _reveal_loader(info).load((row.pk, row.district_code, purpose.strip()))


async def _reveal(info: Info, keys: list[tuple[int, str, str]]) -> list[Any]:
    """Decrypt a batch of ID numbers in one statement and log each read (or refusal)."""
    who = principal(info)
    granted = [
        k
        for k in keys
        if k[2] and len(k[2]) <= MAX_PURPOSE and policy.allows(who, Action.READ_FULL_ID, k[1])
    ]
    encrypted = dict(
        await MemberModel.filter(id__in={k[0] for k in granted}).values_list("id", "id_number_enc")
    )
    entries, results = [], []
    for key in keys:
        pk, district, purpose = key
        ok = key in granted
        entries.append(
            audit.entry(
                who,
                "revealIdNumber",
                object_type="Member",
                object_id=to_global_id("Member", pk),
                district_code=district,
                outcome="ok" if ok else "refused",
                purpose=purpose[:MAX_PURPOSE] or None,
            )
        )
        if ok:
            # Anonymised members hold an empty ciphertext: nothing to disclose.
            results.append(info.context.vault.decrypt(encrypted[pk]) or None)
        else:
            results.append(TopLevelError(Code.FORBIDDEN))
    await audit.record_many(entries)
    return results


@strawberry.input
class PersonalDataInput:
    member_id: strawberry.ID
    reason: str = strawberry.field(description="The request or legal ground, kept in the trail")


@strawberry.type
class ExportPersonalDataPayload:
    data: JSON | None = strawberry.field(
        default=None, description="Everything held about the person, unmasked, for them"
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class AnonymiseMemberPayload:
    member: MemberRef | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


async def _target(info: Info, global_id: str) -> int:
    pk = pk_of(global_id, "Member")
    row = await MemberModel.get_or_none(id=pk).values("district_id", "enterprise_id")
    who = principal(info)
    if row is None or not policy.sees_member(who, row["district_id"], row["enterprise_id"]):
        raise DomainError(Code.NOT_FOUND, "memberId", what=Words("会员", "member"))
    policy.require(
        who, Action.MANAGE_PERSONAL_DATA, row["district_id"], "memberId", Words("会员", "member")
    )
    assert pk is not None
    return pk


@strawberry.type
class PersonalDataMutation:
    @strawberry.mutation(
        description="A copy of everything held about a member, at their request (PIPL Art. 45)"
    )
    async def export_personal_data(
        self, info: Info, input: PersonalDataInput
    ) -> ExportPersonalDataPayload:
        async def action() -> dict[str, Any]:
            pk = await _target(info, input.member_id)
            ctx = info.context
            data = await personal_data.export(
                principal(info), ctx.host, ctx.vault, pk, input.reason
            )
            return {"data": data}

        return await run_mutation(info, ExportPersonalDataPayload, action)

    @strawberry.mutation(
        description="Erase what identifies a member (PIPL Art. 47); money and audit records stay"
    )
    async def anonymise_member(
        self, info: Info, input: PersonalDataInput
    ) -> AnonymiseMemberPayload:
        async def action() -> dict[str, Any]:
            pk = await _target(info, input.member_id)
            ctx = info.context
            await personal_data.anonymise(principal(info), ctx.host, ctx.vault, pk, input.reason)
            selections = children(info.selected_fields[0].selections, "member")
            return {"member": await member_by_pk(info, pk, selections)}

        return await run_mutation(info, AnonymiseMemberPayload, action)
