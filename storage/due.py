"""Due items: scheduling a moment, and claiming what is due exactly once across replicas."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlmodel import Session

from storage.db import add_unless_present
from storage.models import DueItem


def schedule(session: Session, *, key: str, kind: str, due_at: datetime, ref_id: int | None = None) -> None:
    """Add a due item unless one with this key exists. Safe when replicas schedule the same key at once."""
    values = {"key": key, "kind": kind, "ref_id": ref_id, "due_at": due_at}
    add_unless_present(session, DueItem, values)


def claim_due(session: Session, *, now: datetime, limit: int = 100) -> list[DueItem]:
    """Mark up to `limit` due items done and return them, in due order.

    The claim and the work it causes commit in the same transaction, so an item is acted
    on exactly once: a crash rolls both back, and a concurrent replica skips locked rows
    (PostgreSQL) or waits for the write lock and then finds them done (SQLite).
    """
    pending = (
        select(DueItem.id)
        .where(DueItem.done_at.is_(None), DueItem.due_at <= now)
        .order_by(DueItem.due_at, DueItem.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        pending = pending.with_for_update(skip_locked=True)
    ids = list(session.execute(pending).scalars())
    if not ids:
        return []
    claimed = session.execute(
        update(DueItem)
        .where(DueItem.id.in_(ids), DueItem.done_at.is_(None))
        .values(done_at=now)
        .returning(DueItem.id)
    ).scalars()
    claimed_ids = set(claimed)
    items = session.execute(select(DueItem).where(DueItem.id.in_(claimed_ids))).scalars()
    return sorted(items, key=lambda item: (item.due_at, item.id))


def set_outcome(session: Session, item: DueItem, outcome: str) -> None:
    item.outcome = outcome[:200]
    session.add(item)


def has_due(session: Session, *, now: datetime) -> bool:
    stmt = select(DueItem.id).where(DueItem.done_at.is_(None), DueItem.due_at <= now).limit(1)
    return session.execute(stmt).first() is not None
