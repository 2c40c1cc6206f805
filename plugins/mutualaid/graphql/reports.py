"""Reports of a plan year by district and enterprise: enrolments, shares and contributions
collected, reconciled with the ledger (the fund's entries tagged with the program, district and
plan year). A handful of grouped statements, whatever the number of enrolments.

Here rather than in ``services/``: the report is built as its GraphQL types (and the claims'
enum types), which the export (``EXPORTS``) reuses."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import strawberry
from tortoise.functions import Count, Sum

from unionaid.core import ExportKind, ExportRequest, Money, ledger_totals, pk_of, to_global_id
from unionaid.plugins.mutualaid.claim_models import Claim, ClaimKind, ClaimState
from unionaid.plugins.mutualaid.graphql.claims import ClaimKindType, ClaimStateType
from unionaid.plugins.mutualaid.models import (
    Contribution,
    ContributionKind,
    Enrolment,
    EnrolmentState,
)

PROGRAM = "mutualaid"
ZERO = Decimal("0.00")


@strawberry.type(
    name="MutualAidReportRow", description="One district's, or one enterprise's, figures"
)
class ReportRow:
    district_code: str
    enterprise_id: strawberry.ID | None = strawberry.field(
        description="None: members enrolled one by one (they pay themselves)"
    )
    enrolments: int = strawberry.field(description="Active enrolments")
    shares: int = strawberry.field(description="Shares of the active enrolments")
    cancelled: int
    collected: Money = strawberry.field(description="Contributions paid into the fund")
    refunded: Money = strawberry.field(description="Refunds paid out of the fund")
    claims_paid: int = strawberry.field(description="Plan claims paid (not condolences)")
    paid: Money = strawberry.field(description="Paid on plan claims")
    average_payout: Money | None
    average_days_to_payment: float | None = strawberry.field(
        description="Days from submission to payment, on average"
    )
    loss_ratio: Decimal | None = strawberry.field(
        description="paid ÷ (collected − refunded), 4 decimals; null when nothing was collected"
    )


@strawberry.type(name="MutualAidDistrictTotals", description="A district's totals and the ledger's")
class DistrictTotals:
    district_code: str
    enrolments: int
    shares: int
    collected: Money
    ledger_collected: Money = strawberry.field(
        description="The fund's contribution entries tagged with this program, district and year"
    )
    paid: Money = strawberry.field(description="Claims, condolences and refunds paid")
    ledger_paid: Money = strawberry.field(
        description="The fund's payment entries tagged with this program, district and year"
    )
    loss_ratio: Decimal | None
    reconciles: bool = strawberry.field(
        description="collected equals ledgerCollected and paid equals ledgerPaid"
    )


@strawberry.type(name="MutualAidClaimFigures", description="Claims of one coverage in one state")
class ClaimFigures:
    district_code: str
    kind: ClaimKindType
    state: ClaimStateType
    claims: int
    amount: Money = strawberry.field(description="Assessed amounts (paid ones: what was paid)")


@strawberry.type(name="MutualAidReport", description="A plan year's figures")
class ReportType:
    plan_year: int
    rows: list[ReportRow]
    districts: list[DistrictTotals]
    claims: list[ClaimFigures] = strawberry.field(
        description="Claims (and condolences) by district, coverage and state"
    )


async def report(plan_year: int, district_codes: Iterable[str]) -> ReportType:
    """The plan year's figures in ``district_codes``: four grouped statements and the claims'
    few columns, whatever the number of enrolments."""
    codes = sorted(district_codes)
    counts = (
        await Enrolment.filter(plan_year=plan_year, district_code__in=codes)
        .annotate(n=Count("id"), s=Sum("shares"))
        .group_by("district_code", "enterprise_id", "state")
        .values("district_code", "enterprise_id", "state", "n", "s")
    )
    money = (
        await Contribution.filter(
            plan__plan_year=plan_year, district_code__in=codes, ledger_entry_id__not_isnull=True
        )
        .annotate(total=Sum("amount"))
        .group_by("district_code", "enterprise_id", "kind")
        .values("district_code", "enterprise_id", "kind", "total")
    )
    claims = await Claim.filter(year=plan_year, district_code__in=codes).values(
        "district_code",
        "kind",
        "status",
        "amount",
        "submitted_on",
        "paid_on",
        "enrolment__enterprise_id",
    )
    rows: dict[tuple[str, int | None], dict] = {}

    def slot(d: str, e: int | None) -> dict:
        return rows.setdefault(
            (d, e),
            {
                "enrolments": 0,
                "shares": 0,
                "cancelled": 0,
                "collected": ZERO,
                "refunded": ZERO,
                "paid": ZERO,
                "days": [],
            },
        )

    for c in counts:
        s = slot(c["district_code"], c["enterprise_id"])
        if str(c["state"]) == EnrolmentState.ACTIVE:
            s["enrolments"] += c["n"]
            s["shares"] += c["s"] or 0
        else:
            s["cancelled"] += c["n"]
    for m in money:
        s = slot(m["district_code"], m["enterprise_id"])
        total = _yuan(m["total"])
        if str(m["kind"]) == ContributionKind.CONTRIBUTION:
            s["collected"] += total
        else:
            s["refunded"] += -total
    figures: dict[tuple[str, str, str], list] = {}
    condolences_paid: dict[str, Decimal] = {}
    for c in claims:
        amount = _yuan(c["amount"] or 0)
        kind, state = ClaimKind(c["kind"]), ClaimState(c["status"])
        f = figures.setdefault((c["district_code"], kind, state), [0, ZERO])
        f[0], f[1] = f[0] + 1, f[1] + amount
        if state != ClaimState.PAID:
            continue
        if kind == ClaimKind.CONDOLENCE:  # free for members: not the plan's loss
            condolences_paid[c["district_code"]] = (
                condolences_paid.get(c["district_code"], ZERO) + amount
            )
            continue
        s = slot(c["district_code"], c["enrolment__enterprise_id"])
        s["paid"] += amount
        s["days"].append((c["paid_on"] - c["submitted_on"]).days)
    ledger = await ledger_totals(PROGRAM, str(plan_year), codes)
    districts = []
    for code in codes:
        mine = [v for (d, _), v in rows.items() if d == code]
        if not mine and not any(d == code for d, _ in ledger):
            continue
        collected = sum((v["collected"] for v in mine), ZERO)
        refunded = sum((v["refunded"] for v in mine), ZERO)
        claims_paid = sum((v["paid"] for v in mine), ZERO)
        paid = claims_paid + refunded + condolences_paid.get(code, ZERO)
        in_ledger = ledger.get((code, "contribution"), ZERO)
        paid_in_ledger = -ledger.get((code, "payment"), ZERO)
        districts.append(
            DistrictTotals(
                district_code=code,
                enrolments=sum(v["enrolments"] for v in mine),
                shares=sum(v["shares"] for v in mine),
                collected=collected,
                ledger_collected=in_ledger,
                paid=paid,
                ledger_paid=paid_in_ledger,
                loss_ratio=_ratio(claims_paid, collected - refunded),
                reconciles=collected == in_ledger and paid == paid_in_ledger,
            )
        )
    return ReportType(
        plan_year=plan_year,
        rows=[
            _row(d, e, v)
            for (d, e), v in sorted(rows.items(), key=lambda i: (i[0][0], i[0][1] or 0))
        ],
        districts=districts,
        claims=[
            ClaimFigures(
                district_code=d, kind=ClaimKindType(k), state=ClaimStateType(st), claims=n, amount=a
            )
            for (d, k, st), (n, a) in sorted(figures.items(), key=lambda i: tuple(map(str, i[0])))
        ],
    )


def _yuan(value: object) -> Decimal:
    return Decimal(str(value)).quantize(Decimal("0.01"))


def _ratio(paid: Decimal, collected: Decimal) -> Decimal | None:
    if collected <= 0:
        return None
    return (paid / collected).quantize(Decimal("0.0001"))


def _row(district: str, enterprise: int | None, v: dict) -> ReportRow:
    days, paid = v["days"], v["paid"]
    return ReportRow(
        district_code=district,
        enterprise_id=strawberry.ID(to_global_id("Enterprise", enterprise)) if enterprise else None,
        enrolments=v["enrolments"],
        shares=v["shares"],
        cancelled=v["cancelled"],
        collected=v["collected"],
        refunded=v["refunded"],
        claims_paid=len(days),
        paid=paid,
        average_payout=(paid / len(days)).quantize(Decimal("0.01")) if days else None,
        average_days_to_payment=round(sum(days) / len(days), 1) if days else None,
        loss_ratio=_ratio(paid, v["collected"] - v["refunded"]),
    )


REPORT_COLUMNS = (
    "plan_year",
    "district_code",
    "enterprise_id",
    "enrolments",
    "shares",
    "cancelled",
    "collected",
    "refunded",
    "claims_paid",
    "paid",
    "average_payout",
    "average_days_to_payment",
    "loss_ratio",
)


async def report_rows(request: ExportRequest) -> list[list]:
    """``unionaid export mutualaid-report``: the report's rows of every plan year in the
    requester's districts (an enterprise contact: its own unit's rows only)."""
    codes = sorted(request.district_codes)
    years = sorted(
        set(
            await Enrolment.filter(district_code__in=codes)
            .distinct()
            .values_list("plan_year", flat=True)
        )
    )
    out = []
    for year in years:
        for row in (await report(year, codes)).rows:
            enterprise = pk_of(row.enterprise_id, "Enterprise") if row.enterprise_id else None
            if request.enterprise_ids is not None and enterprise not in request.enterprise_ids:
                continue
            out.append(
                [
                    year,
                    row.district_code,
                    enterprise or "",
                    row.enrolments,
                    row.shares,
                    row.cancelled,
                    f"{row.collected:.2f}",
                    f"{row.refunded:.2f}",
                    row.claims_paid,
                    f"{row.paid:.2f}",
                    "" if row.average_payout is None else f"{row.average_payout:.2f}",
                    "" if row.average_days_to_payment is None else row.average_days_to_payment,
                    "" if row.loss_ratio is None else str(row.loss_ratio),
                ]
            )
    return out


EXPORTS = [
    ExportKind(
        "mutualaid-report",
        REPORT_COLUMNS,
        report_rows,
        "read_records",
        description="互助保障报表：按计划年度、区和单位的参保、份数、缴费与退费",
    )
]
