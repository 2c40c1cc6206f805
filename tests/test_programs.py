import datetime as dt

from tests.factories import NOW
from unionaid.core.models import ProgramSettings

PROGRAMS = "{ programs { id name version settingsSchema districts { district { code } enabled settings districtSettingsVersion } } }"
ENABLE = """mutation($input: ProgramDistrictInput!) { enableProgram(input: $input) {
  program { districts { district { code } enabled } } userErrors { field code } } }"""
DISABLE = """mutation($input: ProgramDistrictInput!) { disableProgram(input: $input) { userErrors { field code } } }"""
CONFIGURE = """mutation($input: ConfigureProgramInput!) { configureProgram(input: $input) {
  settingsVersion program { districts { district { code } settings districtSettingsVersion } } userErrors { field code message } } }"""


def district(program, code):
    return next(d for d in program["districts"] if d["district"]["code"] == code)


async def test_builtin_programs_are_listed(gql):
    programs = (await gql.ok(PROGRAMS))["programs"]
    assert {p["id"] for p in programs} == {"hardship", "yuanmeng", "mutualaid", "jobs4050"}
    hardship = next(p for p in programs if p["id"] == "hardship")
    assert hardship["name"] == "困难职工帮扶"
    assert "spring_festival_amount" in hardship["settingsSchema"]["properties"]
    assert district(hardship, "320206")["settings"]["spring_festival_amount"] == "3500.00"
    assert not district(hardship, "320206")["enabled"]


async def test_enable_and_disable_per_district(gql):
    result = await gql.ok(ENABLE, {"input": {"programId": "hardship", "districtCode": "320206"}})
    program = result["enableProgram"]["program"]
    assert district(program, "320206")["enabled"] and not district(program, "320211")["enabled"]
    await gql.ok(DISABLE, {"input": {"programId": "hardship", "districtCode": "320206"}})
    programs = (await gql.ok(PROGRAMS))["programs"]
    assert not district(next(p for p in programs if p["id"] == "hardship"), "320206")["enabled"]


async def test_unknown_program_and_district(gql):
    bad = await gql.ok(ENABLE, {"input": {"programId": "nope", "districtCode": "320206"}})
    assert bad["enableProgram"]["userErrors"] == [{"field": "programId", "code": "UNKNOWN_PROGRAM"}]
    bad = await gql.ok(ENABLE, {"input": {"programId": "hardship", "districtCode": "123456"}})
    assert bad["enableProgram"]["userErrors"] == [{"field": "districtCode", "code": "NOT_FOUND"}]


async def test_district_overrides_city_defaults_key_by_key_with_versions(gql):
    city = await gql.ok(
        CONFIGURE,
        {
            "input": {
                "programId": "hardship",
                "settings": {"price_subsidy_monthly": "60"},
                "validFrom": "2021-01-01",
            }
        },
    )
    assert city["configureProgram"]["settingsVersion"] == 1
    huishan = await gql.ok(
        CONFIGURE,
        {
            "input": {
                "programId": "hardship",
                "districtCode": "320206",
                "settings": {"spring_festival_amount": "4000"},
                "validFrom": "2021-01-01",
            }
        },
    )
    program = huishan["configureProgram"]["program"]
    hs, bh = district(program, "320206"), district(program, "320211")
    assert hs["settings"]["spring_festival_amount"] == "4000.00"
    assert hs["settings"]["price_subsidy_monthly"] == "60.00"  # the city's change still applies
    assert bh["settings"]["spring_festival_amount"] == "3500.00"
    assert hs["districtSettingsVersion"] == 1 and bh["districtSettingsVersion"] is None
    again = await gql.ok(
        CONFIGURE,
        {
            "input": {
                "programId": "hardship",
                "districtCode": "320206",
                "settings": {"spring_festival_levels": ["extreme", "difficult"]},
                "validFrom": "2021-06-01",
            }
        },
    )
    assert again["configureProgram"]["settingsVersion"] == 2
    rows = await ProgramSettings.filter(scope="320206").order_by("version")
    assert [r.values for r in rows] == [
        {"spring_festival_amount": "4000.00"},
        {"spring_festival_amount": "4000.00", "spring_festival_levels": ["extreme", "difficult"]},
    ]


async def test_settings_valid_from_the_future_do_not_apply_yet(gql):
    await gql.ok(
        CONFIGURE,
        {
            "input": {
                "programId": "hardship",
                "districtCode": "320206",
                "settings": {"spring_festival_amount": "5000"},
                "validFrom": (NOW + dt.timedelta(days=1)).date().isoformat(),  # tomorrow
            }
        },
    )
    program = (await gql.ok(PROGRAMS))["programs"]
    hardship = next(p for p in program if p["id"] == "hardship")
    assert district(hardship, "320206")["settings"]["spring_festival_amount"] == "3500.00"


async def test_bad_settings_are_refused_and_nothing_written(gql):
    unknown = await gql.ok(
        CONFIGURE,
        {
            "input": {
                "programId": "hardship",
                "districtCode": "320206",
                "settings": {"spring_festival_amout": "4000"},
            }
        },
    )
    errors = unknown["configureProgram"]["userErrors"]
    assert errors[0]["code"] == "INVALID_SETTINGS"
    assert errors[0]["field"] == "settings.spring_festival_amout"
    wrong_type = await gql.ok(
        CONFIGURE,
        {
            "input": {
                "programId": "hardship",
                "districtCode": "320206",
                "settings": {"spring_festival_amount": "lots"},
            }
        },
    )
    assert (
        wrong_type["configureProgram"]["userErrors"][0]["field"]
        == "settings.spring_festival_amount"
    )
    negative = await gql.ok(
        CONFIGURE, {"input": {"programId": "jobs4050", "settings": {"women_from_age": -1}}}
    )
    assert negative["configureProgram"]["userErrors"][0]["code"] == "INVALID_SETTINGS"
    assert await ProgramSettings.all().count() == 0
