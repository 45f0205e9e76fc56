"""On-time delivery to the promise in force: a rule the target cannot be moved around.

The promise in force is the first committed date, moved only by changes the customer asked for
(OrderChange.origin == "customer") that changed the date. A date moved for an internal reason
leaves the promise where it was, so delivering on the moved date is still late.

Pure functions of an order and its changes (in any order; they are taken oldest first). Pass only
changes that were put into force: a change the teams refused never moved anything.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from storage.models import ChangeOrigin, Order, OrderChange


def _day(snapshot: dict) -> date | None:
    value = snapshot.get("committed_date")
    return date.fromisoformat(value) if value else None


def _oldest_first(changes: Iterable[OrderChange]) -> list[OrderChange]:
    return sorted(changes, key=lambda c: (c.requested_at, c.id or 0))


def _moves_date(change: OrderChange) -> bool:
    after = _day(change.after)
    return after is not None and after != _day(change.before)


def first_committed_date(order: Order, changes: Iterable[OrderChange]) -> date | None:
    """The date first committed: before the first change that recorded one, else the order's own."""
    for change in _oldest_first(changes):
        if (day := _day(change.before)) is not None:
            return day
    return order.committed_date


def promise_in_force(order: Order, changes: Iterable[OrderChange]) -> date | None:
    """The first committed date, moved by each customer change of the date; None: never committed."""
    ordered = _oldest_first(changes)
    promise = first_committed_date(order, ordered)
    for change in ordered:
        if change.origin == ChangeOrigin.CUSTOMER and _moves_date(change):
            promise = _day(change.after)
    return promise


def on_time(order: Order, changes: Iterable[OrderChange]) -> bool | None:
    """Delivered on or before the promise in force; None while undelivered or never promised."""
    promise = promise_in_force(order, changes)
    if order.delivered_date is None or promise is None:
        return None
    return order.delivered_date <= promise


def internal_date_moves(changes: Iterable[OrderChange]) -> int:
    """Changes that moved the date for an internal reason (shown next to on-time in /kpi)."""
    return sum(c.origin == ChangeOrigin.INTERNAL and _moves_date(c) for c in changes)
