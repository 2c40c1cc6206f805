"""Time to evaluate a campaign over the whole register, next to a hand-written SQL statement that
computes and writes the same entitlements; prints both and the ratio.

    python ../shared/data/gen_data.py --out /tmp/reg --members 100000
    python benchmarks/campaign_evaluate.py --data /tmp/reg [--database-url postgres://...]

Rule: the sample plugin's reference rule (festival gift: union members with a monthly income
below 3,000 yuan, aged 18 or over on the day judged), a Spring Festival, all districts.
The SQL writes the same rows (amount, explanation texts, facts and settings snapshots) under
another period code so the two do not collide, and the script checks that both found the same
members. Three pairs of timings by default (2027, 2028 and 2029 Spring Festivals), compared by
their medians: this machine's speed varies by a third from one moment to the next. Not a test:
asserts nothing about time.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import time
from pathlib import Path

from register import festival_campaign, fresh_database, load, sample_host
from tortoise import connections

from unionaid.core import db
from unionaid.core.models import Entitlement
from unionaid.core.services import campaigns

# The same rows the campaign writes: amount, explanation texts, facts and settings snapshots.
COLUMNS = """campaign_id, program, rule_code, period_code, occurrence, beneficiary, member_id,
    household_id, district_code, amount, status, explanation, facts, settings, settings_version,
    created_at"""
SETTINGS = '{{"gift_amount": "500.00", "gift_income_ceiling": "3000.00", "gift_min_age": 18}}'
SQL = {
    "sqlite": """
WITH c AS (
  SELECT m.id, m.household_id, m.district_id,
    printf('%.2f', CAST(m.monthly_income AS REAL)) AS income,
    CAST(strftime('%Y', '{day}') AS INTEGER) - CAST(strftime('%Y', m.birth_date) AS INTEGER)
      - (strftime('%m-%d', '{day}') < strftime('%m-%d', m.birth_date)) AS age
  FROM member m
  WHERE m.district_id IN ({districts}) AND m.is_active AND m.is_union_member
    AND CAST(m.monthly_income AS REAL) < 3000 AND m.birth_date <= date('{day}', '-18 years'))
INSERT INTO entitlement ("""
    + COLUMNS
    + """)
SELECT {campaign}, 'sample', 'gift', '{period}', '{period}', 'member:' || id, id, household_id,
  district_id, '500.00', 'entitled',
  json_array(
    json_object('passed', json('true'), 'zh', '是工会会员', 'en', 'is a union member'),
    json_object('passed', json('true'), 'zh', '月收入 ' || income || ' 元低于 3000.00 元',
      'en', 'monthly income ' || income || ' below 3000.00'),
    json_object('passed', json('true'), 'zh', '{day} 时年满 18 岁（' || age || ' 岁）',
      'en', 'aged 18 or over on {day} (' || age || ')')),
  json_object('is_union_member', json('true'), 'monthly_income', income, 'age', age),
  '"""
    + SETTINGS
    + """', '{{"city": null, "district": null}}', CURRENT_TIMESTAMP
FROM c""",
    "postgres": """
WITH c AS (
  SELECT m.id, m.household_id, m.district_id,
    to_char(m.monthly_income, 'FM999999990.00') AS income,
    date_part('year', age(DATE '{day}', m.birth_date))::int AS age
  FROM member m
  WHERE m.district_id IN ({districts}) AND m.is_active AND m.is_union_member
    AND m.monthly_income < 3000 AND m.birth_date <= DATE '{day}' - INTERVAL '18 years')
INSERT INTO entitlement ("""
    + COLUMNS
    + """)
SELECT {campaign}, 'sample', 'gift', '{period}', '{period}', 'member:' || id, id, household_id,
  district_id, 500.00, 'entitled',
  json_build_array(
    json_build_object('passed', true, 'zh', '是工会会员', 'en', 'is a union member'),
    json_build_object('passed', true, 'zh', '月收入 ' || income || ' 元低于 3000.00 元',
      'en', 'monthly income ' || income || ' below 3000.00'),
    json_build_object('passed', true, 'zh', '{day} 时年满 18 岁（' || age || ' 岁）',
      'en', 'aged 18 or over on {day} (' || age || ')')),
  json_build_object('is_union_member', true, 'monthly_income', income, 'age', age),
  '"""
    + SETTINGS
    + """', '{{"city": null, "district": null}}', now()
FROM c""",
}


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", required=True, help="folder written by gen_data.py")
    parser.add_argument("--database-url")
    parser.add_argument("--runs", type=int, default=3, help="pairs of timings (one per year)")
    args = parser.parse_args()
    url = await fresh_database(args.database_url)
    host = sample_host()
    _, actor, fund_id = await load(url, Path(args.data), host)
    conn = connections.get("default")
    dialect = "postgres" if conn.capabilities.dialect == "postgres" else "sqlite"
    print("PostgreSQL:" if dialect == "postgres" else "SQLite:")
    timings = []
    # One pair per year's Spring Festival, taken in turn, so a slow moment of the machine
    # weighs on both sides; the medians are compared.
    for year in range(2027, 2027 + args.runs):
        campaign = await festival_campaign(actor, host, fund_id, "sample", "gift", year)
        started = time.perf_counter()
        counts = await campaigns.evaluate(actor, host, campaign.id)
        ours = time.perf_counter() - started
        sql = SQL[dialect].format(
            campaign=campaign.id,
            period=f"sql-bench-{year}",
            day=campaign.judged_on.isoformat(),
            districts=", ".join(f"'{c}'" for c in campaign.district_codes),
        )
        started = time.perf_counter()
        await conn.execute_script(sql)
        hand = time.perf_counter() - started
        timings.append((ours, hand))
        same = await _members(campaign.period_code) == await _members(f"sql-bench-{year}")
        print(
            f"{campaign.period_code}: evaluated {counts['evaluated']} candidates, "
            f"{counts['created']} entitlements in {ours:.2f} s; hand-written SQL {hand:.2f} s "
            f"({ours / hand:.2f}x); same members: {same}"
        )
    ours, hand = (statistics.median(side) for side in zip(*timings, strict=True))
    print(
        f"median: campaign evaluation {ours:.2f} s, hand-written SQL {hand:.2f} s, "
        f"ratio {ours / hand:.2f}x"
    )
    # The hardship program's Spring Festival rule over the same register (households with an
    # imported hardship level: 特困 by default).
    festival = await festival_campaign(actor, host, fund_id, "hardship", "spring_festival")
    started = time.perf_counter()
    counts = await campaigns.evaluate(actor, host, festival.id)
    print(
        f"hardship spring_festival: {counts['evaluated']} candidates, {counts['created']} "
        f"households entitled, {time.perf_counter() - started:.2f} s"
    )
    await db.close_db()


async def _members(period_code: str) -> set[int]:
    return set(
        await Entitlement.filter(period_code=period_code).values_list("member_id", flat=True)
    )


if __name__ == "__main__":
    asyncio.run(main())
