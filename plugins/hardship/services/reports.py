"""The program's reports: paid benefits by campaign, district, rule, period and level; visits,
people, cash and gift value by district and occasion. Only the caller's districts where the
program runs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from unionaid.core import ProgramScope, paid_entitlements
from unionaid.plugins.hardship import PROGRAM_ID
from unionaid.plugins.hardship.models import Occasion
from unionaid.plugins.hardship.rules import judged_size
from unionaid.plugins.hardship.services import visits


@dataclass(frozen=True)
class PaidGroup:
    campaign_id: int
    district_code: str
    rule_code: str
    period_code: str
    level: str
    households: int
    people: int  # household members covered
    amount: Decimal


@dataclass(frozen=True)
class VisitGroup:
    district_code: str
    occasion: Occasion
    visits: int
    people: int  # distinct people visited
    cash: Decimal
    gift_value: Decimal
    cash_paid: Decimal  # of ``cash``, what was paid from the fund (and not reversed)


async def paid(
    scope: ProgramScope, period: str | None = None, district_code: str | None = None
) -> list[PaidGroup]:
    groups: dict[tuple, list] = {}
    for row in await paid_entitlements(PROGRAM_ID, scope.districts(district_code), period):
        facts = row["facts"] or {}
        key = (
            row["campaign_id"],
            row["district_code"],
            row["rule_code"],
            row["period_code"],
            facts.get("hardship_level") or "none",
        )
        slot = groups.setdefault(key, [0, 0, Decimal("0.00")])
        slot[0] += 1
        slot[1] += int(judged_size(facts) or 1)
        slot[2] += Decimal(row["amount"])
    return [PaidGroup(*key, *slot) for key, slot in sorted(groups.items())]


async def visited(
    scope: ProgramScope, since: dt.date | None = None, until: dt.date | None = None
) -> list[VisitGroup]:
    query = visits.visible(scope, since=since, until=until)
    groups: dict[tuple, list] = {}
    for v in await query.values(
        "district_code",
        "occasion",
        "visitee_name",
        "member_id",
        "cash",
        "gift_value",
        "payment_entry_id",
        "reversal_entry_id",
    ):
        slot = groups.setdefault(
            (v["district_code"], v["occasion"]),
            [0, set(), Decimal("0"), Decimal("0"), Decimal("0")],
        )
        slot[0] += 1
        slot[1].add(v["member_id"] or v["visitee_name"])
        slot[2] += Decimal(v["cash"])
        slot[3] += Decimal(v["gift_value"])
        if v["payment_entry_id"] is not None and v["reversal_entry_id"] is None:
            slot[4] += Decimal(v["cash"])
    return [
        VisitGroup(d, o, n, len(p), c, g, paid)
        for (d, o), (n, p, c, g, paid) in sorted(
            groups.items(), key=lambda i: (i[0][0], str(i[0][1]))
        )
    ]
