"""Query functions: the only place outside storage/ models that speaks SQL."""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlmodel import Session

from storage.models import ConfirmationRequest, Order, OrderEvent, OrderStatus

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
    from sqlalchemy import func

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
