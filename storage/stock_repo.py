"""Queries of the stock record (see storage/stock_models.py)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import func, insert, select, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

from storage.models import Order, OrderStatus
from storage.stock_models import ProductionOutput, Shipment, StockCount

STOCK_LOCK = 0x5_70C  # any constant: the advisory lock that serialises writes to the stock record

API, SLACK = "api", "slack"


def file_source(digest: str) -> str:
    """The source of a spreadsheet's rows: its content's hash, so the same file twice is one import."""
    return f"file:{digest[:16]}"


def lock_stock(session: Session) -> None:
    """Until commit, take turns with other replicas writing stock (the same push twice at once must
    still save once). SQLite's write transaction (BEGIN IMMEDIATE) is serial already."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": STOCK_LOCK})


def save_counts(session: Session, rows: Sequence, *, source: str, who: str, now: datetime) -> int:
    """Store counts (rows with item, day, quantity, unit_cost); returns how many were new.

    A row equal to the newest count of its item, day and source is already there: skipped, so the
    same push twice changes nothing. Any other is a new row, read as the item's count for that day."""
    if not rows:
        return 0
    lock_stock(session)
    days = [row.day for row in rows]
    stmt = (
        select(StockCount.item, StockCount.day, StockCount.quantity, StockCount.unit_cost)
        .where(
            StockCount.source == source,
            StockCount.item.in_({row.item for row in rows}),
            StockCount.day >= min(days),
            StockCount.day <= max(days),
        )
        .order_by(StockCount.id)
    )
    newest = {(item, day): (quantity, cost) for item, day, quantity, cost in session.execute(stmt)}
    fresh = [
        {
            "item": row.item,
            "day": row.day,
            "quantity": row.quantity,
            "unit_cost": row.unit_cost,
            "source": source,
            "recorded_by": who,
            "recorded_at": now,
        }
        for row in rows
        if newest.get((row.item, row.day)) != (row.quantity, row.unit_cost)
    ]
    if fresh:
        session.execute(insert(StockCount), fresh)
    return len(fresh)


def _save_lines(
    session: Session, table: type, rows: Sequence, *, source: str, who: str, now: datetime
) -> int:
    if not rows:
        return 0
    lock_stock(session)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    changed = 0
    for row in rows:
        stmt = dialect.insert(table).values(
            line=row.line, day=row.day, quantity=row.quantity, source=source, recorded_by=who, recorded_at=now
        )
        stmt = stmt.on_conflict_do_update(
            index_elements=["line", "day", "source"],
            set_={"quantity": stmt.excluded.quantity, "recorded_by": who, "recorded_at": now},
            where=table.__table__.c.quantity != stmt.excluded.quantity,
        )
        # RETURNING names the row only when it was inserted or changed (rowcount is -1 on psycopg here)
        changed += len(session.execute(stmt.returning(table.__table__.c.id)).all())
    return changed


def save_output(session: Session, rows: Sequence, *, source: str, who: str, now: datetime) -> int:
    """Output per line and day from one source: a new figure replaces that source's old one."""
    return _save_lines(session, ProductionOutput, rows, source=source, who=who, now=now)


def save_shipments(session: Session, rows: Sequence, *, source: str, who: str, now: datetime) -> int:
    return _save_lines(session, Shipment, rows, source=source, who=who, now=now)


def counts(
    session: Session, items: Iterable[str] | None = None, *, until: date | None = None
) -> dict[str, dict[date, tuple[float, float | None]]]:
    """{item: {day: (quantity, unit_cost)}}: each day's current count (the newest recorded)."""
    stmt = select(StockCount.item, StockCount.day, StockCount.quantity, StockCount.unit_cost)
    if items is not None:
        stmt = stmt.where(StockCount.item.in_(list(items)))
    if until is not None:
        stmt = stmt.where(StockCount.day <= until)
    result: dict[str, dict[date, tuple[float, float | None]]] = defaultdict(dict)
    for item, day, quantity, cost in session.execute(stmt.order_by(StockCount.id)):
        result[item][day] = (quantity, cost)  # a later row of the same day replaces the earlier
    return dict(result)


def count_history(session: Session, item: str, day: date) -> list[StockCount]:
    """Every count of an item for a day, oldest first: who counted, when, from where."""
    stmt = select(StockCount).where(StockCount.item == item, StockCount.day == day).order_by(StockCount.id)
    return list(session.execute(stmt).scalars())


def _daily(session: Session, table: type, first: date, last: date) -> dict[str, dict[date, int]]:
    stmt = (
        select(table.line, table.day, func.sum(table.quantity))
        .where(table.day >= first, table.day <= last)
        .group_by(table.line, table.day)
    )
    result: dict[str, dict[date, int]] = defaultdict(dict)
    for line, day, quantity in session.execute(stmt):
        result[line][day] = int(quantity)
    return result


def output(session: Session, first: date, last: date) -> dict[str, dict[date, int]]:
    """{line: {day: units produced}} between two days (both included), summed over sources."""
    return dict(_daily(session, ProductionOutput, first, last))


def shipments(session: Session, first: date, last: date) -> dict[str, dict[date, int]]:
    """{line: {day: units shipped}}: recorded shipments plus delivered custom orders."""
    result = _daily(session, Shipment, first, last)
    # an order's line once orders carry one (the catalogue's variants ship on their line), else its product
    line = func.coalesce(Order.line, Order.product) if hasattr(Order, "line") else Order.product
    stmt = (
        select(line, Order.delivered_date, func.sum(Order.quantity))
        .where(
            Order.status == OrderStatus.DELIVERED,
            Order.delivered_date >= first,
            Order.delivered_date <= last,
        )
        .group_by(line, Order.delivered_date)
    )
    for line, day, quantity in session.execute(stmt):
        result[line][day] = result[line].get(day, 0) + int(quantity)
    return dict(result)


def totals(by_line: dict[str, dict[date, int]]) -> dict[str, int]:
    return {line: sum(days.values()) for line, days in by_line.items()}
