"""The database a test runs on: SQLite or PostgreSQL, already migrated and cheap to make.

Each backend's schema is migrated once per session into a template (a file, or a PostgreSQL
template database); every test gets a copy of it, so doubling the suite does not double the
migrations. `write_lock_held` plays "another writer is busy" on either backend.
"""

from __future__ import annotations

import shutil
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path

import psycopg
from psycopg import sql
from sqlalchemy.engine import Engine

from storage.db import SQLITE_BUSY_TIMEOUT_MS, create_schema, make_engine
from tests import pg

BACKENDS = ("sqlite", "postgresql")


class Databases:
    """One per test session: the migrated template of each backend, made on first use."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._sqlite_template: Path | None = None
        self._pg_template: str | None = None
        self.pg_unavailable: str | None = None  # why PostgreSQL could not be had, once known

    @contextmanager
    def migrated(self, backend: str, directory: Path) -> Iterator[str]:
        """A database at the newest schema; yields its URL and removes it afterwards."""
        if backend == "sqlite":
            path = directory / "orderloop.db"
            shutil.copyfile(self._sqlite(), path)
            yield f"sqlite:///{path}"
            return
        with pg.temporary_database(template=self._postgres()) as url:
            yield url

    @contextmanager
    def blank(self, backend: str, directory: Path) -> Iterator[str]:
        """A database without any table, for tests of the migrations themselves."""
        if backend == "sqlite":
            yield f"sqlite:///{directory / 'orderloop.db'}"
            return
        self._reachable()
        with pg.temporary_database() as url:
            yield url

    def close(self) -> None:
        if self._pg_template is not None:
            with pg.admin_connection() as admin:
                pg.drop_database(admin, self._pg_template)

    def _sqlite(self) -> Path:
        if self._sqlite_template is None:
            path = self.workdir / "template.db"
            _migrate(f"sqlite:///{path}")  # disposing checkpoints the WAL into the file itself
            self._sqlite_template = path
        return self._sqlite_template

    def _postgres(self) -> str:
        if self._pg_template is None:
            admin = self._reachable()
            name = pg.unique_name("orderloop_template")
            try:
                pg.create_database(admin, name)
                _migrate(pg.url_of(admin, name))  # its connections closed: it can now be copied
            finally:
                admin.close()
            self._pg_template = name
        return self._pg_template

    def _reachable(self) -> psycopg.Connection:
        """An admin connection; after one failure, fail at once (starting a server takes a while)."""
        if self.pg_unavailable is not None:
            raise pg.PostgresUnavailable(self.pg_unavailable)
        try:
            return pg.admin_connection()
        except pg.PostgresUnavailable as exc:
            self.pg_unavailable = str(exc)
            raise


def _migrate(url: str) -> None:
    engine = make_engine(url)
    try:
        create_schema(engine)
    finally:
        engine.dispose()


# -- another writer ---------------------------------------------------------------------------------


@contextmanager
def write_lock_held(engine: Engine) -> Iterator[None]:
    """Another connection holds the write lock, as a sweep writing many rows would: readers go on,
    writers wait, and a writer still waiting after the busy timeout fails.

    SQLite has one database-wide lock (BEGIN IMMEDIATE). PostgreSQL has none, so every table is
    locked IN EXCLUSIVE MODE, which lets plain reads through and makes every write (and every
    SELECT … FOR UPDATE) wait; a watchdog cancels a writer that waits longer than SQLite would.
    """
    if engine.dialect.name == "sqlite":
        other = sqlite3.connect(engine.url.database, isolation_level=None)
        try:
            other.execute("BEGIN IMMEDIATE")
            yield
            other.execute("ROLLBACK")
        finally:
            other.close()
        return
    with _pg_connection(engine) as holder:
        holder.execute(_lock_all_tables(holder))
        stop = threading.Event()
        watchdog = threading.Thread(target=_cancel_long_waiters, args=(engine, holder.info.backend_pid, stop))
        watchdog.start()
        try:
            yield
        finally:
            stop.set()
            watchdog.join()
            holder.rollback()


def write_lock_free(engine: Engine) -> bool:
    """Whether a writer could start at once: no other connection holds the write lock (SQLite), or
    no open transaction has written or locked a row (PostgreSQL)."""
    if engine.dialect.name == "sqlite":
        probe = sqlite3.connect(engine.url.database, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return True
        except sqlite3.OperationalError:
            return False
        finally:
            probe.close()
    with _pg_connection(engine) as probe:
        try:
            probe.execute(_lock_all_tables(probe) + sql.SQL(" NOWAIT"))
            return True
        except psycopg.errors.LockNotAvailable:
            return False
        finally:
            probe.rollback()


@contextmanager
def _pg_connection(engine: Engine) -> Iterator[psycopg.Connection]:
    url = engine.url
    with psycopg.connect(host=url.host, port=url.port, user=url.username, dbname=url.database) as conn:
        yield conn


def _lock_all_tables(conn: psycopg.Connection) -> sql.Composed:
    names = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    tables = sql.SQL(", ").join(sql.Identifier(name) for name in names)
    return sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(tables)


def _cancel_long_waiters(engine: Engine, holder_pid: int, stop: threading.Event) -> None:
    """PostgreSQL waits for a lock for ever; SQLite gives up after its busy timeout. Do as SQLite."""
    first_seen: dict[int, float] = {}
    with _pg_connection(engine) as watcher:
        watcher.autocommit = True
        while not stop.wait(0.05):
            waiting = watcher.execute(
                "SELECT pid FROM pg_stat_activity WHERE %s = ANY(pg_blocking_pids(pid))", (holder_pid,)
            ).fetchall()
            for (pid,) in waiting:
                since = first_seen.setdefault(pid, time.monotonic())
                if time.monotonic() - since > SQLITE_BUSY_TIMEOUT_MS / 1000:
                    with suppress(psycopg.Error):
                        watcher.execute("SELECT pg_cancel_backend(%s)", (pid,))
