"""Backups of a SQLite database while it is in use (PostgreSQL has pg_dump: see
docs/operations.md)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path


def sqlite_path(url: str) -> Path | None:
    """The file of a ``sqlite://`` URL; None for memory or another database."""
    if not url.startswith("sqlite://"):
        return None
    path = url[len("sqlite://") :].partition("?")[0]
    return None if path in ("", ":memory:") else Path(path)


def backup_sqlite(
    source: Path, target: Path, *, pages: int = 256, step: Callable[[], None] | None = None
) -> None:
    """Copy a live SQLite database with SQLite's online backup API, ``pages`` pages at a time
    so writers are held up only briefly: the copy is one consistent state (when another
    connection writes, the copy starts again from that state). It is written beside ``target``
    and renamed into place, so a failed backup leaves no partial file. ``step`` runs after each
    step (tests write through it)."""
    if not source.is_file():
        raise FileNotFoundError(source)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    src = sqlite3.connect(source)
    try:
        dst = sqlite3.connect(partial)
        try:
            progress = (lambda status, remaining, total: step()) if step else None
            src.backup(dst, pages=pages, progress=progress)
            # A self-contained file: one that needs no -wal beside it to be whole.
            dst.execute("PRAGMA journal_mode=DELETE")
        finally:
            dst.close()
    finally:
        src.close()
    os.replace(partial, target)
