"""Query functions: the only place outside storage/ models that speaks SQL."""

from __future__ import annotations

import re

from sqlalchemy import exists, func, or_, select
from sqlmodel import Session

from storage.models import (
    ChangeAck,
    ConfirmationRequest,
    Order,
    OrderChange,
    OrderEvent,
    OrderStatus,
    Problem,
)

NUMBER_PREFIX = "CO-"


def format_number(order_id: int) -> str:
    return f"{NUMBER_PREFIX}{order_id:04d}"


def parse_number(text: str) -> int | None:
    """`CO-0042`, `co-42` or `42` → 42; anything else → None."""
    match = re.fullmatch(r"(?:CO-?)?0*(\d{1,9})", text.strip().upper())
    return int(match.group(1)) if match and int(match.group(1)) > 0 else None


def add_order(session: Session, order: Order) -> Order:
    session.add(order)
    session.flush()  # the database assigns the id; the human number derives from it
    order.number = format_number(order.id)
    session.add(order)
    session.flush()
    return order


def get_order(session: Session, order_id: int, *, for_update: bool = False) -> Order | None:
    stmt = select(Order).where(Order.id == order_id)
    if for_update:
        stmt = stmt.with_for_update()  # PostgreSQL row lock; SQLite already holds the write lock
    return session.execute(stmt).scalars().first()


def find_order(session: Session, number_text: str) -> Order | None:
    order_id = parse_number(number_text)
    return None if order_id is None else get_order(session, order_id)


def requests_for(session: Session, order: Order, *, revision: int | None = None) -> list[ConfirmationRequest]:
    stmt = select(ConfirmationRequest).where(ConfirmationRequest.order_id == order.id)
    if revision is not None:
        stmt = stmt.where(ConfirmationRequest.revision == revision)
    return list(session.execute(stmt.order_by(ConfirmationRequest.id)).scalars())


def current_requests(session: Session, order: Order) -> dict[str, ConfirmationRequest]:
    return {r.team: r for r in requests_for(session, order, revision=order.revision)}


def get_request(session: Session, request_id: int) -> ConfirmationRequest | None:
    return session.get(ConfirmationRequest, request_id)


def open_orders(session: Session, *, limit: int = 200) -> list[Order]:
    stmt = select(Order).where(Order.status.in_(OrderStatus.OPEN)).order_by(Order.id.desc()).limit(limit)
    return list(session.execute(stmt).scalars())


def count_open_orders(session: Session) -> int:
    return session.execute(select(func.count()).where(Order.status.in_(OrderStatus.OPEN))).scalar_one()


def record_event(
    session: Session, order: Order, *, kind: str, actor: str | None, at, data: dict | None = None
) -> None:  # noqa: ANN001
    session.add(OrderEvent(order_id=order.id, at=at, actor=actor, kind=kind, data=data or {}))


def cancel_reason(session: Session, order: Order) -> str:
    """The reason given when the order was cancelled ("" for orders cancelled before reasons)."""
    stmt = (
        select(OrderEvent.data)
        .where(OrderEvent.order_id == order.id, OrderEvent.kind == "cancelled")
        .order_by(OrderEvent.id.desc())
        .limit(1)
    )
    data = session.execute(stmt).scalars().first() or {}
    return str(data.get("reason") or "")


def search_orders(
    session: Session,
    *,
    closed_too: bool = False,
    text: str = "",
    mine: tuple[str, tuple[str, ...]] | None = None,
    limit: int,
    offset: int = 0,
) -> tuple[list[Order], int]:
    """Newest first: (one page of orders, how many match in all).

    `text` matches the number (`CO-0042`, `42`) or a part of the customer or product, in any case;
    `mine` = (user, their teams): orders the user sells, or that wait on one of their teams.
    """
    stmt = select(Order)
    if not closed_too:
        stmt = stmt.where(Order.status.in_(OrderStatus.OPEN))
    if text:
        stmt = stmt.where(_matches(text))
    if mine is not None:
        stmt = stmt.where(_mine(*mine))
    total = session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    page = session.execute(stmt.order_by(Order.id.desc()).limit(limit).offset(offset)).scalars()
    return list(page), total


def _matches(text: str):  # noqa: ANN202
    needle = text.lower()
    found = [
        func.lower(Order.customer).contains(needle, autoescape=True),
        func.lower(Order.product).contains(needle, autoescape=True),
    ]
    if (number := parse_number(text)) is not None:
        found.append(Order.id == number)
    return or_(*found)


def _mine(user: str, teams: tuple[str, ...]):  # noqa: ANN202
    """Sold by `user`, or waiting on one of `teams`: an answer, an acknowledgement or a problem."""
    answer = exists().where(
        ConfirmationRequest.order_id == Order.id,
        ConfirmationRequest.revision == Order.revision,
        ConfirmationRequest.answered_at.is_(None),
        ConfirmationRequest.superseded.is_(False),
        ConfirmationRequest.team.in_(teams),
        Order.status == OrderStatus.AWAITING_CONFIRMATION,
    )
    from storage.after_commit_repo import open_answer_clause  # it imports this module's models only

    ack = exists().where(
        ChangeAck.order_id == Order.id,
        ChangeAck.change_id == OrderChange.id,
        open_answer_clause(),
        ChangeAck.team.in_(teams),
    )
    problem = exists().where(
        Problem.order_id == Order.id, Problem.resolved_at.is_(None), Problem.team.in_(teams)
    )
    return or_(Order.salesperson == user, answer, ack, problem)
