"""The core's GraphQL types. Resolvers here are plain attribute reads over rows the loaders
fetched by selection (see loaders.py); only what look-ahead cannot reach is async.

``Member`` is composed at schema build time from :class:`MemberBase` and the fields plugins add
(``register_graphql().member_fields``); refer to it lazily, as
``Annotated["Member", strawberry.lazy("unionaid.core.graphql.composed")]``."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info

from unionaid.core.graphql.connection import Connection
from unionaid.core.graphql.decisions import EntitlementDecision, member_entitlements
from unionaid.core.graphql.loaders import household_loader
from unionaid.core.graphql.personal_data import full_id_number, phone_for
from unionaid.core.graphql.scalars import Money
from unionaid.core.models import fund as f
from unionaid.core.models import member as m

Gender = strawberry.enum(m.Gender, name="Gender")
EmploymentStatus = strawberry.enum(m.EmploymentStatus, name="EmploymentStatus")
Relation = strawberry.enum(m.Relation, name="Relation")
SchoolLevel = strawberry.enum(m.SchoolLevel, name="SchoolLevel")
LedgerKind = strawberry.enum(f.LedgerKind, name="LedgerKind")


@strawberry.interface(description="An object with a global ID, fetched with node(id:)")
class Node:
    id: strawberry.ID

    @classmethod
    def is_type_of(cls, obj: object, info: Info) -> bool:
        # Loaders return plain rows, not instances of the strawberry classes; abstract fields
        # pick the concrete type with strawberry.cast.
        return True


@strawberry.type(description="A district federation (区总工会)")
class District:
    code: str = strawberry.field(description="6-digit administrative code, e.g. 320206")
    name: str


@strawberry.type(description="An employer, identified by its Unified Social Credit Code")
class Enterprise(Node):
    name: str
    uscc: str = strawberry.field(description="统一社会信用代码 (GB 32100-2015)")
    is_caring: bool = strawberry.field(description="爱心企业: offers internships and postings")
    contact_name: str | None
    district: District


@strawberry.type(
    description="A household member who is not a union member; node(id:) finds it when you "
    "may see a member of its household"
)
class Dependent(Node):
    name: str
    relation: Relation
    birth_date: dt.date | None
    gender: Gender | None
    school_level: SchoolLevel | None
    school: str | None


@strawberry.type(description="The unit per-household benefits are paid to, once")
class Household(Node):
    size: int = strawberry.field(description="Active members plus dependents")
    dependents: list[Dependent]

    @strawberry.field(
        description="What the household and its members have been paid, every program and "
        "period, newest first (in your districts; FORBIDDEN for enterprise contacts)"
    )
    async def payments(
        self, info: Info
    ) -> list[Annotated[Payment, strawberry.lazy("unionaid.core.graphql.ledger")]] | None:  # noqa: F821
        from unionaid.core.graphql.ledger import household_payments

        return await household_payments(info, self.pk)


@strawberry.type(name="MemberBase")
class MemberBase(Node):
    name: str
    id_number: str = strawberry.field(
        description="Resident ID number, masked: first 3 + 11 * + last 4"
    )
    gender: Gender = strawberry.field(description="Derived from the ID number")
    birth_date: dt.date = strawberry.field(description="Derived from the ID number")
    employment_status: EmploymentStatus
    monthly_income: Money | None
    household_size: int
    is_union_member: bool
    is_active: bool
    version: int = strawberry.field(description="Pass back to updateMember to detect conflicts")
    district: District
    enterprise: Enterprise | None

    @strawberry.field(
        description="Mobile phone; masked (139****1234) for roles that do not need it"
    )
    def phone(self, info: Info) -> str | None:
        return phone_for(info, self)

    @strawberry.field(
        description="The full resident ID number, for roles allowed it, with a stated purpose. "
        "Every read and every refusal (FORBIDDEN) is written to the audit trail"
    )
    async def full_id_number(
        self,
        info: Info,
        purpose: Annotated[
            str, strawberry.argument(description="Why you need it, e.g. 发放慰问金核对身份")
        ],
    ) -> str | None:
        return await full_id_number(info, self, purpose)

    @strawberry.field(
        description="Every enabled program's decisions for this member in a period, with the "
        "reasons for and against (a preview: nothing is written)"
    )
    async def entitlements(
        self,
        info: Info,
        period: Annotated[str, strawberry.argument(description="e.g. 2027-spring-festival")],
    ) -> list[EntitlementDecision]:
        return await member_entitlements(info, self.pk, period)

    @strawberry.field(description="The member's household with its dependents")
    async def household(self, info: Info) -> Household:
        return await household_loader(info).load(self.household_id)


@strawberry.type(description="A fund and its balance, the sum of its ledger entries")
class Fund(Node):
    code: str
    name: str
    purpose: str
    district: District | None = strawberry.field(description="Owner; null for the city")
    balance: Money

    @strawberry.field(
        description="Every entry of the fund's ledger, oldest first; since and until are days "
        "in Asia/Shanghai, both included"
    )
    async def ledger(
        self,
        first: int | None = None,
        after: str | None = None,
        kind: LedgerKind | None = None,
        since: dt.date | None = None,
        until: dt.date | None = None,
    ) -> Connection[
        Annotated[LedgerEntry, strawberry.lazy("unionaid.core.graphql.ledger")]  # noqa: F821
    ]:
        from unionaid.core.graphql.ledger import fund_ledger

        return await fund_ledger(self.pk, first, after, kind, since, until)


@strawberry.type(description="One district's view of a program")
class ProgramDistrict:
    district: District
    enabled: bool
    settings: JSON = strawberry.field(
        description="Effective settings today (defaults, city, district)"
    )
    city_settings_version: int | None
    district_settings_version: int | None


@strawberry.type(description="An assistance program: an installed plugin")
class Program:
    id: str = strawberry.field(description="The plugin id, e.g. hardship")
    name: str
    name_en: str
    version: str
    description: str
    settings_schema: JSON = strawberry.field(description="JSON Schema of the settings")
    default_settings: JSON = strawberry.field(description="The plugin's built-in defaults")
    districts: list[ProgramDistrict]
