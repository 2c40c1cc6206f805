"""Campaigns end to end through the services, with the sample plugin's reference rule: evaluate
(idempotent, snapshot), maker-checker approval, payment from a fund, reversal, refusals."""

import datetime as dt
from decimal import Decimal

import pytest

from tests.factories import ACTOR, id_number
from unionaid.core.crypto import Vault
from unionaid.core.errors import DomainError, DomainErrors, TopLevelError
from unionaid.core.host import PluginHost
from unionaid.core.models import (
    AuditEntry,
    Campaign,
    CampaignStatus,
    DistrictPolicy,
    Entitlement,
    EntitlementStatus,
    LedgerEntry,
)
from unionaid.core.services import accounts, campaigns, funds, members, programs
from unionaid.core.services.funds import balances

NOW = dt.datetime(2027, 1, 20, 2, 0, tzinfo=dt.UTC)
HUISHAN, BINHU = "320206", "320211"


@pytest.fixture
async def world(sample_installed, orm, settings):
    host = PluginHost.load(only={"sample"})
    vault = Vault(settings.data_key)
    await programs.set_enabled(host, "sample", HUISHAN, True, ACTOR)
    people = {}
    for n, (income, union) in enumerate(
        [("1800", True), ("2500", True), ("2999.99", True), ("3000", True), ("1200", False)]
    ):
        made = await register(vault, f"会员{n}", dt.date(1980, 1, 1 + n), HUISHAN, income, union)
        people[n] = made.id
    fund = await funds.create_fund(ACTOR, "HS", "惠山帮扶", HUISHAN)
    await funds.contribute(ACTOR, fund.id, Decimal("10000.00"))
    users = {}
    for name, role in (
        ("maker", "caseworker"),
        ("checker", "approver"),
        ("checker2", "approver"),
        ("payer", "district_admin"),
    ):
        await accounts.create_user(ACTOR, accounts.NewUser(name, role, [HUISHAN]))
        users[name] = await accounts.principal_for_user(name, "req-test")
    return host, fund, people, users


async def register(vault, name, born, district, income, union=True):
    return await members.create_member(
        ACTOR,
        vault,
        members.NewMember(
            name=name,
            id_number=id_number(born),
            district_code=district,
            monthly_income=Decimal(income),
            is_union_member=union,
        ),
    )


async def new_campaign(host, fund, users, period="2027-spring-festival"):
    return await campaigns.create(
        users["maker"],
        host,
        name="2027年春节慰问",
        program="sample",
        rule_code="gift",
        period_code=period,
        district_codes=[HUISHAN],
        fund_id=fund.id,
    )


async def test_evaluate_approve_pay(world):
    host, fund, people, users = world
    campaign = await new_campaign(host, fund, users)
    assert (campaign.judged_on, campaign.period_start) == (dt.date(2027, 2, 6), dt.date(2027, 1, 7))
    counts = await campaigns.evaluate(users["maker"], host, campaign.id)
    assert counts == {"evaluated": 3, "created": 3, "existing": 0, "elsewhere": 0}
    campaign = await Campaign.get(id=campaign.id)
    assert (campaign.status, campaign.entitled_count, campaign.entitled_total) == (
        CampaignStatus.EVALUATED,
        3,
        Decimal("1500.00"),
    )
    first = await Entitlement.get(member_id=people[0])
    assert first.amount == Decimal("500.00") and first.beneficiary == f"member:{people[0]}"
    assert first.facts == {"is_union_member": True, "monthly_income": "1800.00", "age": 47}
    assert [c["passed"] for c in first.explanation] == [True, True, True]
    assert first.settings["gift_amount"] == "500.00"
    assert first.settings_version == {"city": None, "district": None}

    again = await campaigns.evaluate(users["maker"], host, campaign.id)
    assert again == {"evaluated": 3, "created": 0, "existing": 3, "elsewhere": 0}

    # A settings change after evaluation never changes what was decided.
    await programs.configure(
        host, "sample", HUISHAN, {"gift_amount": "800"}, dt.date(2027, 1, 1), ACTOR
    )
    assert (await Entitlement.get(id=first.id)).amount == Decimal("500.00")

    with pytest.raises(TopLevelError):  # a caseworker may not approve at all
        await campaigns.decide_approval(users["maker"], campaign.id, True, "", NOW)
    with pytest.raises(DomainError) as early:
        await campaigns.pay_campaign(users["payer"], campaign.id, NOW)
    assert early.value.code.value == "INVALID_STATE"
    approved = await campaigns.decide_approval(users["checker"], campaign.id, True, "核对无误", NOW)
    assert approved.status == CampaignStatus.APPROVED

    result = await campaigns.pay_campaign(users["payer"], campaign.id, NOW)
    assert result == {"paid": 3, "amount": "1500.00"}
    assert (await balances([fund.id]))[fund.id] == Decimal("8500.00")
    payments = await LedgerEntry.filter(kind="payment").values_list(
        "amount", "program", "period_code"
    )
    assert sorted(payments) == [(Decimal("-500.00"), "sample", "2027-spring-festival")] * 3
    assert await Entitlement.filter(status=EntitlementStatus.PAID).count() == 3
    assert (await Campaign.get(id=campaign.id)).status == CampaignStatus.PAID

    # Nobody is entitled twice to the same rule and period, across campaigns.
    other = await new_campaign(host, fund, users)
    assert await campaigns.evaluate(users["maker"], host, other.id) == {
        "evaluated": 3,
        "created": 0,
        "existing": 0,
        "elsewhere": 3,
    }
    operations = set(await AuditEntry.all().values_list("operation", flat=True))
    assert {"createCampaign", "evaluateCampaign", "approveCampaign", "payCampaign"} <= operations


async def test_nobody_approves_their_own_campaign(world):
    host, fund, _people, _users = world
    await accounts.create_user(ACTOR, accounts.NewUser("boss", "city_admin", []))
    boss = await accounts.principal_for_user("boss", "req")
    campaign = await campaigns.create(
        boss,
        host,
        name="慰问",
        program="sample",
        rule_code="gift",
        period_code="2027-spring-festival",
        district_codes=[HUISHAN],
        fund_id=fund.id,
    )
    await campaigns.evaluate(boss, host, campaign.id)
    with pytest.raises(DomainError) as own:
        await campaigns.decide_approval(boss, campaign.id, True, "", NOW)
    assert own.value.code.value == "SELF_APPROVAL"
    assert (await Campaign.get(id=campaign.id)).status == CampaignStatus.EVALUATED


async def test_the_database_refuses_a_second_live_entitlement(world):
    host, fund, _people, users = world
    campaign = await new_campaign(host, fund, users)
    await campaigns.evaluate(users["maker"], host, campaign.id)
    row = await Entitlement.first()
    duplicate = Entitlement(
        campaign_id=campaign.id,
        program=row.program,
        rule_code=row.rule_code,
        period_code=row.period_code,
        occurrence=row.occurrence,
        beneficiary=row.beneficiary,
        member_id=row.member_id,
        household_id=row.household_id,
        district_code=row.district_code,
        amount=row.amount,
        explanation=[],
        facts={},
        settings={},
        settings_version={},
    )
    from tortoise.exceptions import IntegrityError

    with pytest.raises(IntegrityError):
        await duplicate.save()
    # A cancelled one frees the slot.
    await campaigns.cancel(users["maker"], campaign.id, "名单有误")
    await duplicate.save()
    assert await Entitlement.filter(status=EntitlementStatus.CANCELLED).count() == 3


async def test_large_campaigns_need_a_second_approver(world):
    host, fund, _people, users = world
    await DistrictPolicy.create(
        district_id=HUISHAN, second_approval_above=Decimal("1000"), updated_by="t"
    )
    campaign = await new_campaign(host, fund, users)
    await campaigns.evaluate(users["maker"], host, campaign.id)
    first = await campaigns.decide_approval(users["checker"], campaign.id, True, "", NOW)
    assert first.status == CampaignStatus.EVALUATED  # 1500 > 1000: one more approver
    with pytest.raises(DomainError):
        await campaigns.decide_approval(users["checker"], campaign.id, True, "", NOW)
    second = await campaigns.decide_approval(users["checker2"], campaign.id, True, "", NOW)
    assert second.status == CampaignStatus.APPROVED


async def test_payment_refusals_write_nothing(world):
    host, fund, _people, users = world
    campaign = await new_campaign(host, fund, users)
    await campaigns.evaluate(users["maker"], host, campaign.id)
    rejected = await campaigns.decide_approval(
        users["checker"], campaign.id, False, "收入数据过期", NOW
    )
    assert rejected.status == CampaignStatus.REJECTED
    await campaigns.evaluate(users["maker"], host, campaign.id)
    await campaigns.decide_approval(users["checker"], campaign.id, True, "", NOW)
    poor = await funds.create_fund(ACTOR, "HS2", "小额", HUISHAN)
    await Campaign.filter(id=campaign.id).update(fund_id=poor.id)
    with pytest.raises(DomainError) as broke:
        await campaigns.pay_campaign(users["payer"], campaign.id, NOW)
    assert broke.value.code.value == "INSUFFICIENT_FUNDS"
    assert await LedgerEntry.filter(fund_id=poor.id).count() == 0
    assert await Entitlement.filter(status=EntitlementStatus.PAID).count() == 0


async def test_single_payments_are_idempotent_and_reversible(world):
    host, fund, _people, users = world
    campaign = await new_campaign(host, fund, users)
    await campaigns.evaluate(users["maker"], host, campaign.id)
    await campaigns.decide_approval(users["checker"], campaign.id, True, "", NOW)
    one, two = await Entitlement.all().order_by("id").limit(2)
    paid = await campaigns.pay_entitlement(users["payer"], one.id, "key-1", NOW)
    assert await campaigns.pay_entitlement(users["payer"], one.id, "key-1", NOW) == paid
    with pytest.raises(DomainError) as reused:
        await campaigns.pay_entitlement(users["payer"], two.id, "key-1", NOW)
    assert reused.value.code.value == "IDEMPOTENCY_KEY_REUSED"
    with pytest.raises(DomainError) as twice:
        await campaigns.pay_entitlement(users["payer"], one.id, "key-2", NOW)
    assert twice.value.code.value == "INVALID_STATE"
    assert (await balances([fund.id]))[fund.id] == Decimal("9500.00")
    reversal = await campaigns.reverse_entitlement(users["payer"], one.id, "重复发放", "key-3", NOW)
    assert reversal["amount"] == "500.00"
    assert (await balances([fund.id]))[fund.id] == Decimal("10000.00")
    assert (await Entitlement.get(id=one.id)).status == EntitlementStatus.REVERSED
    kinds = await LedgerEntry.filter(reference=f"entitlement:{one.id}").values_list(
        "kind", flat=True
    )
    assert sorted(k.value for k in kinds) == ["payment", "reversal"]


@pytest.mark.parametrize(
    ("changes", "field", "code"),
    [
        ({"period_code": "2027-13"}, "period", "INVALID_PERIOD"),
        ({"period_code": "next spring"}, "period", "INVALID_PERIOD"),
        ({"rule_code": "nope"}, "ruleCode", "NOT_FOUND"),
        ({"district_codes": [BINHU]}, "districtCodes", "NOT_FOUND"),
        ({"name": " "}, "name", "REQUIRED"),
    ],
)
async def test_bad_campaigns_are_refused(world, changes, field, code):
    host, fund, _people, users = world
    arguments = {
        "name": "慰问",
        "program": "sample",
        "rule_code": "gift",
        "period_code": "2027-spring-festival",
        "district_codes": [HUISHAN],
        "fund_id": fund.id,
    } | changes
    with pytest.raises((DomainError, DomainErrors)) as refused:
        await campaigns.create(users["maker"], host, **arguments)
    errors = refused.value.errors if isinstance(refused.value, DomainErrors) else [refused.value]
    assert (errors[0].field, errors[0].code.value) == (field, code)
    assert await Campaign.all().count() == 0


async def test_a_fund_of_another_district_is_refused(world):
    host, _fund, _people, _users = world
    binhu = await funds.create_fund(ACTOR, "BH", "滨湖", BINHU)
    await programs.set_enabled(host, "sample", BINHU, True, ACTOR)
    await accounts.create_user(ACTOR, accounts.NewUser("city", "city_admin", []))
    arguments = {
        "name": "x",
        "program": "sample",
        "rule_code": "gift",
        "period_code": "2027-spring-festival",
        "district_codes": [HUISHAN],
        "fund_id": binhu.id,
    }
    for who, expected in (("payer", "NOT_FOUND"), ("city", "WRONG_FUND")):
        # A 惠山区 admin cannot even see 滨湖区's fund; the city sees it, and may not use it.
        actor = await accounts.principal_for_user(who, "r")
        with pytest.raises(DomainError) as refused:
            await campaigns.create(actor, host, **arguments)
        assert (refused.value.field, refused.value.code.value) == ("fundId", expected)
    assert await Campaign.all().count() == 0


async def test_a_household_rule_pays_each_household_once(world, settings):
    host, fund, _people, users = world
    vault = Vault(settings.data_key)
    first = await members.create_member(
        ACTOR,
        vault,
        members.NewMember(
            name="夫",
            id_number=id_number(dt.date(1975, 5, 5)),
            district_code=HUISHAN,
            monthly_income=Decimal("900"),
        ),
    )
    await members.create_member(
        ACTOR,
        vault,
        members.NewMember(
            name="妻",
            id_number=id_number(dt.date(1976, 6, 6), male=False),
            district_code=HUISHAN,
            monthly_income=Decimal("800"),
            household_id=first.household_id,
        ),
    )
    campaign = await campaigns.create(
        users["maker"],
        host,
        name="走访",
        program="sample",
        rule_code="visit",
        period_code="2027",
        district_codes=[HUISHAN],
        fund_id=fund.id,
    )
    counts = await campaigns.evaluate(users["maker"], host, campaign.id)
    households = await Entitlement.filter(campaign_id=campaign.id).values_list(
        "beneficiary", flat=True
    )
    assert f"household:{first.household_id}" in households
    assert len(households) == len(set(households)) == counts["created"]


async def test_the_campaign_cli_runs_the_same_steps(world, settings, tmp_path):
    from tests.conftest import SAMPLE
    from tests.test_cli_access import cli

    _, fund, _, _ = world
    env = {"PYTHONPATH": str(SAMPLE)}

    def run(*args):
        return cli(settings, tmp_path, "campaign", *args, **env)

    made = run(
        "create",
        "--name",
        "春节",
        "--program",
        "sample",
        "--rule",
        "gift",
        "--period",
        "2027-spring-festival",
        "--district",
        HUISHAN,
        "--fund",
        fund.code,
        "--as",
        "maker",
    )
    assert made.returncode == 0, made.stderr
    number = made.stdout.strip()
    evaluated = run("evaluate", number, "--as", "maker")
    assert evaluated.returncode == 0 and "created=3" in evaluated.stdout, evaluated.stderr
    own = run("approve", number, "--as", "maker")
    assert own.returncode == 1 and "FORBIDDEN" in own.stderr
    assert "approved" in run("approve", number, "--as", "checker", "--reason", "ok").stdout
    paid = run("pay", number, "--as", "payer")
    assert paid.returncode == 0 and "paid=3" in paid.stdout, paid.stderr
    shown = run("show", number)
    assert "[paid]" in shown.stdout and "paid 3 = 1500.00" in shown.stdout


async def test_two_evaluations_at_once_entitle_each_member_once(world):
    """Two campaigns of one rule and period evaluated at the same moment: the unique index
    refuses the slower one's batch, which looks up who is taken and inserts the rest."""
    import asyncio

    host, fund, _people, users = world
    one, two = await new_campaign(host, fund, users), await new_campaign(host, fund, users)
    results = await asyncio.gather(
        campaigns.evaluate(users["maker"], host, one.id),
        campaigns.evaluate(users["maker"], host, two.id),
    )
    assert sum(r["created"] for r in results) == 3
    assert sum(r["elsewhere"] for r in results) == 3
    assert await Entitlement.filter(status=EntitlementStatus.ENTITLED).count() == 3


async def test_each_district_is_judged_under_its_own_standards(world, settings):
    """A city campaign over three districts, read in batches of two: 滨湖区 lowered the income
    ceiling (so its candidates come from a query of their own) and raised the amount; 梁溪区
    raised only the amount (same candidates query as 惠山区, its own amount)."""
    host, _fund, _people, _users = world
    vault = Vault(settings.data_key)
    liangxi = "320213"
    for code in (BINHU, liangxi):
        await programs.set_enabled(host, "sample", code, True, ACTOR)
    day = dt.date(2027, 1, 1)
    await programs.configure(
        host,
        "sample",
        BINHU,
        {"gift_income_ceiling": "2000", "gift_amount": "600"},
        day,
        ACTOR,
    )
    await programs.configure(host, "sample", liangxi, {"gift_amount": "700"}, day, ACTOR)
    for n, (code, income) in enumerate(
        [(BINHU, "1500"), (BINHU, "2500"), (liangxi, "2500"), (liangxi, "3500")]
    ):
        await register(vault, f"市{n}", dt.date(1970, 3, 1 + n), code, income)
    city_fund = await funds.create_fund(ACTOR, "CITY", "市总帮扶", None)
    campaign = await campaigns.create(
        ACTOR,
        host,
        name="全市春节慰问",
        program="sample",
        rule_code="gift",
        period_code="2027-spring-festival",
        district_codes=[HUISHAN, BINHU, liangxi],
        fund_id=city_fund.id,
    )
    counts = await campaigns.evaluate(ACTOR, host, campaign.id, batch=2)
    # 惠山 3 of its 5 (the DB filter passes its 4 union members under 3000, one is exactly
    # 3000), 滨湖 the one under its 2000, 梁溪 the one under 3000.
    assert counts["created"] == 5
    rows = await Entitlement.filter(campaign_id=campaign.id).values_list(
        "district_code", "amount", "settings"
    )
    by_district: dict[str, list] = {}
    for code, amount, used in rows:
        by_district.setdefault(code, []).append((amount, used["gift_income_ceiling"]))
    assert by_district == {
        HUISHAN: [(Decimal("500.00"), "3000.00")] * 3,
        BINHU: [(Decimal("600.00"), "2000.00")],
        liangxi: [(Decimal("700.00"), "3000.00")],
    }
    versions = await Entitlement.filter(campaign_id=campaign.id, district_code=BINHU).values_list(
        "settings_version", flat=True
    )
    assert versions[0]["district"] is not None


async def test_a_failure_part_way_leaves_nothing_running_and_a_rerun_finishes(world, monkeypatch):
    """Batches of one: the rule fails on the third candidate while the second is being written
    and the fourth read in the background. The error arrives after that work has settled (no
    task left behind, nothing half-written); a rerun entitles the rest, nobody twice."""
    import asyncio

    host, fund, _people, users = world
    rule = host.rule("sample", "gift")
    evaluate = rule.evaluate

    def failing(facts, settings, on):
        if facts["monthly_income"] == Decimal("2999.99"):
            raise RuntimeError("rule failed")
        return evaluate(facts, settings, on)

    campaign = await new_campaign(host, fund, users)
    monkeypatch.setattr(rule, "evaluate", failing)
    with pytest.raises(RuntimeError, match="rule failed"):
        await campaigns.evaluate(users["maker"], host, campaign.id, batch=1)
    assert asyncio.all_tasks() == {asyncio.current_task()}
    assert await Entitlement.filter(campaign_id=campaign.id).count() == 2
    monkeypatch.setattr(rule, "evaluate", evaluate)
    counts = await campaigns.evaluate(users["maker"], host, campaign.id, batch=1)
    assert (counts["created"], counts["existing"]) == (1, 2)
    assert await Entitlement.filter(campaign_id=campaign.id).count() == 3
