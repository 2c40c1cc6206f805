"""Issue 15.12: the data key belongs to the database, not to the working folder. The same
DATABASE_URL from a second folder finds the database's key (and never makes a new one); a
process holding another key refuses to start and writes nothing."""

from __future__ import annotations

import base64
import csv
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ON_POSTGRES
from tests.registers import MEMBER_HEADER, member_row, to_csv
from unionaid.core import db
from unionaid.core.config import Settings, dev_key_file, new_key
from unionaid.core.crypto import Vault, fingerprint
from unionaid.core.imports.run import import_file
from unionaid.core.principal import Principal

ROWS = 6


def run_cli(folder: Path, url: str, *args: str, key: str | None = None, home: Path | None = None):
    """``unionaid`` as an operator would run it in ``folder``: no key in the environment unless
    given, the development key found where the database is."""
    folder.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if not k.startswith("UNIONAID_")}
    env.update(DATABASE_URL=url, XDG_CONFIG_HOME=str(home or folder / "config"))
    if key:
        env["UNIONAID_DATA_KEY"] = key
    return subprocess.run(
        [sys.executable, "-m", "unionaid.core.cli", *args],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def members_file(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "members.csv"
    path.write_bytes(to_csv(MEMBER_HEADER, [member_row(n) for n in range(1, ROWS + 1)]))
    return path


async def member_count(url: str, host) -> int:
    await db.init_db(url, host)
    try:
        from unionaid.core.models import Member

        return await Member.all().count()
    finally:
        await db.close_db()


def ok(result) -> None:
    assert result.returncode == 0, result.stderr


async def test_a_second_folder_uses_the_databases_key_and_duplicates_nothing(
    database_url, host, tmp_path
):
    home = tmp_path / "home"  # one user: on PostgreSQL the key is in their config directory
    first, second = tmp_path / "first", tmp_path / "second"
    data = members_file(tmp_path / "data")
    ok(run_cli(first, database_url, "user", "create", "admin", "--role", "city_admin", home=home))
    ok(run_cli(first, database_url, "import", "members", str(data), "--as", "admin", home=home))
    assert await member_count(database_url, host) == ROWS

    again = run_cli(
        second, database_url, "import", "members", str(data), "--as", "admin", home=home
    )
    ok(again)
    assert await member_count(database_url, host) == ROWS
    assert "0 created" in again.stdout and f"{ROWS} unchanged" in again.stdout, again.stdout
    out = tmp_path / "export.csv"
    exported = run_cli(
        second,
        database_url,
        *("export", "members", "--out", str(out), "--as", "admin"),
        *("--full-id-numbers", "--purpose", "audit of the register"),
        home=home,
    )
    ok(exported)
    with out.open(encoding="utf-8-sig") as f:
        numbers = sorted(row["id_number"] for row in csv.DictReader(f))
    with data.open(encoding="utf-8") as f:
        assert numbers == sorted(row["id_number"] for row in csv.DictReader(f))
    assert not (first / ".unionaid").exists() and not (second / ".unionaid").exists()
    if not ON_POSTGRES:  # the key sits beside the SQLite file, never in a working folder
        assert Path(database_url[len("sqlite://") :] + ".key").is_file()


async def test_a_process_with_another_key_is_refused_and_writes_nothing(
    database_url, host, tmp_path
):
    home = tmp_path / "home"
    first, second = tmp_path / "first", tmp_path / "second"
    data = members_file(tmp_path / "data")
    ok(run_cli(first, database_url, "user", "create", "admin", "--role", "city_admin", home=home))
    ok(run_cli(first, database_url, "import", "members", str(data), "--as", "admin", home=home))

    # Another key: from the environment, or (PostgreSQL) another user's configuration directory.
    other = {"key": new_key()}
    ways = [other, {"home": tmp_path / "someone-else"}] if ON_POSTGRES else [other]
    for how in ways:
        refused = run_cli(
            second, database_url, "import", "members", str(data), "--as", "admin", **how
        )
        assert refused.returncode == 2
        assert "DATA_KEY_" in refused.stderr
        assert "数据密钥" in refused.stderr and "data key" in refused.stderr  # zh and en
        assert await member_count(database_url, host) == ROWS
    out = tmp_path / "export.csv"
    exported = run_cli(
        second,
        database_url,
        *("export", "members", "--out", str(out), "--as", "admin"),
        *("--full-id-numbers", "--purpose", "audit of the register"),
        **other,
    )
    assert exported.returncode == 2 and "InvalidTag" not in exported.stderr
    assert "DATA_KEY_MISMATCH" in exported.stderr and not out.exists()
    for command in (("worker", "--once"), ("migrate",), ("serve", "--port", "1")):
        stopped = run_cli(second, database_url, *command, **other)
        assert stopped.returncode == 2 and "DATA_KEY_MISMATCH" in stopped.stderr, command
    assert await member_count(database_url, host) == ROWS


@pytest.mark.skipif(ON_POSTGRES, reason="earlier versions' development setup: SQLite")
async def test_the_working_folder_key_of_earlier_versions_is_adopted_only_if_it_fits(
    tmp_path, template_db, host
):
    path = tmp_path / "db" / "unionaid.sqlite3"
    path.parent.mkdir()
    path.write_bytes(Path(template_db).read_bytes())
    url = f"sqlite://{path}"
    legacy = new_key()
    # The register as earlier versions left it: encrypted, no fingerprint recorded anywhere.
    await db.init_db(url, host)
    try:
        actor = Principal(None, "cli:test", "city_admin", None, frozenset(), "t")
        vault = Vault(base64.b64decode(legacy))
        content = members_file(tmp_path / "data").read_bytes()
        await import_file("members", content, "m.csv", actor, vault, host)
    finally:
        await db.close_db()

    def folder(name: str, key: str) -> Path:
        where = tmp_path / name
        (where / ".unionaid").mkdir(parents=True)
        (where / ".unionaid" / "data.key").write_text(key + "\n")
        return where

    stranger = run_cli(folder("stranger", new_key()), url, "user", "list")
    assert stranger.returncode == 2 and "DATA_KEY_MISMATCH" in stranger.stderr
    with sqlite3.connect(path) as conn:
        assert conn.execute("SELECT count(*) FROM data_key").fetchone() == (0,)
    assert not Path(f"{path}.key").exists()

    owner = run_cli(folder("owner", legacy), url, "user", "list")
    ok(owner)
    with sqlite3.connect(path) as conn:
        recorded = conn.execute("SELECT fingerprint FROM data_key").fetchone()[0]
    assert recorded == fingerprint(base64.b64decode(legacy))
    assert Path(f"{path}.key").read_text().strip() == legacy  # from now on beside the database
    ok(run_cli(tmp_path / "anywhere", url, "user", "list"))


def test_development_keys_live_where_the_database_is(tmp_path, monkeypatch):
    env = {"XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    assert dev_key_file(f"sqlite://{tmp_path}/a/reg.sqlite3", env) == tmp_path / "a/reg.sqlite3.key"
    assert dev_key_file("sqlite://:memory:", env) is None
    pg = dev_key_file("postgres://u:secret@db.example:5433/unionaid", env)
    assert pg == tmp_path / "cfg/unionaid/keys/db.example_5433_unionaid.key"
    assert "secret" not in str(pg)
    # Settings read no key from the working folder and make none there.
    monkeypatch.chdir(tmp_path)
    settings = Settings.from_env({"DATABASE_URL": f"sqlite://{tmp_path}/a/reg.sqlite3", **env})
    assert settings.data_key == b"" and settings.key_file == tmp_path / "a/reg.sqlite3.key"
    assert not (tmp_path / ".unionaid").exists()


async def test_each_server_process_checks_the_key_before_serving(database_url, host, capsys):
    from unionaid.core.app import create_app
    from unionaid.core.keys import KeyRefused

    right = Settings.from_env({"DATABASE_URL": database_url, "UNIONAID_DATA_KEY": new_key()})
    await db.open_checked(right, host)  # the database records its key
    await db.close_db()
    wrong = Settings.from_env({"DATABASE_URL": database_url, "UNIONAID_DATA_KEY": new_key()})
    app = create_app(wrong, host)  # what every `serve --workers N` process runs
    try:
        async with app.router.lifespan_context(app):
            raise AssertionError("served with a foreign key")
    except KeyRefused as refused:
        assert refused.code.value == "DATA_KEY_MISMATCH"
    else:
        raise AssertionError("not refused")
    assert "DATA_KEY_MISMATCH" in capsys.readouterr().err
    app = create_app(right, host)
    async with app.router.lifespan_context(app):
        assert app.state.jobs.ctx.vault.fingerprint == fingerprint(right.data_key)
