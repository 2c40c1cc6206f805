"""Reports of a plan year by district and enterprise: enrolments, shares and contributions
collected, reconciled with the ledger (the fund's entries tagged with the program, district and
plan year). A handful of grouped statements, whatever the number of enrolments."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

import strawberry
from tortoise.functions import Count, Sum

from unionaid.core import ExportKind, ExportRequest, Money, ledger_totals, pk_of, to_global_id
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


@strawberry.type(name="MutualAidDistrictTotals", description="A district's totals and the ledger's")
class DistrictTotals:
    district_code: str
    enrolments: int
    shares: int
    collected: Money
    ledger_collected: Money = strawberry.field(
        description="The fund's contribution entries tagged with this program, district and year"
    )
    reconciles: bool = strawberry.field(description="collected equals ledgerCollected")


@strawberry.type(name="MutualAidReport", description="A plan year's figures")
class ReportType:
    plan_year: int
    rows: list[ReportRow]
    districts: list[DistrictTotals]


async def report(plan_year: int, district_codes: Iterable[str]) -> ReportType:
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
    rows: dict[tuple[str, int | None], dict] = {}

    def slot(d: str, e: int | None) -> dict:
        return rows.setdefault(
            (d, e),
            {"enrolments": 0, "shares": 0, "cancelled": 0, "collected": ZERO, "refunded": ZERO},
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
        total = Decimal(str(m["total"])).quantize(Decimal("0.01"))
        if str(m["kind"]) == ContributionKind.CONTRIBUTION:
            s["collected"] += total
        else:
            s["refunded"] += -total
    ledger = await ledger_totals(PROGRAM, str(plan_year), codes)
    districts = []
    for code in codes:
        mine = [v for (d, _), v in rows.items() if d == code]
        if not mine and not any(d == code for d, _ in ledger):
            continue
        collected = sum((v["collected"] for v in mine), ZERO)
        in_ledger = ledger.get((code, "contribution"), ZERO)
        districts.append(
            DistrictTotals(
                district_code=code,
                enrolments=sum(v["enrolments"] for v in mine),
                shares=sum(v["shares"] for v in mine),
                collected=collected,
                ledger_collected=in_ledger,
                reconciles=collected == in_ledger,
            )
        )
    return ReportType(
        plan_year=plan_year,
        rows=[
            ReportRow(
                district_code=d,
                enterprise_id=strawberry.ID(to_global_id("Enterprise", e)) if e else None,
                **v,
            )
            for (d, e), v in sorted(rows.items(), key=lambda i: (i[0][0], i[0][1] or 0))
        ],
        districts=districts,
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
