"""The API and the import accept and refuse the same values (issue 18), judged on one fixed day."""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator

import httpx
import pytest

from tests.conftest import GQL
from tests.factories import ACTOR, id_number, uscc
from tests.registers import to_csv
from unionaid.core.app import create_app
from unionaid.core.crypto import Vault
from unionaid.core.imports.run import import_file
from unionaid.core.models import Dependent, Member
from unionaid.core.services import accounts

NOW = dt.datetime(2027, 3, 1, 2, 0, tzinfo=dt.UTC)  # 10:00 in Shanghai
TODAY = dt.date(2027, 3, 1)
HEADER = ["name", "id_number", "district_code", "phone", "monthly_income"]


@pytest.fixture
async def api(settings, host, orm) -> AsyncIterator[GQL]:
    """A city administrator on an app whose clock stands at NOW."""
    app = create_app(settings, host, manage_db=False, rate_limit=0, clock=lambda: NOW)
    await accounts.create_user(ACTOR, accounts.NewUser("parity", "city_admin", []))
    token = (await accounts.issue_token(ACTOR, "parity", dt.timedelta(hours=1), NOW)).token
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield GQL(client, token)


@pytest.fixture
def load(settings, host, orm):
    async def run(kind: str, header: list[str], rows: list[list[object]]):
        vault = Vault(settings.data_key)
        content = to_csv(header, rows)
        return await import_file(kind, content, "f.csv", ACTOR, vault, host, today=TODAY)

    return run


CREATE = """mutation($i: CreateMemberInput!) {
  createMember(input: $i) { member { id } userErrors { field code message } } }"""


def _fresh() -> dict[str, str]:
    return {"name": "张伟", "id_number": id_number(), "district_code": "320206"}


# (column, value, accepted): ``None`` as value means "a fresh valid value of the column".
CASES = [
    ("name", "张伟", True),
    ("name", "阿卜杜拉・艾尼", True),
    ("name", "张" * 50, True),
    ("name", "张" * 51, False),
    ("name", '=HYPERLINK("http://evil.example","点我")', False),
    ("name", "张\x00伟", False),
    ("name", "张\x07伟", False),
    ("name", "张\n伟", False),
    ("name", "张\u202e伟", False),
    ("name", "张\u200b伟", False),
    ("name", "张\ufeff伟", False),
    ("phone", "13912345678", True),
    ("phone", "1391234567", False),
    ("phone", "=13912345678", False),
    ("monthly_income", "3200.50", True),
    ("monthly_income", "60000.00", True),  # above the soft bound: accepted (the import warns)
    ("monthly_income", "200000.00", True),  # the hard bound itself
    ("monthly_income", "200000.01", False),
    ("monthly_income", "12.345", False),
    ("monthly_income", "-1", False),
    ("monthly_income", "1e3", False),
    ("id_number", id_number(dt.date(1980, 1, 1), area="110105"), True),
    ("id_number", id_number(dt.date(1980, 1, 1), area="990105"), False),  # no province 99
    ("id_number", id_number(dt.date(1980, 1, 1), area="100105"), False),  # nor 10
    ("id_number", id_number(TODAY), True),  # born today: not in the future
    ("id_number", id_number(TODAY + dt.timedelta(days=1)), False),
    ("id_number", id_number(dt.date(1900, 1, 1)), True),  # the default floor
    ("id_number", id_number(dt.date(1899, 12, 31)), False),
]
API_FIELDS = {
    "name": "name",
    "id_number": "idNumber",
    "district_code": "districtCode",
    "phone": "phone",
    "monthly_income": "monthlyIncome",
}


async def _api_accepts(api: GQL, row: dict[str, str]) -> bool:
    body = await api(CREATE, {"i": {API_FIELDS[k]: v for k, v in row.items()}})
    assert not any(
        e.get("extensions", {}).get("code") == "INTERNAL_ERROR" for e in body.get("errors", [])
    ), body
    if "errors" in body:  # a scalar (Money) refused the value
        return False
    return body["data"]["createMember"]["member"] is not None


@pytest.mark.parametrize(("column", "value", "accepted"), CASES)
async def test_the_api_and_the_import_accept_and_refuse_the_same_values(
    api, load, column, value, accepted
):
    through_api = _fresh() | {column: value}
    through_import = _fresh() | {column: value}
    api_ok = await _api_accepts(api, through_api)
    result = await load("members", HEADER, [[through_import.get(c, "") for c in HEADER]])
    # An ID number the API accepted is already registered: the import then finds it unchanged.
    import_ok = result.rejected == 0 and result.created + result.unchanged == 1
    assert (api_ok, import_ok) == (accepted, accepted), result.errors


async def test_an_implausible_birth_date_is_named_with_the_floor(api, load, monkeypatch):
    monkeypatch.setenv("UNIONAID_BIRTH_DATE_FLOOR", "1930-01-01")
    number = id_number(dt.date(1929, 12, 31))
    body = await api(CREATE, {"i": {"name": "老人", "idNumber": number, "districtCode": "320206"}})
    errors = body["data"]["createMember"]["userErrors"]
    assert [(e["field"], e["code"]) for e in errors] == [("idNumber", "IMPLAUSIBLE_BIRTH_DATE")]
    assert errors[0]["message"] == "出生日期 1929-12-31 不合理：应在 1930-01-01 至 2027-03-01 之间"
    result = await load("members", HEADER, [["老人", number, "320206", "", ""]])
    assert [(e.column, e.code.value) for e in result.errors] == [
        ("id_number", "IMPLAUSIBLE_BIRTH_DATE")
    ]
    assert "1929-12-31" in result.errors[0].text("en")
    assert await Member.all().count() == 0


async def test_income_bounds_are_settings_and_the_import_warns_above_the_soft_one(
    api, load, monkeypatch
):
    monkeypatch.setenv("UNIONAID_INCOME_HARD_MAX", "9000.00")
    monkeypatch.setenv("UNIONAID_INCOME_SOFT_MAX", "8000.00")
    rows = [
        ["甲", id_number(), "320206", "", "8000.00"],
        ["乙", id_number(), "320206", "", "8000.01"],
        ["丙", id_number(), "320206", "", "9000.01"],
    ]
    result = await load("members", HEADER, rows)
    assert (result.created, result.rejected) == (2, 1)
    assert [(e.row, e.column, e.code.value) for e in result.errors] == [
        (4, "monthly_income", "INCOME_TOO_HIGH")
    ]
    assert result.warnings == ["row 3: monthly_income 8000.01 is above 8000.00; check it"]
    body = await api(
        CREATE,
        {
            "i": {
                "name": "丁",
                "idNumber": id_number(),
                "districtCode": "320206",
                "monthlyIncome": "9000.01",
            }
        },
    )
    assert [e["code"] for e in body["data"]["createMember"]["userErrors"]] == ["INCOME_TOO_HIGH"]


async def test_a_dependants_birth_date_must_be_plausible(api, load):
    number = id_number()
    created = await api(
        CREATE, {"i": {"name": "家长", "idNumber": number, "districtCode": "320206"}}
    )
    member = created["data"]["createMember"]["member"]["id"]
    add = """mutation($i: AddDependentInput!) { addDependent(input: $i) {
        household { id } userErrors { field code } } }"""
    for born, codes in (
        ("2027-03-02", [{"field": "birthDate", "code": "IMPLAUSIBLE_BIRTH_DATE"}]),
        ("1899-12-31", [{"field": "birthDate", "code": "IMPLAUSIBLE_BIRTH_DATE"}]),
        ("2027-03-01", []),
    ):
        value = {"memberId": member, "name": f"孩子{born}", "relation": "CHILD", "birthDate": born}
        body = await api(add, {"i": value})
        assert body["data"]["addDependent"]["userErrors"] == codes, born
    header = ["member_id_number", "name", "birth_date"]
    rows = [
        [number, "小甲", "2027-03-02"],
        [number, "小乙", "1899-12-31"],
        [number, "小丙", "2020-01-01"],
    ]
    result = await load("students", header, rows)
    assert [(e.row, e.column, e.code.value) for e in result.errors] == [
        (2, "birth_date", "IMPLAUSIBLE_BIRTH_DATE"),
        (3, "birth_date", "IMPLAUSIBLE_BIRTH_DATE"),
    ]
    assert await Dependent.all().count() == 2  # 2027-03-01 and 2020-01-01


ENTERPRISE = """mutation($i: CreateEnterpriseInput!) {
  createEnterprise(input: $i) { enterprise { id } userErrors { field code } } }"""
ENTERPRISE_HEADER = ["name", "uscc", "district_code"]
ENTERPRISE_CASES = [
    ("name", "无锡某纺织有限公司", True),
    ("name", "字" * 200, True),
    ("name", "字" * 201, False),
    ("name", "=1+1", False),
    ("name", "无锡\u202e公司", False),
    ("name", "无锡\x00公司", False),
    ("uscc", uscc(kind="91"), True),  # 工商: a company
    ("uscc", uscc(kind="81"), True),  # 工会: a grass-roots trade union
    ("uscc", uscc(kind="Y1"), True),
    ("uscc", uscc(kind="95"), False),  # 工商 registers no kind 5
    ("uscc", uscc(kind="Y2"), False),
    ("uscc", uscc(kind="B1"), False),  # no authority B
    ("uscc", uscc(kind="91").lower(), False),  # written as the document says, never repaired
]


@pytest.mark.parametrize(("column", "value", "accepted"), ENTERPRISE_CASES)
async def test_enterprises_are_accepted_and_refused_alike(api, load, column, value, accepted):
    row = {"name": "无锡某厂", "uscc": uscc(), "district_code": "320206"} | {column: value}
    body = await api(
        ENTERPRISE, {"i": {"name": row["name"], "uscc": row["uscc"], "districtCode": "320206"}}
    )
    assert "errors" not in body, body
    api_ok = body["data"]["createEnterprise"]["enterprise"] is not None
    if column == "name":
        row["uscc"] = uscc()  # a second enterprise of that name
    result = await load("enterprises", ENTERPRISE_HEADER, [[row[c] for c in ENTERPRISE_HEADER]])
    import_ok = result.rejected == 0 and result.created + result.unchanged == 1
    assert (api_ok, import_ok) == (accepted, accepted), result.errors


async def test_a_hardship_files_income_has_the_same_hard_bound(api):
    created = await api(
        CREATE, {"i": {"name": "困难户", "idNumber": id_number(), "districtCode": "320206"}}
    )
    member = created["data"]["createMember"]["member"]["id"]
    await api(
        'mutation { enableProgram(input: {programId: "hardship", districtCode: "320206"}) { userErrors { code } } }'
    )
    register = """mutation($i: HardshipFileInput!) { registerHardshipFile(input: $i) {
        file { level } userErrors { field code } } }"""
    for income, errors in (
        ("200000.01", [{"field": "assessedIncome", "code": "INCOME_TOO_HIGH"}]),
        ("1800.00", []),
    ):
        value = {
            "memberId": member,
            "level": "DIFFICULT",
            "reasons": ["LOW_INCOME"],
            "assessedIncome": income,
        }
        body = await api(register, {"i": value})
        assert body["data"]["registerHardshipFile"]["userErrors"] == errors, body
