"""Evaluating and paying a campaign run as jobs, so 100k members never block a request and a
killed worker's job is simply run again (both steps skip what is done)."""

from __future__ import annotations

from typing import Any

from unionaid.core.jobs import JobContext, handler, job_actor, job_progress
from unionaid.core.models import Job
from unionaid.core.services import campaigns


@handler("evaluate_campaign")
async def evaluate_job(job: Job, ctx: JobContext, also=None) -> dict[str, Any]:
    actor = await job_actor(job)
    progress = job_progress(job, ctx, also)
    batch = job.params.get("batch", campaigns.BATCH)
    return await campaigns.evaluate(actor, ctx.host, job.params["campaign_id"], progress, batch)


@handler("pay_campaign")
async def pay_job(job: Job, ctx: JobContext, also=None) -> dict[str, Any]:
    actor = await job_actor(job)
    progress = job_progress(job, ctx, also)
    return await campaigns.pay_campaign(
        actor, job.params["campaign_id"], ctx.clock(), progress, host=ctx.host
    )
