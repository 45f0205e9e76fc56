"""Queries behind the monthly KPIs: the recorded facts of one period, nothing computed here."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import Select, and_, func, select
from sqlmodel import Session

from storage.models import ConfirmationRequest, Order, OrderChange, OrderEvent

# the order events of a promise beyond what can be made (workflows/orders.py request_approval,
# approve_promise, reject_promise), by what they count
OVERRIDE_EVENTS = {
    "approval_requested": "requested",
    "approval_approved": "approved",
    "approval_rejected": "rejected",
}


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


def applied(stmt: Select) -> Select:
    """Only the changes put into force (the one place that decides which changes count).

    Every recorded OrderChange counts as applied until changes carry a status (asked, applied,
    withdrawn, rejected); then this becomes `stmt.where(OrderChange.status == "applied")`."""
    return stmt


def delivered_orders_between(session: Session, *, first: date, last: date) -> list[Order]:
    """The orders delivered on a day in [first, last]."""
    stmt = select(Order).where(Order.delivered_date >= first, Order.delivered_date <= last)
    return list(session.execute(stmt.order_by(Order.id)).scalars())


def applied_changes(session: Session, order_ids: Iterable[int] | Select) -> dict[int, list[OrderChange]]:
    """The applied changes of these orders (ids, or a select of ids), by order, in one query."""
    ids = order_ids if isinstance(order_ids, Select) else list(order_ids)
    if isinstance(ids, list) and not ids:
        return {}
    stmt = applied(select(OrderChange).where(OrderChange.order_id.in_(ids)))
    found: dict[int, list[OrderChange]] = {}
    for change in session.execute(stmt.order_by(OrderChange.id)).scalars():
        found.setdefault(change.order_id, []).append(change)
    return found


def delivered_with_changes(
    session: Session, *, first: date, last: date
) -> list[tuple[Order, list[OrderChange]]]:
    """Each order delivered in [first, last] with its applied changes: two queries, whatever the count."""
    orders = delivered_orders_between(session, first=first, last=last)
    delivered = select(Order.id).where(Order.delivered_date >= first, Order.delivered_date <= last)
    changes = applied_changes(session, delivered) if orders else {}
    return [(order, changes.get(order.id, [])) for order in orders]


def applied_changes_between(session: Session, *, start: datetime, end: datetime) -> list[OrderChange]:
    """The applied changes requested in [start, end)."""
    stmt = applied(
        select(OrderChange).where(OrderChange.requested_at >= start, OrderChange.requested_at < end)
    )
    return list(session.execute(stmt.order_by(OrderChange.id)).scalars())


def override_counts(session: Session, *, start: datetime, end: datetime) -> dict[str, int]:
    """Promises beyond the plan in [start, end): {"requested", "approved", "rejected"} -> count, one query."""
    stmt = (
        select(OrderEvent.kind, func.count(OrderEvent.id))
        .where(OrderEvent.kind.in_(OVERRIDE_EVENTS), OrderEvent.at >= start, OrderEvent.at < end)
        .group_by(OrderEvent.kind)
    )
    counts = dict.fromkeys(OVERRIDE_EVENTS.values(), 0)
    for kind, count in session.execute(stmt).all():
        counts[OVERRIDE_EVENTS[kind]] = int(count)
    return counts


def delivered_quantity_by_line(
    session: Session, lines: Iterable[str], *, first: date, last: date
) -> dict[str, int]:
    """Units delivered on a day in [first, last], per line (lines without deliveries are absent)."""
    wanted = list(lines)
    if not wanted:
        return {}
    stmt = (
        select(Order.line, func.sum(Order.quantity))
        .where(Order.line.in_(wanted), Order.delivered_date >= first, Order.delivered_date <= last)
        .group_by(Order.line)
    )
    return {line: int(total) for line, total in session.execute(stmt).all()}
