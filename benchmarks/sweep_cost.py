"""Sweep cost: `run_due` over 1k, 10k and 100k orders (mostly closed) with 100 reminders due.

Bar: the 100k case within 2x of the 1k case, i.e. the sweep reaches due rows through indexes
and never scans history. Each size also gets an idle sweep (nothing due), the tick `serve`
runs every `sweep_seconds`, timed apart so its cost is not hidden by the delivery.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from benchmarks.common import Outcome, RemoteStandin, build_services, ms
from benchmarks.seed import Loader
from bot.sweep import run_due

# 20:00 in Asia/Shanghai: after the day's digest catch-up window, so only the reminders are due.
MOMENT = datetime(2026, 11, 25, 12, 0, tzinfo=UTC)
DUE = 100
IDLE_REPEATS = 5


def seed(db: Path, svc, orders: int, batches: int) -> float:  # noqa: ANN001
    """`orders` in all: `batches` x 100 open ones with reminders due an hour apart, the rest closed."""
    started = time.perf_counter()
    loader = Loader()
    loader.closed_orders(orders - DUE * batches, start=MOMENT)
    for batch in range(batches):
        loader.due_reminders(DUE, due_at=MOMENT + timedelta(hours=batch))
    loader.write(svc.engine)
    raw = svc.engine.raw_connection()  # outside a transaction (the engine's BEGIN IMMEDIATE would block it)
    try:  # fold the bulk load's WAL into the file: time the steady state, not the load's aftermath
        raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        raw.close()
    return time.perf_counter() - started


def _timed_deliver(svc) -> list[float]:  # noqa: ANN001
    """Record the delivery part of each sweep, so the due handling can be told apart from it."""
    spent: list[float] = []
    deliver = svc.deliverer.deliver

    def timed(**kw):  # noqa: ANN003, ANN202
        started = time.perf_counter()
        try:
            return deliver(**kw)
        finally:
            spent.append(time.perf_counter() - started)

    svc.deliverer.deliver = timed
    return spent


def measure(orders: int, batches: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        standin = RemoteStandin()  # in its own process, like Slack: its work is not the sweep's
        try:
            db = Path(tmp) / "sweep.db"
            svc = build_services(db, standin)
            seconds = seed(db, svc, orders, batches)
            deliver_spent = _timed_deliver(svc)
            run_due(svc, MOMENT - timedelta(hours=2))  # plans the recurring items; nothing due yet
            idle = []
            for i in range(IDLE_REPEATS):
                started = time.perf_counter()
                result = run_due(svc, MOMENT - timedelta(hours=1, minutes=i))
                idle.append(time.perf_counter() - started)
                assert not result.outcomes, result.outcomes
            due, handling, sent = [], [], 0
            for batch in range(batches):
                deliver_spent.clear()
                started = time.perf_counter()
                result = run_due(svc, MOMENT + timedelta(hours=batch))
                due.append(time.perf_counter() - started)
                handling.append(due[-1] - sum(deliver_spent))
                reminded = [line for line in result.outcomes if line.endswith("direct message(s)")]
                assert len(reminded) == DUE, f"expected {DUE} reminders, got {result.outcomes[:5]}"
                sent += result.delivered
            svc.engine.dispose()
            return {
                "orders": orders,
                "seed_s": seconds,
                "db_mb": db.stat().st_size / 1e6,
                "due_s": statistics.median(due),
                "due_runs_s": due,
                "handling_s": statistics.median(handling),
                "idle_s": statistics.median(idle),
                "delivered_per_sweep": sent // batches,
            }
        finally:
            standin.stop()


def run(sizes: tuple[int, ...] = (1_000, 10_000, 100_000), batches: int = 3) -> Outcome:
    out = Outcome("Sweep cost (run_due)")
    rows = [measure(size, batches) for size in sizes]
    out.figures = {"sizes": rows}
    out.lines = [
        "| orders | DB size | sweep with 100 reminders due (median) | of which due handling | idle sweep |"
        " messages sent |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for r in rows:
        out.lines.append(
            f"| {r['orders']:,} | {r['db_mb']:.0f} MB | {ms(r['due_s'])} | {ms(r['handling_s'])} |"
            f" {ms(r['idle_s'])} | {r['delivered_per_sweep']} |"
        )
    small, large = rows[0], rows[-1]
    ratio = large["due_s"] / small["due_s"]
    idle_ratio = large["idle_s"] / small["idle_s"]
    out.figures |= {"ratio": ratio, "idle_ratio": idle_ratio}
    out.bar(
        f"sweep at {large['orders']:,} orders within 2x of {small['orders']:,}",
        ratio <= 2.0,
        f"{ms(large['due_s'])} vs {ms(small['due_s'])} = {ratio:.2f}x",
    )
    out.notes.append(f"Idle sweep {large['orders']:,} vs {small['orders']:,} orders: {idle_ratio:.2f}x.")
    return out
