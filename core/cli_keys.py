"""``unionaid keys show|rotate`` and ``unionaid backup PATH``."""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from pathlib import Path

from unionaid.core.backup import backup_sqlite, sqlite_path
from unionaid.core.cli_access import CommandError, checked_vault, run_with_db
from unionaid.core.config import Settings, next_key_file, read_key_file, write_key_file
from unionaid.core.crypto import KEY_ID_LENGTH, fingerprint
from unionaid.core.host import PluginHost


def _new_key(settings: Settings) -> bytes:
    """The key to move to: UNIONAID_NEW_DATA_KEY; in development the key file's ``.next``
    companion, made now (durably, before the database hears of it) if there is none."""
    if settings.new_data_key:
        return settings.new_data_key
    if settings.key_file is None:
        raise CommandError(
            "set UNIONAID_NEW_DATA_KEY to the new key (32 random bytes, base64) and run again"
        )
    upcoming = next_key_file(settings.key_file)
    key = read_key_file(upcoming)
    if not key:
        key = secrets.token_bytes(32)
        write_key_file(upcoming, key)
    return key


def _swap_key_files(settings: Settings) -> str:
    """Development: the new key becomes ``<db>.key``; the old one is kept beside it (backups
    made before the rotation need it)."""
    assert settings.key_file is not None
    upcoming = next_key_file(settings.key_file)
    old = read_key_file(settings.key_file)
    old_id = fingerprint(old)[:KEY_ID_LENGTH] if old else "none"
    retired = settings.key_file.with_name(f"{settings.key_file.name}.retired-{old_id}")
    if upcoming.exists():
        if settings.key_file.exists():
            os.replace(settings.key_file, retired)
        os.replace(upcoming, settings.key_file)
    return f"the new key is {settings.key_file}; the old one is kept as {retired}"


def cmd_keys(args: argparse.Namespace, settings: Settings) -> int:
    from unionaid.core import key_rotation
    from unionaid.core.keys import read_state

    async def show() -> int:
        state = await read_state()
        where = settings.key_file or "UNIONAID_DATA_KEY"
        print(f"database key {state.fingerprint[:KEY_ID_LENGTH]} (from {where})")
        if state.next_fingerprint:
            print(f"rotation to {state.next_fingerprint[:KEY_ID_LENGTH]} unfinished")
        return 0

    async def rotate() -> int:
        state = await read_state()
        new_key = _new_key(settings)
        if state.next_fingerprint is None and fingerprint(new_key) == state.fingerprint:
            # Finished in the database; only the development key files were left to swap.
            if settings.key_file is not None:
                print(_swap_key_files(settings))
            return 0

        async def progress(batches: int, rows: int) -> None:
            print(f"\rre-encrypted {rows} values ({batches} batches)", end="", file=sys.stderr)

        try:
            done = await key_rotation.rotate(
                checked_vault(),
                new_key,
                PluginHost.load(),
                batch_size=args.batch_size,
                after_batch=progress,
            )
        except key_rotation.RotationRefused as exc:
            raise CommandError(str(exc)) from exc
        print(file=sys.stderr)
        new_id = fingerprint(new_key)[:KEY_ID_LENGTH]
        print(f"rotated: {done} values re-encrypted; the database's key is now {new_id}")
        if settings.key_file is not None:
            print(_swap_key_files(settings))
        else:
            print(
                "now set UNIONAID_DATA_KEY to the new key, unset UNIONAID_NEW_DATA_KEY and restart "
                "every process; keep the old key as long as you keep backups made before today"
            )
        return 0

    return run_with_db(settings, show if args.action == "show" else rotate)


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    source = sqlite_path(settings.database_url)
    target = Path(args.path)
    refusal = None
    if source is None:
        refusal = (
            "unionaid backup copies a SQLite file; for PostgreSQL use "
            "pg_dump --format=custom (see docs/operations.md)"
        )
    elif target.exists():
        refusal = f"{target} exists: choose a new file"
    if refusal:
        print(f"unionaid: {refusal}", file=sys.stderr)
        return 2
    backup_sqlite(source, target)
    print(f"backed up {source} to {target}")
    print(
        "the data key is not in the backup: keep it (UNIONAID_DATA_KEY, or "
        f"{settings.key_file}) safe and apart from it",
        file=sys.stderr,
    )
    return 0


def add_parsers(sub: argparse._SubParsersAction) -> None:
    keys = sub.add_parser("keys", help="the data key: show it, rotate to a new one")
    ksub = keys.add_subparsers(dest="action", required=True)
    ksub.add_parser("show", help="the database's key id and any unfinished rotation")
    rotate = ksub.add_parser(
        "rotate", help="re-encrypt every ID number under UNIONAID_NEW_DATA_KEY (resumable)"
    )
    rotate.add_argument("--batch-size", type=int, default=1000, help="rows per transaction")
    keys.set_defaults(func=cmd_keys)

    backup = sub.add_parser("backup", help="copy a live SQLite database (online backup API)")
    backup.add_argument("path", help="the new backup file")
    backup.set_defaults(func=cmd_backup)
