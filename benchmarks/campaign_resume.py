"""Kill an evaluating worker part way, run the job again, and check that every eligible member
has exactly one entitlement (no duplicate, no loss).

    python ../shared/data/gen_data.py --out /tmp/reg --members 100000
    python benchmarks/campaign_resume.py --data /tmp/reg [--database-url postgres://...]

The worker is a separate process evaluating the campaign job in small batches (each commits);
this script kills it with SIGKILL once some batches are committed, then claims the abandoned job
as a new worker would once its heartbeat is stale, and runs it to the end. Not a test.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import signal
import subprocess
import sys
from pathlib import Path

from register import festival_campaign, fresh_database, load, sample_host
from tortoise.functions import Count

from unionaid.core import db, jobs
from unionaid.core.identifiers import age_on
from unionaid.core.models import Entitlement, Job, JobStatus, Member
from unionaid.core.services import campaign_jobs  # noqa: F401  (registers the job handlers)

SMALL_BATCH = 200  # many commits, so the kill lands in the middle


async def worker(url: str, job_id: int) -> None:
    """The process that gets killed: claim the job and evaluate."""
    host = sample_host()
    await db.init_db(url, host)
    ctx = jobs.JobContext(host, vault=None)  # evaluation needs no decryption
    job = await jobs.claim("doomed-worker", ctx.clock(), job_id=job_id)
    assert job is not None
    await jobs.run(job, ctx)
    await db.close_db()


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", help="folder written by gen_data.py")
    parser.add_argument("--database-url")
    parser.add_argument("--worker-job", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker_job:
        await worker(args.database_url, args.worker_job)
        return
    url = await fresh_database(args.database_url)
    host = sample_host()
    _, actor, fund_id = await load(url, Path(args.data), host)
    campaign = await festival_campaign(actor, host, fund_id, "sample", "gift")
    job = await jobs.enqueue(
        "evaluate_campaign",
        {"campaign_id": campaign.id, "batch": SMALL_BATCH},
        actor,
        dt.datetime.now(dt.UTC),
    )
    child = subprocess.Popen(
        [sys.executable, __file__, "--database-url", url, "--worker-job", str(job.id)],
        env=dict(os.environ, PYTHONPATH=str(Path(__file__).parent)),
    )
    while True:  # a script, not a test: polling the job row is fine here
        await asyncio.sleep(0.05)
        row = await Job.get(id=job.id)
        if row.total and row.progress >= row.total // 3:
            child.send_signal(signal.SIGKILL)
            child.wait()
            break
        if child.poll() is not None:
            sys.exit("the worker finished before it could be killed; use more members")
    killed = await Job.get(id=job.id)
    before = await Entitlement.filter(campaign_id=campaign.id).count()
    print(
        f"killed the worker at {killed.progress}/{killed.total} candidates; "
        f"{before} entitlements committed; job left '{killed.status.value}'"
    )
    # Another worker, once the heartbeat is stale, takes the job over and finishes it.
    later = dt.datetime.now(dt.UTC) + jobs.STALE_AFTER + dt.timedelta(seconds=1)
    ctx = jobs.JobContext(host, vault=None, clock=lambda: later)
    again = await jobs.claim("second-worker", later)
    assert again is not None and again.id == job.id, again
    done = await jobs.run(again, ctx)
    print(f"rerun by second-worker (attempt {done.attempts}): {done.status.value} {done.result}")
    assert done.status == JobStatus.SUCCEEDED, done.error

    # The check, computed apart from the rule code: union members, income < 3000, 18+.
    eligible = set()
    rows = await Member.filter(is_active=True, is_union_member=True).values(
        "id", "monthly_income", "birth_date"
    )
    for r in rows:
        income = r["monthly_income"]
        if (
            income is not None
            and income < 3000
            and age_on(r["birth_date"], campaign.judged_on) >= 18
        ):
            eligible.add(r["id"])
    per_member = (
        await Entitlement.filter(campaign_id=campaign.id, status__in=["entitled", "paid"])
        .annotate(n=Count("id"))
        .group_by("member_id")
        .values("member_id", "n")
    )
    counted = {r["member_id"]: r["n"] for r in per_member}
    duplicates = sum(1 for n in counted.values() if n > 1)
    missing = len(eligible - set(counted))
    extra = len(set(counted) - eligible)
    print(
        f"eligible members {len(eligible)}, with an entitlement {len(counted)}, "
        f"duplicates {duplicates}, missing {missing}, not eligible but entitled {extra}"
    )
    print(
        "CHECK OK: every eligible member has exactly one entitlement"
        if duplicates == missing == extra == 0
        else "CHECK FAILED"
    )
    await db.close_db()


if __name__ == "__main__":
    asyncio.run(main())
