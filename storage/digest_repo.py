"""Queries behind the daily digest and the App Home: what is waiting on whom, and what changed.

Each list query returns `(the first `limit` rows, the total count)`: the digest shows the most
urgent few per section and a count of the rest, so a backlog of hundreds never loads in full.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Select, and_, func, select
from sqlmodel import Session

from storage.after_commit_repo import open_answer_clause
from storage.models import (
    ChangeAck,
    ConfirmationRequest,
    DueItem,
    Order,
    OrderChange,
    OrderEvent,
    OrderStatus,
    Problem,
)

Page = tuple[list, int]


def _page(session: Session, stmt: Select, limit: int) -> Page:
    total = session.execute(select(func.count()).select_from(stmt.order_by(None).subquery())).scalar_one()
    rows = [tuple(row) for row in session.execute(stmt.limit(limit)).all()] if limit > 0 else []
    return rows, total


def waiting_requests(
    session: Session, *, now: datetime, overdue: bool, teams: Sequence[str], limit: int
) -> Page:
    """Open requests of the order's current revision: (request, order), soonest / oldest deadline first.

    `overdue` picks the requests whose deadline passed (a breach) instead of those still running.
    """
    deadline = ConfirmationRequest.due_at <= now if overdue else ConfirmationRequest.due_at > now
    stmt = (
        select(ConfirmationRequest, Order)
        .join(Order, Order.id == ConfirmationRequest.order_id)
        .where(
            ConfirmationRequest.answered_at.is_(None),
            ConfirmationRequest.superseded.is_(False),
            ConfirmationRequest.revision == Order.revision,
            ConfirmationRequest.team.in_(list(teams)),
            Order.status == OrderStatus.AWAITING_CONFIRMATION,
            deadline,
        )
        .order_by(ConfirmationRequest.due_at, ConfirmationRequest.id)
    )
    return _page(session, stmt, limit)


def waiting_approvals(session: Session, *, team: str, limit: int) -> Page:
    """(request, order) for promises beyond what can be made that wait for a manager (`team`, the
    approvers' request team), soonest deadline first."""
    stmt = (
        select(ConfirmationRequest, Order)
        .join(Order, Order.id == ConfirmationRequest.order_id)
        .where(
            ConfirmationRequest.answered_at.is_(None),
            ConfirmationRequest.superseded.is_(False),
            ConfirmationRequest.revision == Order.revision,
            ConfirmationRequest.team == team,
            Order.status == OrderStatus.AWAITING_APPROVAL,
        )
        .order_by(ConfirmationRequest.due_at, ConfirmationRequest.id)
    )
    return _page(session, stmt, limit)


def awaiting_commitment(session: Session, *, salesperson: str | None, limit: int) -> Page:
    """(order,) rows waiting for sales to commit a date, longest waiting first."""
    stmt = select(Order).where(Order.status == OrderStatus.AWAITING_COMMITMENT)
    if salesperson is not None:
        stmt = stmt.where(Order.salesperson == salesperson)
    return _page(session, stmt.order_by(Order.updated_at, Order.id), limit)


def pending_acks(
    session: Session, *, teams: Sequence[str], limit: int, due_by: datetime | None = None
) -> Page:
    """(ack, change, order) for changes a team has not answered yet (only answers still owed),
    soonest deadline first; with `due_by`, only those whose deadline passed by then."""
    stmt = (
        select(ChangeAck, OrderChange, Order)
        .join(OrderChange, OrderChange.id == ChangeAck.change_id)
        .join(Order, Order.id == ChangeAck.order_id)
        .where(
            open_answer_clause(),
            ChangeAck.team.in_(list(teams)),
            Order.status.in_(OrderStatus.OPEN),
        )
        .order_by(ChangeAck.due_at, ChangeAck.id)
    )
    if due_by is not None:
        stmt = stmt.where(ChangeAck.due_at <= due_by)
    return _page(session, stmt, limit)


def deliveries_due(session: Session, *, until: date, salesperson: str | None, limit: int) -> Page:
    """(order,) committed and not delivered with a committed date up to `until` (past ones first)."""
    stmt = select(Order).where(
        Order.status == OrderStatus.COMMITTED,
        Order.delivered_date.is_(None),
        Order.committed_date <= until,
    )
    if salesperson is not None:
        stmt = stmt.where(Order.salesperson == salesperson)
    return _page(session, stmt.order_by(Order.committed_date, Order.id), limit)


def late_materials(session: Session, *, late_before: date, limit: int) -> Page:
    """(order, supply request) whose materials are late: `workflows.after_commit.materials_late`
    in SQL, for `late_before = workflows.after_commit.late_if_promised_before(config, now)`.

    Committed orders only: arrival is recorded after commitment ("Materials arrived" in the
    thread), so before it supply could not clear the entry."""
    stmt = (
        select(Order, ConfirmationRequest)
        .join(
            ConfirmationRequest,
            and_(
                ConfirmationRequest.order_id == Order.id,
                ConfirmationRequest.revision == Order.revision,
                ConfirmationRequest.team == "supply",
            ),
        )
        .where(
            Order.status == OrderStatus.COMMITTED,
            Order.materials_arrived_date.is_(None),
            ConfirmationRequest.can_do.is_(True),
            ConfirmationRequest.material_date < late_before,
        )
        .order_by(ConfirmationRequest.material_date, Order.id)
    )
    return _page(session, stmt, limit)


def open_problems(session: Session, *, teams: Sequence[str], limit: int) -> Page:
    """(problem, order) not resolved yet, owned by one of `teams`, oldest first."""
    stmt = (
        select(Problem, Order)
        .join(Order, Order.id == Problem.order_id)
        .where(Problem.resolved_at.is_(None), Problem.team.in_(list(teams)))
        .order_by(Problem.raised_at, Problem.id)
    )
    return _page(session, stmt, limit)


def events_between(
    session: Session, *, since: datetime, until: datetime, kinds: Sequence[str]
) -> list[tuple[str, Order]]:
    """(kind, order) of each order event of these kinds in [since, until), oldest first."""
    stmt = (
        select(OrderEvent.kind, Order)
        .join(Order, Order.id == OrderEvent.order_id)
        .where(OrderEvent.at >= since, OrderEvent.at < until, OrderEvent.kind.in_(list(kinds)))
        .order_by(OrderEvent.at, OrderEvent.id)
    )
    return [tuple(row) for row in session.execute(stmt).all()]


def open_orders_of(session: Session, *, salesperson: str, limit: int) -> Page:
    stmt = select(Order).where(Order.salesperson == salesperson, Order.status.in_(OrderStatus.OPEN))
    return _page(session, stmt.order_by(Order.id.desc()), limit)


def last_run(session: Session, *, kind: str, before: datetime) -> DueItem | None:
    """The latest due item of `kind` that was acted on (outcome "sent…") before `before`."""
    stmt = (
        select(DueItem)
        .where(
            DueItem.kind == kind,
            DueItem.done_at.is_not(None),
            DueItem.due_at < before,
            DueItem.outcome.like("sent%"),
        )
        .order_by(DueItem.due_at.desc())
        .limit(1)
    )
    return session.execute(stmt).scalars().first()


def salespeople_awaiting_commitment(session: Session) -> set[str]:
    stmt = select(Order.salesperson).where(Order.status == OrderStatus.AWAITING_COMMITMENT).distinct()
    return set(session.execute(stmt).scalars())
