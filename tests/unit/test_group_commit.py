"""Writes a person waits for, committed together (storage.group_commit): each is reported done only
once its commit has landed, one that fails rolls back alone, and a database that cannot take them
fails them all within their budget with nothing written."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from storage.db import UNWRITABLE, session_scope
from storage.group_commit import GroupCommit, write_waited_for
from storage.models import SeenEvent
from tests.databases import write_lock_held

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def seen(engine) -> set[str]:  # noqa: ANN001
    with session_scope(engine, read_only=True) as session:
        return set(session.execute(select(SeenEvent.event_id)).scalars())


def add(event_id: str):  # noqa: ANN201
    def work(session) -> str:  # noqa: ANN001
        session.add(SeenEvent(event_id=event_id, seen_at=NOW))
        session.flush()
        return event_id

    return work


class Refused(Exception):
    pass


def add_then_refuse(event_id: str):  # noqa: ANN201
    def work(session) -> None:  # noqa: ANN001
        add(event_id)(session)
        raise Refused(event_id)

    return work


def until(predicate, timeout: float = 10.0) -> bool:  # noqa: ANN001
    """Wait for other threads to reach a state (not for time to pass)."""
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            return False
        threading.Event().wait(0.001)
    return True


def test_a_write_is_committed_before_it_returns_and_one_refused_changes_nothing(engine) -> None:  # noqa: ANN001
    assert write_waited_for(engine, add("E1"), budget=2.5) == "E1"
    assert seen(engine) == {"E1"}  # committed: another connection reads it
    with pytest.raises(Refused):
        write_waited_for(engine, add_then_refuse("E2"), budget=2.5)
    assert seen(engine) == {"E1"}


def test_writes_waiting_together_share_one_transaction_and_a_refused_one_rolls_back_alone(engine) -> None:  # noqa: ANN001
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL writes run in their callers' own transactions")
    writer = GroupCommit(engine)
    release, holding = threading.Event(), threading.Event()

    def first(session) -> str:  # noqa: ANN001
        holding.set()
        release.wait()
        return add("E0")(session)

    outcomes: dict[str, object] = {}

    def run(name: str, work) -> None:  # noqa: ANN001
        try:
            outcomes[name] = writer.run(work, budget=10)
        except Exception as exc:  # noqa: BLE001
            outcomes[name] = exc

    threads = [threading.Thread(target=run, args=("E0", first))]
    threads[0].start()
    assert holding.wait(10)
    for name, work in (("E1", add("E1")), ("E2", add_then_refuse("E2")), ("E3", add("E3"))):
        threads.append(threading.Thread(target=run, args=(name, work)))
        threads[-1].start()
    assert until(lambda: writer.pending() == 3)
    assert seen(engine) == set()  # nothing is visible before its commit
    release.set()
    for thread in threads:
        thread.join(10)
    assert outcomes["E0"] == "E0" and outcomes["E1"] == "E1" and outcomes["E3"] == "E3"
    assert isinstance(outcomes["E2"], Refused)
    assert seen(engine) == {"E0", "E1", "E3"}
    assert writer.batches == 2  # E0 alone, then E1, E2 and E3 in one transaction


def test_while_another_writer_holds_the_lock_each_write_fails_in_its_budget_unwritten(engine) -> None:  # noqa: ANN001
    failures: list[Exception] = []

    def run(name: str) -> None:
        try:
            write_waited_for(engine, add(name), budget=0.3)
        except UNWRITABLE as exc:
            failures.append(exc)

    with write_lock_held(engine):
        threads = [threading.Thread(target=run, args=(f"E{n}",)) for n in range(5)]
        started = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(10)
        waited = time.monotonic() - started
    assert len(failures) == 5 and waited < 5, (failures, waited)
    assert seen(engine) == set()
    write_waited_for(engine, add("E9"), budget=2.5)  # once the lock is gone, writes go on
    assert seen(engine) == {"E9"}


def test_a_write_queued_behind_others_past_its_budget_is_not_run(engine) -> None:  # noqa: ANN001
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL writes run in their callers' own transactions")
    now = [100.0]
    writer = GroupCommit(engine, clock=lambda: now[0])
    release, holding = threading.Event(), threading.Event()

    def slow(session) -> str:  # noqa: ANN001
        holding.set()
        release.wait()
        return add("E0")(session)

    first = threading.Thread(target=writer.run, args=(slow,), kwargs={"budget": 10})
    first.start()
    assert holding.wait(10)
    late: list[Exception] = []

    def run_late() -> None:
        try:
            writer.run(add("E1"), budget=1.0)
        except UNWRITABLE as exc:
            late.append(exc)

    second = threading.Thread(target=run_late)
    second.start()
    assert until(lambda: writer.pending() == 1)
    now[0] += 1.5  # E1's budget runs out while E0 holds the writer
    release.set()
    first.join(10)
    second.join(10)
    assert late and "database is locked" in str(late[0])
    assert seen(engine) == {"E0"}


def test_the_writer_thread_ends_when_idle_and_a_later_write_starts_another(engine) -> None:  # noqa: ANN001
    if engine.dialect.name != "sqlite":
        pytest.skip("PostgreSQL writes run in their callers' own transactions")
    writer = GroupCommit(engine, idle_seconds=0.01)
    assert writer.run(add("E1"), budget=2.5) == "E1"
    assert until(lambda: not writer.running())
    assert writer.run(add("E2"), budget=2.5) == "E2"
    assert seen(engine) == {"E1", "E2"}
