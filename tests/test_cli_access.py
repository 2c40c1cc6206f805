"""Acceptance: `unionaid user create` + `unionaid token create` give a token that sees only the
user's districts; revoking it locks it out; CLI writes are audited."""

import base64
import os
import subprocess
import sys

import httpx

from tests.conftest import GQL
from tests.factories import id_number
from unionaid.core.app import create_app

MEMBERS = "{ members(first: 100) { edges { node { district { code } } } } }"


def cli(settings, tmp_path, *args: str, stdin: str | None = None, **extra_env: str):
    env = dict(
        os.environ,
        DATABASE_URL=settings.database_url,
        UNIONAID_DATA_KEY=base64.b64encode(settings.data_key).decode(),
        **extra_env,
    )
    env.pop("UNIONAID_ENV", None)
    return subprocess.run(
        [sys.executable, "-m", "unionaid.core.cli", *args],
        cwd=tmp_path,
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


async def test_cli_token_sees_only_its_districts(gql, settings, host, tmp_path):
    for code in ("320206", "320206", "320211", "320213"):
        await gql.ok(
            "mutation($i: CreateMemberInput!) { createMember(input: $i) { member { id } } }",
            {"i": {"name": "会员", "idNumber": id_number(), "districtCode": code}},
        )
    made = cli(
        settings, tmp_path, "user", "create", "wang", "--role", "caseworker", "--district", "320206"
    )
    assert made.returncode == 0, made.stderr
    issued = cli(settings, tmp_path, "token", "create", "wang", "--ttl", "12h")
    assert issued.returncode == 0, issued.stderr
    token = issued.stdout.strip()
    assert token.startswith("ua_") and "\n" not in token  # only the token on stdout

    # The CLI issued the token by the machine's clock: it is used on an app on that clock.
    app = create_app(settings, host, manage_db=False, rate_limit=0)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        wang = GQL(c, token)
        edges = (await wang.ok(MEMBERS))["members"]["edges"]
        assert [e["node"]["district"]["code"] for e in edges] == ["320206", "320206"]

        listed = cli(settings, tmp_path, "token", "list", "wang")
        assert token not in listed.stdout and "valid" in listed.stdout
        revoked = cli(settings, tmp_path, "token", "revoke", token)
        assert revoked.returncode == 0
        body = await wang(MEMBERS)
        assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"

    trail = await gql.ok(
        '{ auditLog(objectType: "User") { edges { node { username operation } } } }'
    )
    by_cli = {
        e["node"]["operation"]
        for e in trail["auditLog"]["edges"]
        if e["node"]["username"].startswith("cli:")
    }
    assert by_cli == {"createUser", "createToken", "revokeToken"}


def test_user_create_refuses_bad_input(settings, tmp_path):
    no_district = cli(settings, tmp_path, "user", "create", "li", "--role", "caseworker")
    assert no_district.returncode == 1 and "REQUIRED" in no_district.stderr
    unknown = cli(
        settings, tmp_path, "user", "create", "li", "--role", "caseworker", "--district", "999999"
    )
    assert unknown.returncode == 1 and "NOT_FOUND" in unknown.stderr
    short = cli(
        settings,
        tmp_path,
        *("user", "create", "li", "--role", "auditor", "--password-stdin"),
        stdin="short\n",
    )
    assert short.returncode == 1 and "password" in short.stderr
    not_admin = cli(
        settings, tmp_path, "user", "create", "li", "--role", "auditor", "--as", "nobody"
    )
    assert not_admin.returncode == 2 and "no such active user" in not_admin.stderr
    bad_ttl = cli(settings, tmp_path, "token", "create", "li", "--ttl", "forever")
    assert bad_ttl.returncode == 1
