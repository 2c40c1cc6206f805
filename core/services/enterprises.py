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
from unionaid.core.services.validation import Problems


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
    problems.require(new.name, "name")
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
        "name": new.name.strip(),
        "uscc": new.uscc,
        "district_id": new.district_code,
        "is_caring": new.is_caring,
        "contact_name": new.contact_name,
        "contact_phone": new.contact_phone,
        "kind": new.kind,
        "industry": new.industry,
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
