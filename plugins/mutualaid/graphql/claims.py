"""Claims and condolences on the API: thin resolvers over ``services/claims.py``.

Health data: approvers and caseworkers see what they decide on (coverage, diagnosis category,
hospital and dates, amounts, the trace); an enterprise contact sees its employees' claims'
coverage, state and amount, never a diagnosis, a hospital or the trace. The free-text
``details`` are read only by the district's caseworkers and administrators, with a stated
purpose, each read (and each refusal) written to the access log as ID numbers are."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry.dataloader import DataLoader
from strawberry.types import Info

from unionaid.core import (
    Action,
    Code,
    Connection,
    DomainError,
    MemberRef,
    Money,
    Node,
    NodeType,
    UserError,
    allows,
    audit_entries,
    open_text,
    paginate,
    pk_of,
    principal,
    program_scope,
    request_now,
    request_today,
    run_mutation,
    seal_text,
    visible_member_loader,
)
from unionaid.plugins.mutualaid.claim_models import AccidentOutcome, Claim, ClaimKind
from unionaid.plugins.mutualaid.graphql import key_of
from unionaid.plugins.mutualaid.services import claims
from unionaid.plugins.mutualaid.workflow import CLAIMS

PROGRAM = "mutualaid"
MAX_PURPOSE = 200
ClaimKindType = strawberry.enum(ClaimKind, name="MutualAidClaimKind")
ClaimStateType = CLAIMS.state_enum("MutualAidClaimState", "Where a claim stands")
OutcomeType = strawberry.enum(AccidentOutcome, name="MutualAidAccidentOutcome")


@strawberry.type(name="MutualAidTraceLine", description="One line of a payout's computation")
class TraceLine:
    passed: bool
    zh: str
    en: str


@strawberry.type(name="MutualAidClaimStep", description="One move of a claim")
class ClaimStep:
    transition: str
    from_state: ClaimStateType | None
    to_state: ClaimStateType
    actor: str
    at: dt.datetime
    note: str | None


def _history_loader(info: Info) -> DataLoader:
    cache = info.context.cache
    if "mutualaid.history" not in cache:

        async def load(ids: list[int]) -> list[list[ClaimStep]]:
            found = await CLAIMS.histories(list(ids))  # a page's steps in one statement
            return [
                [
                    ClaimStep(
                        transition=s.transition,
                        from_state=ClaimStateType(s.from_state) if s.from_state else None,
                        to_state=ClaimStateType(s.to_state),
                        actor=s.actor,
                        at=s.at,
                        note=s.note,
                    )
                    for s in found[i]
                ]
                for i in ids
            ]

        cache["mutualaid.history"] = DataLoader(load_fn=load)
    return cache["mutualaid.history"]


@strawberry.type(
    name="MutualAidClaim",
    description="A claim on a mutual-aid plan, or a hospital condolence, with its assessment",
)
class ClaimType(Node):
    kind: ClaimKindType
    status: ClaimStateType
    version: int = strawberry.field(description="Pass back to the next move to detect conflicts")
    district_code: str
    year: int = strawberry.field(description="The plan year (a condolence: the calendar year)")
    event_on: dt.date
    submitted_on: dt.date
    paid_on: dt.date | None
    amount: Money | None = strawberry.field(description="The payout, once assessed")
    plan_version: int | None = strawberry.field(description="The plan version it was judged by")
    reject_reason: str | None
    accident_outcome: OutcomeType | None = strawberry.field(description="Hidden from enterprises")
    disability_grade: int | None = strawberry.field(description="Hidden from enterprises")
    member_pk: strawberry.Private[int]
    sensitive: strawberry.Private[bool]  # what an enterprise contact never sees
    row: strawberry.Private[Any]

    @strawberry.field
    async def member(self, info: Info) -> MemberRef | None:
        return await visible_member_loader(info).load(self.member_pk)

    def _health(self, value: Any) -> Any:
        return value if self.sensitive else None

    @strawberry.field(description="Diagnosis category (critical illness); hidden from enterprises")
    def diagnosis_category(self) -> str | None:
        return self._health(self.row.diagnosis_category)

    @strawberry.field(description="Hospital of the stay; hidden from enterprises")
    def hospital(self) -> str | None:
        return self._health(self.row.stay.hospital if self.row.stay_id else None)

    @strawberry.field
    def admitted_on(self) -> dt.date | None:
        return self._health(self.row.stay.admitted_on if self.row.stay_id else None)

    @strawberry.field
    def discharged_on(self) -> dt.date | None:
        return self._health(self.row.stay.discharged_on if self.row.stay_id else None)

    @strawberry.field
    def out_of_pocket(self) -> Money | None:
        return self._health(self.row.stay.out_of_pocket if self.row.stay_id else None)

    @strawberry.field(
        description="The assessment, line by line, in Chinese and English; hidden from "
        "enterprises (it names the diagnosis)"
    )
    def trace(self) -> list[TraceLine] | None:
        if not self.sensitive or self.row.trace is None:
            return None
        return [TraceLine(**line) for line in self.row.trace]

    @strawberry.field(description="Every move, oldest first; hidden from enterprises")
    async def history(self, info: Info) -> list[ClaimStep] | None:
        if not self.sensitive:
            return None
        return await _history_loader(info).load(self.row.id)

    @strawberry.field(
        description="Free-text health details, for the district's caseworkers and "
        "administrators with a stated purpose; every read and refusal is in the access log"
    )
    async def details(
        self,
        info: Info,
        purpose: Annotated[str, strawberry.argument(description="Why you need them")],
    ) -> str | None:
        return await _details_loader(info).load((self.row.id, self.district_code, purpose.strip()))


def claim_of(row: Claim, enterprise_contact: bool) -> ClaimType:
    return ClaimType(
        id=strawberry.ID(claims.gid(row.id)),
        kind=row.kind,
        status=ClaimStateType(row.status.value if hasattr(row.status, "value") else row.status),
        version=row.version,
        district_code=row.district_code,
        year=row.year,
        event_on=row.event_on,
        submitted_on=row.submitted_on,
        paid_on=row.paid_on,
        amount=row.amount,
        plan_version=row.plan_version,
        reject_reason=row.reject_reason if not enterprise_contact else None,
        # Health facts (a disability grade is a medical assessment): staff only.
        accident_outcome=row.accident_outcome if not enterprise_contact else None,
        disability_grade=row.disability_grade if not enterprise_contact else None,
        member_pk=row.member_id,
        sensitive=not enterprise_contact,
        row=row,
    )


def _details_loader(info: Info) -> DataLoader:
    cache = info.context.cache
    if "mutualaid.details" not in cache:
        cache["mutualaid.details"] = DataLoader(load_fn=lambda keys: _details(info, keys))
    return cache["mutualaid.details"]


async def _details(info: Info, keys: list[tuple[int, str, str]]) -> list[Any]:
    """A page's details in one statement, each read (or refusal) logged with its purpose."""
    who = principal(info)
    granted = [
        k
        for k in keys
        if k[2] and len(k[2]) <= MAX_PURPOSE and allows(who, Action.READ_FULL_ID, k[1])
    ]
    found = dict(await Claim.filter(id__in={k[0] for k in granted}).values_list("id", "details"))
    out: list[Any] = []
    logged: dict[tuple[str, str, str | None], list[tuple[str, dict]]] = {}
    for key in keys:
        claim_id, district, purpose = key
        ok = key in granted
        slot = (district, "ok" if ok else "refused", purpose[:MAX_PURPOSE] or None)
        logged.setdefault(slot, []).append((claims.gid(claim_id), {}))
        sealed = found.get(claim_id)
        if not ok:
            out.append(DomainError(Code.FORBIDDEN))
        else:
            out.append(open_text(info, sealed) if sealed else None)
    for (district, outcome, purpose), reads in logged.items():  # a statement per kind of read
        await audit_entries(
            who,
            "revealClaimDetails",
            reads,
            object_type="MutualAidClaim",
            district_code=district,
            outcome=outcome,
            purpose=purpose,
        )
    return out


@strawberry.type
class ClaimQuery:
    @strawberry.field(description="Mutual-aid claims and condolences in your districts")
    async def mutual_aid_claims(
        self,
        info: Info,
        district_code: str | None = None,
        member_id: strawberry.ID | None = None,
        kind: ClaimKindType | None = None,
        status: ClaimStateType | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[ClaimType]:
        scope = await program_scope(info, PROGRAM)
        query = Claim.filter(district_code__in=scope.districts(district_code))
        if scope.enterprise_ids is not None:
            query = query.filter(member__enterprise_id__in=scope.enterprise_ids)
        if member_id is not None:
            # a member out of reach is NOT_FOUND, as everywhere else (not an empty list)
            member = await scope.member(pk_of(member_id, "Member"), "memberId")
            query = query.filter(member_id=member.pk)
        if kind is not None:
            query = query.filter(kind=kind)
        if status is not None:
            query = query.filter(status=str(status.value if hasattr(status, "value") else status))
        contact = scope.enterprise_ids is not None
        return await paginate(
            query,
            first=first,
            after=after,
            newest_first=True,
            rows=lambda q: q.select_related("stay"),
            node=lambda row: claim_of(row, contact),
        )

    @strawberry.field(description="One mutual-aid claim")
    async def mutual_aid_claim(self, info: Info, id: strawberry.ID) -> ClaimType | None:
        scope = await program_scope(info, PROGRAM)
        claim = await claims.visible_claim(scope, pk_of(id, "MutualAidClaim"), "id")
        await claim.fetch_related("stay")
        return claim_of(claim, scope.enterprise_ids is not None)


@strawberry.input
class SubmitMutualAidClaimInput:
    member_id: strawberry.ID
    kind: ClaimKindType
    hospital: str | None = strawberry.field(default=None, description="Hospital stays")
    admitted_on: dt.date | None = None
    discharged_on: dt.date | None = None
    out_of_pocket: Money | None = None
    by_accident: bool = False
    diagnosis_category: str | None = strawberry.field(
        default=None, description="Critical illness: one of the district's list"
    )
    diagnosed_on: dt.date | None = None
    accident_on: dt.date | None = None
    accident_outcome: OutcomeType | None = None
    disability_grade: int | None = None
    accident_expense: Money | None = None
    details: str | None = strawberry.field(
        default=None, description="Free-text health details (sensitive: never listed)"
    )


@strawberry.input
class MoveMutualAidClaimInput:
    claim_id: strawberry.ID
    version: int | None = None


@strawberry.input
class RejectMutualAidClaimInput:
    claim_id: strawberry.ID
    reason: str
    version: int | None = None


@strawberry.input
class PayMutualAidClaimInput:
    claim_id: strawberry.ID
    idempotency_key: str


@strawberry.type
class MutualAidClaimPayload:
    claim: ClaimType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _facts(i: SubmitMutualAidClaimInput) -> dict[str, Any]:
    kind = ClaimKind(i.kind)
    if kind in claims.STAY_KINDS:
        if i.admitted_on is None:
            raise DomainError(Code.REQUIRED, "admittedOn")
        if i.discharged_on is None:
            raise DomainError(Code.REQUIRED, "dischargedOn")
        stay = claims.StayFacts(
            i.hospital or "",
            i.admitted_on,
            i.discharged_on,
            i.out_of_pocket or Decimal("0.00"),
            i.by_accident,
        )
        return {"stay": stay}
    if kind == ClaimKind.CRITICAL_ILLNESS:
        if i.diagnosed_on is None:
            raise DomainError(Code.REQUIRED, "diagnosedOn")
        return {"critical": claims.CriticalFacts(i.diagnosis_category or "", i.diagnosed_on)}
    if i.accident_on is None:
        raise DomainError(Code.REQUIRED, "accidentOn")
    if i.accident_outcome is None:
        raise DomainError(Code.REQUIRED, "accidentOutcome")
    outcome = AccidentOutcome(i.accident_outcome)
    return {
        "accident": claims.AccidentFacts(
            i.accident_on, outcome, i.disability_grade, i.accident_expense
        )
    }


async def _answer(info: Info, scope: Any, claim: Claim) -> dict[str, Any]:
    await claim.fetch_related("stay")
    return {"claim": claim_of(claim, scope.enterprise_ids is not None)}


@strawberry.type
class ClaimMutation:
    @strawberry.mutation(description="Submit a claim, or record a hospital condolence")
    async def submit_mutual_aid_claim(
        self, info: Info, input: SubmitMutualAidClaimInput
    ) -> MutualAidClaimPayload:
        async def action() -> dict[str, Any]:
            scope = await program_scope(info, PROGRAM)
            claim = await claims.submit_claim(
                principal(info),
                scope,
                info.context.host,
                member_id=key_of(input.member_id, "Member", "memberId"),
                kind=ClaimKind(input.kind),
                today=request_today(info),
                now=request_now(info),
                details=input.details,
                seal=lambda text: seal_text(info, text),
                **_facts(input),
            )
            return await _answer(info, scope, claim)

        return await run_mutation(info, MutualAidClaimPayload, action)

    @strawberry.mutation(description="Compute a claim's payout with its trace")
    async def assess_mutual_aid_claim(
        self, info: Info, input: MoveMutualAidClaimInput
    ) -> MutualAidClaimPayload:
        async def action() -> dict[str, Any]:
            scope = await program_scope(info, PROGRAM)
            claim = await claims.assess_claim(
                principal(info),
                scope,
                info.context.host,
                key_of(input.claim_id, "MutualAidClaim", "claimId"),
                today=request_today(info),
                now=request_now(info),
                version=input.version,
            )
            return await _answer(info, scope, claim)

        return await run_mutation(info, MutualAidClaimPayload, action)

    @strawberry.mutation(
        description="Approve a claim's payout (not by who submitted or assessed it; two "
        "approvers above the district's second-approval threshold)"
    )
    async def approve_mutual_aid_claim(
        self, info: Info, input: MoveMutualAidClaimInput
    ) -> MutualAidClaimPayload:
        async def action() -> dict[str, Any]:
            scope = await program_scope(info, PROGRAM)
            claim = await claims.approve_claim(
                principal(info),
                scope,
                key_of(input.claim_id, "MutualAidClaim", "claimId"),
                now=request_now(info),
                version=input.version,
            )
            return await _answer(info, scope, claim)

        return await run_mutation(info, MutualAidClaimPayload, action)

    @strawberry.mutation(description="Reject a claim with a reason")
    async def reject_mutual_aid_claim(
        self, info: Info, input: RejectMutualAidClaimInput
    ) -> MutualAidClaimPayload:
        async def action() -> dict[str, Any]:
            scope = await program_scope(info, PROGRAM)
            claim = await claims.reject_claim(
                principal(info),
                scope,
                key_of(input.claim_id, "MutualAidClaim", "claimId"),
                input.reason,
                now=request_now(info),
                version=input.version,
            )
            return await _answer(info, scope, claim)

        return await run_mutation(info, MutualAidClaimPayload, action)

    @strawberry.mutation(description="Pay an approved claim from the fund, once")
    async def pay_mutual_aid_claim(
        self, info: Info, input: PayMutualAidClaimInput
    ) -> MutualAidClaimPayload:
        async def action() -> dict[str, Any]:
            scope = await program_scope(info, PROGRAM)
            claim = await claims.pay_claim(
                principal(info),
                scope,
                info.context.host,
                key_of(input.claim_id, "MutualAidClaim", "claimId"),
                input.idempotency_key,
                now=request_now(info),
            )
            return await _answer(info, scope, claim)

        return await run_mutation(info, MutualAidClaimPayload, action)


async def _load(pks: list[int]) -> dict[int, ClaimType]:
    """``node(id:)`` for claims, a request's ids in one statement. Enterprise contacts never
    read a claim this way (the node type names no enterprise): its health fields are shown."""
    rows = await Claim.filter(id__in=pks).select_related("stay")
    return {row.id: claim_of(row, enterprise_contact=False) for row in rows}


NODE_TYPES = [NodeType(ClaimType, _load)]
