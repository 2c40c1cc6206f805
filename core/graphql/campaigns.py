"""Campaigns, entitlements, payments, previews and fund totals on the API."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any

import strawberry
from strawberry.scalars import JSON
from strawberry.types import Info
from tortoise.functions import Count, Sum

from unionaid.core import policy
from unionaid.core.errors import Code, DomainError, Words
from unionaid.core.global_ids import pk_of, to_global_id
from unionaid.core.graphql.auth import principal
from unionaid.core.graphql.composed import MemberRef
from unionaid.core.graphql.decisions import ConditionType
from unionaid.core.graphql.errors import UserError, run_mutation
from unionaid.core.graphql.gate import program_scope
from unionaid.core.graphql.imports import Job, job_of
from unionaid.core.graphql.loaders import visible_member_loader
from unionaid.core.graphql.relay import status_filter
from unionaid.core.graphql.scalars import Money
from unionaid.core.graphql.types import Fund
from unionaid.core.graphql.views import fund_rows
from unionaid.core.jobs import enqueue
from unionaid.core.models import Approval as ApprovalModel
from unionaid.core.models import (
    AuditEntry,
    CampaignStatus,
    DistrictPolicy,
    EntitlementStatus,
    LedgerEntry,
)
from unionaid.core.models import Campaign as CampaignModel
from unionaid.core.models import Entitlement as EntitlementModel
from unionaid.core.models import Job as JobModel
from unionaid.core.money import ZERO, to_fen
from unionaid.core.periods import (
    Period,
    canonical,
    dated_kind,
    invalid,
    period_kind,
    resolve_period,
)
from unionaid.core.policy import Action
from unionaid.core.services import audit, previews
from unionaid.core.services import campaigns as service
from unionaid.core.services.period_dates import set_dates
from unionaid.core.services.validation import TextKind, clean_text, max_length


@strawberry.type(name="Period", description="A named payment period and its dates")
class PeriodType:
    code: str
    kind: str = strawberry.field(
        description="month, quarter, year, festival, term, or a kind a program added "
        "(e.g. holiday-season)"
    )
    start: dt.date
    end: dt.date
    judged_on: dt.date = strawberry.field(description="The day ages and statuses are judged")


@strawberry.type(description="A decided amount for one beneficiary, with why")
class Entitlement:
    id: strawberry.ID
    amount: Money
    status: str = strawberry.field(description="entitled, paid, cancelled or reversed")
    beneficiary: str = strawberry.field(description="member:ID or household:ID")
    occurrence: str = strawberry.field(
        description="What it is paid once for: spring-festival:2027, 2027-Q1 … or a one-off "
        "rule's key (once, visit:2027-01-20 …)"
    )
    district_code: str
    explanation: list[ConditionType]
    facts: JSON = strawberry.field(description="The facts decided on (a snapshot)")
    settings: JSON = strawberry.field(description="The settings used (a snapshot)")
    settings_version: JSON
    approved_version: int | None = strawberry.field(
        description="The campaign version whose approval released it; null: added after the "
        "last approval, waiting for the next one (never paid before)"
    )
    paid_at: dt.datetime | None
    payment_entry_id: strawberry.ID | None = strawberry.field(
        description="The ledger entry that paid it"
    )
    reversal_entry_id: strawberry.ID | None = strawberry.field(
        description="The ledger entry that undid its payment"
    )
    member_pk: strawberry.Private[int]

    @strawberry.field
    async def member(self, info: Info) -> MemberRef | None:
        return await visible_member_loader(info).load(self.member_pk)


def entitlement_of(e: dict[str, Any]) -> Entitlement:
    return Entitlement(
        id=strawberry.ID(to_global_id("Entitlement", e["id"])),
        amount=e["amount"],
        status=str(getattr(e["status"], "value", e["status"])),
        beneficiary=e["beneficiary"],
        occurrence=e["occurrence"],
        district_code=e["district_code"],
        explanation=[ConditionType(**c) for c in e["explanation"]],
        facts=e["facts"],
        settings=e["settings"],
        settings_version=e["settings_version"],
        approved_version=e["approved_version"],
        paid_at=e["paid_at"],
        payment_entry_id=_entry_gid(e["payment_entry_id"]),
        reversal_entry_id=_entry_gid(e["reversal_entry_id"]),
        member_pk=e["member_id"],
    )


def _entry_gid(pk: int | None) -> strawberry.ID | None:
    return None if pk is None else strawberry.ID(to_global_id("LedgerEntry", pk))


@strawberry.type
class ApprovalType:
    approver: str
    decision: str = strawberry.field(description="approve or reject")
    reason: str
    at: dt.datetime


@strawberry.type(description="A payment cycle: one rule, one period, some districts, one fund")
class Campaign:
    id: strawberry.ID
    name: str
    program: str
    rule_code: str
    period: PeriodType
    district_codes: list[str]
    status: str = strawberry.field(
        description="draft, evaluated, approved, partly_paid (the fund ran short: paying "
        "again pays the rest), paid, closed, cancelled or rejected"
    )
    created_by: str
    version: int
    pk: strawberry.Private[int]
    fund_pk: strawberry.Private[int]

    @strawberry.field
    async def fund(self, info: Info) -> Fund | None:
        rows = await fund_rows(info, pk=self.fund_pk)
        return rows[0] if rows else None

    @strawberry.field(description="Live totals from the entitlements: entitled and paid")
    async def totals(self, info: Info) -> CampaignTotals:
        rows = (
            await EntitlementModel.filter(campaign_id=self.pk)
            .annotate(n=Count("id"), total=Sum("amount"))
            .group_by("status")
            .values("status", "n", "total")
        )
        by = {str(getattr(r["status"], "value", r["status"])): r for r in rows}

        def pick(status: str) -> tuple[int, Any]:
            row = by.get(status)
            return (
                (row["n"], to_fen(row["total"])) if row and row["total"] is not None else (0, ZERO)
            )

        entitled, paid = pick("entitled"), pick("paid")
        return CampaignTotals(
            entitled_count=entitled[0] + paid[0],
            entitled_total=entitled[1] + paid[1],
            paid_count=paid[0],
            paid_total=paid[1],
            unpaid_count=entitled[0],
            unpaid_total=entitled[1],
        )

    @strawberry.field
    async def approvals(self) -> list[ApprovalType]:
        rows = await ApprovalModel.filter(campaign_id=self.pk).order_by("id")
        return [
            ApprovalType(approver=a.approver, decision=a.decision, reason=a.reason, at=a.at)
            for a in rows
        ]

    @strawberry.field(description="Approvers needed for the current total (district policy)")
    async def approvals_needed(self) -> int:
        return await service.approvals_needed(await CampaignModel.get(id=self.pk))

    @strawberry.field
    async def entitlements(
        self, info: Info, first: int = 50, after: str | None = None, status: str | None = None
    ) -> list[Entitlement]:
        query = EntitlementModel.filter(campaign_id=self.pk)
        if status:
            query = query.filter(status=status_filter(status, EntitlementStatus))
        if after:
            query = query.filter(id__gt=pk_of(after, "Entitlement") or 0)
        rows = await query.order_by("id").limit(min(max(first, 1), 100)).values()
        return [entitlement_of(r) for r in rows]


@strawberry.type
class CampaignTotals:
    entitled_count: int
    entitled_total: Money
    paid_count: int
    paid_total: Money
    unpaid_count: int = strawberry.field(description="Entitled and not paid yet: what is left")
    unpaid_total: Money


def campaign_of(c: CampaignModel) -> Campaign:
    return Campaign(
        id=strawberry.ID(to_global_id("Campaign", c.id)),
        name=c.name,
        program=c.program,
        rule_code=c.rule_code,
        period=PeriodType(
            code=c.period_code,
            kind=period_kind(c.period_code),
            start=c.period_start,
            end=c.period_end,
            judged_on=c.judged_on,
        ),
        district_codes=list(c.district_codes),
        status=c.status.value,
        created_by=c.created_by,
        version=c.version,
        pk=c.id,
        fund_pk=c.fund_id,
    )


@strawberry.type
class WhatIfSide:
    count: int
    total: Money


@strawberry.type(description="Beneficiaries and cost now and under the proposed settings")
class WhatIf:
    current: WhatIfSide
    proposed: WhatIfSide
    count_difference: int
    total_difference: str = strawberry.field(description='Signed yuan, e.g. "+5000.00"')


@strawberry.type(description="Money by fund, program, district and period")
class FundTotal:
    fund_code: str
    program: str | None
    district_code: str | None
    period_code: str | None
    raised: Money = strawberry.field(description="Contributions and transfers in")
    transferred_out: Money
    paid: Money
    reversed: Money


@strawberry.type
class CampaignQuery:
    @strawberry.field(description="Campaigns of your districts, newest first")
    async def campaigns(
        self, info: Info, status: str | None = None, program_id: str | None = None
    ) -> list[Campaign]:
        who = principal(info)
        query = CampaignModel.all()
        if status:
            query = query.filter(status=status_filter(status, CampaignStatus))
        if program_id:
            query = query.filter(program=program_id)
        if not policy.sees_campaigns(who):
            return []
        # Visibility is judged per campaign (its district list): read back until 100 visible
        # ones are found, so a district's campaigns never hide behind newer ones elsewhere.
        seen: list[CampaignModel] = []
        while len(seen) < 100:
            rows = await query.order_by("-id").limit(200)
            if not rows:
                break
            seen += [c for c in rows if policy.sees_campaign(who, c.district_codes)]
            query = query.filter(id__lt=rows[-1].id)
        return [campaign_of(c) for c in seen[:100]]

    @strawberry.field
    async def campaign(self, info: Info, id: strawberry.ID) -> Campaign | None:
        return campaign_of(await service.get_visible(principal(info), pk_of(id, "Campaign") or 0))

    @strawberry.field(description="Cost of a settings change for a district before saving it")
    async def what_if(
        self,
        info: Info,
        program_id: str,
        rule_code: str,
        district_code: str,
        period: str,
        settings: Annotated[JSON, strawberry.argument(description="Only the changed keys")],
    ) -> WhatIf:
        policy.require(
            principal(info),
            Action.READ_RECORDS,
            district_code,
            "districtCode",
            Words("区", "district"),
        )
        if program_id in info.context.host.programs:  # unknown ones: UNKNOWN_PROGRAM below
            (await program_scope(info, program_id)).require(district_code, "districtCode")
        result = await previews.what_if(
            info.context.host,
            program_id,
            rule_code,
            district_code,
            await resolve_period(period, kinds=info.context.host.period_kinds()),
            settings,
        )
        current, proposed = result["current"], result["proposed"]
        difference = proposed["total"] - current["total"]
        return WhatIf(
            current=WhatIfSide(count=current["count"], total=current["total"]),
            proposed=WhatIfSide(count=proposed["count"], total=proposed["total"]),
            count_difference=proposed["count"] - current["count"],
            total_difference=f"{difference:+.2f}",
        )

    @strawberry.field(description="Totals of the funds you can see, from the ledger")
    async def fund_totals(
        self, info: Info, fund_id: strawberry.ID | None = None
    ) -> list[FundTotal]:
        funds = {
            f.pk: f.code
            for f in await fund_rows(info, pk=pk_of(fund_id, "Fund") if fund_id else None)
        }
        rows = (
            await LedgerEntry.filter(fund_id__in=list(funds))
            .annotate(total=Sum("amount"))
            .group_by("fund_id", "program", "district_code", "period_code", "kind")
            .values("fund_id", "program", "district_code", "period_code", "kind", "total")
        )
        grouped: dict[tuple, dict[str, Any]] = {}
        for r in rows:
            key = (r["fund_id"], r["program"], r["district_code"], r["period_code"])
            slot = grouped.setdefault(
                key, {"raised": ZERO, "transferred_out": ZERO, "paid": ZERO, "reversed": ZERO}
            )
            kind, amount = str(getattr(r["kind"], "value", r["kind"])), to_fen(r["total"])
            target = {
                "contribution": "raised",
                "transfer_in": "raised",
                "transfer_out": "transferred_out",
                "payment": "paid",
                "reversal": "reversed",
            }[kind]
            slot[target] += abs(amount)
        return [
            FundTotal(fund_code=funds[f], program=p, district_code=d, period_code=c, **v)
            for (f, p, d, c), v in sorted(
                grouped.items(), key=lambda i: tuple(str(x) for x in i[0])
            )
        ]


# -- mutations ---------------------------------------------------------------------------------


@strawberry.input
class CreateCampaignInput:
    name: str
    program_id: str
    rule_code: str
    period: str = strawberry.field(description="2027-03, 2027-Q1, 2027, 2027-spring-festival…")
    district_codes: list[str]
    fund_id: strawberry.ID


@strawberry.type
class CampaignPayload:
    campaign: Campaign | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class CampaignJobPayload:
    job: Job | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class CampaignInput:
    campaign_id: strawberry.ID
    reason: str = ""
    version: int | None = strawberry.field(
        default=None,
        description="Approving or rejecting: the campaign version you reviewed; another one "
        "(an entitlement added meanwhile) is a CONFLICT",
    )


@strawberry.input
class PayEntitlementInput:
    entitlement_id: strawberry.ID
    idempotency_key: str = strawberry.field(description="Your unique key for this payment")


@strawberry.input
class ReverseEntitlementInput:
    entitlement_id: strawberry.ID
    reason: str
    idempotency_key: str


@strawberry.type
class PaymentPayload:
    ledger_entry_id: str | None = None
    amount: Money | None = None
    entitlement: Entitlement | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class SchoolTermInput:
    code: str = strawberry.field(description="2027-spring-term or 2027-autumn-term")
    start: dt.date
    end: dt.date


@strawberry.input
class PeriodDatesInput:
    code: str = strawberry.field(
        description="2027-autumn-term, or a program's: 2027-holiday-season"
    )
    start: dt.date
    end: dt.date


def _period_payload(period: Period) -> dict[str, Any]:
    return {
        "period": PeriodType(
            code=period.code,
            kind=period.kind,
            start=period.start,
            end=period.end,
            judged_on=period.judged_on,
        )
    }


@strawberry.type
class PeriodDatesPayload:
    period: PeriodType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class SchoolTermPayload:
    period: PeriodType | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class DistrictPolicyInput:
    district_code: str
    second_approval_above: Money | None = strawberry.field(
        description="A second approver is needed above this campaign total; null: never"
    )


@strawberry.type
class DistrictPolicyPayload:
    district_code: str | None = None
    second_approval_above: Money | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


def _campaign_pk(global_id: str) -> int:
    pk = pk_of(global_id, "Campaign")
    if pk is None:
        raise DomainError(Code.NOT_FOUND, "campaignId", what=Words("活动", "campaign"))
    return pk


def _entitlement_pk(global_id: str) -> int:
    pk = pk_of(global_id, "Entitlement")
    if pk is None:
        raise DomainError(Code.NOT_FOUND, "entitlementId", what=Words("待遇", "entitlement"))
    return pk


async def _payment(info: Info, response: dict[str, Any]) -> dict[str, Any]:
    """The payload of a payment's answer, as kept under its idempotency key (JSON: the amount
    is a string there, whether the answer is new or replayed)."""
    row = (await EntitlementModel.filter(id=response["entitlementId"]).values())[0]
    return {
        "ledger_entry_id": to_global_id("LedgerEntry", response["ledgerEntryId"]),
        "amount": to_fen(Decimal(response["amount"])),
        "entitlement": entitlement_of(row),
    }


async def _queue(info: Info, kind: str, campaign_id: str, action: Action, states, verb) -> dict:
    """Check now (so the caller hears NOT_FOUND, FORBIDDEN or INVALID_STATE at once), then
    leave the long work to a job."""
    who = principal(info)
    campaign = await service.checked(who, _campaign_pk(campaign_id), action, states, verb)
    job = await enqueue(kind, {"campaign_id": campaign.id}, who, info.context.now)
    if info.context.jobs is not None:
        info.context.jobs.kick()
    return {"job": job_of((await JobModel.filter(id=job.id).values())[0])}


@strawberry.type
class CampaignMutation:
    @strawberry.mutation(description="Draft a payment campaign (makers: caseworkers, admins)")
    async def create_campaign(self, info: Info, input: CreateCampaignInput) -> CampaignPayload:
        async def action() -> dict[str, Any]:
            fund = pk_of(input.fund_id, "Fund")
            if fund is None:
                raise DomainError(Code.NOT_FOUND, "fundId", what=Words("资金", "fund"))
            created = await service.create(
                principal(info),
                info.context.host,
                name=clean_text(
                    input.name, "name", max_length=max_length(CampaignModel, "name"), required=True
                ),
                program=input.program_id,
                rule_code=input.rule_code,
                period_code=input.period,
                district_codes=input.district_codes,
                fund_id=fund,
            )
            return {"campaign": campaign_of(created)}

        return await run_mutation(info, CampaignPayload, action)

    @strawberry.mutation(description="Decide who is entitled (a job; idempotent)")
    async def evaluate_campaign(self, info: Info, input: CampaignInput) -> CampaignJobPayload:
        states = service.EVALUABLE
        return await run_mutation(
            info,
            CampaignJobPayload,
            lambda: _queue(
                info,
                "evaluate_campaign",
                input.campaign_id,
                Action.CREATE_CAMPAIGNS,
                states,
                "evaluate",
            ),
        )

    @strawberry.mutation(description="Approve (never your own campaign)")
    async def approve_campaign(self, info: Info, input: CampaignInput) -> CampaignPayload:
        return await _decide(info, input, True)

    @strawberry.mutation(description="Reject, with a reason")
    async def reject_campaign(self, info: Info, input: CampaignInput) -> CampaignPayload:
        return await _decide(info, input, False)

    @strawberry.mutation(description="Cancel an unpaid campaign; its entitlements are released")
    async def cancel_campaign(self, info: Info, input: CampaignInput) -> CampaignPayload:
        async def action() -> dict[str, Any]:
            done = await service.cancel(
                principal(info), _campaign_pk(input.campaign_id), _reason(input.reason)
            )
            return {"campaign": campaign_of(done)}

        return await run_mutation(info, CampaignPayload, action)

    @strawberry.mutation(description="Pay every entitlement of an approved campaign (a job)")
    async def pay_campaign(self, info: Info, input: CampaignInput) -> CampaignJobPayload:
        return await run_mutation(
            info,
            CampaignJobPayload,
            lambda: _queue(
                info, "pay_campaign", input.campaign_id, Action.PAY, service.PAYABLE, "pay"
            ),
        )

    @strawberry.mutation(description="Pay one entitlement; the same key returns the same result")
    async def pay_entitlement(self, info: Info, input: PayEntitlementInput) -> PaymentPayload:
        async def action() -> dict[str, Any]:
            response = await service.pay_entitlement(
                principal(info),
                _entitlement_pk(input.entitlement_id),
                input.idempotency_key,
                info.context.now,
                host=info.context.host,
            )
            return await _payment(info, response)

        return await run_mutation(info, PaymentPayload, action)

    @strawberry.mutation(description="Undo a payment with a compensating ledger entry")
    async def reverse_entitlement(
        self, info: Info, input: ReverseEntitlementInput
    ) -> PaymentPayload:
        async def action() -> dict[str, Any]:
            response = await service.reverse_entitlement(
                principal(info),
                _entitlement_pk(input.entitlement_id),
                _reason(input.reason),
                input.idempotency_key,
                info.context.now,
                host=info.context.host,
            )
            return await _payment(info, response)

        return await run_mutation(info, PaymentPayload, action)

    @strawberry.mutation(description="Close a paid campaign")
    async def close_campaign(self, info: Info, input: CampaignInput) -> CampaignPayload:
        async def action() -> dict[str, Any]:
            done = await service.close(principal(info), _campaign_pk(input.campaign_id))
            return {"campaign": campaign_of(done)}

        return await run_mutation(info, CampaignPayload, action)

    @strawberry.mutation(
        description="Set a school term's dates (city administrators)",
        deprecation_reason="Use setPeriodDates, which sets terms and programs' periods alike",
    )
    async def set_school_term(self, info: Info, input: SchoolTermInput) -> SchoolTermPayload:
        async def action() -> dict[str, Any]:
            if dated_kind(canonical(input.code)) != "term":
                raise invalid(canonical(input.code), "code")
            done = await set_dates(
                principal(info), input.code, input.start, input.end, (), "setSchoolTerm"
            )
            return _period_payload(done)

        return await run_mutation(info, SchoolTermPayload, action)

    @strawberry.mutation(
        description="Set the dates of a period the city dates: a school term, or a period of a "
        "kind a program added (city administrators)"
    )
    async def set_period_dates(self, info: Info, input: PeriodDatesInput) -> PeriodDatesPayload:
        async def action() -> dict[str, Any]:
            kinds = info.context.host.period_kinds()
            done = await set_dates(principal(info), input.code, input.start, input.end, kinds)
            return _period_payload(done)

        return await run_mutation(info, PeriodDatesPayload, action)

    @strawberry.mutation(description="A district's money rules (district and city admins)")
    async def set_district_policy(
        self, info: Info, input: DistrictPolicyInput
    ) -> DistrictPolicyPayload:
        async def action() -> dict[str, Any]:
            who = principal(info)
            policy.require(
                who,
                Action.MANAGE_FUNDS,
                input.district_code,
                "districtCode",
                Words("区", "district"),
            )
            await DistrictPolicy.update_or_create(
                defaults={
                    "second_approval_above": input.second_approval_above,
                    "updated_by": who.username,
                },
                district_id=input.district_code,
            )

            await audit.record(
                who,
                "setDistrictPolicy",
                object_type="District",
                object_id=input.district_code,
                district_code=input.district_code,
                changes={"second_approval_above": [None, audit.plain(input.second_approval_above)]},
            )
            return {
                "district_code": input.district_code,
                "second_approval_above": input.second_approval_above,
            }

        return await run_mutation(info, DistrictPolicyPayload, action)


def _reason(text: str) -> str:
    """A reason is kept as the audit entry's purpose: its column bounds it."""
    limit = max_length(AuditEntry, "purpose")
    return clean_text(text, "reason", max_length=limit, kind=TextKind.NOTE) or ""


async def _decide(info: Info, input: CampaignInput, approve: bool) -> CampaignPayload:
    async def action() -> dict[str, Any]:
        done = await service.decide_approval(
            principal(info),
            _campaign_pk(input.campaign_id),
            approve,
            _reason(input.reason),
            info.context.now,
            input.version,
        )
        return {"campaign": campaign_of(done)}

    return await run_mutation(info, CampaignPayload, action)
