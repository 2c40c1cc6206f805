"""A program's jobs, imports and exports (issue 16 item 5): the sample plugin's kinds, run by
the core's queue, import engine and export writer, only where the program is on."""

import csv
import io
from pathlib import Path

import httpx
import pytest
from openpyxl import load_workbook

from tests.conftest import GQL
from tests.factories import ACTOR, fixed_clock, token_for
from tests.registers import MEMBER_HEADER, member_row, to_csv
from unionaid.core import ExportKind, ImportKind, ProgramInfo, hookimpl, jobs
from unionaid.core.app import create_app
from unionaid.core.crypto import Vault
from unionaid.core.host import PluginError, PluginHost
from unionaid.core.imports.run import import_file
from unionaid.core.models import AuditEntry, JobStatus
from unionaid.core.services import accounts, programs

ON, OFF = "320206", "320211"
JOB = "query($id: ID!) { job(id: $id) { kind status progress total result error } }"
COUNT = """mutation($d: String!) { sampleCount(input: {districtCode: $d}) {
  job { id kind status } userErrors { field code } } }"""
START = """mutation($u: ID!, $k: ImportKind!) { startImport(input: {uploadId: $u, kind: $k}) {
  job { id } userErrors { field code } } }"""


@pytest.fixture
async def world(settings, orm, sample_installed):
    """The sample installed and on in ON (off in OFF), two members in each, and an app."""
    host = PluginHost.load(only={"sample", "hardship"})
    await programs.set_enabled(host, "sample", ON, True, ACTOR)
    vault = Vault(settings.data_key)
    rows = [member_row(1, ON), member_row(2, ON), member_row(3, OFF), member_row(4, OFF)]
    await import_file("members", to_csv(MEMBER_HEADER, rows), "m.csv", ACTOR, vault, host)
    app = create_app(settings, host, manage_db=False, rate_limit=0, clock=fixed_clock)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        yield {"host": host, "vault": vault, "app": app, "client": c, "ids": [r[2] for r in rows]}


async def user(role: str, districts: tuple[str, ...]):
    """A real user (jobs act as the user who queued them) as a principal."""
    name = f"{role}-{'-'.join(districts)}"
    await accounts.create_user(ACTOR, accounts.NewUser(name, role, list(districts)))
    return await accounts.principal_for_user(name, "test")


def greetings_csv(cells: list[tuple[str, str]]) -> bytes:
    return to_csv(["id_number", "greeting"], [list(c) for c in cells])


async def test_hook_register_job_handlers_runs_a_job_where_the_program_is_on(world):
    admin = GQL(world["client"], await token_for("district_admin", (ON, OFF)))
    started = (await admin.ok(COUNT, {"d": ON}))["sampleCount"]
    assert started["userErrors"] == [] and started["job"]["kind"] == "sample-count"
    await world["app"].state.jobs.idle()  # the in-process runner, as `serve` runs it
    job = (await admin.ok(JOB, {"id": started["job"]["id"]}))["job"]
    assert job["status"] == "succeeded", job
    assert job["result"] == {"districts": [ON], "greetings": 0, "asked": ON}
    assert (job["progress"], job["total"]) == (0, 0)
    # Where the program is off, nothing is queued.
    refused = (await admin.ok(COUNT, {"d": OFF}))["sampleCount"]
    assert refused == {"job": None, "userErrors": [{"field": None, "code": "PROGRAM_NOT_ENABLED"}]}


async def test_hook_register_job_handlers_refuses_a_job_whose_district_was_switched_off(world):
    host, admin = world["host"], await user("city_admin", ())
    on = await jobs.enqueue("sample-count", {}, admin, fixed_clock(), ON)
    city_wide = await jobs.enqueue("sample-count", {}, admin, fixed_clock())
    await programs.set_enabled(host, "sample", ON, False, ACTOR)
    ctx = jobs.JobContext(host, world["vault"], fixed_clock)
    assert await jobs.drain(ctx) == 2  # as `unionaid worker --once` runs them
    for queued in (on, city_wide):
        done = await jobs.Job.get(id=queued.id)
        assert done.status == JobStatus.FAILED
        assert jobs.error_in(done.error, "en").startswith("PROGRAM_NOT_ENABLED")
    # Switched on again, the city-wide job covers exactly the districts where it is on.
    await programs.set_enabled(host, "sample", ON, True, ACTOR)
    again = await jobs.enqueue("sample-count", {}, admin, fixed_clock())
    await jobs.drain(ctx)
    assert (await jobs.Job.get(id=again.id)).result["districts"] == [ON]


class Named:
    def __init__(self, **hooks):
        for name, value in hooks.items():
            setattr(self, name, hookimpl(specname=name)(lambda value=value: value))

    @hookimpl
    def register_program(self):
        return ProgramInfo(
            id="named", name="名", name_en="Named", version="1", contract_versions="2"
        )


async def _noop(job):
    return None


@pytest.mark.parametrize(
    ("hooks", "problem"),
    [
        ({"register_job_handlers": {"sample-count": _noop}}, "must be named-<what>"),
        ({"register_job_handlers": {"named-x": lambda job: None}}, "async function"),
        ({"register_import_kinds": [ImportKind("named-", object, "x")]}, "must be named-"),
        ({"register_export_kinds": [ExportKind("named-" + "x" * 40, (), _noop, "x")]}, "longer"),
        (
            {"register_export_kinds": [ExportKind("named-x", (), _noop, "x")] * 2},
            "declared twice",
        ),
    ],
)
def test_hook_register_job_handlers_and_kinds_are_checked_at_startup(hooks, problem):
    with pytest.raises(PluginError, match=problem):
        PluginHost().register(Named(**hooks))


async def test_hook_register_import_kinds_runs_through_the_engine_and_the_job_queue(world):
    client, ids = world["client"], world["ids"]
    token = await token_for("district_admin", (ON, OFF))
    content = greetings_csv(
        [(ids[0], "你好"), (ids[1], "=1+1"), (ids[2], "hi"), ("110101199001011234", "x")]
    )
    sent = await client.post(
        "/imports?filename=g.csv", content=content, headers={"Authorization": f"Bearer {token}"}
    )
    admin = GQL(client, token)
    kinds = await admin.ok('{ __type(name: "ImportKind") { enumValues { name } } }')
    assert "SAMPLE_GREETINGS" in [v["name"] for v in kinds["__type"]["enumValues"]]
    started = await admin.ok(START, {"u": sent.json()["uploadId"], "k": "SAMPLE_GREETINGS"})
    await world["app"].state.jobs.idle()
    job = (await admin.ok(JOB, {"id": started["startImport"]["job"]["id"]}))["job"]
    assert job["status"] == "succeeded" and job["kind"] == "import"
    result = job["result"]
    assert (result["kind"], result["created"], result["rejected"]) == ("sample-greetings", 1, 3)
    assert [(e["row"], e["column"], e["code"]) for e in result["errors"]] == [
        (3, "greeting", "FORMULA_NOT_ALLOWED"),  # the engine's own cell checks
        (4, "id_number", "PROGRAM_NOT_ENABLED"),  # a member of a district where it is off
        (5, "id_number", "NOT_FOUND"),
    ]
    assert job["progress"] == job["total"] == 1
    assert await AuditEntry.filter(operation="importSampleGreetings").count() == 1
    # A caseworker lacks the kind's action (import_files): refused before anything runs.
    caseworker = GQL(client, await token_for("caseworker", (ON,)))
    denied = await caseworker(START, {"u": sent.json()["uploadId"], "k": "SAMPLE_GREETINGS"})
    assert denied["errors"][0]["extensions"]["code"] == "FORBIDDEN"


async def test_hook_register_import_kinds_rows_of_unseen_members_do_not_exist(world):
    from unionaid_sample.work import GREETINGS

    host, ids = world["host"], world["ids"]
    outsider = await user("district_admin", (OFF,))  # sees only OFF
    content = greetings_csv([(ids[0], "你好")])
    result = await import_file("sample-greetings", content, "g.csv", outsider, world["vault"], host)
    assert [(e.row, e.code.value) for e in result.errors] == [(2, "NOT_FOUND")]
    assert GREETINGS == {}


async def test_hook_register_export_kinds_writes_a_scoped_formula_safe_audited_file(world):
    from unionaid_sample.work import GREETINGS

    GREETINGS.update({1: (ON, "=HYPERLINK(1)"), 2: (OFF, "hidden"), 3: (ON, "你好")})
    client = world["client"]
    token = await token_for("district_admin", (ON, OFF))
    got = await client.get(
        "/exports/sample-greetings.csv", headers={"Authorization": f"Bearer {token}"}
    )
    assert got.status_code == 200, got.text
    rows = list(csv.reader(io.StringIO(got.content.decode("utf-8-sig"))))
    # Only where the program is on; a formula is written as text.
    assert rows == [
        ["member", "district_code", "greeting"],
        ["1", ON, "'=HYPERLINK(1)"],
        ["3", ON, "你好"],
    ]
    entry = await AuditEntry.filter(operation="exportSampleGreetings").get()
    assert entry.changes == {"rows": [None, 2], "districts": [None, [ON]]}
    xlsx = await client.get(
        "/exports/sample-greetings.xlsx", headers={"Authorization": f"Bearer {token}"}
    )
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet["C2"].value == "=HYPERLINK(1)" and sheet["C2"].data_type == "s"
    # Asking for the district where it is off, or one you cannot see.
    off = await client.get(
        f"/exports/sample-greetings.csv?district={OFF}",
        headers={"Authorization": f"Bearer {token}"},
    )
    assert (off.status_code, off.json()["code"]) == (403, "PROGRAM_NOT_ENABLED")
    narrow = await token_for("district_admin", (OFF,))
    unseen = await client.get(
        f"/exports/sample-greetings.csv?district={ON}",
        headers={"Authorization": f"Bearer {narrow}"},
    )
    assert (unseen.status_code, unseen.json()["code"]) == (404, "NOT_FOUND")


async def test_hook_register_import_kinds_and_export_kinds_in_the_cli(world, settings, tmp_path):
    from tests.test_cli_access import cli

    await user("city_admin", ())
    sample = str(Path(__file__).parent / "sample_plugin")
    path = tmp_path / "greetings.csv"
    path.write_bytes(greetings_csv([(world["ids"][0], "你好"), (world["ids"][2], "hi")]))
    ran = cli(
        settings,
        tmp_path,
        "import",
        "sample-greetings",
        str(path),
        "--as",
        "city_admin-",
        PYTHONPATH=sample,
    )
    assert ran.returncode == 1, ran.stderr  # one row refused
    assert "sample-greetings: 2 rows — 1 created, 0 updated, 0 unchanged, 1 rejected" in ran.stdout
    assert "row 3 id_number: PROGRAM_NOT_ENABLED" in ran.stderr
    assert await AuditEntry.filter(operation="importSampleGreetings").count() == 1
    out = tmp_path / "greetings-out.csv"
    exported = cli(
        settings,
        tmp_path,
        "export",
        "sample-greetings",
        "--out",
        str(out),
        "--as",
        "city_admin-",
        PYTHONPATH=sample,
    )
    assert exported.returncode == 0, exported.stderr
    assert out.read_text(encoding="utf-8-sig").splitlines()[0] == "member,district_code,greeting"
    assert await AuditEntry.filter(operation="exportSampleGreetings").count() == 1
    unknown = cli(settings, tmp_path, "import", "nobody-things", str(path), "--as", "x")
    assert unknown.returncode == 2 and "unknown import kind 'nobody-things'" in unknown.stderr
