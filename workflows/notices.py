"""What must be said, and where: the messages an order change queues in the outbox.

Each message names its `MessageKind`; the bot renders it from the current state when it is
delivered, so an update always shows the latest truth and never a stale snapshot. Every message
the rules queue goes through `enqueue` here, which refuses a kind no renderer knows.
"""

from __future__ import annotations

from datetime import datetime
from uuid import uuid4

from sqlmodel import Session

from storage import outbox
from storage.models import ConfirmationRequest, Order
from workflows.enums import MessageKind


def enqueue(session: Session, *, kind: MessageKind | str, **message: object) -> None:
    outbox.enqueue(session, kind=MessageKind(kind), **message)


def stream(order: Order) -> str:
    return f"order:{order.id}"


def card_key(order: Order) -> str:
    return f"order:{order.id}:card"


def request_key(request: ConfirmationRequest) -> str:
    if request.team == "managers":  # a promise to approve: more than one per revision (after a rejection)
        return f"order:{request.order_id}:approval:{request.id}"
    return f"order:{request.order_id}:r{request.revision}:{request.team}"


def prompt_key(order: Order, what: str) -> str:
    return f"order:{order.id}:r{order.revision}:{what}"


def post_card(session: Session, order: Order, channel: str, now: datetime) -> None:
    key = card_key(order)
    enqueue(
        session,
        stream=stream(order),
        op="post",
        channel=channel,
        target_key=key,
        kind=MessageKind.ORDER_CARD,
        params={"order_id": order.id},
        now=now,
    )


def update(
    session: Session, order: Order, target_key: str, kind: MessageKind, now: datetime, **params: object
) -> None:
    enqueue(
        session,
        stream=stream(order),
        op="update",
        target_key=target_key,
        kind=kind,
        params={"order_id": order.id, **params},
        now=now,
    )


def update_card(session: Session, order: Order, now: datetime) -> None:
    update(session, order, card_key(order), MessageKind.ORDER_CARD, now)


def in_thread(
    session: Session,
    order: Order,
    kind: MessageKind,
    now: datetime,
    *,
    key: str | None = None,
    **params: object,
) -> None:
    """A reply in the order's thread. Give `key` for a message edited later (and posted only once)."""
    target = key or f"order:{order.id}:note:{uuid4().hex}"
    enqueue(
        session,
        stream=stream(order),
        op="post",
        thread_key=card_key(order),
        target_key=target,
        kind=kind,
        params={"order_id": order.id, **params},
        now=now,
    )


def post_request(session: Session, order: Order, request: ConfirmationRequest, now: datetime) -> None:
    in_thread(session, order, MessageKind.REQUEST, now, key=request_key(request), request_id=request.id)


def update_request(session: Session, order: Order, request: ConfirmationRequest, now: datetime) -> None:
    update(session, order, request_key(request), MessageKind.REQUEST, now, request_id=request.id)


def direct(
    session: Session, user: str, kind: MessageKind, now: datetime, *, key: str, **params: object
) -> None:
    """A direct message to one person (posted to their DM with the bot), on its own stream."""
    enqueue(
        session,
        stream=f"dm:{user}",
        op="post",
        channel=user,
        target_key=key,
        kind=kind,
        params=params,
        now=now,
    )


def remind_team(
    session: Session,
    order: Order,
    now: datetime,
    *,
    members: set[str],
    kind: MessageKind,
    subject: str,
    subject_id: int,
) -> str:
    """A reminder in the order's thread plus a DM to each member, for one open request or acknowledgement.

    `kind` names the thread renderer (the DMs use `<kind>_dm`); `subject` is "request" or "ack", whose
    id the renderers get as `<subject>_id`. Keys make each reminder happen once.
    """
    param = {f"{subject}_id": subject_id}
    in_thread(session, order, kind, now, key=f"order:{order.id}:{subject}:{subject_id}:reminder", **param)
    for user in sorted(members):
        direct(
            session,
            user,
            f"{kind}_dm",
            now,
            key=f"dm:{user}:{subject}:{subject_id}:reminder",
            order_id=order.id,
            **param,
        )
    return f"sent: thread reminder and {len(members)} direct message(s)"
