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
    """One per test session: the migrated template of each backend, made on first use.

    On PostgreSQL a copy of the template costs about half a second on a loaded machine, so a
    database a test has finished with is handed to the next test, emptied first (its connections
    ended, every row deleted, every sequence restarted: a few milliseconds).
    """

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self._sqlite_template: Path | None = None
        self._pg_template: str | None = None
        self._pg_admin: psycopg.Connection | None = None
        self._pg_free: list[str] = []  # emptied copies of the template, ready for the next test
        self._pg_made: list[str] = []  # every database made here, all dropped at the end
        self.pg_unavailable: str | None = None  # why PostgreSQL could not be had, once known

    @contextmanager
    def migrated(self, backend: str, directory: Path) -> Iterator[str]:
        """A database at the newest schema and without rows; yields its URL."""
        if backend == "sqlite":
            path = directory / "orderloop.db"
            shutil.copyfile(self._sqlite(), path)
            yield f"sqlite:///{path}"
            return
        admin = self._admin()
        name = self._pg_reused(admin) or self._pg_copy(admin)
        try:
            yield pg.url_of(admin, name)
        finally:
            self._pg_free.append(name)

    @contextmanager
    def blank(self, backend: str, directory: Path) -> Iterator[str]:
        """A database without any table, for tests of the migrations themselves."""
        if backend == "sqlite":
            yield f"sqlite:///{directory / 'orderloop.db'}"
            return
        self._admin()
        with pg.temporary_database() as url:
            yield url

    def close(self) -> None:
        if self._pg_admin is None:
            return
        for name in [*self._pg_made, self._pg_template]:
            if name is not None:  # no template was made when no test needed a migrated database
                pg.drop_database(self._pg_admin, name)
        self._pg_admin.close()

    def _sqlite(self) -> Path:
        if self._sqlite_template is None:
            path = self.workdir / "template.db"
            _migrate(f"sqlite:///{path}")  # disposing checkpoints the WAL into the file itself
            self._sqlite_template = path
        return self._sqlite_template

    def _pg_reused(self, admin: psycopg.Connection) -> str | None:
        """A database an earlier test used, emptied now (not when that test ended, so that nothing
        it left running can have written since)."""
        while self._pg_free:
            name = self._pg_free.pop()
            if pg.empty_database(admin, name):
                return name
            pg.drop_database(admin, name)  # something the emptying did not foresee: never reuse it
        return None

    def _pg_copy(self, admin: psycopg.Connection) -> str:
        if self._pg_template is None:
            self._pg_template = self._pg_new(admin, "orderloop_template")
            _migrate(pg.url_of(admin, self._pg_template))  # its connections closed: it can be copied
        return self._pg_new(admin, "orderloop_test", template=self._pg_template)

    def _pg_new(self, admin: psycopg.Connection, prefix: str, template: str | None = None) -> str:
        name = pg.unique_name(prefix)
        pg.create_database(admin, name, template=template)
        if template is not None:
            self._pg_made.append(name)
        return name

    def _admin(self) -> psycopg.Connection:
        """The session's admin connection; after one failure, fail at once (starting takes a while)."""
        if self.pg_unavailable is not None:
            raise pg.PostgresUnavailable(self.pg_unavailable)
        if self._pg_admin is None:
            try:
                self._pg_admin = pg.admin_connection()
            except pg.PostgresUnavailable as exc:
                self.pg_unavailable = str(exc)
                raise
        return self._pg_admin


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
