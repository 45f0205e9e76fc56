"""Queries of available-to-promise: one line's committed quantities in one month (see workflows/atp.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from sqlmodel import Session

from storage.models import Order, OrderStatus
from storage.review_models import ReviewPlan

# orders that take a plan's quantity: committed, and delivered (what was made counts as made)
TAKING = (OrderStatus.COMMITTED, OrderStatus.DELIVERED)


def _committed_stmt(line: str, first: date, last: date, exclude_order_id: int | None):  # noqa: ANN202
    stmt = select(func.coalesce(func.sum(Order.quantity), 0)).where(
        Order.line == line,
        Order.committed_date >= first,
        Order.committed_date <= last,
        Order.status.in_(TAKING),
    )
    if exclude_order_id is not None:
        stmt = stmt.where(Order.id != exclude_order_id)
    return stmt


def committed_quantity(
    session: Session, line: str, first: date, last: date, *, exclude_order_id: int | None = None
) -> int:
    """Sum of the quantities of orders on `line` committed (or delivered) for delivery in [first, last].

    An index range on ix_orders_line_committed; `exclude_order_id` leaves one order out (a change
    to it frees its own quantity)."""
    return int(session.execute(_committed_stmt(line, first, last, exclude_order_id)).scalar_one())


def explain_committed(session: Session, line: str, first: date, last: date) -> list[str]:
    """SQLite's EXPLAIN QUERY PLAN of committed_quantity's statement, one line a step (benchmarks)."""
    compiled = _committed_stmt(line, first, last, None).compile(
        bind=session.get_bind(), compile_kwargs={"render_postcompile": True}
    )
    params = tuple(
        value.isoformat() if isinstance(value, date) else value
        for value in (compiled.params[name] for name in compiled.positiontup)
    )
    rows = session.connection().exec_driver_sql(f"EXPLAIN QUERY PLAN {compiled}", params).all()
    return [str(row[-1]) for row in rows]


def plans(session: Session, months: list[str]) -> dict[str, ReviewPlan]:
    """The approved plans of these months ("YYYY-MM"), by month; months without one are absent."""
    if not months:
        return {}
    stmt = select(ReviewPlan).where(ReviewPlan.month.in_(months))
    return {row.month: row for row in session.execute(stmt).scalars()}


def plan_months_from(session: Session, month: str) -> list[str]:
    """Months from `month` on that have an approved plan, in order (ReviewPlan.month is unique)."""
    stmt = select(ReviewPlan.month).where(ReviewPlan.month >= month).order_by(ReviewPlan.month)
    return list(session.execute(stmt).scalars())
