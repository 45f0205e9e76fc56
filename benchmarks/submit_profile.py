"""Where a form submission's time goes under a burst: `python -m benchmarks.submit_profile [N]`.

One real app in its own process (as the ack benchmark serves it) takes bursts of N concurrent
new-order submissions. Inside it each submission's time is split into: waiting before its
listener starts (waitress and Bolt queues), the read-only look, waiting for the write lock
(BEGIN IMMEDIATE / the first statement), the write's statements and Python, the commit, and what
else wrote meanwhile (deliveries after earlier acks). Not a bar; a diagnosis, printed.

`--small-write` (after N) asks what a smaller durable record before the ack would buy: the order's write
is replaced by one small row (as a journal of the parsed submission would be), the view's claim
and everything before it unchanged, and nothing is delivered.
"""

from __future__ import annotations

import os
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from benchmarks.ack_latency import _seed_views, submit_body
from benchmarks.common import (
    LoadGenerator,
    RemoteStandin,
    ServerProcess,
    build_services,
    percentile,
    quiet_logs,
    wait_until,
)

_LOCAL = threading.local()
_SPANS: list[dict] = []  # one per submission
_WRITES: list[tuple[str, float, float]] = []  # (who, lock taken, released) of every write transaction
_BATCHES: list[tuple[int, float]] = []  # group commit: (writes, seconds) of each transaction


def _install(svc) -> None:  # noqa: ANN001
    """In the server's process: time the phases of check_ack_write and every write transaction."""
    from sqlalchemy import event

    from bot import forms

    original_check, original_look = forms.check_ack_write, forms._look

    def check_ack_write(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        span = _LOCAL.span = {"start": time.time()}
        try:
            return original_check(*args, **kwargs)
        finally:
            span["end"] = time.time()
            _SPANS.append(span)
            _LOCAL.span = None

    def look(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        started = time.time()
        try:
            return original_look(*args, **kwargs)
        finally:
            if getattr(_LOCAL, "span", None) is not None:
                _LOCAL.span["look"] = time.time() - started

    forms.check_ack_write, forms._look = check_ack_write, look

    original_wait = forms.write_waited_for

    def write_waited_for(*args, **kwargs):  # noqa: ANN002, ANN003, ANN202
        started = time.time()
        try:
            return original_wait(*args, **kwargs)
        finally:
            if getattr(_LOCAL, "span", None) is not None:
                _LOCAL.span["saved"] = time.time() - started

    forms.write_waited_for = write_waited_for

    from storage.group_commit import GroupCommit

    original_transaction = GroupCommit._transaction

    def transaction(self, writes, *, budget):  # noqa: ANN001, ANN202
        started = time.time()
        try:
            return original_transaction(self, writes, budget=budget)
        finally:
            _BATCHES.append((len(writes), time.time() - started))

    GroupCommit._transaction = transaction

    transactions: dict[int, dict] = {}  # by DBAPI connection: when it asked for the lock, got it

    @event.listens_for(svc.engine, "before_cursor_execute")
    def before(conn, cursor, statement, *_):  # noqa: ANN001, ANN202
        if statement.startswith("BEGIN IMMEDIATE"):
            transactions[id(cursor.connection)] = {"asked": time.time(), "statements": 0}

    @event.listens_for(svc.engine, "after_cursor_execute")
    def after(conn, cursor, statement, *_):  # noqa: ANN001, ANN202
        tx = transactions.get(id(cursor.connection))
        if tx is None:
            return
        if statement.startswith("BEGIN IMMEDIATE"):
            tx["locked"] = time.time()
        else:
            tx["statements"] += 1

    dialect = svc.engine.dialect
    original_commit, original_rollback = dialect.do_commit, dialect.do_rollback

    def finish(connection, original) -> None:  # noqa: ANN001
        started = time.time()
        original(connection)
        done = time.time()
        tx = transactions.pop(id(getattr(connection, "dbapi_connection", connection)), None)
        if tx is None or "locked" not in tx:
            return
        span = getattr(_LOCAL, "span", None)
        grouped = threading.current_thread().name == "group-commit"
        who = "submission" if span is not None else "group commit" if grouped else "deliveries"
        _WRITES.append((who, tx["locked"], done))
        if span is not None and original is original_commit:
            span["lock_wait"] = tx["locked"] - tx["asked"]
            span["write"] = started - tx["locked"]
            span["commit"] = done - started
            span["statements"] = tx["statements"]

    dialect.do_commit = lambda c: finish(c, original_commit)
    dialect.do_rollback = lambda c: finish(c, original_rollback)

    pool = svc.engine.pool
    original_connect = pool.connect

    def connect():  # noqa: ANN202
        started = time.time()
        try:
            return original_connect()
        finally:
            span = getattr(_LOCAL, "span", None)
            if span is not None:
                span["checkout"] = span.get("checkout", 0) + time.time() - started

    pool.connect = connect


def _small_write(svc) -> None:  # noqa: ANN001
    """In the server's process: register_order writes one small row instead of the order."""
    from itertools import count

    from storage.models import SeenEvent
    from workflows import orders

    rows = count()

    def register_order(session, ctx, *, actor, fields) -> None:  # noqa: ANN001
        session.add(SeenEvent(event_id=f"journal-{next(rows)}", seen_at=ctx.now))
        session.flush()

    orders.register_order = register_order


def _collect(svc) -> tuple[list[dict], list[tuple[str, float, float]], list[tuple[int, float]]]:  # noqa: ANN001
    spans, writes, batches = list(_SPANS), list(_WRITES), list(_BATCHES)
    _SPANS.clear()
    _WRITES.clear()
    _BATCHES.clear()
    return spans, writes, batches


def _cpu(svc) -> float:  # noqa: ANN001
    """CPU seconds the server's process has used (all its threads)."""
    times = os.times()
    return times.user + times.system


def _row(name: str, values: list[float]) -> str:
    if not values:
        return f"{name:38} (none)"
    return (
        f"{name:38} p50 {percentile(values, 50) * 1000:7.1f} ms   p99 {percentile(values, 99) * 1000:7.1f} ms"
        f"   max {max(values) * 1000:7.1f} ms   sum {sum(values) * 1000:8.1f} ms"
    )


def main(concurrency: int = 50, bursts: int = 3, *, small_write: bool = False) -> None:
    quiet_logs()
    with tempfile.TemporaryDirectory() as tmp, LoadGenerator() as load:
        standin = RemoteStandin()
        db = Path(tmp) / "profile.db"
        svc = build_services(db, standin)
        _seed_views(svc, 0, 10**3)
        year = svc.context().today.year + 1
        svc.engine.dispose()
        try:
            with ServerProcess("bare", db, standin) as bare:
                for b in range(bursts + 1):
                    bodies = [submit_body(10**5 + k, year) for k in range(concurrency)]
                    cpu = bare.call(_cpu)
                    results = load.fire(bare.url, bodies)
                    cpu = bare.call(_cpu) - cpu
                    print(_row(f"bare app, burst {b}: round trip", [seconds for _, seconds, _ in results]))
                    print(f"{'bare app: CPU used':38} {cpu * 1000:.0f} ms")
            with ServerProcess("real", db, standin) as real:
                real.call(_install)
                if small_write:
                    real.call(_small_write)
                posted, n = 0, 0
                for b in range(bursts + 1):  # the first burst warms up
                    bodies = [submit_body(k, year) for k in range(n, n + concurrency)]
                    n += concurrency
                    sent, cpu = time.time(), real.call(_cpu)
                    results = load.fire(real.url, bodies)
                    cpu = real.call(_cpu) - cpu
                    saved = sum(1 for status, _, answer in results if status == 200 and not answer)
                    posted += 0 if small_write else 3 * saved
                    assert wait_until(lambda n=posted: standin.count("chat.postMessage") >= n, step=0.1)
                    spans, writes, batches = real.call(_collect)
                    if b == 0:
                        continue
                    last_ack = max(s["end"] for s in spans)
                    print(f"\nburst {b}: {concurrency} submissions, {saved} saved")
                    print(_row("client round trip", [seconds for _, seconds, _ in results]))
                    print(f"{'CPU used by the burst (before delivery)':38} {cpu * 1000:.0f} ms")
                    print(_row("queued before the listener", [s["start"] - sent for s in spans]))
                    print(_row("waiting for a pooled connection", [s.get("checkout", 0) for s in spans]))
                    print(_row("read-only look", [s.get("look", 0) for s in spans]))
                    print(
                        _row(
                            "waiting for the write lock", [s["lock_wait"] for s in spans if "lock_wait" in s]
                        )
                    )
                    print(_row("write (statements + Python)", [s["write"] for s in spans if "write" in s]))
                    print(_row("commit", [s["commit"] for s in spans if "commit" in s]))
                    print(
                        _row("claim and write, group committed", [s["saved"] for s in spans if "saved" in s])
                    )
                    if batches:
                        sizes = sorted(size for size, _ in batches)
                        print(_row("group commit transactions", [seconds for _, seconds in batches]))
                        print(f"writes per group commit: {sizes}")
                    print(_row("listener total (to the ack)", [s["end"] - s["start"] for s in spans]))
                    held: dict[str, list[float]] = defaultdict(list)
                    for who, taken, released in writes:
                        if taken < last_ack:
                            held[who].append(min(released, last_ack) - taken)
                    for who, values in held.items():
                        print(_row(f"write lock held by {who} (<= last ack)", values) + f"  n={len(values)}")
                    statements = [s["statements"] for s in spans if "statements" in s]
                    print(f"statements per submission write: {sorted(set(statements))}")
        finally:
            standin.stop()


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:] if a.isdigit()), small_write="--small-write" in sys.argv)
