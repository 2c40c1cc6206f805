"""Issue 18, keys: ``unionaid keys rotate`` re-encrypts every ID number (and each program's
encrypted columns) under a new key in resumable batches, never leaving a row readable by
neither key, and no member can be registered twice while it is unfinished."""

from __future__ import annotations

import base64
import csv
import io
import os
import subprocess
import sys
from dataclasses import replace

import pytest
from tortoise import connections

from tests.conftest import ON_POSTGRES
from tests.factories import ACTOR, id_number
from tests.registers import MEMBER_HEADER, member_row, to_csv
from unionaid.core import db, key_rotation, keys
from unionaid.core.config import Settings, new_key
from unionaid.core.crypto import Vault, fingerprint
from unionaid.core.errors import Code, DomainError
from unionaid.core.hookspecs import hookimpl
from unionaid.core.imports.reader import FileProblem
from unionaid.core.imports.run import import_file
from unionaid.core.models import Member
from unionaid.core.plugin_types import EncryptedColumn, ProgramInfo
from unionaid.core.services import personal_data
from unionaid.core.services.members import NewMember, create_member

MEMBERS = 40


class Boom(Exception):
    """A rotation dying between two batches."""


def b64(key: bytes) -> str:
    return base64.b64encode(key).decode()


def cli(settings: Settings, folder, *args: str, **env: str):
    environment = {k: v for k, v in os.environ.items() if not k.startswith("UNIONAID_")}
    environment.update(DATABASE_URL=settings.database_url, **env)
    return subprocess.run(
        [sys.executable, "-m", "unionaid.core.cli", *args],
        cwd=folder,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


async def register(vault: Vault, host) -> tuple[bytes, dict[int, str]]:
    """A register of MEMBERS members (one of them anonymised): the file and {id: ID number}."""
    content = to_csv(MEMBER_HEADER, [member_row(n) for n in range(1, MEMBERS + 1)])
    result = await import_file("members", content, "m.csv", ACTOR, vault, host)
    assert result.created == MEMBERS
    numbers = {}
    for row in csv.DictReader(io.StringIO(content.decode())):
        member = await Member.get(id_number_hash=vault.lookup_hash(row["id_number"]))
        numbers[member.id] = row["id_number"]
    gone = min(numbers)
    await personal_data.anonymise(ACTOR, host, vault, gone, "the person asked")
    numbers[gone] = ""
    return content, numbers


async def rows() -> list[dict]:
    return await Member.all().order_by("id").values("id", "id_number_enc", "id_number_hash")


async def test_a_rotation_killed_between_batches_is_finished_by_running_it_again(
    database_url, host, tmp_path
):
    old, new = os.urandom(32), os.urandom(32)
    settings = Settings.from_env({"DATABASE_URL": database_url, "UNIONAID_DATA_KEY": b64(old)})
    vault = await db.open_checked(settings, host)
    try:
        content, numbers = await register(vault, host)
        stand_in = (await Member.get(id=min(numbers))).id_number_hash

        async def die_after_two(batches: int, changed: int) -> None:
            if batches == 2:
                raise Boom

        with pytest.raises(Boom):
            await key_rotation.rotate(vault, new, host, batch_size=7, after_batch=die_after_two)

        # Part way: 14 rows under the new key, the rest under the old; each row whole.
        both = vault.rotating_to(new)
        halfway = await rows()
        moved = [r for r in halfway if both.sealed_by_writer(r["id_number_enc"])]
        assert len(moved) == 14
        for r in halfway:
            number = numbers[r["id"]]
            assert both.decrypt(r["id_number_enc"]) == number
            sealer = Vault(new) if r in moved else Vault(old)
            expected = sealer.lookup_hash(number) if number else None
            assert expected is None or r["id_number_hash"] == expected
            if number:  # a search by ID number tries both keys: found once
                assert (
                    await Member.filter(id_number_hash__in=both.lookup_hashes(number)).count() == 1
                )
        assert (await keys.read_state()).next_fingerprint == fingerprint(new)

        # While unfinished: nobody registers members (their look-ups could miss), and a process
        # holding only the old key does not start.
        with pytest.raises(FileProblem) as refused:
            await import_file("members", content, "m.csv", ACTOR, both, host)
        assert refused.value.code == Code.KEY_ROTATION_IN_PROGRESS
        with pytest.raises(DomainError) as refused_one:
            await create_member(ACTOR, both, NewMember("新会员", id_number(), "320206"))
        assert refused_one.value.code == Code.KEY_ROTATION_IN_PROGRESS
        assert await Member.all().count() == MEMBERS
        with pytest.raises(keys.KeyRefused) as unfinished:
            await keys.open_vault(settings)
        assert unfinished.value.code == Code.KEY_ROTATION_UNFINISHED
    finally:
        await db.close_db()

    # Run again, as an operator would, in another process.
    rerun = cli(
        settings,
        tmp_path,
        *("keys", "rotate", "--batch-size", "7"),
        UNIONAID_DATA_KEY=b64(old),
        UNIONAID_NEW_DATA_KEY=b64(new),
    )
    assert rerun.returncode == 0, rerun.stderr
    assert "UNIONAID_DATA_KEY" in rerun.stdout  # what to do with the keys now

    renewed = replace(settings, data_key=new)
    vault = await db.open_checked(renewed, host)
    try:
        assert vault.fingerprint == fingerprint(new)
        assert await keys.read_state() == keys.KeyState(fingerprint(new), None)
        after = await rows()
        assert len(after) == MEMBERS
        for r in after:
            number = numbers[r["id"]]
            assert vault.sealed_by_writer(r["id_number_enc"])
            assert Vault(new).decrypt(r["id_number_enc"]) == number
            if number:
                assert r["id_number_hash"] == Vault(new).lookup_hash(number)
            else:  # the anonymised member's stand-in changed with the key, still unique
                assert r["id_number_hash"] not in (stand_in, Vault(new).lookup_hash(""))
        again = await import_file("members", content, "m.csv", ACTOR, vault, host)
        assert (again.created, again.unchanged) == (1, MEMBERS - 1)  # the anonymised one is new
        assert await Member.all().count() == MEMBERS + 1
        with pytest.raises(keys.KeyRefused) as retired:
            await keys.open_vault(settings)
        assert retired.value.code == Code.DATA_KEY_MISMATCH
    finally:
        await db.close_db()


@pytest.mark.skipif(ON_POSTGRES, reason="the key files beside a SQLite database")
async def test_development_rotation_makes_and_swaps_the_key_files(database_url, host, tmp_path):
    settings = Settings.from_env({"DATABASE_URL": database_url})
    vault = await db.open_checked(settings, host)
    try:
        _, numbers = await register(vault, host)
    finally:
        await db.close_db()
    old = settings.key_file.read_text().strip()
    done = cli(settings, tmp_path, "keys", "rotate")
    assert done.returncode == 0, done.stderr
    new = settings.key_file.read_text().strip()
    assert new != old
    retired = settings.key_file.with_name(
        f"{settings.key_file.name}.retired-{fingerprint(base64.b64decode(old))[:8]}"
    )
    assert retired.read_text().strip() == old
    assert not settings.key_file.with_name(settings.key_file.name + ".next").exists()
    shown = cli(settings, tmp_path, "keys", "show")
    assert fingerprint(base64.b64decode(new))[:8] in shown.stdout, shown.stderr
    vault = await db.open_checked(Settings.from_env({"DATABASE_URL": database_url}), host)
    try:
        for r in await rows():
            assert vault.decrypt(r["id_number_enc"]) == numbers[r["id"]]
    finally:
        await db.close_db()


class SecretNotes:
    """A program keeping an encrypted column of its own (declared through the hook)."""

    @hookimpl
    def register_program(self) -> ProgramInfo:
        return ProgramInfo(
            id="notes", name="笔记", name_en="Notes", version="1.0", contract_versions=("2",)
        )

    @hookimpl
    def register_encrypted_columns(self) -> list[EncryptedColumn]:
        return [EncryptedColumn("secret_note", "body")]


async def test_hook_register_encrypted_columns_are_rotated_too(orm, host, settings):
    from unionaid.core.host import PluginHost

    with_notes = PluginHost()
    for program in host.programs.values():
        with_notes.register(program.plugin, builtin=program.builtin)
    with_notes.register(SecretNotes())
    conn = connections.get("default")
    await conn.execute_script("CREATE TABLE secret_note (id INTEGER PRIMARY KEY, body TEXT)")
    vault = await keys.open_vault(settings)
    mark = "$1, $2" if ON_POSTGRES else "?, ?"
    for n, text in ((1, "病史：哮喘"), (2, None), (3, "家访记录")):
        sealed = vault.encrypt(text) if text else None
        await conn.execute_query(f"INSERT INTO secret_note (id, body) VALUES ({mark})", [n, sealed])
    new = os.urandom(32)
    await key_rotation.rotate(vault, new, with_notes, batch_size=2)
    _, notes = await conn.execute_query("SELECT id, body FROM secret_note ORDER BY id")
    readable = Vault(new)
    assert [(r[0], r[1] and readable.decrypt(r[1])) for r in notes] == [
        (1, "病史：哮喘"),
        (2, None),
        (3, "家访记录"),
    ]
    assert all(r[1] is None or readable.sealed_by_writer(r[1]) for r in notes)


def test_ciphertexts_name_their_key_and_old_ones_still_read():
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    from unionaid.core.crypto import _derive

    key = os.urandom(32)
    # A ciphertext as versions before key ids wrote it.
    aead = AESGCM(_derive(key, b"unionaid id-number encryption"))
    nonce = os.urandom(12)
    legacy = "v1:" + b64(nonce + aead.encrypt(nonce, b"320206197001010012", b"v1"))
    assert Vault(key).decrypt(legacy) == "320206197001010012"
    sealed = Vault(key).encrypt("x")
    assert sealed.startswith(f"v2:{fingerprint(key)[:8]}:")
    with pytest.raises(ValueError, match="does not hold"):
        Vault(os.urandom(32)).decrypt(sealed)
    assert new_key() != new_key()


async def test_a_rotation_waits_for_imports_and_sticks_to_its_key(orm, host, settings):
    import datetime as dt

    from unionaid.core.jobs import enqueue
    from unionaid.core.models import Job, JobStatus

    vault = await keys.open_vault(settings)
    with pytest.raises(key_rotation.RotationRefused, match="already"):
        await key_rotation.begin(vault, settings.data_key)
    queued = await enqueue("import", {}, ACTOR, dt.datetime(2027, 1, 1, tzinfo=dt.UTC))
    with pytest.raises(key_rotation.RotationRefused, match="import"):
        await key_rotation.begin(vault, os.urandom(32))
    assert await keys.read_state() == keys.KeyState(vault.fingerprint, None)
    await Job.filter(id=queued.id).update(status=JobStatus.SUCCEEDED)
    chosen = os.urandom(32)
    await key_rotation.begin(vault, chosen)
    with pytest.raises(key_rotation.RotationRefused, match="another key"):
        await key_rotation.begin(vault, os.urandom(32))
