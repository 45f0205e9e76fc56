"""The modals the bot opened, and the one claim that turns a submission into a write."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import and_, bindparam, delete, not_, select, update
from sqlmodel import Session

from storage.models import OpenedView

# A modal stays usable while Slack keeps it open; a day or two is far beyond any real form,
# and a replayed submission is refused by its signature after 5 minutes anyway.
KEEP_FOR = timedelta(days=2)
MAX_METADATA = 3000  # Slack's limit for private_metadata: anything longer did not come from us


_VIEWS = OpenedView.__table__.c
_STATE = select(_VIEWS.user_id, _VIEWS.callback_id, _VIEWS.private_metadata, _VIEWS.submitted_at).where(
    _VIEWS.view_id == bindparam("looked_up")
)


class ViewState(StrEnum):
    OPEN = "open"  # opened for this person and form, not saved yet
    SAVED = "saved"  # already submitted and written: a repeat changes nothing
    UNKNOWN = "unknown"  # never opened by the bot (or forgotten)
    OTHER_USER = "other_user"
    CHANGED = "changed"  # another form, or its private_metadata was edited


def record(
    session: Session, *, view_id: str, user: str, callback_id: str, metadata: str, now: datetime
) -> None:
    session.merge(
        OpenedView(
            view_id=view_id, user_id=user, callback_id=callback_id, private_metadata=metadata, opened_at=now
        )
    )


def state(session: Session, *, view_id: str, user: str, callback_id: str, metadata: str) -> ViewState:
    """What a submission of this view may do, without changing anything."""
    if len(metadata) > MAX_METADATA:
        return ViewState.CHANGED
    # columns, not the entity: a person waits on this read, and loading an ORM object cost more
    row = session.execute(_STATE, {"looked_up": view_id}).one_or_none()
    if row is None:
        return ViewState.UNKNOWN
    if row.user_id != user:
        return ViewState.OTHER_USER
    if row.callback_id != callback_id or row.private_metadata != metadata:
        return ViewState.CHANGED
    return ViewState.OPEN if row.submitted_at is None else ViewState.SAVED


# Built once: a form's write runs it while a person waits, and building it each time cost more
# than running it (benchmarks/submit_profile).
_CLAIM = (
    update(OpenedView.__table__)
    .where(
        _VIEWS.view_id == bindparam("claimed_view"),
        _VIEWS.user_id == bindparam("claimed_by"),
        _VIEWS.callback_id == bindparam("claimed_callback"),
        _VIEWS.private_metadata == bindparam("claimed_metadata"),
        _VIEWS.submitted_at.is_(None),
    )
    .values(
        submitted_at=bindparam("claimed_at"),
        submitted_values=bindparam("claimed_values"),
        applied_at=bindparam("applied_at"),
    )
)


def claim(
    session: Session,
    *,
    view_id: str,
    user: str,
    callback_id: str,
    metadata: str,
    now: datetime,
    values: str | None = None,
) -> ViewState:
    """Mark the view saved: OPEN if this submission won it, otherwise why not. Concurrent claims
    queue on the row (SQLite's write lock, PostgreSQL's row lock) and all but the first find it
    taken. Without `values` the claim shares the transaction that writes what the form carries
    (applied at once); with them (the submitted state.values as JSON) the claim is the durable
    record, applied later by `take_for_applying`."""
    if len(metadata) <= MAX_METADATA:
        won = session.execute(
            _CLAIM,
            {
                "claimed_view": view_id,
                "claimed_by": user,
                "claimed_callback": callback_id,
                "claimed_metadata": metadata,
                "claimed_at": now,
                "claimed_values": values,
                "applied_at": None if values is not None else now,
            },
        ).rowcount
        if won == 1:
            return ViewState.OPEN
    return state(session, view_id=view_id, user=user, callback_id=callback_id, metadata=metadata)


_PENDING = and_(OpenedView.submitted_at.is_not(None), OpenedView.applied_at.is_(None))


def take_for_applying(session: Session, *, view_id: str, now: datetime) -> OpenedView | None:
    """The saved, not yet applied submission of this view, marked applied inside the caller's
    transaction (which applies it); None if there is none or another transaction took it first
    (the row's lock makes the second wait, then find it taken)."""
    taken = session.execute(
        update(OpenedView).where(OpenedView.view_id == view_id, _PENDING).values(applied_at=now)
    ).rowcount
    if taken != 1:
        return None
    return session.execute(select(OpenedView).where(OpenedView.view_id == view_id)).scalar_one()


def pending(session: Session, *, limit: int = 500) -> list[str]:
    """Views saved as submitted and not applied yet (a process died between the ack and the
    write, or the database refused the write): the sweep applies them."""
    query = select(OpenedView.view_id).where(_PENDING).order_by(OpenedView.submitted_at).limit(limit)
    return list(session.execute(query).scalars())


def forget_old(session: Session, *, now: datetime) -> int:
    """Old views go, except a saved submission not applied yet: that is a person's form."""
    old = and_(OpenedView.opened_at < now - KEEP_FOR, not_(_PENDING))
    return session.execute(delete(OpenedView).where(old)).rowcount
