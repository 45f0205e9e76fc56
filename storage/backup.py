"""A consistent copy of the SQLite database while the bot keeps writing to it.

SQLite's online backup API copies the database as one snapshot even while other connections
write (in WAL mode readers never block writers), which a plain file copy of the database, its
-wal and -shm files cannot promise. The copy is written beside the target and renamed into
place, so a backup interrupted halfway never leaves a file that looks complete.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path


class BackupError(Exception):
    """One line for the operator: why no backup was written."""


def backup_sqlite(source: Path, target: Path) -> int:
    """Copy `source` to `target`; returns the number of orders in the copy."""
    if not source.exists():
        raise BackupError(f"DATABASE_URL: {source} does not exist, so there is nothing to back up")
    if target.resolve() == source.resolve():
        raise BackupError("the backup file must not be the database itself")
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        orders = _copy(source, partial)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, sqlite3.Error):
            raise BackupError(f"could not back up {source} ({exc})") from None
        raise
    os.replace(partial, target)
    return orders


def _copy(source: Path, target: Path) -> int:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)  # all pages in one step: one consistent snapshot
        dst.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        return _count_orders(dst, source)
    finally:
        dst.close()
        src.close()


def _count_orders(conn: sqlite3.Connection, source: Path) -> int:
    try:
        return conn.execute("SELECT count(*) FROM orders").fetchone()[0]
    except sqlite3.OperationalError:
        raise BackupError(f"DATABASE_URL: {source} has no OrderLoop tables; nothing was backed up") from None
