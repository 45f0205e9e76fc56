"""PostgreSQL for tests: reach (or start) the local server, and a throwaway database per test."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from uuid import uuid4

import psycopg
from psycopg import sql

HOST, PORT = "127.0.0.1", 5432
ROLES = ("postgres", "root")  # trust auth; which role exists depends on how the server was set up
CLUSTERS = Path("/etc/postgresql")


class PostgresUnavailable(Exception):
    """No PostgreSQL server answers on 127.0.0.1:5432, even after trying to start one."""


def _connect(role: str) -> psycopg.Connection | None:
    try:
        return psycopg.connect(
            host=HOST, port=PORT, user=role, dbname="postgres", autocommit=True, connect_timeout=3
        )
    except psycopg.OperationalError:
        return None


def _start_server() -> str:
    """Start each local cluster named `main`; returns what went wrong, for the skip reason."""
    versions = sorted(p.name for p in CLUSTERS.iterdir()) if CLUSTERS.is_dir() else []
    if not versions:
        return f"no cluster under {CLUSTERS}"
    problems = []
    for version in versions:
        command = ["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", "start"]
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            problems.append(f"{' '.join(command)}: {exc}")
            continue
        if done.returncode != 0:
            problems.append(f"{' '.join(command)}: {(done.stderr or done.stdout).strip()}")
    return "; ".join(problems)


def admin_connection() -> psycopg.Connection:
    """An autocommit connection to the `postgres` database, starting the server if it is down."""
    for role in ROLES:
        if (conn := _connect(role)) is not None:
            return conn
    problem = _start_server()
    for role in ROLES:
        if (conn := _connect(role)) is not None:
            return conn
    raise PostgresUnavailable(
        f"PostgreSQL is not reachable at {HOST}:{PORT} as any of {ROLES}"
        + (f" (starting it: {problem})" if problem else "")
    )


def drop_database(admin: psycopg.Connection, name: str) -> None:
    """Drop a database even while processes a test started are still connected to it."""
    admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = %s AND pid <> pg_backend_pid()",
        (name,),
    )
    admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def empty_database(admin: psycopg.Connection, name: str) -> bool:
    """End every connection to a test's database, delete every row and restart every sequence, as
    if it were a new copy of the template; False if that could not be done.

    DELETE, not TRUNCATE: on tables of a few rows it costs milliseconds, where TRUNCATE makes new
    files for each table. The schema's version row (alembic_version) stays.
    """
    admin.execute(
        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
        " WHERE datname = %s AND pid <> pg_backend_pid()",
        (name,),
    )
    try:
        with psycopg.connect(host=HOST, port=PORT, user=admin.info.user, dbname=name) as conn:
            conn.execute("SET session_replication_role = replica")  # no foreign-key order to follow
            tables = conn.execute(
                "SELECT tablename FROM pg_tables"
                " WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
            ).fetchall()
            for (table,) in tables:
                conn.execute(sql.SQL("DELETE FROM {}").format(sql.Identifier(table)))
            conn.execute("SELECT setval(oid, 1, false) FROM pg_class WHERE relkind = 'S'")
    except psycopg.Error:
        return False
    return True


def url_of(admin: psycopg.Connection, name: str) -> str:
    return f"postgresql+psycopg://{admin.info.user}@{HOST}:{PORT}/{name}"


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid4().hex[:12]}"


def create_database(admin: psycopg.Connection, name: str, *, template: str | None = None) -> None:
    """A new database, empty or a copy of `template` (a file-level copy: no migrations to run)."""
    statement = sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
    if template is not None:
        statement += sql.SQL(" TEMPLATE {}").format(sql.Identifier(template))
    admin.execute(statement)
    # A test database need not survive a power cut: commits stop waiting for the WAL flush,
    # which is most of a commit's time on a loaded disk. Isolation and locking are unchanged.
    admin.execute(sql.SQL("ALTER DATABASE {} SET synchronous_commit = off").format(sql.Identifier(name)))


@contextmanager
def temporary_database(prefix: str = "orderloop_test", *, template: str | None = None) -> Iterator[str]:
    """Create a uniquely named database (a copy of `template` if given); yield its SQLAlchemy URL;
    drop it afterwards.

    Raises `PostgresUnavailable` (before yielding) when no server can be reached.
    """
    admin = admin_connection()
    name = unique_name(prefix)
    try:
        create_database(admin, name, template=template)
        try:
            yield url_of(admin, name)
        finally:
            drop_database(admin, name)
    finally:
        admin.close()
