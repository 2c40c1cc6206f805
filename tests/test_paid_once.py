"""Money is paid once (issue 15, items 1, 4 and 16): a rule's schedule decides the periods its
campaigns may use; "paid once" counts the occurrence (the festival of a lunar year, the
quarter …, or a one-off rule's key), never the code a caller typed; the database itself refuses
a second live entitlement; entitlements added by a person pay the rule's unit and record the
whole decision."""

import datetime as dt
from decimal import Decimal

import pytest
from tortoise import connections
from tortoise.exceptions import IntegrityError

from tests import test_campaigns, test_hardship
from tests.factories import ACTOR, id_number, nodes
from tests.old_rows import migrated_on
from tests.test_campaigns import new_campaign
from tests.test_hardship import APPROVE, CREATE, EVALUATE, PAY, VISIT
from unionaid.core.crypto import Vault
from unionaid.core.errors import DomainError
from unionaid.core.models import Campaign, Entitlement, EntitlementStatus, LedgerEntry, Member
from unionaid.core.periods import parse_period
from unionaid.core.services import campaigns, members, previews, programs

HUISHAN = "320206"
world, story = test_campaigns.world, test_hardship.story  # their fixtures, shared
registered_story = test_hardship.registered_story  # what story builds on
TOTALS = "query($c: ID!) { campaign(id: $c) { period { code } totals { entitledCount } } }"


# -- item 1: the schedule decides the periods; the occurrence is what is paid once ---------------


async def _campaign(client, rule: str, period: str, fund_id: str) -> dict:
    made = await client(
        CREATE.replace("campaign { id }", "campaign { id period { code } }").replace(
            "userErrors { field code }", "userErrors { field code message }"
        ),
        {
            "i": {
                "name": f"{rule} {period}",
                "programId": "hardship",
                "ruleCode": rule,
                "period": period,
                "districtCodes": [HUISHAN],
                "fundId": fund_id,
            }
        },
    )
    return made["data"]["createCampaign"]


async def test_a_spring_festival_paid_is_never_paid_again_under_another_code(story, app):
    """The issue's scenario: 惠山区 pays Spring Festival 2027, then a campaign for the same rule
    with period 2027 (or 2027-02, or mid-autumn) is refused, naming what the rule accepts; a
    code that names the same festival in other letters is the same occurrence: nobody again."""
    _city, people, _members, fund_id = story
    maker, checker, admin = people["maker"], people["checker"], people["huishan_admin"]
    first = await _campaign(maker, "spring_festival", "2027-spring-festival", fund_id)
    await maker.ok(EVALUATE, {"c": first["campaign"]["id"]})
    await app.state.jobs.idle()
    shown = await maker.ok(
        "query($c: ID!) { campaign(id: $c) { entitlements { edges { node { occurrence } } } } }",
        {"c": first["campaign"]["id"]},
    )
    assert nodes(shown["campaign"]["entitlements"]) == [{"occurrence": "spring-festival:2027"}] * 2
    await checker.ok(APPROVE, {"c": first["campaign"]["id"]})
    await admin.ok(PAY, {"c": first["campaign"]["id"]})
    await app.state.jobs.idle()
    paid = await LedgerEntry.filter(kind="payment").count()
    assert paid == 2
    report = await admin.ok('{ hardshipReport(period: "2027-Spring-Festival") { amount } }')
    assert len(report["hardshipReport"]) == 2  # any spelling of the period finds it

    for period in ("2027", "2027-02", "2027-Q1", "2027-mid-autumn"):
        refused = await _campaign(maker, "spring_festival", period, fund_id)
        assert refused["campaign"] is None
        assert [(e["field"], e["code"]) for e in refused["userErrors"]] == [
            ("period", "INVALID_PERIOD")
        ]
        assert "春节（如 2027-spring-festival）" in refused["userErrors"][0]["message"]
    english = await maker(
        CREATE.replace("userErrors { field code }", "userErrors { message }"),
        {
            "i": {
                "name": "again",
                "programId": "hardship",
                "ruleCode": "spring_festival",
                "period": "2027",
                "districtCodes": [HUISHAN],
                "fundId": fund_id,
            }
        },
        **{"Accept-Language": "en"},
    )
    assert english["data"]["createCampaign"]["userErrors"] == [
        {"message": "Invalid period 2027: use the Spring Festival (e.g. 2027-spring-festival)"}
    ]

    # Another spelling of the same festival is the same occurrence, stored in canonical form.
    again = await _campaign(maker, "spring_festival", " 2027-Spring-Festival ", fund_id)
    assert again["userErrors"] == []
    assert again["campaign"]["period"] == {"code": "2027-spring-festival"}
    await maker.ok(EVALUATE, {"c": again["campaign"]["id"]})
    await app.state.jobs.idle()
    totals = await maker.ok(TOTALS, {"c": again["campaign"]["id"]})
    assert totals["campaign"]["totals"] == {"entitledCount": 0}
    assert await LedgerEntry.filter(kind="payment").count() == paid
    assert await Campaign.filter(period_code="2027").count() == 0


async def test_each_schedule_accepts_only_its_periods(story):
    _city, people, _members, fund_id = story
    maker = people["maker"]
    expected = {
        ("quarterly_subsidy", "2027-q1"): "2027-Q1",  # canonical
        ("quarterly_subsidy", "2027-03"): None,
        ("price_subsidy", "2027-03"): "2027-03",
        ("price_subsidy", "2027"): None,
        ("medical_subsidy", "2027"): "2027",
        ("medical_subsidy", "2027-spring-festival"): None,
        ("visit_cash", "2027-mid-autumn"): "2027-mid-autumn",  # one-off: any period
    }
    for (rule, period), code in expected.items():
        made = await _campaign(maker, rule, period, fund_id)
        if code is None:
            assert made["userErrors"][0]["code"] == "INVALID_PERIOD", (rule, period)
        else:
            assert made["campaign"]["period"]["code"] == code, (rule, period, made)


async def test_a_term_rule_takes_only_terms(world):
    host, fund, _people, users = world
    arguments = {"name": "t", "program": "sample", "rule_code": "term_gift", "fund_id": fund.id}
    with pytest.raises(DomainError) as refused:
        await campaigns.create(
            users["maker"],
            host,
            period_code="2027-spring-festival",
            district_codes=[HUISHAN],
            **arguments,
        )
    assert refused.value.code.value == "INVALID_PERIOD"
    assert refused.value.params["accepted"].en.startswith("a school term")


async def test_a_campaign_made_before_the_check_entitles_nobody(world):
    """A Spring Festival rule's campaign over ``2027``, made before periods were checked: it can
    neither be evaluated nor take an added entitlement."""
    host, fund, people, users = world
    old = await Campaign.create(
        name="旧",
        program="sample",
        rule_code="gift",
        period_code="2027",
        period_start=dt.date(2027, 1, 1),
        period_end=dt.date(2027, 12, 31),
        judged_on=dt.date(2027, 1, 1),
        district_codes=[HUISHAN],
        fund_id=fund.id,
        created_by="maker",
    )
    for attempt in (
        campaigns.evaluate(users["maker"], host, old.id),
        campaigns.add_entitlement(users["maker"], host, old.id, people[0]),
    ):
        with pytest.raises(DomainError) as refused:
            await attempt
        assert (refused.value.field, refused.value.code.value) == ("campaignId", "INVALID_PERIOD")
    assert await Entitlement.all().count() == 0


async def test_previews_follow_the_schedule_too(world):
    """What-if refuses a period no campaign of the rule could use; a member's entitlements in a
    period list only the rules that pay in it (one-off ones always)."""
    host, _fund, people, _users = world
    with pytest.raises(DomainError) as refused:
        await previews.what_if(
            host, "sample", "gift", HUISHAN, parse_period("2027"), {"gift_amount": "600"}
        )
    assert refused.value.code.value == "INVALID_PERIOD"
    found = await previews.entitlements(host, [people[0]], parse_period("2027"))
    assert [e["rule"].code for e in found[people[0]]] == ["visit", "welcome_gift"]
    found = await previews.entitlements(host, [people[0]], parse_period("2027-spring-festival"))
    assert [e["rule"].code for e in found[people[0]]] == ["gift", "welcome_gift"]


async def test_a_one_off_rule_pays_once_whatever_the_period(world):
    """The sample's welcome gift is one-off (once ever): evaluated in 2027 and again in 2028, it
    entitles each member once; an occurrence is never a period."""
    host, fund, _people, users = world
    made = {}
    for year in ("2027", "2028"):
        made[year] = await campaigns.create(
            users["maker"],
            host,
            name=f"入会 {year}",
            program="sample",
            rule_code="welcome_gift",
            period_code=year,
            district_codes=[HUISHAN],
            fund_id=fund.id,
        )
    first = await campaigns.evaluate(users["maker"], host, made["2027"].id)
    assert first["created"] == 3
    second = await campaigns.evaluate(users["maker"], host, made["2028"].id)
    assert (second["created"], second["elsewhere"]) == (0, 3)
    occurrences = await Entitlement.all().values_list("occurrence", flat=True)
    assert occurrences == ["once"] * 3


async def test_a_one_off_rule_pays_once_per_the_key_it_declares(world, monkeypatch):
    """A one-off rule with ``occurrence(facts)`` (here: a key the test chooses) pays once per
    key: the same key again entitles nobody, a new key everybody."""
    host, fund, _people, users = world
    rule = host.rule("sample", "welcome_gift")
    counts = []
    for year, key in (("2027", "child:1"), ("2028", "child:1"), ("2029", "child:2")):
        monkeypatch.setattr(rule, "occurrence", lambda facts, key=key: key, raising=False)
        campaign = await campaigns.create(
            users["maker"],
            host,
            name="助学",
            program="sample",
            rule_code="welcome_gift",
            period_code=year,
            district_codes=[HUISHAN],
            fund_id=fund.id,
        )
        counts.append((await campaigns.evaluate(users["maker"], host, campaign.id))["created"])
    assert counts == [3, 0, 3]
    keys = await Entitlement.all().order_by("id").values_list("occurrence", flat=True)
    assert keys == ["child:1"] * 3 + ["child:2"] * 3


async def test_two_one_off_evaluations_at_once_entitle_each_member_once(world):
    """The unique index over the rows' own keys refuses the slower evaluation's batch, which
    looks up who is taken (by beneficiary and key) and inserts the rest."""
    import asyncio

    host, fund, _people, users = world
    made = [
        await campaigns.create(
            users["maker"],
            host,
            name="入会",
            program="sample",
            rule_code="welcome_gift",
            period_code=year,
            district_codes=[HUISHAN],
            fund_id=fund.id,
        )
        for year in ("2027", "2028")
    ]
    results = await asyncio.gather(
        *(campaigns.evaluate(users["maker"], host, c.id, batch=1) for c in made)
    )
    assert sum(r["created"] for r in results) == 3
    assert sum(r["elsewhere"] for r in results) == 3
    assert await Entitlement.filter(occurrence="once").count() == 3


async def test_a_plugin_rule_without_its_festival_is_refused_at_load():
    from unionaid.core.host import PluginError, PluginHost
    from unionaid.core.plugin_types import ProgramInfo
    from unionaid.core.rules import Schedule

    class Nameless:
        code, name, name_en, schedule, unit = "x", "x", "x", Schedule.FESTIVAL, "member"

    class Plugin:
        from unionaid.core import hookimpl

        @hookimpl
        def register_program(self):
            return ProgramInfo(
                id="nameless",
                name="无名",
                name_en="Nameless",
                version="1",
                contract_versions=("2",),
            )

        @hookimpl
        def register_rules(self):
            return [Nameless()]

    with pytest.raises(PluginError, match="festival"):
        PluginHost().register(Plugin())


# -- item 16: the database refuses a second live entitlement by itself ---------------------------


async def _raw(campaign: int, member, status: str, occurrence: str, period: str) -> None:
    """An entitlement written straight into the table: no service, no look-up."""
    await connections.get("default").execute_query(
        "INSERT INTO entitlement (campaign_id, program, rule_code, period_code, occurrence, "
        "beneficiary, member_id, household_id, district_code, amount, status, explanation, "
        "facts, settings, settings_version, created_at) VALUES "
        f"({campaign}, 'sample', 'gift', '{period}', '{occurrence}', 'member:{member.id}', "
        f"{member.id}, {member.household_id}, '{HUISHAN}', 500.00, '{status}', '[]', '{{}}', "
        "'{}', '{}', CURRENT_TIMESTAMP)"
    )


async def test_the_database_refuses_a_second_live_payment_by_itself(world):
    host, fund, people, users = world
    campaign = (await new_campaign(host, fund, users)).id
    member = await Member.get(id=people[0])
    festival = "spring-festival:2027"
    await _raw(campaign, member, "paid", festival, "2027-spring-festival")
    for status, period in (("entitled", "2027-spring-festival"), ("paid", "2027")):
        # Live again for the same occurrence, whatever the period code says: refused.
        with pytest.raises(IntegrityError):
            await _raw(campaign, member, status, festival, period)
    for status in ("cancelled", "reversed"):  # dead ones never hold the slot
        await _raw(campaign, member, status, festival, "2027-spring-festival")
    await _raw(campaign, member, "entitled", "spring-festival:2028", "2028-spring-festival")

    # A reversal frees the slot: a new live one goes in, and then holds it.
    await Entitlement.filter(status="paid").update(status=EntitlementStatus.REVERSED)
    await _raw(campaign, member, "entitled", festival, "2027-spring-festival")
    with pytest.raises(IntegrityError):
        await _raw(campaign, member, "paid", festival, "2027-spring-festival")
    # So does a cancellation.
    await Entitlement.filter(status="entitled", occurrence=festival).update(
        status=EntitlementStatus.CANCELLED
    )
    await _raw(campaign, member, "paid", festival, "2027-spring-festival")
    live = await Entitlement.filter(occurrence=festival, status__in=["entitled", "paid"]).count()
    assert live == 1


# -- item 4: add_entitlement pays the rule's unit, per occurrence, with the whole decision -------


async def _spouses(settings):
    vault = Vault(settings.data_key)
    one = await members.create_member(
        ACTOR,
        vault,
        members.NewMember(
            name="夫",
            id_number=id_number(dt.date(1975, 5, 5)),
            district_code=HUISHAN,
            monthly_income=Decimal("900"),
        ),
    )
    two = await members.create_member(
        ACTOR,
        vault,
        members.NewMember(
            name="妻",
            id_number=id_number(dt.date(1976, 6, 6), male=False),
            district_code=HUISHAN,
            monthly_income=Decimal("800"),
            household_id=one.household_id,
        ),
    )
    return one, two


async def test_an_added_entitlement_pays_the_household_once_with_the_whole_decision(
    world, settings
):
    host, fund, people, users = world
    await programs.configure(
        host, "sample", HUISHAN, {"greeting": "您好"}, dt.date(2026, 1, 1), ACTOR
    )
    one, two = await _spouses(settings)
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
    added = await campaigns.add_entitlement(users["maker"], host, campaign.id, one.id)
    made = await Entitlement.get(id=added)
    assert (made.beneficiary, made.occurrence) == (f"household:{one.household_id}", "2027")
    assert made.amount == Decimal("300.00")  # the rule's amount: nobody typed one
    assert made.explanation == [
        {
            "passed": True,
            "zh": "人均月收入 450.00 元低于 1000 元",
            "en": "income per head 450.00 below 1000",
        }
    ]
    assert made.facts["per_capita_income"] == "450.00" and made.facts["household_size"] == 2
    assert made.settings["greeting"] == "您好"
    assert made.settings_version["district"] is not None
    with pytest.raises(DomainError) as twice:  # the spouse is the same household
        await campaigns.add_entitlement(users["maker"], host, campaign.id, two.id)
    assert twice.value.code.value == "DUPLICATE"
    with pytest.raises(DomainError) as judged:  # 1800 a head: the rule says no
        await campaigns.add_entitlement(users["maker"], host, campaign.id, people[0])
    assert judged.value.code.value == "NOT_ELIGIBLE"
    assert await Entitlement.filter(campaign_id=campaign.id).count() == 1


async def test_a_one_off_entitlement_is_paid_once_per_the_callers_key(world):
    host, fund, people, users = world
    campaign = await campaigns.create(
        users["maker"],
        host,
        name="住院慰问",
        program="sample",
        rule_code="welcome_gift",
        period_code="2027",
        district_codes=[HUISHAN],
        fund_id=fund.id,
    )

    def add(key, amount="800"):
        return campaigns.add_entitlement(
            users["maker"],
            host,
            campaign.id,
            people[0],
            amount=Decimal(amount),
            explanation_zh=f"住院 {key}",
            explanation_en=f"hospital stay {key}",
            facts={"stay": key},
            occurrence_key=key,
        )

    first, second = await add("stay:1"), await add("stay:2")
    with pytest.raises(DomainError) as again:
        await add("stay:1", "900")
    assert again.value.code.value == "DUPLICATE"
    rows = await Entitlement.filter(id__in=[first, second]).order_by("id")
    assert [r.occurrence for r in rows] == ["stay:1", "stay:2"]
    # A person's amount: their reason first, then the rule's conditions (it found him eligible),
    # the facts the rule read with the caller's, and the settings it used.
    assert rows[0].amount == Decimal("800.00")
    assert rows[0].explanation[0] == {
        "passed": True,
        "zh": "住院 stay:1",
        "en": "hospital stay stay:1",
    }
    assert [c["passed"] for c in rows[0].explanation] == [True, True, True, True]
    assert rows[0].facts == {
        "is_union_member": True,
        "monthly_income": "1800.00",
        "age": 47,
        "stay": "stay:1",
    }
    assert rows[0].settings["gift_amount"] == "500.00"
    festival = await new_campaign(host, fund, users)
    with pytest.raises(DomainError) as calendar:  # a calendar rule's occurrence is its period
        await campaigns.add_entitlement(
            users["maker"], host, festival.id, people[0], occurrence_key="stay:1"
        )
    assert (calendar.value.field, calendar.value.code.value) == ("occurrence", "INVALID_INPUT")


async def test_visit_cash_is_paid_once_per_visit_not_once_a_year(story):
    """Visit cash is one-off, keyed by the visit: two visits to one person in a year both pay
    (today the second was refused as a second payment 'in this period'); the same visit
    recorded twice does not."""
    _city, people, members_by_name, fund_id = story
    maker = people["maker"]
    base = {
        "districtCode": HUISHAN,
        "visitedBy": "主席",
        "occasion": "OTHER",
        "visiteeName": "特困甲",
        "visiteeKind": "HOUSEHOLD",
        "memberId": members_by_name["特困甲"],
        "fundId": fund_id,
        "cash": "300.00",
    }
    days = ("2026-03-02", "2026-11-20", "2026-11-20")
    answers = [(await maker.ok(VISIT, {"i": base | {"visitedOn": d}}))["recordVisit"] for d in days]
    assert [a["userErrors"] for a in answers] == [
        [],
        [],
        [{"field": "memberId", "code": "DUPLICATE"}],
    ]
    assert answers[0]["visit"]["campaignId"] == answers[1]["visit"]["campaignId"]
    rows = await Entitlement.filter(rule_code="visit_cash").order_by("id")
    assert [(r.occurrence, r.amount) for r in rows] == [
        ("visit:2026-03-02", Decimal("300.00")),
        ("visit:2026-11-20", Decimal("300.00")),
    ]
    assert rows[0].explanation == [
        {"passed": True, "zh": "2026-03-02 走访慰问（主席）", "en": "visit on 2026-03-02 by 主席"}
    ]
    assert rows[0].facts["visited_on"] == "2026-03-02" and "hardship_level" in rows[0].facts


async def test_the_migration_gives_existing_entitlements_their_occurrence(tmp_path):
    """Rows written before 0011 get their period's occurrence: a fresh database of the core
    alone, migrated to 0010, rows written there (references unchecked), then migrated on."""
    from unionaid.core.host import PluginHost

    periods = ["2027-spring-festival", "2026-mid-autumn", "2027-Q1", "2027-03", "2027"]
    rows = ", ".join(
        f"(1, 'p', 'r', '{p}', 'member:1', 1, 1, '320206', 1.00, 'paid', '[]', '{{}}', '{{}}', "
        "'{}', CURRENT_TIMESTAMP)"
        for p in periods
    )
    insert = (
        "INSERT INTO entitlement (campaign_id, program, rule_code, period_code, beneficiary, "
        "member_id, household_id, district_code, amount, status, explanation, facts, settings, "
        f"settings_version, created_at) VALUES {rows}"
    )
    read = "SELECT period_code, occurrence FROM entitlement ORDER BY id"
    (found,) = await migrated_on(tmp_path, PluginHost(), "core.0010_rate_limits", [insert], [read])
    assert found == [
        ("2027-spring-festival", "spring-festival:2027"),
        ("2026-mid-autumn", "mid-autumn:2026"),
        ("2027-Q1", "2027-Q1"),
        ("2027-03", "2027-03"),
        ("2027", "2027"),
    ]
