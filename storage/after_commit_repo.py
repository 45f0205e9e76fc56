"""Queries for an order's life after commitment: material arrival, problems, changes and their acks."""

from __future__ import annotations

from sqlalchemy import and_, func, or_, select
from sqlmodel import Session

from storage.models import (
    ChangeAck,
    ChangeStatus,
    ConfirmationRequest,
    Order,
    OrderChange,
    OrderEvent,
    Problem,
)


def supply_request(session: Session, order: Order) -> ConfirmationRequest | None:
    """Supply's answer to the order's current revision: it holds the promised material date."""
    stmt = select(ConfirmationRequest).where(
        ConfirmationRequest.order_id == order.id,
        ConfirmationRequest.revision == order.revision,
        ConfirmationRequest.team == "supply",
    )
    return session.execute(stmt).scalars().first()


def last_event(session: Session, order_id: int, kind: str) -> OrderEvent | None:
    stmt = (
        select(OrderEvent)
        .where(OrderEvent.order_id == order_id, OrderEvent.kind == kind)
        .order_by(OrderEvent.id.desc())
        .limit(1)
    )
    return session.execute(stmt).scalars().first()


def events_of(session: Session, order_id: int, kind: str) -> list[OrderEvent]:
    stmt = select(OrderEvent).where(OrderEvent.order_id == order_id, OrderEvent.kind == kind)
    return list(session.execute(stmt.order_by(OrderEvent.id)).scalars())


def add(session: Session, row: Problem | OrderChange | ChangeAck) -> None:
    session.add(row)
    session.flush()  # the id names its messages and due items


def get_problem(session: Session, problem_id: int) -> Problem | None:
    return session.get(Problem, problem_id)


def problems_of(session: Session, order_id: int, *, open_only: bool = False) -> list[Problem]:
    stmt = select(Problem).where(Problem.order_id == order_id)
    if open_only:
        stmt = stmt.where(Problem.resolved_at.is_(None))
    return list(session.execute(stmt.order_by(Problem.id)).scalars())


def count_open_problems(session: Session, order_id: int) -> int:
    stmt = select(func.count(Problem.id)).where(Problem.order_id == order_id, Problem.resolved_at.is_(None))
    return session.execute(stmt).scalar_one()


def get_change(session: Session, change_id: int) -> OrderChange | None:
    return session.get(OrderChange, change_id)


def get_ack(session: Session, ack_id: int) -> ChangeAck | None:
    return session.get(ChangeAck, ack_id)


def acks_of(session: Session, change_id: int) -> dict[str, ChangeAck]:
    stmt = select(ChangeAck).where(ChangeAck.change_id == change_id).order_by(ChangeAck.id)
    return {ack.team: ack for ack in session.execute(stmt).scalars()}


def open_answer_clause():  # noqa: ANN201
    """SQL: a ChangeAck (joined with its OrderChange) still owed: a team's answer while the change is
    asked, the managers' decision while it waits for one. An answer no longer needed (the other
    team said no, sales withdrew) is not owed."""
    return and_(
        ChangeAck.acked_at.is_(None),
        or_(
            and_(ChangeAck.team != "managers", OrderChange.status == ChangeStatus.ASKED),
            and_(ChangeAck.team == "managers", OrderChange.status == ChangeStatus.AWAITING_APPROVAL),
        ),
    )


def pending_change(session: Session, order_id: int) -> OrderChange | None:
    """The order's change not settled yet (asked, returned to sales, or waiting for a manager)."""
    stmt = (
        select(OrderChange)
        .where(OrderChange.order_id == order_id, OrderChange.status.in_(ChangeStatus.PENDING))
        .order_by(OrderChange.id.desc())
        .limit(1)
    )
    return session.execute(stmt).scalars().first()


def changes_of(session: Session, order_id: int, *, status: str | None = None) -> list[OrderChange]:
    """The order's changes, oldest first (`status`: only those, e.g. ChangeStatus.APPLIED for KPIs)."""
    stmt = select(OrderChange).where(OrderChange.order_id == order_id)
    if status is not None:
        stmt = stmt.where(OrderChange.status == status)
    return list(session.execute(stmt.order_by(OrderChange.id)).scalars())
