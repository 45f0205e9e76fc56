"""Which SQL statements a piece of work spends its time in, and how SQLite plans them.

Used to explain a sweep that grows with history: the slowest statements are printed with their
EXPLAIN QUERY PLAN, where `SCAN <table>` (without `USING INDEX`) marks a full table scan.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from sqlalchemy import event
from sqlalchemy.engine import Engine


@dataclass
class Profile:
    seconds: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    calls: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    params: dict[str, tuple] = field(default_factory=dict)

    def top(self, n: int = 5) -> list[tuple[str, float, int]]:
        ranked = sorted(self.seconds.items(), key=lambda kv: kv[1], reverse=True)[:n]
        return [(sql, seconds, self.calls[sql]) for sql, seconds in ranked]


@contextmanager
def profiled(engine: Engine) -> Iterator[Profile]:
    profile = Profile()

    def before(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ANN202
        conn.info.setdefault("bench_started", []).append(time.perf_counter())

    def after(conn, cursor, statement, parameters, context, executemany):  # noqa: ANN001, ANN202
        started = conn.info["bench_started"].pop()
        profile.seconds[statement] += time.perf_counter() - started
        profile.calls[statement] += 1
        if not executemany:
            profile.params.setdefault(statement, tuple(parameters or ()))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        yield profile
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)


def query_plan(engine: Engine, statement: str, params: tuple) -> list[str]:
    with engine.connect() as conn:
        rows = conn.exec_driver_sql("EXPLAIN QUERY PLAN " + statement, params).all()
        conn.rollback()
    return [row[-1] for row in rows]


def scans(plan: list[str]) -> list[str]:
    """Plan lines that read a whole table (SQLite says `SCAN t` without an index)."""
    return [line for line in plan if line.startswith("SCAN ") and " USING " not in line]
