"""Logs never hold variables or inputs (PIPL): every bad input the suite knows is sent, with every
logger at DEBUG, and the captured records — as the JSON lines production writes and as raw
messages — hold none of the ID numbers, phone numbers or names sent."""

from __future__ import annotations

import datetime as dt
import json
import logging

import pytest

from tests.factories import id_number, uscc
from tests.registers import MEMBER_HEADER, member_row, to_csv
from unionaid.core.observability import JsonFormatter

# Personal data no log may hold. Names are long enough never to occur by chance.
GOOD_ID = id_number(dt.date(1981, 7, 23))
BAD_CHECKSUM = GOOD_ID[:-1] + ("0" if GOOD_ID[-1] != "0" else "1")
FUTURE_BIRTH = id_number(dt.date(2099, 1, 1))
SHORT_ID = GOOD_ID[:15]
BAD_DATE_ID = id_number(dt.date(1981, 2, 28))[:10] + "0230" + "0011"
IDS = [GOOD_ID, BAD_CHECKSUM, FUTURE_BIRTH, SHORT_ID, BAD_DATE_ID]
PHONES = ["13912345678", "1391234567", "139123456789", "+8613912345678"]
NAMES = ["欧阳测试娜", "司马测试懿", "Zhangtestwei", "诸葛测试亮" * 60, "上官测试\x00婉"]

CREATE = """mutation CreateMember($i: CreateMemberInput!) {
  createMember(input: $i) { member { id } userErrors { field code } } }"""


def member_inputs() -> list[dict]:
    """Inputs createMember refuses: each ID number, phone and name in a bad combination."""
    base = {"districtCode": "320206", "name": NAMES[0], "idNumber": GOOD_ID}
    inputs = [dict(base, idNumber=bad) for bad in IDS[1:]]
    inputs += [dict(base, phone=phone) for phone in PHONES[1:]]
    inputs += [dict(base, name=name, idNumber=IDS[1]) for name in NAMES]
    inputs += [dict(base, name=NAMES[3])]  # too long a name, with a valid ID number
    inputs += [dict(base, name=NAMES[4], phone=PHONES[0])]  # a NUL in the name
    inputs += [dict(base, districtCode="999999", phone=PHONES[0])]  # a district that is not
    inputs += [dict(base, monthlyIncome="lots", phone=PHONES[0], name=NAMES[1])]
    return inputs


def wrong_types() -> list[dict]:
    """Variables graphql-core refuses while coercing them (its messages quote the input)."""
    base = {"districtCode": "320206", "name": NAMES[1], "idNumber": GOOD_ID, "phone": PHONES[0]}
    return [
        dict(base, idNumber=int(GOOD_ID[:17])),
        dict(base, phone=int(PHONES[0])),
        dict(base, name=[NAMES[2]]),
        dict(base, unknownField=NAMES[2]),
        dict(base, employmentStatus=NAMES[2]),
        {k: v for k, v in base.items() if k != "districtCode"},
    ]


def literal_documents() -> list[str]:
    """Documents that fail validation or parsing with personal data written in them."""
    n, i, p = NAMES[2], GOOD_ID, PHONES[0]
    return [
        f'mutation {{ createMember(input: {{districtCode: "320206", name: "{n}", idNumber: {i[:17]}, phone: "{p}"}}) {{ userErrors {{ code }} }} }}',
        f'mutation {{ createMember(input: {{districtCode: "320206", name: "{n}", idNumber: "{i}", phone: {p}}}) {{ userErrors {{ code }} }} }}',
        f'mutation {{ createMember(input: {{districtCode: "320206", name: "{n}", idNumber: "{i}", nickname: "{p}"}}) {{ userErrors {{ code }} }} }}',
        f'mutation {{ createMember(input: {{name: "{n}", idNumber: "{i}"}}) {{ userErrors {{ code }} }} }}',
        f'mutation {{ createMember(input: {{districtCode: "320206", name: "{n}", idNumber: "{i}", phone: "{p}',
        f'{{ members(search: "{i}") {{ totalCount }} unknown(name: "{n}", phone: "{p}") }}',
        f'{{ members(search: "{n}", first: "{p}") {{ totalCount }} }}',
        f'query($v: String = "{i}") {{ members(search: "{n}") {{ totalCount }} }}',
    ]


@pytest.fixture
def captured(caplog):
    """Every logger at DEBUG: the root and those that set a level of their own."""
    caplog.set_level(logging.DEBUG)
    for name in (
        "strawberry.execution",
        "graphql",
        "tortoise",
        "tortoise.db_client",
        "uvicorn",
        "uvicorn.error",
        "uvicorn.access",
        "unionaid",
        "asyncio",
        "aiosqlite",
    ):
        caplog.set_level(logging.DEBUG, logger=name)
    return caplog


# The test's own HTTP client logs the addresses it asks for; the service never uses httpx.
CLIENT_SIDE = ("httpx", "httpcore")


def written(records: list[logging.LogRecord]) -> str:
    """What the records say: their messages and the JSON lines production would write."""
    formatter = JsonFormatter()
    parts = []
    for record in records:
        if record.name.startswith(CLIENT_SIDE):
            continue
        parts.append(record.getMessage())
        parts.append(formatter.format(record))
        parts.append(json.dumps(record.__dict__.get("codes", "")))
    return "\n".join(parts)


def leaks(text: str) -> list[str]:
    sent = IDS + PHONES + NAMES + [NAMES[4].replace("\x00", "\\u0000"), NAMES[3][:20]]
    sent += [GOOD_ID[:17], PHONES[0][3:]]
    return [value for value in sent if value in text]


async def test_no_personal_data_reaches_the_logs(captured, gql, client, login_as, app):
    for value in member_inputs():
        await gql(CREATE, {"i": value})
    for value in wrong_types():
        await gql(CREATE, {"i": value})
    for document in literal_documents():
        await gql(document)
    # A GET query carries its variables in the address.
    get = await client.get(
        "/graphql",
        params={
            "query": "query($s: String) { members(search: $s) { totalCount } }",
            "variables": json.dumps({"s": GOOD_ID, "p": PHONES[0]}),
        },
        headers={"Authorization": f"Bearer {gql.token}", "Accept": "application/json"},
    )
    assert get.status_code in (200, 400)
    # Enterprises, dependants and sign-in.
    await gql(
        "mutation($i: CreateEnterpriseInput!) { createEnterprise(input: $i) { userErrors { code } } }",
        {
            "i": {
                "districtCode": "320206",
                "name": NAMES[1],
                "uscc": uscc()[:-1] + "I",
                "contactName": NAMES[2],
                "contactPhone": PHONES[1],
            }
        },
    )
    await gql(
        "mutation($i: AddDependentInput!) { addDependent(input: $i) { userErrors { code } } }",
        {
            "i": {
                "memberId": "TWVtYmVyOjE=",
                "name": NAMES[0],
                "relation": "CHILD",
                "birthDate": "2099-13-01",
            }
        },
    )
    await gql(
        "mutation($i: LoginInput!) { login(input: $i) { token userErrors { code } } }",
        {"i": {"username": NAMES[0], "password": PHONES[0]}},
    )
    # A caseworker outside the district, and an import of bad rows.
    caseworker = await login_as("caseworker", ("320211",))
    await caseworker(
        CREATE,
        {
            "i": {
                "districtCode": "320206",
                "name": NAMES[1],
                "idNumber": GOOD_ID,
                "phone": PHONES[0],
            }
        },
    )
    rows = [
        member_row(1, name=NAMES[0], id_number=BAD_CHECKSUM, phone=PHONES[1]),
        member_row(2, name=NAMES[1], id_number=FUTURE_BIRTH, phone=PHONES[2]),
        member_row(3, name=NAMES[2], id_number=SHORT_ID, phone=PHONES[3]),
    ]
    upload = await client.post(
        "/imports?filename=members.csv",
        content=to_csv(MEMBER_HEADER, rows),
        headers={"Authorization": f"Bearer {gql.token}"},
    )
    started = await gql(
        "mutation($i: StartImportInput!) { startImport(input: $i) { job { id } userErrors { code } } }",
        {"i": {"uploadId": upload.json()["uploadId"], "kind": "MEMBERS"}},
    )
    assert started["data"]["startImport"]["job"], started
    await app.state.jobs.idle()
    # Something was logged (the test looks at real records), and nothing personal.
    names = {r.name for r in captured.records}
    assert "unionaid.requests" in names, names
    found = {(r.name, value) for r in captured.records for value in leaks(written([r]))}
    assert found == set(), sorted(found)[:10]


def test_stacks_name_types_and_frames_never_messages():
    def register(name: str) -> None:
        raise ValueError(f"Length of {name!r} is more than 50")

    try:
        try:
            register(NAMES[0])
        except ValueError as exc:
            raise RuntimeError(f"while saving {GOOD_ID}") from exc
    except RuntimeError:
        import sys

        record = logging.LogRecord("t", logging.ERROR, __file__, 1, "boom", (), sys.exc_info())
    line = json.loads(JsonFormatter().format(record))
    assert "builtins.ValueError" in line["stack"] and "builtins.RuntimeError" in line["stack"]
    assert "in register" in line["stack"]
    assert leaks(line["stack"]) == []
