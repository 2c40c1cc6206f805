"""Export: scoped to the caller, masked unless the caller may and states a purpose (logged),
formulas never re-exported live (CSV injection)."""

import csv
import io

from openpyxl import load_workbook

from tests.factories import id_number, token_for
from tests.registers import MEMBER_HEADER, to_csv
from tests.test_cli_access import cli
from unionaid.core.models import AuditEntry, Member

CREATE = """mutation($i: CreateMemberInput!) { createMember(input: $i) { userErrors { code } } }"""


FORMULA = '=HYPERLINK("http://evil")'


async def seed(gql):
    numbers = {}
    for name, code in ((FORMULA, "320206"), ("李四", "320206"), ("王五", "320211")):
        number = id_number()
        numbers[name] = number
        safe = "待改" if name == FORMULA else name  # the API refuses a formula as a name…
        await gql.ok(
            CREATE,
            {"i": {"name": safe, "idNumber": number, "districtCode": code, "phone": "13912345678"}},
        )
    # …but a register written before names were checked may hold one: exports stay safe.
    await Member.filter(name="待改").update(name=FORMULA)
    return numbers


async def get(client, token, path):
    return await client.get(path, headers={"Authorization": f"Bearer {token}"})


def rows_of(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


async def test_members_csv_is_scoped_masked_and_escaped(gql, client):
    numbers = await seed(gql)
    approver = await token_for("approver", ("320206",))
    response = await get(client, approver, "/exports/members.csv")
    assert response.status_code == 200
    assert response.headers["content-disposition"] == 'attachment; filename="members.csv"'
    rows = rows_of(response)
    assert [r["district_code"] for r in rows] == ["320206", "320206"]
    assert rows[0]["name"] == '\'=HYPERLINK("http://evil")'  # text, never a live formula
    assert all(r["id_number"].count("*") == 11 and r["phone"] == "139****5678" for r in rows)
    assert set(rows[0]) < set(MEMBER_HEADER)  # the reference format, so it imports back
    assert numbers["李四"] not in response.text


async def test_full_id_numbers_need_the_right_and_a_purpose_and_are_logged(gql, client):
    numbers = await seed(gql)
    caseworker = await token_for("caseworker", ("320206",))
    full = await get(client, caseworker, "/exports/members.csv?fullIdNumbers=1&purpose=年度核查")
    assert {r["id_number"] for r in rows_of(full)} == {
        numbers["李四"],
        numbers['=HYPERLINK("http://evil")'],
    }
    logged = await AuditEntry.filter(operation="revealIdNumber", outcome="ok").values_list(
        "purpose", flat=True
    )
    assert logged == ["年度核查", "年度核查"]
    no_purpose = await get(client, caseworker, "/exports/members.csv?fullIdNumbers=1")
    approver = await token_for("approver", ("320206",))
    not_allowed = await get(client, approver, "/exports/members.csv?fullIdNumbers=1&purpose=x")
    for refused in (no_purpose, not_allowed):
        assert (refused.status_code, refused.json()["code"]) == (403, "FORBIDDEN")
    assert await AuditEntry.filter(operation="revealIdNumber", outcome="refused").count() == 2
    anonymous = await client.get("/exports/members.csv")
    assert anonymous.status_code == 401


async def test_xlsx_keeps_formula_text_as_text(gql, client):
    await seed(gql)
    admin = await token_for("city_admin")
    response = await get(client, admin, "/exports/members.xlsx")
    sheet = load_workbook(io.BytesIO(response.content)).active
    names = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert names[0].value == '=HYPERLINK("http://evil")' and names[0].data_type == "s"
    enterprises = await get(client, admin, "/exports/enterprises.csv")
    assert enterprises.status_code == 200 and rows_of(enterprises) == []


def test_cli_import_reports_rows_and_writes_the_error_file(settings, tmp_path):
    data = tmp_path / "members.csv"
    good = [
        "1",
        "甲",
        id_number(),
        "",
        "",
        "",
        "",
        "",
        "t",
        "employed",
        "100",
        "2",
        "none",
        "none",
        "320206",
        "",
    ]
    bad = list(good)
    bad[2] = "320206197001010011"
    data.write_bytes(to_csv(MEMBER_HEADER, [good, bad]))
    made = cli(settings, tmp_path, "user", "create", "imp", "--role", "city_admin")
    assert made.returncode == 0, made.stderr
    unattributed = cli(settings, tmp_path, "import", "members", str(data))
    assert unattributed.returncode == 2 and "--as USERNAME is required" in unattributed.stderr
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    refused = cli(settings, tmp_path, "import", "members", str(empty), "--as", "imp")
    assert refused.returncode == 1 and "EMPTY_FILE" in refused.stderr
    errors = tmp_path / "errors.csv"
    result = cli(
        settings, tmp_path, "import", "members", str(data), "--as", "imp", "--errors", str(errors)
    )
    assert result.returncode == 1
    assert "1 created, 0 updated, 0 unchanged, 1 rejected" in result.stdout
    report = list(csv.DictReader(io.StringIO(errors.read_text(encoding="utf-8-sig"))))
    assert report == [
        {
            "row": "3",
            "column": "id_number",
            "code": "INVALID_ID_NUMBER",
            "message": report[0]["message"],
        }
    ]
    again = cli(settings, tmp_path, "import", "members", str(data), "--as", "imp")
    assert "0 created, 0 updated, 1 unchanged, 1 rejected" in again.stdout
    out = tmp_path / "out.csv"
    exported = cli(settings, tmp_path, "export", "members", "--out", str(out), "--as", "imp")
    assert exported.returncode == 0 and out.read_text(encoding="utf-8-sig").count("\n") == 2
    full = tmp_path / "full.xlsx"
    backup = ("--full-id-numbers", "--purpose", "备份")
    assert (
        cli(
            settings, tmp_path, "export", "members", "--out", str(full), "--as", "imp", *backup
        ).returncode
        == 0
    )
    round_trip = cli(settings, tmp_path, "import", "members", str(full), "--as", "imp")
    assert "0 created, 0 updated, 1 unchanged, 0 rejected" in round_trip.stdout, round_trip.stderr
