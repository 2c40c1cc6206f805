"""The hardship program end to end through GraphQL (issue 6's story): two districts enable it,
惠山区 raises the festival amount, households are registered in both, 惠山区's Spring Festival
campaign is made, evaluated, approved by someone else and paid from 惠山区's fund; the report
shows who was paid; 滨湖区 sees none of 惠山区's files; nobody is paid twice."""

import datetime as dt

import pytest

from tests.factories import id_number, nodes

HUISHAN, BINHU, LIANGXI = "320206", "320211", "320213"
MEMBER = "mutation($i: CreateMemberInput!) { createMember(input: $i) { member { id } } }"
REGISTER = """mutation($i: HardshipFileInput!) { registerHardshipFile(input: $i) {
  file { level status version } userErrors { field code } } }"""
CREATE = """mutation($i: CreateCampaignInput!) { createCampaign(input: $i) {
  campaign { id } userErrors { field code } } }"""
EVALUATE = "mutation($c: ID!) { evaluateCampaign(input: {campaignId: $c}) { job { id } userErrors { code } } }"
APPROVE = 'mutation($c: ID!) { approveCampaign(input: {campaignId: $c, reason: "ok"}) { campaign { status } userErrors { code } } }'
PAY = (
    "mutation($c: ID!) { payCampaign(input: {campaignId: $c}) { job { id } userErrors { code } } }"
)


@pytest.fixture
async def registered_story(login_as, gql, app):
    """Two districts running the program, 惠山区's fund, members, and files registered by a
    caseworker (not yet verified)."""
    city = gql
    people = {
        "huishan_admin": await login_as("district_admin", (HUISHAN,)),
        "maker": await login_as("caseworker", (HUISHAN,)),
        "checker": await login_as("approver", (HUISHAN,)),
        "binhu": await login_as("caseworker", (BINHU,)),
        "binhu_admin": await login_as("district_admin", (BINHU,)),
    }
    for code in (HUISHAN, BINHU):
        await city.ok(
            'mutation($d: String!) { enableProgram(input: {programId: "hardship", districtCode: $d}) { userErrors { code } } }',
            {"d": code},
        )
    raised = await people["huishan_admin"].ok(
        'mutation { configureProgram(input: {programId: "hardship", districtCode: "320206", settings: {spring_festival_amount: "4000.00"}}) { settingsVersion userErrors { code } } }'
    )
    assert raised["configureProgram"]["userErrors"] == []
    fund = await city.ok(
        'mutation { createFund(input: {code: "HS-HARD", name: "惠山帮扶", districtCode: "320206"}) { fund { id } } }'
    )
    fund_id = fund["createFund"]["fund"]["id"]
    await city.ok(
        'mutation($f: ID!) { contributeToFund(input: {fundId: $f, amount: "20000.00"}) { userErrors { code } } }',
        {"f": fund_id},
    )
    members = {}
    for name, code in (
        ("特困甲", HUISHAN),
        ("困难乙", HUISHAN),
        ("劳模丙", HUISHAN),
        ("普通丁", HUISHAN),
        ("滨湖特困", BINHU),
        ("梁溪某", LIANGXI),
    ):
        made = await city.ok(
            MEMBER,
            {
                "i": {
                    "name": name,
                    "idNumber": id_number(dt.date(1970, 1, 1 + len(members))),
                    "districtCode": code,
                    "monthlyIncome": "900",
                }
            },
        )
        members[name] = made["createMember"]["member"]["id"]
    files = {
        "特困甲": (
            "maker",
            {
                "level": "EXTREME",
                "reasons": ["SERIOUS_ILLNESS", "LOW_INCOME"],
                "assessedIncome": "300.00",
                "assessedSize": 3,
            },
        ),
        "困难乙": ("maker", {"level": "DIFFICULT", "reasons": ["UNEMPLOYMENT"]}),
        "劳模丙": (
            "maker",
            {
                "level": "DIFFICULT",
                "reasons": ["DISABILITY"],
                "modelWorkerLevel": "PROVINCIAL",
                "modelWorkerInDifficulty": True,
            },
        ),
        "滨湖特困": ("binhu", {"level": "EXTREME", "reasons": ["DISASTER"]}),
    }
    for name, (who, fields) in files.items():
        done = await people[who].ok(REGISTER, {"i": {"memberId": members[name], **fields}})
        assert done["registerHardshipFile"]["userErrors"] == [], (name, done)
    return city, people, members, fund_id


VERIFY = """mutation($m: ID!) { verifyHardshipFile(input: {memberId: $m, verifiedOn: "2026-11-01"})
  { file { stage } userErrors { code } } }"""


@pytest.fixture
async def story(registered_story):
    """The registered story with every file verified by someone else than its registrar (only a
    verified file pays)."""
    _city, people, members, _fund = registered_story
    for name, checker in (
        ("特困甲", "huishan_admin"),
        ("困难乙", "huishan_admin"),
        ("劳模丙", "huishan_admin"),
        ("滨湖特困", "binhu_admin"),
    ):
        done = await people[checker].ok(VERIFY, {"m": members[name]})
        assert done["verifyHardshipFile"]["userErrors"] == [], (name, done)
    return registered_story


async def evaluated_festival(maker, app, fund_id: str, name: str = "2027年春节送温暖") -> str:
    """惠山区's 2027 Spring Festival campaign, made and evaluated by ``maker``: its id."""
    made = await maker.ok(
        CREATE,
        {
            "i": {
                "name": name,
                "programId": "hardship",
                "ruleCode": "spring_festival",
                "period": "2027-spring-festival",
                "districtCodes": [HUISHAN],
                "fundId": fund_id,
            }
        },
    )
    campaign = made["createCampaign"]["campaign"]["id"]
    await maker.ok(EVALUATE, {"c": campaign})
    await app.state.jobs.idle()
    return campaign


async def test_the_spring_festival_story(story, app):
    _city, people, members, fund_id = story
    maker, checker, admin, binhu = (
        people["maker"],
        people["checker"],
        people["huishan_admin"],
        people["binhu"],
    )
    campaign = await evaluated_festival(maker, app, fund_id)
    shown = await maker.ok(
        "query($c: ID!) { campaign(id: $c) { status totals { entitledCount entitledTotal } entitlements { edges { node { amount member { name } explanation { passed zh } settings } } } } }",
        {"c": campaign},
    )
    entitled = {e["member"]["name"]: e for e in nodes(shown["campaign"]["entitlements"])}
    assert set(entitled) == {"特困甲", "劳模丙"}  # 困难 is not a festival level by default
    assert all(e["amount"] == "4000.00" for e in entitled.values())  # 惠山区's own amount
    assert entitled["特困甲"]["settings"]["spring_festival_amount"] == "4000.00"
    assert any("特困" in c["zh"] for c in entitled["特困甲"]["explanation"])

    assert (await checker.ok(APPROVE, {"c": campaign}))["approveCampaign"]["campaign"][
        "status"
    ] == "APPROVED"
    await admin.ok(PAY, {"c": campaign})
    await app.state.jobs.idle()
    report = (
        await admin.ok(
            '{ hardshipReport(period: "2027-spring-festival") { districtCode level households people amount } }'
        )
    )["hardshipReport"]
    assert sorted((r["level"], r["households"], r["amount"]) for r in report) == [
        ("difficult", 1, "4000.00"),
        ("extreme", 1, "4000.00"),
    ]
    assert all(r["districtCode"] == HUISHAN for r in report)
    # People as the files assessed them: 特困甲's household of 3 (the register knows only 1).
    assert sorted((r["level"], r["people"]) for r in report) == [("difficult", 1), ("extreme", 3)]

    # 滨湖区 sees none of 惠山区's files, and 惠山区's members do not exist for it.
    seen = await binhu.ok("{ hardshipFiles { edges { node { member { name } } } } }")
    assert [f["member"]["name"] for f in nodes(seen["hardshipFiles"])] == ["滨湖特困"]
    assert (await binhu.ok("{ hardshipReport { amount } }"))["hardshipReport"] == []
    hidden = await binhu(
        "query($m: ID!) { member(id: $m) { hardship { level } } }", {"m": members["特困甲"]}
    )
    assert hidden["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    # Paying again pays nobody twice.
    again = (await admin.ok(PAY, {"c": campaign}))["payCampaign"]
    assert again["userErrors"] == [{"code": "INVALID_STATE"}]
    second = await evaluated_festival(maker, app, fund_id, "补发")
    totals = await maker.ok(
        "query($c: ID!) { campaign(id: $c) { totals { entitledCount } } }",
        {"c": second},
    )
    assert totals["campaign"]["totals"]["entitledCount"] == 0


async def test_the_snapshot_explains_each_decision(story, app):
    """Issue 15.5: every setting and fact a rule read is in the entitlement's snapshot (the
    model worker is paid because of spring_festival_model_workers_in_difficulty), and income
    and household size are judged from the file's assessed values when it has them."""
    _city, people, _members, fund_id = story
    campaign = await evaluated_festival(people["maker"], app, fund_id)
    shown = await people["maker"].ok(
        "query($c: ID!) { campaign(id: $c) { entitlements { edges { node { member { name } facts settings"
        " explanation { passed zh en } } } } } }",
        {"c": campaign},
    )
    entitled = {e["member"]["name"]: e for e in nodes(shown["campaign"]["entitlements"])}
    model_worker, extreme = entitled["劳模丙"], entitled["特困甲"]
    assert model_worker["settings"]["spring_festival_model_workers_in_difficulty"] is True
    assert model_worker["facts"]["model_worker_in_difficulty"] is True
    assert extreme["facts"]["hardship_status"] == "active"
    # 特困甲's file assessed ¥300 a month for 3 people; the register says ¥900 for 1.
    assert (extreme["facts"]["monthly_income"], extreme["facts"]["household_size"]) == (
        "900.00",
        1,
    )
    assert (
        extreme["facts"]["hardship_assessed_income"],
        extreme["facts"]["hardship_assessed_size"],
        extreme["facts"]["income_source"],
        extreme["facts"]["household_size_source"],
    ) == ("300.00", 3, "hardship_file", "hardship_file")
    means = extreme["explanation"][-1]
    assert means == {
        "passed": True,
        "zh": "月收入 300.00 元（困难职工档案核定），家庭 3 人（困难职工档案核定），人均 100.00 元",
        "en": "monthly income ¥300.00 (assessed in the hardship file), household of 3 "
        "(assessed in the hardship file), ¥100.00 per head",
    }
    # 劳模丙's file assessed nothing: the register's values, and the explanation says so.
    assert model_worker["facts"]["income_source"] == "register"
    assert model_worker["explanation"][-1]["zh"] == (
        "月收入 900.00 元（会员登记），家庭 1 人（会员登记），人均 900.00 元"
    )


async def test_where_the_program_is_off_its_fields_and_mutations_answer_program_not_enabled(story):
    city, _people, members, _ = story
    body = await city(
        "query($m: ID!) { member(id: $m) { name hardship { level } } }", {"m": members["梁溪某"]}
    )
    assert body["data"]["member"] == {"name": "梁溪某", "hardship": None}
    assert body["errors"][0]["extensions"]["code"] == "PROGRAM_NOT_ENABLED"
    refused = await city.ok(
        REGISTER, {"i": {"memberId": members["梁溪某"], "level": "EXTREME", "reasons": ["OTHER"]}}
    )
    assert refused["registerHardshipFile"]["userErrors"] == [
        {"field": "memberId", "code": "PROGRAM_NOT_ENABLED"}
    ]


async def test_files_keep_their_history_and_refuse_stale_updates(registered_story):
    _city, people, members, _ = registered_story
    maker = people["maker"]
    update = """mutation($i: UpdateHardshipFileInput!) { updateHardshipFile(input: $i) {
      file { level version history { operation changes } } userErrors { code } } }"""
    done = (
        await maker.ok(
            update, {"i": {"memberId": members["困难乙"], "version": 1, "level": "EXTREME"}}
        )
    )["updateHardshipFile"]
    assert done["file"]["level"] == "EXTREME" and done["file"]["version"] == 2
    assert [h["operation"] for h in done["file"]["history"]] == [
        "registerHardshipFile",
        "updateHardshipFile",
    ]
    assert done["file"]["history"][1]["changes"]["level"] == ["difficult", "extreme"]
    stale = (
        await maker.ok(
            update, {"i": {"memberId": members["困难乙"], "version": 1, "level": "DIFFICULT"}}
        )
    )["updateHardshipFile"]
    assert stale["userErrors"] == [{"code": "CONFLICT"}]
    closed = await maker.ok(
        'mutation($m: ID!) { closeHardshipFile(input: {memberId: $m, reason: "已脱困"}) { file { status closeReason } } }',
        {"m": members["困难乙"]},
    )
    assert closed["closeHardshipFile"]["file"] == {"status": "CLOSED", "closeReason": "已脱困"}


VISIT = """mutation($i: RecordVisitInput!) { recordVisit(input: $i) {
  visit { visiteeName cash giftValue campaignId member { name } } userErrors { field code } } }"""


async def test_visits_pay_cash_through_approval_and_report_gifts(story, app):
    _city, people, members, fund_id = story
    maker, checker, admin = people["maker"], people["checker"], people["huishan_admin"]
    base = {
        "districtCode": HUISHAN,
        "visitedBy": "区总工会主席",
        "visitedOn": "2026-11-20",
        "occasion": "OTHER",
    }
    cash = (
        await maker.ok(
            VISIT,
            {
                "i": base
                | {
                    "visiteeName": "特困甲",
                    "visiteeKind": "HOUSEHOLD",
                    "memberId": members["特困甲"],
                    "cash": "500.00",
                    "fundId": fund_id,
                    "gifts": "米油",
                    "giftValue": "120.00",
                }
            },
        )
    )["recordVisit"]
    assert cash["userErrors"] == [] and cash["visit"]["member"] == {"name": "特困甲"}
    campaign = cash["visit"]["campaignId"]
    duty = (
        await maker.ok(
            VISIT,
            {
                "i": base
                | {
                    "visiteeName": "环卫工人王某",
                    "visiteeKind": "FRONTLINE",
                    "workplace": "惠山环卫所",
                    "gifts": "慰问品",
                    "giftValue": "218.92",
                }
            },
        )
    )["recordVisit"]
    assert duty["userErrors"] == [] and duty["visit"]["campaignId"] is None
    refused = (
        await maker.ok(
            VISIT,
            {
                "i": base
                | {
                    "visiteeName": "某",
                    "visiteeKind": "FRONTLINE",
                    "cash": "100.00",
                    "fundId": fund_id,
                }
            },
        )
    )["recordVisit"]
    assert refused["userErrors"] == [{"field": "memberId", "code": "REQUIRED"}]
    elsewhere = (
        await maker.ok(
            VISIT,
            {"i": base | {"districtCode": BINHU, "visiteeName": "某", "visiteeKind": "FRONTLINE"}},
        )
    )["recordVisit"]
    assert elsewhere["userErrors"][0]["code"] == "NOT_FOUND"

    # The cash is an entitlement: approved by a second person, paid from the fund.
    shown = await maker.ok(
        "query($c: ID!) { campaign(id: $c) { status ruleCode totals { entitledTotal } } }",
        {"c": campaign},
    )
    assert shown["campaign"] == {
        "status": "EVALUATED",
        "ruleCode": "visit_cash",
        "totals": {"entitledTotal": "500.00"},
    }
    assert (await checker.ok(APPROVE, {"c": campaign}))["approveCampaign"]["campaign"][
        "status"
    ] == "APPROVED"
    await admin.ok(PAY, {"c": campaign})
    await app.state.jobs.idle()
    paid = await admin.ok(
        "query($c: ID!) { campaign(id: $c) { status totals { paidTotal } } }", {"c": campaign}
    )
    assert paid["campaign"] == {"status": "PAID", "totals": {"paidTotal": "500.00"}}

    report = (
        await admin.ok("{ visitReport { districtCode occasion visits people cash giftValue } }")
    )["visitReport"]
    assert report == [
        {
            "districtCode": HUISHAN,
            "occasion": "OTHER",
            "visits": 2,
            "people": 2,
            "cash": "500.00",
            "giftValue": "338.92",
        }
    ]
    assert (await people["binhu"].ok("{ visits { totalCount } }"))["visits"] == {"totalCount": 0}


async def test_a_file_is_verified_by_a_second_person(registered_story, login_as):
    _, people, members, _ = registered_story
    verify = """mutation($m: ID!) { verifyHardshipFile(input: {memberId: $m, verifiedOn: "2026-11-01", nextReview: "2027-11-01"}) {
      file { verifiedBy verifiedOn nextReview } userErrors { code } } }"""
    own = (await people["maker"].ok(verify, {"m": members["特困甲"]}))["verifyHardshipFile"]
    # The refusal names what is refused: a file, not a campaign.
    assert own == {"file": None, "userErrors": [{"code": "SELF_VERIFICATION"}]}
    colleague = await login_as("caseworker", (HUISHAN,))
    done = (await colleague.ok(verify, {"m": members["特困甲"]}))["verifyHardshipFile"]
    assert done["userErrors"] == [] and done["file"]["verifiedOn"] == "2026-11-01"
    assert done["file"]["verifiedBy"].startswith("caseworker")


async def test_a_refused_cash_visit_writes_nothing(story):
    _, people, members, fund_id = story
    maker = people["maker"]
    base = {
        "districtCode": HUISHAN,
        "visitedBy": "主席",
        "visitedOn": "2026-11-20",
        "occasion": "OTHER",
        "visiteeName": "特困甲",
        "visiteeKind": "HOUSEHOLD",
        "memberId": members["特困甲"],
        "fundId": fund_id,
        "cash": "300.00",
    }
    first = (await maker.ok(VISIT, {"i": base}))["recordVisit"]
    assert first["userErrors"] == []
    again = (await maker.ok(VISIT, {"i": base}))["recordVisit"]  # the same visit twice
    assert again == {"visit": None, "userErrors": [{"field": "memberId", "code": "DUPLICATE"}]}
    visits = (await maker.ok("{ visits { edges { node { cash } } } }"))["visits"]
    assert nodes(visits) == [{"cash": "300.00"}]


@pytest.mark.parametrize("field", ["visits", "hardshipFiles"])
@pytest.mark.parametrize(("first", "code"), [(-5, "BAD_USER_INPUT"), (101, "PAGE_SIZE_EXCEEDED")])
async def test_the_lists_refuse_a_page_size_out_of_bounds_and_never_cap_silently(
    story, field, first, code
):
    """``visits(first: -5)`` was an INTERNAL_ERROR (a negative LIMIT), and both lists cut a
    page at 200 without a word: now connections, they refuse a page size below 0 or above 100
    like every connection, and page through the rest."""
    _city, people, _members, _fund_id = story
    visit = {
        "districtCode": HUISHAN,
        "visitedBy": "区总工会主席",
        "visitedOn": "2026-11-20",
        "occasion": "OTHER",
        "visiteeName": "环卫工人王某",
        "visiteeKind": "FRONTLINE",
    }
    made = await people["maker"].ok(VISIT, {"i": visit})
    assert made["recordVisit"]["userErrors"] == []
    query = f"query($n: Int) {{ {field}(first: $n) {{ totalCount pageInfo {{ hasNextPage }} }} }}"
    refused = await people["maker"](query, {"n": first})
    assert refused["data"] is None
    assert refused["errors"][0]["extensions"]["code"] == code
    listed = (await people["maker"].ok(query, {"n": 100}))[field]
    assert listed == {
        "totalCount": 1 if field == "visits" else 3,
        "pageInfo": {"hasNextPage": False},
    }


DECISIONS = """query($id: ID!) { member(id: $id) { entitlements(period: "2027-spring-festival") {
  ruleCode eligible amount conditions { passed zh en } } } }"""


async def test_a_file_only_registered_pays_nothing_until_someone_else_verifies_it(story, app):
    """Review defect: unverified hardship files were paid. A registered file makes nobody
    eligible, and the decision says why; once another person verifies it, it pays."""
    _city, people, members, fund_id = story
    member = members["普通丁"]
    done = await people["maker"].ok(
        REGISTER, {"i": {"memberId": member, "level": "EXTREME", "reasons": ["LOW_INCOME"]}}
    )
    assert done["registerHardshipFile"]["userErrors"] == []

    async def spring_festival() -> dict:
        found = (await people["maker"].ok(DECISIONS, {"id": member}))["member"]["entitlements"]
        [decision] = [d for d in found if d["ruleCode"] == "spring_festival"]
        return decision

    unverified = await spring_festival()
    assert (unverified["eligible"], unverified["amount"]) == (False, "0.00")
    assert {"passed": False, "zh": "困难职工档案未核实", "en": "hardship file not verified"} in (
        unverified["conditions"]
    )
    campaign = await evaluated_festival(people["maker"], app, fund_id)
    shown = await people["maker"].ok(
        "query($c: ID!) { campaign(id: $c) { entitlements(first: 100) { edges { node {"
        " member { name } } } } } }",
        {"c": campaign},
    )
    entitled = {e["member"]["name"] for e in nodes(shown["campaign"]["entitlements"])}
    assert entitled == {"特困甲", "劳模丙"}  # not 普通丁, whose file is only registered

    verified = await people["huishan_admin"].ok(VERIFY, {"m": member})
    assert verified["verifyHardshipFile"] == {"file": {"stage": "VERIFIED"}, "userErrors": []}
    paid = await spring_festival()
    assert (paid["eligible"], paid["amount"]) == (True, "4000.00")
    assert {
        "passed": True,
        "zh": "困难职工档案有效且已核实",
        "en": "active, verified hardship file",
    } in (paid["conditions"])
