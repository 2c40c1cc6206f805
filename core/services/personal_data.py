"""A person's rights over their data (PIPL Art. 45 and 47): a full copy on request, and erasure
by anonymisation where the law requires it. Money and audit records are kept; what identifies
the person is replaced."""

from __future__ import annotations

import datetime as dt
import secrets
from typing import Any

from tortoise.transactions import in_transaction

from unionaid.core.crypto import Vault
from unionaid.core.errors import Code, DomainError, Words
from unionaid.core.global_ids import to_global_id
from unionaid.core.host import PluginHost
from unionaid.core.keys import require_writer
from unionaid.core.models import AuditEntry, Dependent, Member, MemberMove
from unionaid.core.principal import Principal
from unionaid.core.services import audit
from unionaid.core.services.validation import TextKind, clean_text, max_length

ANONYMOUS_NAME = "已匿名"


async def _member(member_id: int) -> Member:
    member = await Member.get_or_none(id=member_id).prefetch_related("district", "enterprise")
    if member is None:
        raise DomainError(Code.NOT_FOUND, "memberId", what=Words("会员", "member"))
    if member.anonymised_at is not None:
        raise DomainError(
            Code.INVALID_INPUT, "memberId", detail=Words("已匿名化", "already anonymised")
        )
    return member


def _reason(text: str) -> str:
    """The request or legal ground, kept as the audit entry's purpose."""
    limit = max_length(AuditEntry, "purpose")
    return clean_text(text, "reason", max_length=limit, kind=TextKind.NOTE, required=True)


async def export(
    actor: Principal, host: PluginHost, vault: Vault, member_id: int, reason: str
) -> dict[str, Any]:
    """Everything held about the member, unmasked: it goes to the person themselves."""
    reason = _reason(reason)
    member = await _member(member_id)
    dependents = await Dependent.filter(household_id=member.household_id).order_by("id")
    moves = await MemberMove.filter(member_id=member_id).order_by("id")
    data = {
        "member": {
            "name": member.name,
            "idNumber": vault.decrypt(member.id_number_enc),
            "birthDate": member.birth_date.isoformat(),
            "gender": member.gender.value,
            "phone": member.phone,
            "district": {"code": member.district.code, "name": member.district.name},
            "enterprise": {"name": member.enterprise.name, "uscc": member.enterprise.uscc}
            if member.enterprise
            else None,
            "isUnionMember": member.is_union_member,
            "employmentStatus": member.employment_status.value,
            "monthlyIncome": audit.plain(member.monthly_income),
            "isActive": member.is_active,
            "registeredAt": member.created_at.isoformat(),
        },
        "household": [
            {
                "name": d.name,
                "relation": d.relation.value,
                "birthDate": d.birth_date.isoformat() if d.birth_date else None,
                "schoolLevel": d.school_level.value if d.school_level else None,
                "school": d.school,
            }
            for d in dependents
        ],
        "moves": [
            {"from": m.from_district_id, "to": m.to_district_id, "at": m.moved_at.isoformat()}
            for m in moves
        ],
        "programs": await host.gather(
            "export_personal_data", member_id=member_id, decrypt=vault.decrypt
        ),
    }
    await audit.record(
        actor,
        "exportPersonalData",
        object_type="Member",
        object_id=to_global_id("Member", member_id),
        district_code=member.district_id,
        purpose=reason.strip(),
    )
    return data


async def anonymise(
    actor: Principal, host: PluginHost, vault: Vault, member_id: int, reason: str
) -> Member:
    """Replace what identifies the member; deactivate them. Irreversible."""
    reason = _reason(reason)
    member = await _member(member_id)
    await require_writer(vault)  # what it seals must be readable with the database's key
    # A random stand-in keeps the look-up hash unique without pointing at anyone.
    stand_in = "ANON-" + secrets.token_hex(12)
    async with in_transaction():
        await Member.filter(id=member_id).update(
            name=ANONYMOUS_NAME,
            id_number_enc=vault.encrypt(""),
            id_number_hash=vault.lookup_hash(stand_in),
            id_number_masked="*" * 18,
            birth_date=dt.date(member.birth_date.year, 1, 1),  # keeps age bands for statistics
            phone=None,
            source_ref=None,
            is_active=False,
            anonymised_at=dt.datetime.now(dt.UTC),
            version=member.version + 1,
        )
        # Dependents belong to the person's household file; erase them when nobody else in the
        # household is still on the register.
        others = await Member.filter(household_id=member.household_id, is_active=True).exclude(
            id=member_id
        )
        erased_dependents = 0
        if not others:
            erased_dependents = await Dependent.filter(household_id=member.household_id).update(
                name=ANONYMOUS_NAME, school=None, source_ref=None
            )
        await host.gather("on_member_anonymised", member_id=member_id, actor=actor.username)
        await audit.record(
            actor,
            "anonymiseMember",
            object_type="Member",
            object_id=to_global_id("Member", member_id),
            district_code=member.district_id,
            purpose=reason.strip(),
            changes={
                "name": ["(erased)", ANONYMOUS_NAME],
                "id_number": [member.id_number_masked, "*" * 18],
                "phone": ["(erased)" if member.phone else None, None],
                "dependents_erased": [None, erased_dependents],
            },
        )
    return await Member.get(id=member_id)
