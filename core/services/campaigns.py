"""Payment campaigns: draft → evaluated → approved → paid → closed (or cancelled, rejected).

Correctness comes from the database, never from process state, so any number of server and
worker processes on one PostgreSQL stay correct:

* a beneficiary is entitled at most once per (program, rule, occurrence) while the entitlement
  is live — a partial unique index (migration core.0011), across campaigns and districts. The
  occurrence is the period's (the festival of a lunar year, the quarter …) for a calendar rule,
  a declared key for a one-off rule (:mod:`unionaid.core.schedules`);
* money moves in one transaction with the fund's row locked (``SELECT … FOR UPDATE``): the
  ledger debit and the entitlement's status change commit together or not at all;
* evaluation and payment work in batches that each commit; rerunning after a crash skips what
  is done, so nothing is duplicated and nothing lost;
* approval stamps the set it approves (each entitlement's ``approved_version``), and payment
  pays only that set: whatever joins the campaign later waits for the next approval;
* nobody who made a campaign (created it, evaluated it, added to it) approves it;
* every change commits with its audit entries, one entry per district it touches, so
  ``auditLog(districtCode:)`` finds it from each of them."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import Awaitable, Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.expressions import Expression, F, RawSQL, ResolveResult, Subquery
from tortoise.functions import Count, Sum
from tortoise.queryset import QuerySet
from tortoise.transactions import in_transaction

from unionaid.core import policy
from unionaid.core.db import bulk_reader, insert_all, reserve_ids
from unionaid.core.errors import Code, DomainError, Words
from unionaid.core.global_ids import to_global_id
from unionaid.core.host import PluginHost
from unionaid.core.models import (
    LIVE,
    Approval,
    Campaign,
    CampaignDistrict,
    CampaignMaker,
    CampaignStatus,
    District,
    DistrictPolicy,
    Entitlement,
    EntitlementStatus,
    Fund,
    IdempotencyKey,
    LedgerEntry,
    LedgerKind,
    Member,
)
from unionaid.core.money import ZERO, format_money, to_fen
from unionaid.core.periods import Period, canonical, period_kind, resolve_period
from unionaid.core.plugin_types import EntitlementEvent
from unionaid.core.policy import Action
from unionaid.core.principal import Principal
from unionaid.core.rules import Condition, Decision, candidates
from unionaid.core.schedules import key_of, occurrence, require_key, require_period
from unionaid.core.services import audit
from unionaid.core.services.evaluation import (
    beneficiary,
    decide,
    explanation,
    json_safe,
    member_facts,
    to_json,
)
from unionaid.core.services.programs import effective_for_districts, enabled_pairs
from unionaid.core.services.states import invalid_state
from unionaid.core.services.validation import Problems

# Candidates per batch: a batch's entitlements fit one SQLite statement (9 parameters a row, 10
# for a one-off rule; at most 32,766 a statement), so each batch is written in one round trip.
# (Larger batches measured no faster: the first read and the last write, which nothing overlaps,
# grow with them.)
BATCH = 2000
Progress = Callable[[int, int | None], Awaitable[None]] | None
S = CampaignStatus


def _gid(campaign_id: int) -> str:
    return to_global_id("Campaign", campaign_id)


async def _tick(progress: Progress, done: int, total: int | None) -> None:
    if progress is not None:
        await progress(done, total)


# -- creating ----------------------------------------------------------------------------------


async def create(
    actor: Principal,
    host: PluginHost,
    *,
    name: str,
    program: str,
    rule_code: str,
    period_code: str,
    district_codes: list[str],
    fund_id: int,
    record: tuple[str, int] | None = None,
) -> Campaign:
    """A draft campaign. ``record`` (type, id): the own campaign of one program record's event
    payment (:mod:`unionaid.core.services.event_payments`), reached only through that path."""
    problems = Problems()
    problems.require(name, "name")
    if program not in host.programs:
        raise DomainError(Code.UNKNOWN_PROGRAM, "programId", program=program)
    rule = host.rule(program, rule_code)
    if rule is None:
        problems.add(
            Code.NOT_FOUND, "ruleCode", what=Words(f"规则 {rule_code}", f"rule {rule_code}")
        )
    try:
        period = await resolve_period(period_code, kinds=host.period_kinds())
        if rule is not None:
            require_period(rule, period)  # a Spring Festival rule: only spring festivals
    except DomainError as err:
        problems.errors.append(err)
        period = None
    codes = sorted(set(district_codes))
    if not codes:
        problems.add(Code.REQUIRED, "districtCodes")
    known = set(await District.filter(code__in=codes).values_list("code", flat=True))
    enabled = await enabled_pairs()
    for code in codes:
        if code not in known or not actor.sees_district(code):
            problems.add(
                Code.NOT_FOUND, "districtCodes", what=Words(f"区 {code}", f"district {code}")
            )
        elif (program, code) not in enabled:
            problems.add(Code.PROGRAM_NOT_ENABLED, "districtCodes", program=program)
    fund = await Fund.get_or_none(id=fund_id)
    if fund is None or not policy.sees_district(actor, fund.district_id):
        problems.add(Code.NOT_FOUND, "fundId", what=Words("资金", "fund"))
    elif fund.district_id is not None and codes != [fund.district_id]:
        problems.add(Code.WRONG_FUND, "fundId")
    problems.raise_if_any()
    for code in codes:
        policy.require(
            actor, Action.CREATE_CAMPAIGNS, code, "districtCodes", Words("区", "district")
        )
    assert period is not None
    async with in_transaction():
        campaign = await Campaign.create(
            name=name.strip(),
            program=program,
            rule_code=rule_code,
            period_code=period.code,
            period_start=period.start,
            period_end=period.end,
            judged_on=period.judged_on,
            district_codes=codes,
            fund_id=fund_id,
            created_by=actor.username,
            created_by_id=actor.user_id,
            record_type=record[0] if record else None,
            record_id=record[1] if record else None,
        )
        await CampaignDistrict.bulk_create(
            [CampaignDistrict(campaign_id=campaign.id, district_code=c) for c in codes]
        )
        await _made_by(actor, campaign.id, "create")
        await _audit(
            actor,
            "createCampaign",
            campaign.id,
            codes,
            changes=audit.diff(
                None,
                {"program": program, "rule": rule_code, "period": period.code, "fund": fund_id},
            ),
        )
    return campaign


async def _audit(
    actor: Principal, operation: str, campaign_id: int, districts: list[str], **details: Any
) -> None:
    """The audit entries of a campaign's change, one per district (a city campaign is found
    from each of its districts). Call it in the change's transaction."""
    await audit.record_many(
        [
            audit.entry(
                actor,
                operation,
                object_type="Campaign",
                object_id=_gid(campaign_id),
                district_code=code,
                **details,
            )
            for code in districts
        ]
    )


async def _made_by(actor: Principal, campaign_id: int, action: str) -> None:
    """Record ``actor`` as a maker of the campaign (once; the first action is kept). Call it
    with the campaign's row locked (or just created), in the transaction of the change."""
    if not await CampaignMaker.exists(campaign_id=campaign_id, username=actor.username):
        await CampaignMaker.create(
            campaign_id=campaign_id,
            username=actor.username,
            user_id=actor.user_id,
            action=action,
            at=dt.datetime.now(dt.UTC),
        )


async def _lock(campaign_id: int) -> Campaign:
    locked = await Campaign.filter(id=campaign_id).select_for_update().first()
    assert locked is not None
    return locked


async def _reopen(actor: Principal, campaign_id: int) -> None:
    """An entitlement joins the campaign: its adder becomes a maker and the campaign a new
    version waiting for approval (what was approved before stays approved, nothing more).
    In the adding transaction, under the campaign's lock, so an approval sees all or none."""
    await _lock(campaign_id)
    await _made_by(actor, campaign_id, "add")
    await Campaign.filter(id=campaign_id).update(status=S.EVALUATED, version=F("version") + 1)


def visible(actor: Principal) -> QuerySet[Campaign]:
    """The campaigns ``actor`` sees (``policy.sees_campaign``: all of their districts are the
    actor's), as one queryset to filter, page and count in SQL."""
    if not policy.sees_campaigns(actor):
        return Campaign.filter(id__in=[])
    if actor.district_codes is None:
        return Campaign.all()
    codes = sorted(actor.district_codes)
    here = CampaignDistrict.filter(district_code__in=codes).values("campaign_id")
    elsewhere = CampaignDistrict.filter(district_code__not_in=codes).values("campaign_id")
    return Campaign.filter(id__in=Subquery(here)).exclude(id__in=Subquery(elsewhere))


async def get_visible(actor: Principal, campaign_id: int, field: str = "campaignId") -> Campaign:
    campaign = await Campaign.get_or_none(id=campaign_id)
    if campaign is None or not policy.sees_campaign(actor, campaign.district_codes):
        raise DomainError(Code.NOT_FOUND, field, what=Words("活动", "campaign"))
    return campaign


def _require_state(campaign: Campaign, allowed: tuple[S, ...], action: str) -> None:
    if campaign.status not in allowed:
        raise invalid_state("campaignId", campaign.status, action)


def _require_all(actor: Principal, action: Action, campaign: Campaign) -> None:
    for code in campaign.district_codes:
        policy.require(actor, action, code, "campaignId", Words("活动", "campaign"))


EVALUABLE = (S.DRAFT, S.EVALUATED, S.REJECTED)
PAYABLE = (S.APPROVED, S.PARTLY_PAID)


async def checked(
    actor: Principal,
    campaign_id: int,
    action: Action,
    states: tuple[S, ...],
    verb: str,
    event: bool = False,
) -> Campaign:
    """The campaign, if the actor can see it (else NOT_FOUND), may do ``action`` in all its
    districts (else FORBIDDEN) and it is in one of ``states`` (else INVALID_STATE). An event
    payment's own campaign is worked on only through its path (``event``, else
    EVENT_PAYMENT): it is approved once, on its record."""
    campaign = await get_visible(actor, campaign_id)
    if (campaign.record_type is not None) != event:
        if event:
            raise DomainError(Code.NOT_FOUND, "paymentId", what=Words("事件支付", "event payment"))
        raise DomainError(Code.EVENT_PAYMENT, "campaignId")
    _require_all(actor, action, campaign)
    _require_state(campaign, states, verb)
    return campaign


def _rule_for(host: PluginHost, campaign: Campaign) -> Any:
    """The campaign's rule, if its schedule accepts the campaign's period: a campaign made
    before periods were checked (a Spring Festival rule over ``2027``) entitles nobody."""
    rule = host.rule(campaign.program, campaign.rule_code)
    if rule is None:
        raise DomainError(
            Code.NOT_FOUND,
            "ruleCode",
            what=Words(f"规则 {campaign.rule_code}", f"rule {campaign.rule_code}"),
        )
    period = Period(
        campaign.period_code,
        period_kind(campaign.period_code),
        campaign.period_start,
        campaign.period_end,
        campaign.judged_on,
    )
    require_period(rule, period, "campaignId")
    return rule


# -- evaluating --------------------------------------------------------------------------------


async def evaluate(
    actor: Principal,
    host: PluginHost,
    campaign_id: int,
    progress: Progress = None,
    batch: int = BATCH,
) -> dict[str, int]:
    """Create one entitlement per eligible beneficiary. Idempotent: beneficiaries already
    entitled (here or in another campaign of the same rule and occurrence) are skipped."""
    campaign = await checked(actor, campaign_id, Action.CREATE_CAMPAIGNS, EVALUABLE, "evaluate")
    async with in_transaction():  # a maker before any entitlement of theirs exists
        await _lock(campaign_id)
        await _made_by(actor, campaign_id, "evaluate")
    rule = _rule_for(host, campaign)
    enabled = await enabled_pairs()
    counts = {"evaluated": 0, "created": 0, "existing": 0, "elsewhere": 0}
    on = campaign.judged_on
    shared = {  # what every entitlement this evaluation writes holds
        "campaign_id": campaign.id,
        "program": campaign.program,
        "rule_code": campaign.rule_code,
        "period_code": campaign.period_code,
        "status": EntitlementStatus.ENTITLED.value,
        "created_at": dt.datetime.now(dt.UTC),
    }
    once = occurrence(rule, campaign.period_code)
    if once is not None:  # a calendar rule: one occurrence for every row
        shared["occurrence"] = once
    plans = {}  # per district: its settings and the row maker using them
    groups: dict[str, tuple[dict, list[str]]] = {}  # districts sharing a candidate filter
    if any((campaign.program, code) not in enabled for code in campaign.district_codes):
        raise DomainError(Code.PROGRAM_NOT_ENABLED, "campaignId", program=campaign.program)
    every_effective = await effective_for_districts(
        host, campaign.program, campaign.district_codes, on
    )
    for code, effective in every_effective.items():
        settings = effective.values
        version = {"city": effective.city_version, "district": effective.district_version}
        plans[code] = (settings, _row_maker(rule, settings, version, keyed=once is None))
        filters = candidates(rule, settings)
        groups.setdefault(repr(sorted(filters.items())), (filters, []))[1].append(code)
    # One query per candidate filter (usually one for the whole campaign): a scan of the
    # register beats one index walk per district.
    queries = [
        Member.filter(district_id__in=codes, is_active=True, **filters)
        for filters, codes in groups.values()
    ]
    total = sum([await query.count() for query in queries]) if progress else None
    # The first evaluation of a rule and period (the usual case) needs no look-up of who is
    # already entitled; the unique index still guards against a concurrent one.
    held = Entitlement.filter(
        program=campaign.program, rule_code=campaign.rule_code, status__in=LIVE
    )
    look = await (held if once is None else held.filter(occurrence=once)).exists()
    # A pipeline keeping the database busy while Python decides: batch k is decided while
    # batch k-1 is written and batch k+1 read in the background. (Candidates are read on a
    # connection of their own where that helps, see bulk_reader, so the two run at once.)
    writing: asyncio.Task | None = None
    reading: asyncio.Task | None = None
    every = YIELD_EVERY.get(connections.get("default").capabilities.dialect, 50)
    async with bulk_reader() as source:
        try:
            for query in queries:

                async def read(after: int, query=query) -> list[dict[str, Any]]:
                    return await member_facts(
                        host,
                        campaign.program,
                        query.filter(id__gt=after).limit(batch).using_db(source),
                        on,
                    )

                def read_after(facts: list[dict]) -> asyncio.Task | None:
                    if len(facts) < batch:  # a short batch was the last
                        return None
                    return asyncio.create_task(read(max(f["member_id"] for f in facts)))

                facts = await read(0)
                reading = read_after(facts)
                while facts:
                    rows = await _decided(rule, facts, plans, on, every)
                    if writing is not None:
                        await writing
                        await _tick(progress, counts["evaluated"], total)
                    writing = asyncio.create_task(
                        _insert(campaign, shared, rows, counts, look, keyed=once is None)
                    )
                    counts["evaluated"] += len(facts)
                    facts = await reading if reading is not None else []
                    reading = read_after(facts)
            if writing is not None:
                await writing
                await _tick(progress, counts["evaluated"], total)
        except BaseException:
            # Nothing left running behind the error: a batch being written commits or rolls back
            # whole (a rerun picks up from there); their own errors are secondary to this one.
            await asyncio.gather(*(t for t in (reading, writing) if t), return_exceptions=True)
            raise
    async with in_transaction():
        await _refresh_totals(campaign.id, new_status=S.EVALUATED, bump=True)
        await _audit(
            actor,
            "evaluateCampaign",
            campaign.id,
            campaign.district_codes,
            changes={k: [None, v] for k, v in counts.items()},
        )
    return counts


# Deciding yields to the event loop every so many candidates, so the background read and write
# get their turn. How often depends on where the driver works. asyncpg works on the event loop:
# yield often. aiosqlite works on a thread of its own, which needs the GIL between statements:
# CPython hands the GIL to a waiting thread only after 5 ms without a switch, and each yield
# releases the GIL and takes it straight back, which counts as a switch; yielding more often
# than every few milliseconds would keep that thread waiting until deciding stops.
YIELD_EVERY = {"postgres": 50, "sqlite": 500}


async def _decided(rule, facts, plans, on, every: int) -> list[list]:
    """The entitlement rows of the eligible among ``facts``, each judged under its district's
    settings (``plans``: district -> (settings, row maker)), yielding ``every`` candidates."""
    rows = []
    for start in range(0, len(facts), every):
        for fact in facts[start : start + every]:
            settings, entitlement = plans[fact["district_code"]]
            decision = decide(rule, fact, settings, on)
            if decision.eligible:
                rows.append(entitlement(fact, decision))
        await asyncio.sleep(0)
    return rows


# The entitlement columns of the rows evaluation makes, in their order (the values every row
# of an evaluation shares are written beside them).
COLUMNS = (
    "beneficiary",
    "member_id",
    "household_id",
    "district_code",
    "amount",
    "explanation",
    "facts",
    "settings",
    "settings_version",
)
KEY = COLUMNS.index("beneficiary")
# A one-off rule's rows also hold their own occurrence (the key the rule declares).
KEYED = (*COLUMNS, "occurrence")


def _row_maker(rule, settings, version, keyed: bool = False) -> Callable[[dict, Decision], list]:
    """A function making rows of the entitlement table (values in the order of ``COLUMNS``, or
    ``KEYED`` when ``keyed``) for one district's plan, with the JSON already serialised and what
    rows share serialised once (evaluation inserts thousands at a time)."""
    version_json = to_json(version)
    who = beneficiary(rule)
    all_settings = to_json(settings.model_dump(mode="json"))
    # A rule reports the same settings for every member of a district, but as a new dict each
    # time: the last one's JSON is reused when the values and their types are the same.
    last: list = [None, None, all_settings]

    def settings_json(used: Mapping[str, Any]) -> str:
        if not used:
            return all_settings
        types = [type(value) for value in used.values()]
        if used != last[0] or types != last[1]:
            last[:] = used, types, to_json(used)
        return last[2]

    def row(fact: dict[str, Any], decision: Decision) -> list:
        made = [
            who(fact),
            fact["member_id"],
            fact["household_id"],
            fact["district_code"],
            decision.amount,
            to_json(explanation(decision.conditions)),
            to_json(decision.facts or fact),
            settings_json(decision.settings),
            version_json,
        ]
        if keyed:
            made.append(key_of(rule, fact))
        return made

    return row


async def _insert(
    campaign: Campaign,
    shared: dict[str, Any],
    rows: list[list],
    counts: dict[str, int],
    look: bool = True,
    keyed: bool = False,
) -> None:
    """Insert the new ones (each row also holding the ``shared`` values); a concurrent
    evaluation taking a beneficiary first only means one more round of looking up who is taken.
    ``look=False`` (nobody held this rule and occurrence when the evaluation began) skips the
    look-up until a conflict says otherwise. ``keyed``: rows hold their own occurrence (a one-off
    rule), else it is ``shared``'s."""
    once = shared.get("occurrence")

    def slot(row: list) -> tuple[str, str]:
        return row[KEY], row[-1] if keyed else once

    for _ in range(3):
        taken = await _taken(campaign, [slot(r) for r in rows]) if look else {}
        look = True
        fresh, seen = [], set()
        for row in rows:
            key = slot(row)
            if key in taken or key in seen:
                continue
            seen.add(key)  # a household is paid once, whoever in it qualifies
            fresh.append(row)
        try:
            await insert_all("entitlement", KEYED if keyed else COLUMNS, fresh, shared)
        except IntegrityError:
            continue
        counts["created"] += len(fresh)
        mine = sum(1 for owner in taken.values() if owner == campaign.id)
        counts["existing"] += mine
        counts["elsewhere"] += len(taken) - mine
        return
    raise DomainError(Code.CONFLICT, "campaignId")


async def _taken(campaign: Campaign, slots: list[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """(beneficiary, occurrence) -> campaign holding a live entitlement for it and this rule."""
    taken: dict[tuple[str, str], int] = {}
    wanted = set(slots)
    for start in range(0, len(slots), BATCH):
        part = slots[start : start + BATCH]
        rows = await Entitlement.filter(
            program=campaign.program,
            rule_code=campaign.rule_code,
            occurrence__in=list({o for _, o in part}),
            beneficiary__in=list({b for b, _ in part}),
            status__in=LIVE,
        ).values_list("beneficiary", "occurrence", "campaign_id")
        taken.update({(b, o): c for b, o, c in rows if (b, o) in wanted})
    return taken


async def _refresh_totals(
    campaign_id: int, new_status: S | None = None, bump: bool = False
) -> None:
    """Counts and totals from the entitlements themselves (never kept in process memory)."""
    sums = {status: (0, ZERO) for status in (EntitlementStatus.ENTITLED, EntitlementStatus.PAID)}
    rows = (
        await Entitlement.filter(campaign_id=campaign_id, status__in=list(sums))
        .annotate(n=Count("id"), total=Sum("amount"))
        .group_by("status")
        .values("status", "n", "total")
    )
    for row in rows:
        sums[EntitlementStatus(row["status"])] = (row["n"], to_fen(Decimal(row["total"])))
    (entitled, entitled_total), (paid, paid_total) = (
        sums[EntitlementStatus.ENTITLED],
        sums[EntitlementStatus.PAID],
    )
    changes: dict[str, Any] = {
        "entitled_count": entitled + paid,
        "entitled_total": entitled_total + paid_total,
        "paid_count": paid,
        "paid_total": paid_total,
    }
    if new_status is not None:
        changes["status"] = new_status
    if bump:
        changes["version"] = F("version") + 1
    await Campaign.filter(id=campaign_id).update(**changes)


# -- approving ---------------------------------------------------------------------------------


async def approvals_needed(campaign: Campaign) -> int:
    """Two approvers when the total is above the lowest threshold any of its districts set."""
    limits = await second_approval_limits(campaign.district_codes)
    return needed_approvals(
        campaign.entitled_total, [limits.get(c) for c in campaign.district_codes]
    )


async def second_approval_limits(district_codes: Iterable[str]) -> dict[str, Decimal]:
    """The districts' second-approval thresholds (districts without one are left out), in one
    statement for any number of districts."""
    rows = await DistrictPolicy.filter(
        district_id__in=list(district_codes), second_approval_above__isnull=False
    ).values("district_id", "second_approval_above")
    return {r["district_id"]: Decimal(r["second_approval_above"]) for r in rows}


def needed_approvals(entitled_total: Decimal, limits: Iterable[Decimal | None]) -> int:
    """Two approvers above the lowest of the districts' thresholds (None: a district without
    one), else one."""
    set_limits = [x for x in limits if x is not None]
    return 2 if set_limits and entitled_total > min(set_limits) else 1


async def _is_maker(actor: Principal, campaign: Campaign) -> bool:
    if actor.user_id is not None and actor.user_id == campaign.created_by_id:
        return True
    return await CampaignMaker.exists(campaign_id=campaign.id, username=actor.username)


async def decide_approval(
    actor: Principal,
    campaign_id: int,
    approve: bool,
    reason: str,
    now: dt.datetime,
    version: int | None = None,
) -> Campaign:
    """Approve or reject the campaign as it is now (``version``, when given, is the one the
    approver saw: another one is a CONFLICT). The approval that completes it stamps every
    unpaid entitlement with the version approved: that set, and only it, may be paid."""
    campaign = await checked(
        actor, campaign_id, Action.APPROVE, (S.EVALUATED,), "approve" if approve else "reject"
    )
    return await decide_checked(actor, campaign, approve, reason, now, version)


async def decide_checked(
    actor: Principal,
    campaign: Campaign,
    approve: bool,
    reason: str,
    now: dt.datetime,
    version: int | None = None,
    field: str = "campaignId",
    maker_code: Code = Code.SELF_APPROVAL,
) -> Campaign:
    """:func:`decide_approval`'s work, on a campaign its caller has checked (errors on
    ``field``; a maker is refused with ``maker_code``)."""
    campaign_id = campaign.id
    if await _is_maker(actor, campaign):
        raise DomainError(maker_code, field)
    if not approve and not reason.strip():
        raise DomainError(Code.REQUIRED, "reason")
    async with in_transaction():
        locked = await _lock(campaign_id)
        _require_state(locked, (S.EVALUATED,), "approve" if approve else "reject")
        if version is not None and version != locked.version:
            raise DomainError(Code.CONFLICT, "version")
        if await _is_maker(actor, locked):  # again under the lock: a maker may just have added
            raise DomainError(maker_code, field)
        if await Approval.exists(
            campaign_id=campaign_id, approver_id=actor.user_id, campaign_version=locked.version
        ):
            raise DomainError(
                Code.DUPLICATE, field, detail=Words("您已对此作出决定", "already decided by you")
            )
        await Approval.create(
            campaign_id=campaign_id,
            approver=actor.username,
            approver_id=actor.user_id,
            decision="approve" if approve else "reject",
            reason=reason.strip(),
            campaign_version=locked.version,
            at=now,
        )
        status = S.REJECTED
        if approve:
            given = await Approval.filter(
                campaign_id=campaign_id, decision="approve", campaign_version=locked.version
            ).count()
            status = S.APPROVED if given >= await approvals_needed(locked) else S.EVALUATED
        changes: dict[str, list] = {"status": [locked.status.value, status.value]}
        if status == S.APPROVED:
            stamped = await Entitlement.filter(
                campaign_id=campaign_id, status=EntitlementStatus.ENTITLED
            ).update(approved_version=locked.version)
            changes |= {"version": [None, locked.version], "approved": [None, stamped]}
            if await Entitlement.exists(campaign_id=campaign_id, status=EntitlementStatus.PAID):
                status = S.PARTLY_PAID  # approved again after some was paid: the rest is due
            changes["status"][1] = status.value
        await Campaign.filter(id=campaign_id).update(status=status)
        await _audit(
            actor,
            "approveCampaign" if approve else "rejectCampaign",
            campaign_id,
            locked.district_codes,
            changes=changes,
            purpose=reason.strip() or None,
        )
    return await Campaign.get(id=campaign_id)


async def cancel(actor: Principal, campaign_id: int, reason: str) -> Campaign:
    campaign = await checked(
        actor,
        campaign_id,
        Action.CREATE_CAMPAIGNS,
        (S.DRAFT, S.EVALUATED, S.REJECTED, S.APPROVED),
        "cancel",
    )
    return await cancel_checked(actor, campaign, reason)


async def cancel_checked(
    actor: Principal, campaign: Campaign, reason: str, status: S = S.CANCELLED
) -> Campaign:
    """:func:`cancel`'s work, on a campaign its caller has checked: the unpaid entitlements
    are released (their slots free again) and the campaign ends ``status``."""
    campaign_id = campaign.id
    if not reason.strip():
        raise DomainError(Code.REQUIRED, "reason")
    async with in_transaction():
        if await Entitlement.exists(campaign_id=campaign_id, status=EntitlementStatus.PAID):
            raise invalid_state("campaignId", "partly_paid", "cancel")
        released = await Entitlement.filter(
            campaign_id=campaign_id, status=EntitlementStatus.ENTITLED
        ).update(status=EntitlementStatus.CANCELLED)
        await Campaign.filter(id=campaign_id).update(status=status)
        await _audit(
            actor,
            "cancelCampaign",
            campaign_id,
            campaign.district_codes,
            purpose=reason.strip(),
            changes={"status": [campaign.status.value, status.value], "released": [None, released]},
        )
    return await Campaign.get(id=campaign_id)


async def close(actor: Principal, campaign_id: int) -> Campaign:
    """A paid campaign is closed: nothing more happens to it (reversals excepted)."""
    campaign = await checked(actor, campaign_id, Action.PAY, (S.PAID,), "close")
    async with in_transaction():
        await Campaign.filter(id=campaign_id).update(status=S.CLOSED)
        await _audit(
            actor,
            "closeCampaign",
            campaign_id,
            campaign.district_codes,
            changes={"status": ["paid", "closed"]},
        )
    return await Campaign.get(id=campaign_id)


# -- paying ------------------------------------------------------------------------------------


async def _require_enabled(campaign: Campaign, field: str) -> None:
    """Money leaves only for a program still switched on in every district of the campaign
    (switched off after approval: PROGRAM_NOT_ENABLED, nothing paid; on again, it pays)."""
    enabled = await enabled_pairs()
    if any((campaign.program, code) not in enabled for code in campaign.district_codes):
        raise DomainError(Code.PROGRAM_NOT_ENABLED, field, program=campaign.program)


async def _locked_balance(fund_id: int) -> Decimal:
    from unionaid.core.services.funds import balances

    await Fund.filter(id=fund_id).select_for_update().first()
    return (await balances([fund_id]))[fund_id]


# Entitlements paid per transaction by pay_campaign.
PAY_BATCH = 1000


def _approved_unpaid(campaign_id: int):
    """What pay_campaign pays: the approved set's unpaid entitlements."""
    return Entitlement.filter(
        campaign_id=campaign_id,
        status=EntitlementStatus.ENTITLED,
        approved_version__isnull=False,
    )


async def _sum(query) -> Decimal:
    due = await query.annotate(total=Sum("amount")).values_list("total", flat=True)
    return to_fen(Decimal(due[0])) if due and due[0] is not None else ZERO


async def _settle(
    actor: Principal, campaign_id: int, partly: bool = False, operation: str = "payCampaign"
) -> None:
    """After a payment (in its transaction, the campaign locked): ``partly_paid`` while some of
    the approved set is left (someone has begun paying, or the fund ran out: ``partly``), else
    ``paid`` (or ``evaluated`` if entitlements no approval covered are left). A campaign sent
    back for approval meanwhile (an entitlement added) keeps its status; totals are refreshed
    either way."""
    locked = await _lock(campaign_id)
    status = locked.status
    if status in PAYABLE:
        if partly or await _approved_unpaid(campaign_id).exists():
            status = S.PARTLY_PAID
        elif await Entitlement.exists(campaign_id=campaign_id, status=EntitlementStatus.ENTITLED):
            status = S.EVALUATED  # what no approval covered waits for the next one
        else:
            status = S.PAID
    await _refresh_totals(campaign_id, new_status=status)
    if status != locked.status:
        await _audit(
            actor,
            operation,
            campaign_id,
            locked.district_codes,
            changes={"status": [locked.status.value, status.value]},
        )


async def pay_campaign(
    actor: Principal,
    campaign_id: int,
    now: dt.datetime,
    progress: Progress = None,
    batch: int = PAY_BATCH,
    host: PluginHost | None = None,
) -> dict[str, Any]:
    """Pay the approved set of an approved (or partly paid) campaign, batch by batch. Each batch
    locks the campaign and the fund, and writes its ledger debits, its entitlements (each linked
    to its debit) and its audit entries in one transaction. Up front, in the first batch's
    transaction and so under the fund's lock, the whole approved rest is checked against the
    balance: too little is INSUFFICIENT_FUNDS and nothing is paid. If the fund is spent between
    batches (payments elsewhere), the batch that no longer fits is refused whole, the campaign
    is left ``partly_paid`` and INSUFFICIENT_FUNDS is raised; paying again pays the rest."""
    campaign = await checked(actor, campaign_id, Action.PAY, PAYABLE, "pay")
    approved = _approved_unpaid(campaign_id)
    total, paid, amount = await approved.count(), 0, ZERO
    try:
        while True:
            async with in_transaction() as conn:
                await _lock(campaign_id)  # lock order: campaign, fund, entitlements
                await _require_enabled(campaign, "campaignId")
                balance = await _locked_balance(campaign.fund_id)
                if paid == 0 and balance < await _sum(approved):
                    raise DomainError(
                        Code.INSUFFICIENT_FUNDS, "campaignId", balance=format_money(balance)
                    )
                rows = await approved.order_by("id").limit(batch).select_for_update()
                cost = sum((e.amount for e in rows), ZERO)
                if balance < cost:  # spent meanwhile: this batch is refused whole
                    raise DomainError(
                        Code.INSUFFICIENT_FUNDS, "campaignId", balance=format_money(balance)
                    )
                await _pay_batch(conn, actor, campaign, rows, balance, now)
                paid_now = [(e, e.payment_entry_id) for e in rows]
                await tell(host, "on_entitlements_paid", campaign, paid_now, actor)
                if len(rows) < batch or not await approved.exists():
                    await _settle(actor, campaign_id)
            paid, amount = paid + len(rows), amount + cost
            await _tick(progress, paid, total)
            if len(rows) < batch:
                return {"paid": paid, "amount": format_money(amount)}
    except Exception:
        if paid:  # batches are paid: say so, never "approved"; a rerun pays the rest
            # (best effort: the error that stopped the payment is the one to report)
            with contextlib.suppress(Exception):
                async with in_transaction():
                    await _settle(actor, campaign_id, partly=True)
        raise


class _Sql(Expression):
    """A column's new value written as SQL (Tortoise's update takes expressions only)."""

    def __init__(self, sql: str) -> None:
        self.sql = sql

    def resolve(self, resolve_context: Any) -> ResolveResult:
        return ResolveResult(term=RawSQL(self.sql))


async def _pay_batch(
    conn: Any,
    actor: Principal,
    campaign: Campaign,
    rows: list[Entitlement],
    balance: Decimal,
    now: dt.datetime,
) -> None:
    """Debit the fund for ``rows`` (the fund and the rows locked by the caller), mark them paid,
    each linked to its debit, and audit the money per district."""
    ids = await reserve_ids(conn, "ledger_entry", len(rows))
    entries, by_district = [], {}
    for e, entry_id in zip(rows, ids, strict=True):
        balance -= e.amount
        entries.append(_debit(campaign, e, balance, actor, entry_id))
        e.status, e.paid_at, e.payment_entry_id = EntitlementStatus.PAID, now, entry_id
        count, money = by_district.get(e.district_code, (0, ZERO))
        by_district[e.district_code] = (count + 1, money + e.amount)
    if not rows:
        return
    await LedgerEntry.bulk_create(entries, using_db=conn)
    # One statement: the same status and time for all, each its own entry (ids are integers
    # from the database, so the CASE is built from them as literals).
    links = " ".join(f"WHEN {int(e.id)} THEN {int(e.payment_entry_id)}" for e in rows)
    await (
        Entitlement.filter(id__in=[e.id for e in rows])
        .using_db(conn)
        .update(
            status=EntitlementStatus.PAID,
            paid_at=now,
            payment_entry_id=_Sql(f"CASE id {links} END"),
        )
    )
    await audit.record_many(
        [
            audit.entry(
                actor,
                "payCampaign",
                object_type="Campaign",
                object_id=_gid(campaign.id),
                district_code=code,
                changes={"paid": [None, count], "amount": [None, format_money(money)]},
            )
            for code, (count, money) in sorted(by_district.items())
        ]
    )


async def tell(
    host: PluginHost | None,
    hook: str,
    campaign: Campaign,
    paid: list[tuple[Entitlement, int]],
    actor: Principal,
    **more: Any,
) -> None:
    """Tell the campaign's program (only it) that ``paid`` (entitlement, ledger entry) moved,
    inside the transaction that moved them: a program raising refuses the whole change."""
    if host is None or not paid or campaign.program not in host.programs:
        return
    events = [
        EntitlementEvent(
            entitlement_id=e.id,
            campaign_id=campaign.id,
            program=campaign.program,
            rule_code=e.rule_code,
            occurrence=e.occurrence,
            member_id=e.member_id,
            district_code=e.district_code,
            amount=e.amount,
            ledger_entry_id=entry_id,
            record_type=campaign.record_type,
            record_id=campaign.record_id,
        )
        for e, entry_id in paid
    ]
    await host.notify(campaign.program, hook, payments=events, actor=actor.username, **more)


def _debit(
    campaign: Campaign,
    e: Entitlement,
    balance_after: Decimal,
    actor: Principal,
    entry_id: int | None = None,
) -> LedgerEntry:
    given = {} if entry_id is None else {"id": entry_id}
    return LedgerEntry(
        **given,
        fund_id=campaign.fund_id,
        amount=-e.amount,
        balance_after=balance_after,
        kind=LedgerKind.PAYMENT,
        reference=f"entitlement:{e.id}",
        memo=campaign.name[:200],
        actor=actor.username,
        program=campaign.program,
        district_code=e.district_code,
        period_code=campaign.period_code,
    )


def _request_hash(actor: Principal, operation: str, arguments: dict[str, Any]) -> str:
    text = json.dumps({"user": actor.user_id, "op": operation, **arguments}, sort_keys=True)
    return hashlib.sha256(text.encode()).hexdigest()


async def _answer(key: str, digest: str) -> dict[str, Any] | None:
    """The answer kept under ``key`` for this request, None if there is none."""
    found = await IdempotencyKey.get_or_none(key=key)
    if found is None:
        return None
    if found.request_hash != digest:
        raise DomainError(Code.IDEMPOTENCY_KEY_REUSED, "idempotencyKey")
    return found.response


async def _idempotent(actor, key, operation, arguments, now, work) -> dict[str, Any]:
    """Run ``work`` once per key in one transaction with the key row, so a rolled-back payment
    leaves no key behind. The same key sent twice at once: the second waits on the locks the
    first holds, then fails (already paid) or collides on the key; it rolls back and answers
    what the first committed, so the same key always gets the same answer. A key of only
    whitespace is no key (REQUIRED); any other is kept as given."""
    if not key or not key.strip():
        raise DomainError(Code.REQUIRED, "idempotencyKey")
    if len(key) > 100:
        raise DomainError(Code.TEXT_TOO_LONG, "idempotencyKey", max=100)
    digest = _request_hash(actor, operation, arguments)
    try:
        async with in_transaction():
            answer = await _answer(key, digest)
            if answer is not None:
                return answer
            response = await work()
            try:
                await IdempotencyKey.create(
                    key=key,
                    user_id=actor.user_id,
                    operation=operation,
                    request_hash=digest,
                    response=response,
                    created_at=now,
                )
            except IntegrityError as exc:  # the same key at the same moment
                raise DomainError(Code.CONFLICT, "idempotencyKey") from exc
            return response
    except DomainError:
        answer = await _answer(key, digest)  # the other request with this key committed
        if answer is None:
            raise
        return answer


async def pay_entitlement(
    actor: Principal,
    entitlement_id: int,
    key: str,
    now: dt.datetime,
    host: PluginHost | None = None,
) -> dict[str, Any]:
    """Pay one entitlement of an approved campaign (or an approved event payment): the ledger
    debit and the status change in one transaction, with the entitlement and the fund locked.
    The owning program is told (``on_entitlements_paid``) in that transaction; every caller
    serving a request passes the ``host`` (None: tell nobody, for tests of the ledger)."""
    found = await Entitlement.get_or_none(id=entitlement_id).values("campaign_id", "district_code")
    if found is None or not actor.sees_district(found["district_code"]):
        raise DomainError(Code.NOT_FOUND, "entitlementId", what=Words("待遇", "entitlement"))
    policy.require(
        actor, Action.PAY, found["district_code"], "entitlementId", Words("待遇", "entitlement")
    )

    async def work() -> dict[str, Any]:
        # Lock order everywhere: the campaign, the fund, then entitlements (as pay_campaign).
        campaign = await _lock(found["campaign_id"])
        await _require_enabled(campaign, "entitlementId")
        balance = await _locked_balance(campaign.fund_id)
        entitlement = await Entitlement.filter(id=entitlement_id).select_for_update().first()
        assert entitlement is not None
        if campaign.status not in PAYABLE:
            raise invalid_state("entitlementId", campaign.status, "pay")
        if entitlement.status != EntitlementStatus.ENTITLED:
            raise invalid_state("entitlementId", entitlement.status, "pay")
        if entitlement.approved_version is None:
            raise DomainError(Code.NOT_APPROVED, "entitlementId")
        if balance < entitlement.amount:
            raise DomainError(
                Code.INSUFFICIENT_FUNDS, "entitlementId", balance=format_money(balance)
            )
        entry = _debit(campaign, entitlement, balance - entitlement.amount, actor)
        await entry.save()
        await Entitlement.filter(id=entitlement_id).update(
            status=EntitlementStatus.PAID, paid_at=now, payment_entry_id=entry.id
        )
        await _settle(actor, campaign.id, operation="payEntitlement")
        await tell(host, "on_entitlements_paid", campaign, [(entitlement, entry.id)], actor)
        await audit.record(
            actor,
            "payEntitlement",
            object_type="Entitlement",
            object_id=to_global_id("Entitlement", entitlement_id),
            district_code=entitlement.district_code,
            changes={
                "status": ["entitled", "paid"],
                "amount": [None, format_money(entitlement.amount)],
            },
        )
        return {
            "entitlementId": entitlement_id,
            "ledgerEntryId": entry.id,
            "amount": format_money(entitlement.amount),
        }

    return await _idempotent(
        actor, key, "payEntitlement", {"entitlement": entitlement_id}, now, work
    )


async def reverse_entitlement(
    actor: Principal,
    entitlement_id: int,
    reason: str,
    key: str,
    now: dt.datetime,
    host: PluginHost | None = None,
) -> dict[str, Any]:
    """Undo a payment with a compensating credit; the entitlement becomes ``reversed`` (its
    slot is free again). Never a delete. The owning program is told
    (``on_entitlements_reversed``) in the same transaction (``host`` as for paying)."""
    found = await Entitlement.get_or_none(id=entitlement_id).values("campaign_id", "district_code")
    if found is None or not actor.sees_district(found["district_code"]):
        raise DomainError(Code.NOT_FOUND, "entitlementId", what=Words("待遇", "entitlement"))
    policy.require(
        actor, Action.PAY, found["district_code"], "entitlementId", Words("待遇", "entitlement")
    )
    if not reason.strip():
        raise DomainError(Code.REQUIRED, "reason")

    async def work() -> dict[str, Any]:
        campaign = await _lock(found["campaign_id"])
        balance = await _locked_balance(campaign.fund_id)
        entitlement = await Entitlement.filter(id=entitlement_id).select_for_update().first()
        assert entitlement is not None
        if entitlement.status != EntitlementStatus.PAID:
            raise invalid_state("entitlementId", entitlement.status, "reverse")
        entry = await LedgerEntry.create(
            fund_id=campaign.fund_id,
            amount=entitlement.amount,
            balance_after=balance + entitlement.amount,
            kind=LedgerKind.REVERSAL,
            reference=f"entitlement:{entitlement_id}",
            memo=reason.strip()[:200],
            actor=actor.username,
            program=campaign.program,
            district_code=entitlement.district_code,
            period_code=campaign.period_code,
        )
        await Entitlement.filter(id=entitlement_id).update(
            status=EntitlementStatus.REVERSED, reversal_entry_id=entry.id
        )
        await _refresh_totals(campaign.id)
        await tell(
            host,
            "on_entitlements_reversed",
            campaign,
            [(entitlement, entry.id)],
            actor,
            reason=reason.strip(),
            now=now,
        )
        await audit.record(
            actor,
            "reverseEntitlement",
            object_type="Entitlement",
            object_id=to_global_id("Entitlement", entitlement_id),
            district_code=entitlement.district_code,
            purpose=reason.strip(),
            changes={"status": ["paid", "reversed"]},
        )
        return {
            "entitlementId": entitlement_id,
            "ledgerEntryId": entry.id,
            "amount": format_money(entitlement.amount),
        }

    return await _idempotent(
        actor,
        key,
        "reverseEntitlement",
        {"entitlement": entitlement_id, "reason": reason},
        now,
        work,
    )


async def paid_entitlements(
    program: str, district_codes: set[str] | frozenset[str], period_code: str | None = None
) -> list[dict[str, Any]]:
    """Paid entitlements of a program in some districts, with their fact snapshots: what a
    program's own reports are built from."""
    query = Entitlement.filter(
        program=program, district_code__in=district_codes, status=EntitlementStatus.PAID
    )
    if period_code is not None:
        query = query.filter(period_code=canonical(period_code))
    return await query.order_by("id").values(
        "campaign_id", "district_code", "rule_code", "period_code", "amount", "facts", "member_id"
    )


async def add_entitlement(
    actor: Principal,
    host: PluginHost,
    campaign_id: int,
    member_id: int,
    *,
    amount: Decimal | None = None,
    explanation_zh: str = "",
    explanation_en: str = "",
    facts: dict[str, Any] | None = None,
    occurrence_key: str | None = None,
) -> int:
    """One member's entitlement added to a campaign by a person: it goes through the same
    approval and payment, and adding one sends an approved campaign back for approval.

    It pays the rule's unit (a household rule: the household, so two spouses are not paid twice)
    once per occurrence: the campaign period's for a calendar rule; for a one-off rule
    ``occurrence_key`` (a hospital stay, a visit), else what the rule declares. The rule judges
    the member as evaluation would, and the entitlement records the same decision: conditions,
    facts, the settings used and their versions. Without ``amount`` the rule's decision is paid
    (NOT_ELIGIBLE when it says no); with one, a person decided the amount (e.g. cash handed over
    on a visit): their reason comes first, then the rule's conditions when the rule found the
    member eligible (a rule that cannot judge, like visit cash, adds none)."""
    campaign = await checked(
        actor,
        campaign_id,
        Action.CREATE_CAMPAIGNS,
        (S.DRAFT, S.EVALUATED, S.REJECTED, S.APPROVED),
        "add to",
    )
    return await add_checked(
        actor,
        host,
        campaign,
        member_id,
        amount=amount,
        explanation_zh=explanation_zh,
        explanation_en=explanation_en,
        facts=facts,
        occurrence_key=occurrence_key,
    )


async def add_checked(
    actor: Principal,
    host: PluginHost,
    campaign: Campaign,
    member_id: int,
    *,
    amount: Decimal | None = None,
    explanation_zh: str = "",
    explanation_en: str = "",
    facts: dict[str, Any] | None = None,
    occurrence_key: str | None = None,
) -> int:
    """:func:`add_entitlement`'s work, on a campaign its caller has checked."""
    rule = _rule_for(host, campaign)
    if amount is not None and amount <= 0:
        raise DomainError(Code.INVALID_AMOUNT, "amount")
    member = await Member.get_or_none(id=member_id).values("id", "district_id")
    if member is None or member["district_id"] not in campaign.district_codes:
        raise DomainError(Code.NOT_FOUND, "memberId", what=Words("会员", "member"))
    once = occurrence(rule, campaign.period_code)
    if once is not None and occurrence_key is not None:
        raise DomainError(
            Code.INVALID_INPUT,
            "occurrence",
            detail=Words("按期间发放的规则不接受次数键", "a calendar rule pays once per period"),
        )
    on = campaign.judged_on
    fact = (await member_facts(host, campaign.program, Member.filter(id=member_id), on))[0]
    effective = (
        await effective_for_districts(host, campaign.program, [member["district_id"]], on)
    )[member["district_id"]]
    decision = decide(rule, fact, effective.values, on)
    if once is None:
        once = require_key(occurrence_key) if occurrence_key is not None else key_of(rule, fact)
    reason = [Condition(True, explanation_zh, explanation_en)] if explanation_zh else []
    if amount is None:
        if not decision.eligible:
            raise DomainError(Code.NOT_ELIGIBLE, "memberId", rule=rule.code)
        amount, conditions = decision.amount, [*reason, *decision.conditions]
    else:
        amount = to_fen(amount)
        conditions = [*reason, *(decision.conditions if decision.eligible else ())]
    if not conditions:
        raise DomainError(Code.REQUIRED, "explanation")
    snapshot = dict(decision.facts or fact) | json_safe(facts or {})
    used = decision.settings or (
        effective.values.model_dump(mode="json") if effective.values else {}
    )
    row = {
        "campaign_id": campaign.id,
        "program": campaign.program,
        "rule_code": campaign.rule_code,
        "period_code": campaign.period_code,
        "occurrence": once,
        "beneficiary": beneficiary(rule)(fact),
        "member_id": member_id,
        "household_id": fact["household_id"],
        "district_code": member["district_id"],
        "amount": amount,
        "status": EntitlementStatus.ENTITLED,
        "explanation": explanation(conditions),
        "facts": json_safe(snapshot),
        "settings": json_safe(dict(used)),
        "settings_version": {
            "city": effective.city_version,
            "district": effective.district_version,
        },
    }
    try:
        async with in_transaction():
            await _reopen(actor, campaign.id)
            made = await Entitlement.create(**row)
            await audit.record(
                actor,
                "addEntitlement",
                object_type="Campaign",
                object_id=_gid(campaign.id),
                district_code=member["district_id"],
                changes={
                    "member": [None, member_id],
                    "beneficiary": [None, row["beneficiary"]],
                    "occurrence": [None, once],
                    "amount": [None, format_money(amount)],
                },
            )
    except IntegrityError as exc:
        raise DomainError(
            Code.DUPLICATE,
            "memberId",
            detail=Words(f"本次已有待遇（{once}）", f"already entitled for {once}"),
        ) from exc
    await _refresh_totals(campaign.id)
    return made.id


async def open_campaign(
    actor: Principal,
    host: PluginHost,
    *,
    name: str,
    program: str,
    rule_code: str,
    period_code: str,
    district_code: str,
    fund_id: int,
) -> Campaign:
    """The district's campaign for this rule, period and fund that can still take entitlements,
    or a new one (for amounts recorded one by one, such as cash handed over on visits)."""
    found = await Campaign.filter(
        program=program,
        rule_code=rule_code,
        period_code=canonical(period_code),
        fund_id=fund_id,
        status__in=[S.DRAFT, S.EVALUATED, S.REJECTED, S.APPROVED],
        record_type__isnull=True,  # an event payment's campaign is its record's alone
    ).order_by("id")
    for campaign in found:
        if campaign.district_codes == [district_code]:
            return campaign
    return await create(
        actor,
        host,
        name=name,
        program=program,
        rule_code=rule_code,
        period_code=period_code,
        district_codes=[district_code],
        fund_id=fund_id,
    )
