"""Writes a person waits for, committed together: one SQLite transaction for every one pending.

SQLite has one write lock per file. When many writes a person waits for arrive at once (a burst
of form submissions, each saved before its ack), each in its own transaction, they queue in
SQLite's busy handler, which polls with sleeps of up to 100 ms, while deliveries of earlier
acks take the lock in between: measured (benchmarks/submit_profile), the last of 50 waited over
2 s for a lock each holder kept some 12 ms, and some gave up at their budget ("not saved").

Here one writer thread per engine takes every write waiting at that moment, runs each in a
SAVEPOINT of one transaction (a write that fails or is refused rolls back alone), commits once,
and only then wakes each waiting caller with its own result: a write is reported done only when
its commit has landed, as before. The writer uses no lock but SQLite's own, and writes use no
session but the one handed to them, so nothing here can wait on itself.

PostgreSQL locks rows, not the database: its writes run in the caller's own transaction, where
one waiting for a row lock holds up nobody else.
"""

from __future__ import annotations

import logging
import queue
import sqlite3
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Generic, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session

from storage.db import BUDGET_MS, session_scope

log = logging.getLogger(__name__)

T = TypeVar("T")

MAX_BATCH = 64  # writes per transaction: bounds how long the last of a batch waits for the commit
IDLE_SECONDS = 2.0  # a writer thread with nothing to do for this long ends; the next write starts one


def _locked(detail: str) -> OperationalError:
    """What a write that could not get the database in its budget raises: SQLite's own error."""
    reason = sqlite3.OperationalError(f"database is locked ({detail})")
    return OperationalError("BEGIN IMMEDIATE", None, reason)


@dataclass(eq=False)
class _Write(Generic[T]):
    work: Callable[[Session], T]
    deadline: float  # the writer's clock() by which its transaction must have the lock
    done: threading.Event = field(default_factory=threading.Event)
    result: T | None = None
    error: BaseException | None = None
    abandoned: bool = False  # the caller stopped waiting before it ran: never run it
    started: bool = False


class GroupCommit:
    """One writer thread for an engine's writes that a person waits for."""

    def __init__(
        self,
        engine: Engine,
        *,
        max_batch: int = MAX_BATCH,
        idle_seconds: float = IDLE_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # weakly: _WRITERS is keyed weakly by the engine, which a strong reference here would keep
        self._engine = weakref.ref(engine)
        self.max_batch, self.idle_seconds, self.clock = max_batch, idle_seconds, clock
        self._queue: queue.SimpleQueue[_Write] = queue.SimpleQueue()
        self._lock = threading.Lock()  # guards _thread and the writer's decision to end
        self._thread: threading.Thread | None = None
        self.batches = 0  # transactions committed or failed (for tests and benchmarks)

    def pending(self) -> int:
        """Writes queued and not yet taken by the writer."""
        return self._queue.qsize()

    def running(self) -> bool:
        """Whether a writer thread is there (it ends after idle_seconds without work)."""
        with self._lock:
            return self._thread is not None

    def run(self, work: Callable[[Session], T], *, budget: float) -> T:
        """`work(session)` in a transaction committed before this returns, waiting at most `budget`
        seconds for the database; raises what `work` raised (its savepoint rolled back), or one of
        storage.db.UNWRITABLE if the database could not take it (then nothing of it was written)."""
        write = _Write(work, self.clock() + budget)
        with self._lock:
            self._queue.put(write)
            if self._thread is None:
                self._thread = threading.Thread(target=self._serve, name="group-commit", daemon=True)
                self._thread.start()
        # The writer honours the deadline before it takes the lock; past it, the commit itself may
        # be under way, so allow it a moment more before giving up on a stuck writer.
        if not write.done.wait(budget + 5.0):
            with self._lock:
                write.abandoned = not write.started
            if write.abandoned:
                raise _locked("the writer did not get to it in time")
            write.done.wait()
        if write.error is not None:
            raise write.error
        return write.result

    def _serve(self) -> None:
        while True:
            try:
                first = self._queue.get(timeout=self.idle_seconds)
            except queue.Empty:
                with self._lock:
                    if self._queue.empty():
                        self._thread = None
                        return
                continue
            batch = [first]
            while len(batch) < self.max_batch:
                try:
                    batch.append(self._queue.get_nowait())
                except queue.Empty:
                    break
            self._commit(batch)

    def _commit(self, batch: list[_Write]) -> None:
        now = self.clock()
        with self._lock:
            for write in batch:
                write.started = not write.abandoned
        live = []
        for write in batch:
            if not write.started:
                continue
            if write.deadline <= now:  # waited its whole budget behind other batches
                write.error = _locked("waited past its budget")
            else:
                live.append(write)
        try:
            if live:
                self._transaction(live, budget=min(w.deadline for w in live) - now)
        except Exception as exc:  # the transaction failed (lock, disk, connection): none is saved
            for write in live:
                if write.error is None:
                    write.error, write.result = exc, None
        finally:
            self.batches += 1
            for write in batch:
                write.done.set()

    def _transaction(self, writes: list[_Write], *, budget: float) -> None:
        """One transaction; each write in a session of its own (its own identity map, as if it had
        the transaction to itself) joined to it by a SAVEPOINT."""
        options = {BUDGET_MS: max(1, int(budget * 1000))}
        engine = self._engine()
        if engine is None:  # disposed of while writes were waiting: nobody can read them anyway
            raise _locked("the database engine is gone")
        with engine.connect().execution_options(**options) as connection, connection.begin():
            for write in writes:
                session = Session(
                    bind=connection, join_transaction_mode="create_savepoint", expire_on_commit=False
                )
                try:
                    write.result = write.work(session)
                    session.commit()  # releases its savepoint
                except Exception as exc:  # its savepoint is rolled back; the others go on
                    write.error, write.result = exc, None
                    session.rollback()
                finally:
                    session.close()


_WRITERS: weakref.WeakKeyDictionary[Engine, GroupCommit] = weakref.WeakKeyDictionary()
_WRITERS_LOCK = threading.Lock()


def write_waited_for(engine: Engine, work: Callable[[Session], T], *, budget: float) -> T:
    """Run `work(session)` in a committed transaction, for a caller a person is waiting on; on
    SQLite together with the other such writes pending at the moment (GroupCommit)."""
    if engine.dialect.name != "sqlite":
        with session_scope(engine, budget=budget) as session:
            return work(session)
    with _WRITERS_LOCK:
        writer = _WRITERS.get(engine)
        if writer is None:
            writer = _WRITERS[engine] = GroupCommit(engine)
    return writer.run(work, budget=budget)
