"""``unionaid keys rotate``: every stored ID number (and each program's encrypted columns)
re-encrypted under a new data key, and its look-up hash recomputed.

1. :func:`begin` records the new key's fingerprint as the one the database moves to. From then
   on every process needs both keys to start, search by ID number tries both, and registering
   members (``createMember``, imports) is refused until the rotation is finished, so no member
   can be registered twice under two hashes.
2. :func:`reseal` walks each table in batches by id, one transaction per batch: a row is either
   still sealed by the old key or already by the new one, never in between (its ciphertext names
   its key), so a rotation killed at any point is simply run again and continues.
3. :func:`finish` re-seals any straggler and records the new key as the database's, with the
   state row locked, in one transaction.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from tortoise.transactions import in_transaction

from unionaid.core.crypto import Vault, fingerprint
from unionaid.core.host import PluginHost
from unionaid.core.keys import KeyState, read_state, write_state
from unionaid.core.plugin_types import EncryptedColumn

# The core's own: resident ID numbers and their look-up hash.
MEMBER_ID_NUMBERS = EncryptedColumn("member", "id_number_enc", "id_number_hash")
# Anonymised members keep a random stand-in hash (their ciphertext is empty): a new one derived
# from the old keeps it unique and pointing at nobody.
_STAND_IN = "ANON-"


class RotationRefused(Exception):
    """The rotation cannot start or go on as asked; nothing was changed."""


def columns(host: PluginHost) -> list[EncryptedColumn]:
    return [MEMBER_ID_NUMBERS, *host.encrypted_columns()]


async def begin(vault: Vault, new_key: bytes) -> Vault:
    """Record that the database moves to ``new_key`` (or check that it already does); the
    vault holding both keys, writing with the new one."""
    new = fingerprint(new_key)
    async with in_transaction() as conn:
        state = await read_state(conn, lock="FOR UPDATE")
        if state.next_fingerprint is None:
            if new == state.fingerprint:
                raise RotationRefused("the new key is the database's key already")
            if await _imports_under_way(conn):
                raise RotationRefused("an import job is queued or running: rotate after it")
            await write_state(conn, KeyState(state.fingerprint, new))
        elif state.next_fingerprint != new:
            raise RotationRefused(
                "a rotation to another key is unfinished: run it again with that key"
            )
    return vault.rotating_to(new_key)


async def _imports_under_way(conn: Any) -> bool:
    _, rows = await conn.execute_query(
        "SELECT count(*) FROM job WHERE kind = 'import' AND status IN ('queued', 'running')"
    )
    return rows[0][0] > 0


BatchHook = Callable[[int, int], Awaitable[None]]


async def reseal(
    vault: Vault,
    host: PluginHost,
    *,
    batch_size: int = 1000,
    after_batch: BatchHook | None = None,
) -> int:
    """Re-encrypt every value not yet sealed by the vault's writing (new) key, a batch per
    transaction; ``after_batch(batches, rows)`` runs after each commit. Returns the rows
    changed."""
    changed = batches = 0
    for column in columns(host):
        last = 0
        while True:
            async with in_transaction() as conn:
                rows = await _batch(conn, column, last, batch_size)
                if not rows:
                    break
                last = rows[-1][0]
                changed += await _write(conn, column, vault, rows)
            batches += 1
            if after_batch is not None:
                await after_batch(batches, changed)
    return changed


async def finish(vault: Vault, host: PluginHost) -> int:
    """Re-seal stragglers and record the new key as the database's; returns stragglers."""
    new = vault.fingerprint
    async with in_transaction() as conn:
        state = await read_state(conn, lock="FOR UPDATE")
        if state.next_fingerprint != new:
            raise RotationRefused("no rotation to this key is under way")
        left = 0
        for column in columns(host):
            rows = await _unsealed(conn, column, vault)
            left += await _write(conn, column, vault, rows)
        await write_state(conn, KeyState(new, None))
    return left


async def rotate(
    vault: Vault,
    new_key: bytes,
    host: PluginHost,
    *,
    batch_size: int = 1000,
    after_batch: BatchHook | None = None,
) -> int:
    """The whole rotation (or the rest of an unfinished one); returns the rows re-encrypted."""
    both = await begin(vault, new_key)
    done = await reseal(both, host, batch_size=batch_size, after_batch=after_batch)
    return done + await finish(both, host)


def _select(column: EncryptedColumn) -> str:
    hashed = f', "{column.hash_column}"' if column.hash_column else ""
    return f'SELECT id, "{column.column}"{hashed} FROM "{column.table}"'


def _mark(conn: Any, n: int) -> str:
    return f"${n}" if conn.capabilities.dialect == "postgres" else "?"


async def _batch(conn: Any, column: EncryptedColumn, last: int, size: int) -> list[Sequence]:
    lock = " FOR UPDATE" if conn.capabilities.dialect == "postgres" else ""
    _, rows = await conn.execute_query(
        f"{_select(column)} WHERE id > {_mark(conn, 1)} ORDER BY id LIMIT {int(size)}{lock}",
        [last],
    )
    return [tuple(r) for r in rows]


async def _unsealed(conn: Any, column: EncryptedColumn, vault: Vault) -> list[Sequence]:
    lock = " FOR UPDATE" if conn.capabilities.dialect == "postgres" else ""
    _, rows = await conn.execute_query(
        f'{_select(column)} WHERE "{column.column}" IS NOT NULL '
        f'AND "{column.column}" NOT LIKE {_mark(conn, 1)} ORDER BY id{lock}',
        [vault.sealed_prefix + "%"],
    )
    return [tuple(r) for r in rows]


async def _write(conn: Any, column: EncryptedColumn, vault: Vault, rows: Sequence) -> int:
    changes = []
    for row in rows:
        pk, sealed = row[0], row[1]
        if sealed is None or vault.sealed_by_writer(sealed):
            continue
        plain = vault.decrypt(sealed)
        change = [vault.encrypt(plain)]
        if column.hash_column:
            change.append(vault.lookup_hash(plain or _STAND_IN + row[2]))
        changes.append([*change, pk])
    if not changes:
        return 0
    sets = [f'"{column.column}" = {_mark(conn, 1)}']
    if column.hash_column:
        sets.append(f'"{column.hash_column}" = {_mark(conn, 2)}')
    where = _mark(conn, len(sets) + 1)
    await conn.execute_many(
        f'UPDATE "{column.table}" SET {", ".join(sets)} WHERE id = {where}', changes
    )
    return len(changes)
