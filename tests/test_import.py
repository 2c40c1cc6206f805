"""Bulk import: the reference format end to end, idempotence, row-level reports, bad files."""

import io

import pytest

from tests.factories import ACTOR, id_number
from tests.registers import (
    DISTRICTS,
    MEMBER_HEADER,
    STUDENT_HEADER,
    enterprises,
    member_row,
    to_csv,
)
from tests.test_languages import problems
from unionaid.core.crypto import Vault
from unionaid.core.imports.reader import FileProblem
from unionaid.core.imports.run import import_file
from unionaid.core.models import AuditEntry, Dependent, District, Enterprise, Household, Member
from unionaid.core.services import accounts
from unionaid.plugins.hardship.models import HardshipProfile


@pytest.fixture
def vault(settings) -> Vault:
    return Vault(settings.data_key)


@pytest.fixture
def run(vault, host, orm):
    """``await run(kind, content, actor=..., **options)`` -> ImportResult."""

    async def call(kind, content, actor=ACTOR, filename="f.csv", **options):
        return await import_file(kind, content, filename, actor, vault, host, **options)

    return call


async def user(role: str, districts=()) -> accounts.Principal:
    name = f"{role}-importer-{len(districts)}-{'-'.join(districts)}"
    await accounts.create_user(ACTOR, accounts.NewUser(name, role, list(districts)))
    return await accounts.principal_for_user(name, "req-import-1")


def counts(result) -> tuple[int, int, int, int]:
    return result.created, result.updated, result.unchanged, result.rejected


async def test_reference_format_imports_and_reimports_as_no_change(run):
    firms, codes = enterprises(2)
    members = [member_row(i, firm=codes[i % 2]) for i in range(1, 6)]
    members[0][MEMBER_HEADER.index("hardship_level")] = "extreme"
    members[1][MEMBER_HEADER.index("model_worker_level")] = "city"
    parent = members[2][MEMBER_HEADER.index("id_number")]
    students = to_csv(
        STUDENT_HEADER,
        [
            [1, 3, "小明", "M", "2012-08-30", "junior_high", parent],
            [2, 3, "小红", "F", "2015-02-01", "primary", parent],
        ],
    )
    files = {
        "districts": DISTRICTS.encode(),
        "enterprises": firms,
        "members": to_csv(MEMBER_HEADER, members),
        "students": students,
    }
    first = {kind: await run(kind, content) for kind, content in files.items()}
    assert counts(first["districts"]) == (0, 2, 0, 0)  # the kind column is new to them
    assert counts(first["enterprises"]) == (2, 0, 0, 0)
    assert counts(first["members"]) == (5, 0, 0, 0)
    assert counts(first["students"]) == (2, 0, 0, 0)
    assert first["members"].programs == {"hardship": 2}
    assert first["members"].warnings == []  # every reference column is understood
    assert await Member.all().count() == 5 and await Household.all().count() == 5
    assert await Enterprise.all().count() == 2 and await Dependent.all().count() == 2
    assert (await District.get(code="320206")).kind == "district"
    profiles = await HardshipProfile.all().values_list("level", "model_worker_level")
    assert sorted((a.value, b.value) for a, b in profiles) == [
        ("extreme", "none"),
        ("none", "city"),
    ]
    household = await Household.get(id=(await Member.first()).household_id)
    assert household.declared_size == 3

    again = {kind: await run(kind, content) for kind, content in files.items()}
    for kind, result in again.items():
        assert (result.created, result.updated, result.rejected) == (0, 0, 0), kind
    assert again["members"].unchanged == 5 and again["members"].programs == {"hardship": 0}


async def test_a_changed_row_updates_the_record_and_is_audited(run):
    row = member_row(7)
    await run("members", to_csv(MEMBER_HEADER, [row]))
    row[MEMBER_HEADER.index("phone")] = "13700000007"
    row[MEMBER_HEADER.index("monthly_income")] = "5100"
    row[MEMBER_HEADER.index("household_size")] = 4
    result = await run("members", to_csv(MEMBER_HEADER, [row]))
    assert counts(result) == (0, 1, 0, 0)
    member = await Member.first()
    assert (member.phone, str(member.monthly_income), member.version) == (
        "13700000007",
        "5100.00",
        2,
    )
    update = await AuditEntry.get(operation="updateMember")
    assert update.changes["phone"] == ["139****0007", "137****0007"]
    assert update.changes["monthly_income"] == ["4500.00", "5100.00"]
    assert await AuditEntry.filter(operation="declareHouseholdSize").count() == 1
    assert await AuditEntry.filter(operation="importMembers").count() == 2


async def test_seeded_bad_rows_are_reported_and_exactly_the_good_ones_imported(run):
    firms, codes = enterprises(1)
    await run("enterprises", firms)
    good = [member_row(i, firm=codes[0]) for i in range(20, 25)]
    duplicate = list(good[0])
    bad_id = member_row(30)
    bad_id[MEMBER_HEADER.index("id_number")] = "320206197001010011"
    rows = [
        *good,
        bad_id,
        member_row(31, phone="12345"),
        member_row(32, district_code="999999"),
        member_row(33, enterprise_uscc="91320206MA0000000X"),
        member_row(34, monthly_income="abc"),
        member_row(35, employment_status="boss"),
        member_row(36, name='=HYPERLINK("http://x")'),
        member_row(37, name="长" * 10_000),
        member_row(38, gender="F" if 38 % 2 == 0 else "M"),
        duplicate,
    ]
    result = await run("members", to_csv(MEMBER_HEADER, rows))
    reported = [(e.row, e.column, e.code.value) for e in result.errors]
    assert reported == [
        (7, "id_number", "INVALID_ID_NUMBER"),
        (8, "phone", "INVALID_PHONE"),
        (9, "district_code", "NOT_FOUND"),
        (10, "enterprise_uscc", "INVALID_USCC"),
        (11, "monthly_income", "INVALID_AMOUNT"),
        (12, "employment_status", "INVALID_INPUT"),
        (13, "name", "FORMULA_NOT_ALLOWED"),
        (14, "name", "CELL_TOO_LONG"),
        (15, "gender", "INVALID_INPUT"),
        (16, "id_number", "DUPLICATE"),
    ]
    assert all(e.text("en") and e.text("zh") for e in result.errors)
    # One language per message (issue 15.13): 应为以下之一, not "expected one of" in Chinese.
    said = {e.row: (e.text("zh"), e.text("en")) for e in result.errors}
    assert said[12] == (
        "输入无效：应为以下之一：'employed'、'laid_off'、'unemployed'、'retired'",
        "Invalid input: expected one of 'employed', 'laid_off', 'unemployed', 'retired'",
    )
    assert said[16] == ("记录已存在：与第 2 行重复", "Already exists: row 2")
    for zh, en in said.values():
        assert problems(zh, en) == [], (zh, en)
    assert counts(result) == (5, 0, 0, 10)
    assert await Member.all().count() == 5


async def test_strict_imports_nothing_when_any_row_is_bad(run):
    rows = [member_row(40), member_row(41, phone="1")]
    result = await run("members", to_csv(MEMBER_HEADER, rows), strict=True)
    assert not result.written and result.created == 0 and result.rejected == 1
    assert await Member.all().count() == 0


async def test_gbk_from_excel_is_detected_and_a_wrong_encoding_refused(run):
    content = to_csv(MEMBER_HEADER, [member_row(50)]).decode().encode("gbk")
    result = await run("members", content)
    assert result.encoding == "gb18030" and result.created == 1
    assert (await Member.first()).name == "会员50"
    with pytest.raises(FileProblem) as refused:
        await run("members", content, encoding="utf-8")
    assert refused.value.code.value == "UNREADABLE_FILE"


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", "EMPTY_FILE"),
        (b"\xef\xbb\xbf", "EMPTY_FILE"),
        (",".join(MEMBER_HEADER).encode() + b"\n", "EMPTY_FILE"),
        (b"name,phone\n\xe5\xbc\xa0,13900000000\n", "MISSING_COLUMNS"),
        (b"PK\x03\x04not really a workbook", "UNREADABLE_FILE"),
    ],
)
async def test_files_that_cannot_be_imported_write_nothing(run, content, code):
    with pytest.raises(FileProblem) as refused:
        await run("members", content)
    assert refused.value.code.value == code
    assert await Member.all().count() == 0


async def test_unknown_columns_are_warnings_and_extra_cells_errors(run):
    header = ["name", "id_number", "district_code", "nickname"]
    content = to_csv(
        header, [["甲", id_number(), "320206", "阿甲"], ["乙", id_number(), "320206", "x", "extra"]]
    )
    result = await run("members", content)
    assert result.warnings == ["column 'nickname' not understood; ignored"]
    assert [(e.row, e.code.value) for e in result.errors] == [(3, "INVALID_INPUT")]
    assert result.created == 1


async def test_xlsx_with_a_formula_is_refused_row_by_row_never_evaluated(run):
    import datetime as dt

    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["name", "id_number", "district_code", "birth_date", "monthly_income"])
    number = id_number(dt.date(1980, 2, 3))
    sheet.append(["张三", number, "320206", dt.date(1980, 2, 3), 3200.5])
    sheet.append(["=1+1", id_number(), "320206", None, None])
    buffer = io.BytesIO()
    book.save(buffer)
    result = await run("members", buffer.getvalue(), filename="members.xlsx")
    assert [(e.row, e.column, e.code.value) for e in result.errors] == [
        (3, "name", "FORMULA_NOT_ALLOWED")
    ]
    member = await Member.get()
    assert (member.name, str(member.monthly_income)) == ("张三", "3200.50")


async def test_rows_of_districts_the_importer_does_not_hold_are_refused(run):
    admin = await user("district_admin", ("320206",))
    rows = [member_row(60), member_row(61, district_code="320211")]
    result = await run("members", to_csv(MEMBER_HEADER, rows), actor=admin)
    assert [(e.row, e.column, e.code.value) for e in result.errors] == [
        (3, "district_code", "NOT_FOUND")
    ]
    assert await Member.filter(district_id="320211").count() == 0
    # Importing districts is the city's business.
    refused = await run("districts", DISTRICTS.encode(), actor=admin)
    assert refused.rejected == 2 and {e.code.value for e in refused.errors} == {"FORBIDDEN"}


async def test_students_match_parent_name_and_birth_date(run):
    parent = member_row(70)
    await run("members", to_csv(MEMBER_HEADER, [parent]))
    number = parent[MEMBER_HEADER.index("id_number")]
    rows = [
        [1, 70, "小刚", "M", "2010-05-06", "senior_high", number],
        [2, 70, "小刚", "M", "2010-05-06", "senior_high", number],
        [3, 99, "孤儿", "M", "2011-01-01", "primary", id_number()],
        [4, 70, "小丽", "F", "2018-13-01", "primary", number],
    ]
    result = await run("students", to_csv(STUDENT_HEADER, rows))
    assert [(e.row, e.column, e.code.value) for e in result.errors] == [
        (3, "name", "DUPLICATE"),
        (4, "member_id_number", "NOT_FOUND"),
        (5, "birth_date", "INVALID_INPUT"),
    ]
    changed = [[1, 70, "小刚", "M", "2010-05-06", "undergraduate", number]]
    again = await run("students", to_csv(STUDENT_HEADER, changed))
    assert counts(again) == (0, 1, 0, 0)
    child = await Dependent.get()
    assert child.school_level.value == "undergraduate"


async def planner_statistics(table: str) -> bool:
    """Whether the query planner holds statistics of ``table``."""
    from tortoise import connections

    conn = connections.get("default")
    if conn.capabilities.dialect == "postgres":
        rows = await conn.execute_query_dict(
            "SELECT 1 FROM pg_stats WHERE tablename = $1 LIMIT 1", [table]
        )
        return bool(rows)
    exists = await conn.execute_query_dict(
        "SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'"
    )
    if not exists:
        return False
    return bool(await conn.execute_query_dict("SELECT 1 FROM sqlite_stat1 WHERE tbl = ?", [table]))


async def test_an_import_refreshes_the_planners_statistics(run):
    # Without them SQLite walks the district index for a campaign over every district, several
    # times slower than scanning the register (benchmarks/campaign_evaluate.py).
    firms, codes = enterprises(1)
    await run("enterprises", firms)
    assert not await planner_statistics("member")
    members = [member_row(i, firm=codes[0]) for i in range(1, 4)]
    await run("members", to_csv(MEMBER_HEADER, members))
    assert await planner_statistics("member") and await planner_statistics("household")


async def test_an_import_never_touches_a_member_the_importer_cannot_see(run):
    """Issue 15 item 15: a row naming an existing member of another district (or, for an
    enterprise contact, of another enterprise) is NOT_FOUND, and the member is left as it was."""
    firms, (ours, theirs) = enterprises(2)
    await run("enterprises", firms)
    binhu = member_row(80, district_code="320211", name="滨湖会员")
    other_firm = member_row(81, firm=theirs, name="别家职工")
    await run("members", to_csv(MEMBER_HEADER, [binhu, other_firm]))
    before = await Member.all().order_by("id").values()

    admin = await user("district_admin", ("320206",))
    moved = list(binhu)
    moved[MEMBER_HEADER.index("district_code")] = "320206"  # a district the admin holds
    moved[MEMBER_HEADER.index("name")] = "改名"
    result = await run("members", to_csv(MEMBER_HEADER, [moved]), actor=admin)
    assert [(e.row, e.column, e.code.value) for e in result.errors] == [
        (2, "id_number", "NOT_FOUND")
    ]

    await accounts.create_user(
        ACTOR, accounts.NewUser("contact-80", "enterprise", [], enterprise_uscc=ours)
    )
    contact = await accounts.principal_for_user("contact-80", "req-import-2")
    poached = list(other_firm)
    poached[MEMBER_HEADER.index("enterprise_uscc")] = ours
    poached[MEMBER_HEADER.index("name")] = "改名"
    result = await run("members", to_csv(MEMBER_HEADER, [poached]), actor=contact)
    assert [(e.row, e.column, e.code.value) for e in result.errors] == [
        (2, "id_number", "NOT_FOUND")
    ]
    assert await Member.all().order_by("id").values() == before
    assert not await AuditEntry.filter(operation="updateMember").exists()


async def test_district_rows_go_through_the_same_text_checks(run):
    content = (
        "code,name,kind\n"
        "３２０２９９,全角区,district\n"  # full-width digits are not a code
        "320298,滨湖\u202e区,district\n"
        f"320297,{'区' * 51},district\n"
        "320296,新区,district\n"
    ).encode()
    result = await run("districts", content)
    assert [(e.row, e.column, e.code.value) for e in result.errors] == [
        (2, "code", "INVALID_INPUT"),
        (3, "name", "INVALID_TEXT"),
        (4, "name", "TEXT_TOO_LONG"),
    ]
    assert await District.filter(code__in=["320298", "320297", "320296"]).count() == 1
