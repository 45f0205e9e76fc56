"""The durable outbox: messages owed to Slack, queued in the same transaction as the change.

Delivery claims the head of each stream atomically (a conditional UPDATE), so any number of
threads, processes or replicas can deliver concurrently without posting anything twice, and
the messages of one order arrive in the order they were queued.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from uuid import uuid4

from sqlalchemy import and_, exists, select, update
from sqlalchemy.orm import aliased
from sqlmodel import Session

from storage.db import add_unless_present
from storage.models import OutboxMessage, PostedMessage

CLAIM_SECONDS = 120  # a claim older than this is presumed dead (crashed deliverer) and retaken


def enqueue(
    session: Session,
    *,
    stream: str,
    op: str,
    target_key: str,
    kind: str,
    now: datetime,
    channel: str | None = None,
    thread_key: str | None = None,
    params: dict | None = None,
) -> None:
    """Queue a message (safe under concurrency). A post of `target_key` is queued once ever: its
    row key is derived from it, so doing the same thing twice queues nothing new. Updates get a
    fresh row key each, and pending updates of one target coalesce."""
    if op == "update" and _pending_update_exists(session, target_key, kind):
        return  # the pending update renders current state at send time; one is enough
    values = {
        "key": f"{target_key}:post" if op == "post" else f"{target_key}:update:{uuid4().hex}",
        "stream": stream,
        "op": op,
        "channel": channel,
        "thread_key": thread_key,
        "target_key": target_key,
        "kind": kind,
        "params": params or {},
        "created_at": now,
        "next_attempt_at": now,
        "attempts": 0,
        "settled_attempts": 0,
        "dead": False,
    }
    add_unless_present(session, OutboxMessage, values)


def _pending_update_exists(session: Session, target_key: str, kind: str) -> bool:
    """An unclaimed update of this target, locked until this transaction ends (PostgreSQL): a
    replica about to claim it waits, then renders the state this transaction commits. Without
    the lock it could render the old state just before this change commits, and nothing would
    render the change. (SQLite's write transaction is serial already.)"""
    stmt = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.target_key == target_key,
            OutboxMessage.op == "update",
            OutboxMessage.kind == kind,
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.claimed_until.is_(None),
            OutboxMessage.dead.is_(False),
        )
        .with_for_update()
    )
    return session.execute(stmt).first() is not None


def claimable_heads(
    session: Session,
    *,
    now: datetime,
    streams: list[str] | None,
    limit: int,
    clock_now: datetime | None = None,
) -> list[int]:
    """Ids of the oldest undelivered message of each stream that is ready to be tried at `now`.

    Claims are held on the real clock (`clock_now`, see claim), retries are due on `now`."""
    clock_now = clock_now or now
    earlier = aliased(OutboxMessage)
    blocked_by_earlier = exists().where(
        and_(
            earlier.stream == OutboxMessage.stream,
            earlier.sent_at.is_(None),
            earlier.dead.is_(False),
            earlier.id < OutboxMessage.id,
        )
    )
    stmt = (
        select(OutboxMessage.id)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.dead.is_(False),
            OutboxMessage.next_attempt_at <= now,
            OutboxMessage.claimed_until.is_(None) | (OutboxMessage.claimed_until < clock_now),
            ~blocked_by_earlier,
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    )
    if streams is not None:
        stmt = stmt.where(OutboxMessage.stream.in_(streams))
    return list(session.execute(stmt).scalars())


def claim(session: Session, message_id: int, *, now: datetime) -> bool:
    """Atomically take one message for delivery; False if someone else holds it."""
    result = session.execute(
        update(OutboxMessage)
        .where(
            OutboxMessage.id == message_id,
            OutboxMessage.sent_at.is_(None),
            (OutboxMessage.claimed_until.is_(None)) | (OutboxMessage.claimed_until < now),
        )
        .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS), attempts=OutboxMessage.attempts + 1)
    )
    return result.rowcount == 1


def mark_sent(
    session: Session, message: OutboxMessage, *, now: datetime, channel: str, ts: str | None
) -> None:
    message.sent_at = now
    message.claimed_until = None
    message.last_error = None
    if message.op == "post" and ts is not None and session.get(PostedMessage, message.target_key) is None:
        session.add(PostedMessage(key=message.target_key, channel=channel, ts=ts))
    session.add(message)


def mark_failed(
    session: Session, message: OutboxMessage, *, retry_at: datetime | None, error: str, not_sent: bool = True
) -> None:
    """Release the claim; retry later, or give up for good when `retry_at` is None.

    `not_sent=False` says the attempt may have reached Slack (a timeout, a 5xx).
    """
    message.claimed_until = None
    if not_sent:
        message.settled_attempts = message.attempts
    message.last_error = error[:500]
    if retry_at is None:
        message.dead = True
    else:
        message.next_attempt_at = retry_at
    session.add(message)


def may_have_posted(message: OutboxMessage) -> bool:
    """Whether an earlier attempt of this post could have reached Slack without us recording it.

    Called after `claim`, which counted the current attempt.
    """
    return message.op == "post" and message.attempts - 1 > message.settled_attempts


def posted(session: Session, key: str) -> PostedMessage | None:
    return session.get(PostedMessage, key)


def gave_up_posting(session: Session, key: str) -> bool:
    """Whether the post of the message with this key was given up (dead): it will never exist."""
    stmt = select(OutboxMessage.id).where(
        OutboxMessage.target_key == key, OutboxMessage.op == "post", OutboxMessage.dead.is_(True)
    )
    return session.execute(stmt).first() is not None


def known_target(session: Session, key: str) -> bool:
    """Whether a message with this key was posted or is queued to be posted."""
    if session.get(PostedMessage, key) is not None:
        return True
    stmt = select(OutboxMessage.id).where(OutboxMessage.target_key == key, OutboxMessage.op == "post")
    return session.execute(stmt).first() is not None


def stuck_with(session: Session, *, streams: list[str], errors: set[str]) -> str | None:
    """The error (one of `errors`) that keeps a message of these streams from being delivered."""
    stmt = select(OutboxMessage.last_error).where(
        OutboxMessage.stream.in_(streams),
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.last_error.in_(errors),
    )
    return session.execute(stmt.limit(1)).scalar()
