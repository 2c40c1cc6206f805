"""The HTTP service and the CLI, end to end."""

import os
import subprocess
import sys

from unionaid.core.cli import main


async def test_health_and_readiness(client):
    assert (await client.get("/healthz")).status_code == 200
    ready = await client.get("/readyz")
    assert ready.status_code == 200 and ready.json() == {"status": "ready"}


async def test_request_id_is_echoed_and_internal_errors_are_masked(client):
    response = await client.post(
        "/graphql",
        json={"query": "{ districts { code } }"},
        headers={"X-Request-ID": "req-12345678"},
    )
    assert response.headers["x-request-id"] == "req-12345678"
    bad = await client.post("/graphql", json={"query": "{ districts { nope } }"})
    assert bad.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_VALIDATION_FAILED"
    syntax = await client.post("/graphql", json={"query": "{ districts { "})
    assert syntax.json()["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"


def test_several_workers_on_sqlite_are_refused(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite://{tmp_path}/x.sqlite3")
    assert main(["serve", "--workers", "2"]) == 2
    assert "PostgreSQL" in capsys.readouterr().err


def test_production_refuses_to_start_without_a_data_key(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "UNIONAID_DATA_KEY"}
    env.update(UNIONAID_ENV="production", DATABASE_URL=f"sqlite://{tmp_path}/x.sqlite3")
    result = subprocess.run(
        [sys.executable, "-m", "unionaid.core.cli", "migrate"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 2
    assert "UNIONAID_DATA_KEY" in result.stderr


def test_migrate_and_plugins_commands(tmp_path):
    env = dict(os.environ, DATABASE_URL=f"sqlite://{tmp_path}/cli.sqlite3")
    env.pop("UNIONAID_ENV", None)

    def run(*args):
        return subprocess.run(
            [sys.executable, "-m", "unionaid.core.cli", *args],
            cwd=tmp_path,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )

    assert run("migrate").returncode == 0
    created = run(
        "user", "create", "it-huishan", "--role", "district_admin", "--district", "320206"
    )
    assert created.returncode == 0, created.stderr
    unattributed = run("plugins", "enable", "hardship", "--district", "320206")
    assert unattributed.returncode == 2 and "--as USERNAME is required" in unattributed.stderr
    enabled = run("plugins", "enable", "hardship", "--district", "320206", "--as", "it-huishan")
    assert enabled.returncode == 0, enabled.stderr
    elsewhere = run("plugins", "enable", "hardship", "--district", "320211", "--as", "it-huishan")
    assert elsewhere.returncode == 1 and "NOT_FOUND" in elsewhere.stderr
    city = run("plugins", "configure", "hardship", "--set", "x=1", "--as", "it-huishan")
    assert city.returncode == 1 and "FORBIDDEN" in city.stderr
    configured = run(
        "plugins",
        "configure",
        "hardship",
        "--district",
        "320206",
        "--set",
        "spring_festival_amount=4000",
        "--as",
        "it-huishan",
    )
    assert configured.returncode == 0 and "version 1" in configured.stdout
    run("user", "create", "city", "--role", "city_admin")
    refused = run("plugins", "configure", "hardship", "--set", "no_such_key=1", "--as", "city")
    assert refused.returncode == 1 and "INVALID_SETTINGS" in refused.stderr
    listing = run("plugins", "list")
    assert "hardship" in listing.stdout and "320206" in listing.stdout
