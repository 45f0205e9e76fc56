"""Deduplication of Slack event deliveries by event_id."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session

from storage.db import insert_ignoring_duplicates
from storage.models import SeenEvent

# Slack retries for about 5 minutes (immediately, ~1 min, ~5 min); keep ids well beyond that.
KEEP_FOR = timedelta(hours=2)


def first_sighting(session: Session, event_id: str, *, now: datetime) -> bool:
    """Record the event id; True only for the first delivery, whichever replica gets it."""
    stmt = insert_ignoring_duplicates(session, SeenEvent, {"event_id": event_id[:100], "seen_at": now})
    # RETURNING, not rowcount: psycopg reports -1 rows for INSERT … ON CONFLICT DO NOTHING
    return session.execute(stmt.returning(SeenEvent.event_id)).first() is not None


def forget_old(session: Session, *, now: datetime) -> int:
    return session.execute(delete(SeenEvent).where(SeenEvent.seen_at < now - KEEP_FOR)).rowcount
