"""Queries behind the monthly KPIs: the recorded facts of one period, nothing computed here."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import and_, func, select
from sqlmodel import Session

from storage.models import ConfirmationRequest, Order, OrderChange


def requests_due_between(session: Session, *, start: datetime, end: datetime) -> list[ConfirmationRequest]:
    """Confirmation requests whose deadline falls in [start, end)."""
    stmt = select(ConfirmationRequest).where(
        ConfirmationRequest.due_at >= start, ConfirmationRequest.due_at < end
    )
    return list(session.execute(stmt.order_by(ConfirmationRequest.id)).scalars())


def delivered_between(session: Session, *, first: date, last: date) -> list[tuple[date, date | None]]:
    """(delivered date, committed date) of the orders delivered on a day in [first, last]."""
    stmt = select(Order.delivered_date, Order.committed_date).where(
        Order.delivered_date >= first, Order.delivered_date <= last
    )
    return [tuple(row) for row in session.execute(stmt).all()]


def materials_arrived_between(session: Session, *, first: date, last: date) -> list[tuple[date, date | None]]:
    """(arrival date, supply's promised date) of the orders whose materials arrived in [first, last].

    The promise is the supply answer to the order's current revision (None if there is none).
    """
    promise = and_(
        ConfirmationRequest.order_id == Order.id,
        ConfirmationRequest.revision == Order.revision,
        ConfirmationRequest.team == "supply",
    )
    stmt = (
        select(Order.materials_arrived_date, ConfirmationRequest.material_date)
        .outerjoin(ConfirmationRequest, promise)
        .where(Order.materials_arrived_date >= first, Order.materials_arrived_date <= last)
    )
    return [tuple(row) for row in session.execute(stmt).all()]


def committed_between(session: Session, *, start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    """(registered at, committed at) of the orders committed in [start, end)."""
    stmt = select(Order.created_at, Order.committed_at).where(
        Order.committed_at >= start, Order.committed_at < end
    )
    return [tuple(row) for row in session.execute(stmt).all()]


def changes_between(session: Session, *, start: datetime, end: datetime) -> int:
    """Changes requested to committed orders in [start, end)."""
    stmt = select(func.count(OrderChange.id)).where(
        OrderChange.requested_at >= start, OrderChange.requested_at < end
    )
    return session.execute(stmt).scalar_one()
