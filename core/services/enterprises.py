"""Registering enterprises (企业), identified by their Unified Social Credit Code."""

from __future__ import annotations

from dataclasses import dataclass

from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from unionaid.core.errors import Code, DomainError, Words
from unionaid.core.global_ids import to_global_id
from unionaid.core.identifiers import is_valid_phone, is_valid_uscc
from unionaid.core.models import District, Enterprise
from unionaid.core.principal import Principal
from unionaid.core.services import audit
from unionaid.core.services.validation import Problems, TextKind, max_length


@dataclass
class NewEnterprise:
    name: str
    uscc: str
    district_code: str
    is_caring: bool = False
    contact_name: str | None = None
    contact_phone: str | None = None
    kind: str | None = None
    industry: str | None = None
    source_ref: str | None = None


async def create_enterprise(actor: Principal, new: NewEnterprise) -> Enterprise:
    problems = Problems()
    name = problems.text(
        new.name,
        "name",
        max_length=max_length(Enterprise, "name"),
        kind=TextKind.NAME,
        required=True,
    )
    contact_name = problems.text(
        new.contact_name,
        "contactName",
        max_length=max_length(Enterprise, "contact_name"),
        kind=TextKind.NAME,
    )
    kind = problems.text(new.kind, "kind", max_length=max_length(Enterprise, "kind"))
    industry = problems.text(
        new.industry, "industry", max_length=max_length(Enterprise, "industry")
    )
    if not is_valid_uscc(new.uscc):
        problems.add(Code.INVALID_USCC, "uscc")
    elif await Enterprise.exists(uscc=new.uscc):
        problems.add(Code.DUPLICATE, "uscc", detail=Words("统一社会信用代码", "credit code"))
    if not await District.exists(code=new.district_code):
        problems.add(Code.NOT_FOUND, "districtCode", what=Words("区", "district"))
    if new.contact_phone is not None and not is_valid_phone(new.contact_phone):
        problems.add(Code.INVALID_PHONE, "contactPhone")
    problems.raise_if_any()
    values = {
        "name": name,
        "uscc": new.uscc,
        "district_id": new.district_code,
        "is_caring": new.is_caring,
        "contact_name": contact_name,
        "contact_phone": new.contact_phone,
        "kind": kind,
        "industry": industry,
        "source_ref": new.source_ref,
    }
    try:
        async with in_transaction():
            created = await Enterprise.create(**values)
            await audit.record(
                actor,
                "createEnterprise",
                object_type="Enterprise",
                object_id=to_global_id("Enterprise", created.id),
                district_code=new.district_code,
                changes=audit.diff(None, values),
            )
            return created
    except IntegrityError as exc:
        raise DomainError(
            Code.DUPLICATE, "uscc", detail=Words("统一社会信用代码", "credit code")
        ) from exc
