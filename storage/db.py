"""The engine built from DATABASE_URL, and one short session per request or job."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from pathlib import Path

from alembic import command
from alembic.config import Config as AlembicConfig
from sqlalchemy import Table, event, inspect, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlmodel import Session, SQLModel, create_engine

from storage import models, review_models, stock_models  # noqa: F401  (registers the tables on SQLModel.metadata)

SQLITE_BUSY_TIMEOUT_MS = 10_000
READ_ONLY = "orderloop_read_only"
BUDGET_MS = "orderloop_budget_ms"  # how long this transaction may wait for a lock or a statement
# What a database that cannot take a write raises: locked past the budget, a read-only file,
# a full disk, a lost connection, a PostgreSQL lock or statement timeout.
UNWRITABLE = (OperationalError, InterfaceError)


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 10})
        _configure_sqlite(engine)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    engine = create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
    _configure_postgresql(engine)
    return engine


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        # A person is waiting (Slack allows 3 s): give up on a held lock or a stuck statement
        # in time to say "not saved, try again" rather than miss the answer.
        budget = conn.get_execution_options().get(BUDGET_MS)
        if budget:
            conn.exec_driver_sql(f"SET LOCAL lock_timeout = {int(budget)}")
            conn.exec_driver_sql(f"SET LOCAL statement_timeout = {int(budget)}")


def _configure_sqlite(engine: Engine) -> None:
    # pysqlite's own transaction handling would defer BEGIN until the first write, so a
    # read-then-write transaction could hit SQLITE_BUSY on upgrade. We issue BEGIN
    # IMMEDIATE ourselves: every transaction takes the write lock up front and waits
    # (busy_timeout) instead of failing with "database is locked".
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # noqa: ANN001
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # noqa: ANN001
        # busy_timeout belongs to the connection, which the pool reuses: set it per transaction,
        # shorter where a person is waiting, and back to the default afterwards.
        wanted = conn.get_execution_options().get(BUDGET_MS) or SQLITE_BUSY_TIMEOUT_MS
        if conn.info.get("busy_timeout_ms", SQLITE_BUSY_TIMEOUT_MS) != wanted:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={int(wanted)}")
            conn.info["busy_timeout_ms"] = wanted
        # Read-only work (a listener checking state before it acks) must not queue for the write
        # lock: under WAL a plain BEGIN reads a consistent snapshot without blocking writers.
        conn.exec_driver_sql("BEGIN" if conn.get_execution_options().get(READ_ONLY) else "BEGIN IMMEDIATE")


SCHEMA_LOCK = 0x0D3E1_00F  # any constant: PostgreSQL advisory lock serialising schema creation


MIGRATIONS = Path(__file__).parent / "migrations"


def alembic_config(connection: Connection) -> AlembicConfig:
    config = AlembicConfig()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL; None for PostgreSQL or an in-memory database."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def missing_sqlite_file(url: str) -> bool:
    """A SQLite file not there yet in a folder that is: opening it would create an empty one."""
    path = sqlite_file(url)
    return path is not None and path.parent.is_dir() and not path.exists()


def has_schema(engine: Engine) -> bool:
    """Whether OrderLoop's tables are there (a database it has migrated before)."""
    with engine.connect() as conn:
        return inspect(conn).has_table("alembic_version") and inspect(conn).has_table("orders")


def create_schema(engine: Engine) -> None:
    """Bring the database to the newest schema (Alembic migrations in storage/migrations).

    Replicas starting together on PostgreSQL take turns (advisory lock); SQLite's BEGIN
    IMMEDIATE already serialises them.
    """
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": SCHEMA_LOCK})
        command.upgrade(alembic_config(conn), "head")


def insert_ignoring_duplicates(session: Session, table: type[SQLModel], values: dict):  # noqa: ANN201
    """INSERT … ON CONFLICT DO NOTHING for SQLite and PostgreSQL: idempotent under concurrency."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table).values(**values).on_conflict_do_nothing()


def add_unless_present(session: Session, table: type[SQLModel], values: dict) -> int:
    """insert_ignoring_duplicates of one row, executed: 1 if it was added, 0 if its key was there.

    The statement is built once per table and backend and the row passed as its parameters:
    building an ORM insert with the values in it cost more than the rest of the row's work
    (some 0.4 ms of a form's write, which inserts seven such rows; benchmarks/submit_profile)."""
    stmt = _ignoring_duplicates(session.get_bind().dialect.name, table.__table__)
    return session.execute(stmt, values).rowcount


@cache
def _ignoring_duplicates(backend: str, table: Table):  # noqa: ANN202
    dialect = postgresql if backend == "postgresql" else sqlite
    return dialect.insert(table).on_conflict_do_nothing()


@contextmanager
def session_scope(
    engine: Engine, *, read_only: bool = False, budget: float | None = None
) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error, always close.

    `budget` (seconds): wait at most this long for a lock (SQLite busy_timeout, PostgreSQL
    lock_timeout and statement_timeout), then raise one of UNWRITABLE."""
    session = Session(engine, expire_on_commit=False)
    options = {READ_ONLY: True} if read_only else {}
    if budget is not None:
        options[BUDGET_MS] = max(1, int(budget * 1000))
    if options:
        session.connection(execution_options=options)
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def probe_write(engine: Engine, *, now: datetime, budget: float = 1.0) -> None:
    """Commit one tiny write within `budget` seconds, or raise one of UNWRITABLE (locked, a
    read-only file, a full disk): what /healthz asks, since reads may work when writes cannot."""
    with session_scope(engine, budget=budget) as session:
        dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
        stmt = dialect.insert(models.HealthProbe).values(name="healthz", at=now)
        session.execute(stmt.on_conflict_do_update(index_elements=["name"], set_={"at": now}))
