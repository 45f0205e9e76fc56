"""The test databases themselves: each test gets its own, migrated one, and "another writer holds the
lock" means the same on both backends (reads go on, writes wait), so the tests built on it can fail."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from sqlalchemy import func, inspect, select

from storage.db import session_scope
from storage.models import SeenEvent
from tests.databases import write_lock_free, write_lock_held

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def add_event(engine, event_id: str) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        session.add(SeenEvent(event_id=event_id, seen_at=NOW))


def events(engine) -> int:  # noqa: ANN001
    with session_scope(engine, read_only=True) as session:
        return session.execute(select(func.count()).select_from(SeenEvent)).scalar_one()


def test_each_test_gets_a_migrated_database_of_its_own(engine) -> None:  # noqa: ANN001
    assert "alembic_version" in inspect(engine).get_table_names()
    assert events(engine) == 0  # nothing left over from the template or another test
    add_event(engine, "Ev1")
    assert events(engine) == 1


def test_while_another_writer_holds_the_lock_reads_go_on_and_writes_wait(engine) -> None:  # noqa: ANN001
    add_event(engine, "Ev1")
    with write_lock_held(engine):
        assert events(engine) == 1
        writer = threading.Thread(target=add_event, args=(engine, "Ev2"))
        writer.start()
        writer.join(timeout=0.5)
        assert writer.is_alive(), "a write went through while the lock was held"
    writer.join(timeout=10)
    assert not writer.is_alive() and events(engine) == 2  # and it finishes once the lock is let go


def test_the_probe_sees_an_open_write_transaction_and_only_while_it_is_open(engine) -> None:  # noqa: ANN001
    assert write_lock_free(engine)
    with session_scope(engine) as session:
        session.add(SeenEvent(event_id="Ev1", seen_at=NOW))
        session.flush()
        assert not write_lock_free(engine)
    assert write_lock_free(engine)
