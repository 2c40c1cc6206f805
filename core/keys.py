"""The data key belongs to the database.

The database records the fingerprint of the key that encrypted its ID numbers (table
``data_key``). Every process that opens it (server, worker, each CLI command) calls
:func:`open_vault` first: a key whose fingerprint differs is refused before anything is written,
so a second working folder or a wrong environment can neither register every member a second
time (their look-up hashes would differ) nor crash on ciphertexts it cannot read.

The first process to open a database without a fingerprint records its key's: the key from the
environment, the development key file, else a development key made in
``.unionaid/data.key`` of the working folder by earlier versions (adopted only if it decrypts the
stored ID numbers, and then copied beside the database), else a new key when nothing is
encrypted yet."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from typing import Any

from tortoise import connections
from tortoise.exceptions import IntegrityError
from tortoise.transactions import in_transaction

from unionaid.core.config import (
    LEGACY_KEY_FILE,
    Settings,
    next_key_file,
    read_key_file,
    write_key_file,
)
from unionaid.core.crypto import Vault, fingerprint
from unionaid.core.errors import Code, DomainError, message

TABLE = "data_key"


class KeyRefused(Exception):
    """This process must not use the database with the keys it has; nothing was written."""

    def __init__(self, code: Code, **params: Any) -> None:
        super().__init__(code.value)
        self.code = code
        self.params = params

    def text(self) -> str:
        """Both languages, one per line (operators read either)."""
        return "\n".join(
            f"{self.code.value}: {message(self.code, lang, **self.params)}" for lang in ("zh", "en")
        )


@dataclass(frozen=True)
class KeyState:
    fingerprint: str | None
    next_fingerprint: str | None


def _conn(conn: Any = None) -> Any:
    return conn or connections.get("default")


def _mark(conn: Any, n: int) -> str:
    return f"${n}" if conn.capabilities.dialect == "postgres" else "?"


async def has_table(conn: Any = None) -> bool:
    conn = _conn(conn)
    if conn.capabilities.dialect == "postgres":
        _, rows = await conn.execute_query("SELECT to_regclass('data_key') IS NOT NULL")
        return bool(rows[0][0])
    _, rows = await conn.execute_query(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'data_key'"
    )
    return bool(rows[0][0])


async def read_state(conn: Any = None, *, lock: str = "") -> KeyState:
    """The recorded fingerprints; ``lock`` ("FOR UPDATE", "FOR SHARE") on PostgreSQL."""
    conn = _conn(conn)
    suffix = f" {lock}" if lock and conn.capabilities.dialect == "postgres" else ""
    _, rows = await conn.execute_query(
        f"SELECT fingerprint, next_fingerprint FROM {TABLE} WHERE id = 1{suffix}"
    )
    if not rows:
        return KeyState(None, None)
    return KeyState(rows[0][0], rows[0][1])


async def write_state(conn: Any, state: KeyState) -> None:
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    m = lambda n: _mark(conn, n)  # noqa: E731
    if (await read_state(conn)).fingerprint is None:
        await conn.execute_query(
            f"INSERT INTO {TABLE} (id, fingerprint, next_fingerprint, changed_at) "
            f"VALUES (1, {m(1)}, {m(2)}, {m(3)})",
            [state.fingerprint, state.next_fingerprint, now],
        )
        return
    await conn.execute_query(
        f"UPDATE {TABLE} SET fingerprint = {m(1)}, next_fingerprint = {m(2)}, "
        f"changed_at = {m(3)} WHERE id = 1",
        [state.fingerprint, state.next_fingerprint, now],
    )


async def _sample_ciphertext(conn: Any) -> str | None:
    """One stored ID number, to prove a key before adopting it (anonymised ones say nothing)."""
    _, rows = await conn.execute_query(
        "SELECT id_number_enc FROM member WHERE anonymised_at IS NULL ORDER BY id LIMIT 1"
    )
    return rows[0][0] if rows else None


def _decrypts(key: bytes, sample: str | None) -> bool:
    if sample is None:
        return True
    try:
        Vault(key).decrypt(sample)
    except Exception:  # InvalidTag, a foreign key id, a malformed value: not this key
        return False
    return True


def _where(settings: Settings) -> str:
    return str(settings.key_file) if settings.key_file else "UNIONAID_DATA_KEY"


async def open_vault(settings: Settings) -> Vault:
    """Check this process's keys against the database (the ORM is up) and return the vault to
    use; adopt a key for a database that has none yet. Raises :class:`KeyRefused`."""
    conn = _conn()
    if not await has_table(conn):
        raise KeyRefused(Code.DATABASE_NOT_MIGRATED)
    state = await read_state(conn)
    key, upcoming_key, legacy = settings.data_key, settings.new_data_key, b""
    if settings.key_file is not None:  # read again: an earlier step may have made it
        key = key or read_key_file(settings.key_file)
        upcoming_key = upcoming_key or read_key_file(next_key_file(settings.key_file))
        legacy = b"" if key else read_key_file(LEGACY_KEY_FILE)
    if state.fingerprint is None:
        try:
            return await _adopt(settings, key or legacy, adopting_legacy=not key and bool(legacy))
        except IntegrityError:  # another process recorded its key first: check against it
            return await open_vault(settings)
    held = {fingerprint(k): k for k in (key, upcoming_key, legacy) if k}
    current = held.get(state.fingerprint)
    if current is None:
        code = Code.DATA_KEY_MISMATCH if key or legacy else Code.DATA_KEY_MISSING
        raise KeyRefused(code, where=_where(settings))
    if current == legacy and settings.key_file is not None:
        write_key_file(settings.key_file, legacy)  # the key now follows the database
    upcoming = None
    if state.next_fingerprint is not None:
        upcoming = held.get(state.next_fingerprint)
        if upcoming is None:
            raise KeyRefused(Code.KEY_ROTATION_UNFINISHED)
    return Vault(current, upcoming)


async def _adopt(settings: Settings, key: bytes, *, adopting_legacy: bool) -> Vault:
    async with in_transaction() as conn:
        sample = await _sample_ciphertext(conn)
        if not key:
            if sample is not None:  # encrypted under a key we cannot find: never make another
                raise KeyRefused(Code.DATA_KEY_MISSING, where=_where(settings))
            key = _make_key(settings)
        elif not _decrypts(key, sample):
            raise KeyRefused(Code.DATA_KEY_MISMATCH, where=_where(settings))
        if adopting_legacy and settings.key_file is not None:
            write_key_file(settings.key_file, key)
        await write_state(conn, KeyState(fingerprint(key), None))
    return Vault(key)


def _make_key(settings: Settings) -> bytes:
    """A new key for a new database, saved before its fingerprint is recorded (a fingerprint of
    a key never saved would lock everyone out). Two processes opening a new database at once
    end up with the same key: only one creates the file, the other reads it."""
    key = secrets.token_bytes(32)
    if settings.key_file is None:  # in memory
        return settings.data_key or key
    try:
        write_key_file(settings.key_file, key, exclusive=True)
    except FileExistsError:
        return read_key_file(settings.key_file)
    return key


async def require_writer(vault: Vault) -> None:
    """Refuse a write that registers members by ID number while a rotation is unfinished (its
    look-ups could miss a member whose row the rotation has just re-hashed) or when this
    process's key is no longer the database's (its ciphertexts would outlive the old key).
    Databases that never recorded a key (tests building the ORM themselves) pass."""
    state = await read_state()
    if state.fingerprint is None:
        return
    if state.next_fingerprint is not None or vault.fingerprint != state.fingerprint:
        raise DomainError(Code.KEY_ROTATION_IN_PROGRESS, "idNumber")
