"""``unionaid campaign create|evaluate|approve|reject|pay|cancel|show`` and ``unionaid period
set``: the same services and jobs as the API, with a progress bar for the long steps."""

from __future__ import annotations

import argparse

from unionaid.core.cli_access import (
    CommandError,
    acting_as,
    checked_vault,
    run_job_here,
    run_with_db,
)
from unionaid.core.config import Settings
from unionaid.core.host import PluginHost


def cmd_campaign(args: argparse.Namespace, settings: Settings) -> int:
    from unionaid.core.jobs import JobContext, enqueue
    from unionaid.core.models import Campaign, Fund
    from unionaid.core.services import campaign_jobs, campaigns

    host = PluginHost.load()

    async def work() -> int:
        ctx = JobContext(host, checked_vault())
        if args.action == "show":
            c = await Campaign.get_or_none(id=args.id)
            if c is None:
                raise CommandError(f"no campaign {args.id}")
            print(
                f"#{c.id} {c.name} [{c.status.value}] {c.program}/{c.rule_code} {c.period_code} "
                f"({c.period_start}..{c.period_end}, judged {c.judged_on}) "
                f"districts {','.join(c.district_codes)}; entitled {c.entitled_count} "
                f"= {c.entitled_total}; paid {c.paid_count} = {c.paid_total}"
            )
            return 0
        actor = await acting_as(args.as_user, required=True, why="money decisions are audited")
        now = ctx.clock()
        if args.action == "create":
            fund = await Fund.get_or_none(code=args.fund)
            if fund is None:
                raise CommandError(f"no fund {args.fund}")
            made = await campaigns.create(
                actor,
                host,
                name=args.name,
                program=args.program,
                rule_code=args.rule,
                period_code=args.period,
                district_codes=args.district,
                fund_id=fund.id,
            )
            print(made.id)
            return 0
        if args.action in ("approve", "reject"):
            done = await campaigns.decide_approval(
                actor, args.id, args.action == "approve", args.reason or "", now
            )
            print(f"#{done.id} {done.status.value}")
            return 0
        if args.action == "cancel":
            done = await campaigns.cancel(actor, args.id, args.reason or "")
            print(f"#{done.id} {done.status.value}")
            return 0
        kind, handler = {
            "evaluate": ("evaluate_campaign", campaign_jobs.evaluate_job),
            "pay": ("pay_campaign", campaign_jobs.pay_job),
        }[args.action]
        job = await enqueue(kind, {"campaign_id": args.id}, actor, now)
        result = await run_job_here(job, ctx, handler, f"{args.action} #{args.id}")
        print(" ".join(f"{k}={v}" for k, v in result.items()))
        return 0

    return run_with_db(settings, work)


def cmd_period(args: argparse.Namespace, settings: Settings) -> int:
    """Set a city-dated period's dates, as ``setPeriodDates`` does."""
    import datetime as dt

    from tortoise.transactions import in_transaction

    from unionaid.core.services.period_dates import set_dates

    host = PluginHost.load()

    async def work() -> int:
        actor = await acting_as(args.as_user, required=True, why="period dates are audited")
        try:
            start, end = dt.date.fromisoformat(args.start), dt.date.fromisoformat(args.end)
        except ValueError as exc:
            raise CommandError(f"dates are YYYY-MM-DD: {exc}") from None
        async with in_transaction():
            period = await set_dates(actor, args.code, start, end, host.period_kinds())
        print(f"{period.code} {period.kind} {period.start}..{period.end}")
        return 0

    return run_with_db(settings, work)


def add_parsers(sub: argparse._SubParsersAction) -> None:
    campaign = sub.add_parser("campaign", help="payment campaigns: create, evaluate, approve, pay")
    csub = campaign.add_subparsers(dest="action", required=True)
    create = csub.add_parser("create", help="draft a campaign; prints its id")
    create.add_argument("--name", required=True)
    create.add_argument("--program", required=True)
    create.add_argument("--rule", required=True)
    create.add_argument("--period", required=True, help="2027-03, 2027-Q1, 2027-spring-festival…")
    create.add_argument("--district", action="append", required=True)
    create.add_argument("--fund", required=True, help="the fund's code")
    for action in ("evaluate", "approve", "reject", "pay", "cancel", "show"):
        p = csub.add_parser(action)
        p.add_argument("id", type=int)
        if action in ("approve", "reject", "cancel"):
            p.add_argument("--reason")
    for p in csub.choices.values():
        p.add_argument("--as", dest="as_user", help="who acts (required, audited)")
    campaign.set_defaults(func=cmd_campaign)
    period = sub.add_parser("period", help="the dates of periods the city sets")
    psub = period.add_subparsers(dest="action", required=True)
    dates = psub.add_parser("set", help="set a school term's or a program period's dates")
    dates.add_argument("code", help="2027-autumn-term, or a program's: 2027-holiday-season")
    dates.add_argument("--start", required=True, help="YYYY-MM-DD")
    dates.add_argument("--end", required=True, help="YYYY-MM-DD (inclusive)")
    dates.add_argument("--as", dest="as_user", help="a city administrator (required, audited)")
    period.set_defaults(func=cmd_period)
