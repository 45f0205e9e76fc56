"""Available to promise at 100,000 orders: one line and month in under 5 ms, through an index range.

100,000 orders (committed, delivered, cancelled, a few open; on two lines, a variant and free
text) are spread over 24 months with an approved plan for each month, bulk-loaded like
benchmarks/seed.py does. Timed: `workflows.atp.availability` for one line and month, each call in a
session of its own as a request would open it, and the capacity-aware earliest date that has to
walk three short months. EXPLAIN QUERY PLAN shows the sum reads the covering index, not the table.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import text

from benchmarks.common import MANAGER, SALES, Outcome, ms, summary
from benchmarks.seed import _insert, _order
from storage import atp_repo
from storage.db import create_schema, make_engine, session_scope
from storage.models import Order, OrderStatus
from storage.review_models import ReviewPlan
from workflows import atp

BAR = 0.005
LINE, OTHER = "GBX-100", "MTR-7"
FIRST_MONTH = date(2025, 1, 1)
MONTHS = 24
PROBE = "2026-06"  # the month timed: in the middle of the history
# (code, line): two core lines, a variant on the first, and free text on none
PRODUCTS = ((LINE, LINE), (OTHER, OTHER), ("GBX-100-HD", LINE), (None, None))
STATUSES = (OrderStatus.COMMITTED, OrderStatus.DELIVERED, OrderStatus.CANCELLED, OrderStatus.COMMITTED)


def _month(n: int) -> str:
    return f"{FIRST_MONTH.year + n // 12:04d}-{n % 12 + 1:02d}"


def seed(engine, orders: int) -> dict[str, int]:  # noqa: ANN001
    """`orders` spread over MONTHS; returns the expected taken quantity of LINE in PROBE."""
    created = datetime(2024, 12, 1, tzinfo=UTC)
    rows, expected = [], 0
    for oid in range(1, orders + 1):
        code, line = PRODUCTS[oid % len(PRODUCTS)]
        # product, month and status vary independently: every month has every product and status
        status = STATUSES[oid // (len(PRODUCTS) * MONTHS) % len(STATUSES)]
        if oid % 49 == 0:
            status = OrderStatus.AWAITING_COMMITMENT
        month = _month(oid // len(PRODUCTS) % MONTHS)
        day = atp.first_day(month) + timedelta(days=oid % 28)
        committed = day if status != OrderStatus.AWAITING_COMMITMENT else None
        extra = dict(product=code or "special gearbox, blue", product_code=code, line=line)
        extra |= dict(committed_date=committed, committed_by=SALES if committed else None)
        if status == OrderStatus.DELIVERED:
            extra |= dict(delivered_date=day, delivered_by=SALES)
        row = _order(oid, status, created, **extra)
        rows.append(row)
        if line == LINE and month == PROBE and status in atp_repo.TAKING:
            expected += row["quantity"]
    plans = [
        dict(
            id=n + 1,
            month=_month(n),
            rows=[
                {"product": LINE, "agreed": 900_000, "capacity_target": 949_500},
                {"product": OTHER, "agreed": 400_000, "capacity_target": 422_000},
            ],
            adjusted=False,
            note="",
            approved_by=MANAGER,
            approved_at=created,
        )
        for n in range(MONTHS)
    ]
    with engine.begin() as conn:
        _insert(conn, Order, rows)
        _insert(conn, ReviewPlan, plans)
    with engine.connect() as conn:
        conn.execute(text("ANALYZE"))
        conn.commit()
    return {"expected_taken": expected}


def query_plan(engine) -> list[str]:  # noqa: ANN001
    with session_scope(engine, read_only=True) as session:
        return atp_repo.explain_committed(session, LINE, atp.first_day(PROBE), atp.last_day(PROBE))


def in_range(engine) -> int:  # noqa: ANN001
    """Index entries the month's range reads (every status, before the status filter)."""
    with engine.connect() as conn:
        return conn.execute(
            text(
                "SELECT count(*) FROM orders WHERE line = :line AND committed_date BETWEEN :first AND :last"
            ),
            {
                "line": LINE,
                "first": atp.first_day(PROBE).isoformat(),
                "last": atp.last_day(PROBE).isoformat(),
            },
        ).scalar_one()


def _time(call, repeats: int) -> list[float]:  # noqa: ANN001
    spent = []
    for _ in range(repeats):
        started = time.perf_counter()
        call()
        spent.append(time.perf_counter() - started)
    return spent


def measure(orders: int = 100_000, repeats: int = 200) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "atp.db"
        engine = make_engine(f"sqlite:///{db}")
        try:
            create_schema(engine)
            started = time.perf_counter()
            expected = seed(engine, orders)["expected_taken"]
            seed_s = time.perf_counter() - started
            plan = query_plan(engine)

            def one_month() -> atp.Availability:
                with session_scope(engine, read_only=True) as session:
                    return atp.availability(session, LINE, PROBE)

            found = one_month()
            assert found.taken == expected, (found.taken, expected)

            def walk() -> atp.Earliest:  # a quantity no month can take: every plan is looked at
                with session_scope(engine, read_only=True) as session:
                    return atp.earliest_date(session, line=LINE, quantity=10**9, start=date(2026, 10, 3))

            steps = len(walk().steps)
            per_month = _time(one_month, repeats)
            with session_scope(engine, read_only=True) as session:  # the query alone, in an open session
                query_only = _time(lambda: atp.availability(session, LINE, PROBE), repeats)
            walking = _time(walk, max(repeats // 10, 1))
            return {
                "orders": orders,
                "seed_s": seed_s,
                "db_mb": db.stat().st_size / 1e6,
                "taken": found.taken,
                "available": found.available,
                "availability": summary(per_month),
                "availability_median_s": statistics.median(per_month),
                "query_only": summary(query_only),
                "in_range": in_range(engine),
                "earliest_walk": summary(walking),
                "earliest_steps": steps,
                "query_plan": plan,
            }
        finally:
            engine.dispose()


def uses_index_range(plan: list[str]) -> bool:
    """SQLite's plan searches ix_orders_line_committed (a range) and never scans the table."""
    joined = " | ".join(plan)
    return (
        "SEARCH orders USING COVERING INDEX ix_orders_line_committed" in joined
        and "SCAN orders" not in joined
    )


def run(orders: int = 100_000, repeats: int = 200) -> Outcome:
    out = Outcome("Available to promise (ATP)")
    r = measure(orders, repeats)
    out.figures = r
    a, q, w = r["availability"], r["query_only"], r["earliest_walk"]
    out.lines = [
        "| orders | DB size | rows in the month's range | ATP of a line and month, own session (p50 / p99)"
        f" | the same in an open session (p50 / p99) | earliest date, {r['earliest_steps']} months (p50) |",
        "|---:|---:|---:|---:|---:|---:|",
        f"| {r['orders']:,} | {r['db_mb']:.0f} MB | {r['in_range']:,} | {ms(a['p50'])} / {ms(a['p99'])}"
        f" | {ms(q['p50'])} / {ms(q['p99'])} | {ms(w['p50'])} |",
        "",
        "SQLite query plan of the month's sum: " + " | ".join(f"`{line}`" for line in r["query_plan"]),
    ]
    out.bar(
        f"ATP for one line and month at {r['orders']:,} orders under {ms(BAR)} (median, own session)",
        a["p50"] < BAR,
        f"p50 {ms(a['p50'])}, p99 {ms(a['p99'])}",
    )
    out.bar(
        "the month's sum is an index range, not a scan", uses_index_range(r["query_plan"]), r["query_plan"][0]
    )
    out.notes.append(
        f"{r['taken']:,} taken of the month's plan; the p99 ({ms(a['p99'])}) includes opening a session on a"
        " shared machine."
    )
    return out
