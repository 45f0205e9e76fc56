"""Queries of the monthly demand review (see storage/review_models.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select, text, update
from sqlmodel import Session

from storage.models import ConfirmationRequest, Order, OrderStatus
from storage.review_models import (
    FollowUp,
    FollowUpStatus,
    ReviewAgenda,
    ReviewAttendance,
    ReviewPlan,
    ReviewSubmission,
)


def current_submissions(session: Session, month: str) -> dict[str, ReviewSubmission]:
    stmt = select(ReviewSubmission).where(
        ReviewSubmission.month == month, ReviewSubmission.superseded_at.is_(None)
    )
    return {s.team: s for s in session.execute(stmt).scalars()}


def submission_history(session: Session, month: str, team: str) -> list[ReviewSubmission]:
    stmt = (
        select(ReviewSubmission)
        .where(ReviewSubmission.month == month, ReviewSubmission.team == team)
        .order_by(ReviewSubmission.id)
    )
    return list(session.execute(stmt).scalars())


REVIEW_LOCK = 0x5E71E  # any constant: the class of advisory locks that serialise one month's review


def lock_month(session: Session, month: str) -> None:
    """Take, until commit, the lock on writing one month's review ("2026-12"), before reading
    what the write depends on. Two replicas submitting, attending or approving at once then
    take turns, and the second sees the first's row (a unique index would reject it otherwise).
    SQLite's write transaction (BEGIN IMMEDIATE) is serial already."""
    if session.get_bind().dialect.name == "postgresql":
        key = int(month.replace("-", ""))
        session.execute(text("SELECT pg_advisory_xact_lock(:cls, :key)"), {"cls": REVIEW_LOCK, "key": key})


def add_submission(session: Session, submission: ReviewSubmission) -> ReviewSubmission:
    """Supersede the department's current submission (kept as history), then store the new one."""
    session.execute(
        update(ReviewSubmission)
        .where(
            ReviewSubmission.month == submission.month,
            ReviewSubmission.team == submission.team,
            ReviewSubmission.superseded_at.is_(None),
        )
        .values(superseded_at=submission.submitted_at)
    )
    session.add(submission)
    session.flush()
    return submission


def attendance(session: Session, month: str) -> list[ReviewAttendance]:
    stmt = select(ReviewAttendance).where(ReviewAttendance.month == month).order_by(ReviewAttendance.id)
    return list(session.execute(stmt).scalars())


def has_attended(session: Session, month: str, user: str) -> bool:
    stmt = select(ReviewAttendance.id).where(ReviewAttendance.month == month, ReviewAttendance.user == user)
    return session.execute(stmt).first() is not None


def add_attendance(session: Session, row: ReviewAttendance) -> None:
    session.add(row)
    session.flush()


def agenda(session: Session, month: str) -> ReviewAgenda | None:
    return session.execute(select(ReviewAgenda).where(ReviewAgenda.month == month)).scalars().first()


def add_agenda(session: Session, row: ReviewAgenda) -> None:
    session.add(row)
    session.flush()


def plan(session: Session, month: str) -> ReviewPlan | None:
    return session.execute(select(ReviewPlan).where(ReviewPlan.month == month)).scalars().first()


def latest_plan(session: Session) -> ReviewPlan | None:
    return session.execute(select(ReviewPlan).order_by(ReviewPlan.month.desc()).limit(1)).scalars().first()


def add_plan(session: Session, row: ReviewPlan) -> ReviewPlan:
    session.add(row)
    session.flush()
    return row


# -- custom orders for the agenda ----------------------------------------------------------------


def open_orders(session: Session, *, limit: int) -> tuple[list[Order], int]:
    where = Order.status.in_(OrderStatus.OPEN)
    orders = list(session.execute(select(Order).where(where).order_by(Order.id).limit(limit)).scalars())
    total = session.execute(select(func.count()).select_from(Order).where(where)).scalar_one()
    return orders, total


def overdue_confirmations(session: Session, *, limit: int) -> list[tuple[Order, ConfirmationRequest]]:
    """Requests whose deadline passed (escalated) and that nobody has answered yet."""
    stmt = (
        select(Order, ConfirmationRequest)
        .join(ConfirmationRequest, ConfirmationRequest.order_id == Order.id)
        .where(
            ConfirmationRequest.escalated_at.is_not(None),
            ConfirmationRequest.answered_at.is_(None),
            ConfirmationRequest.superseded.is_(False),
            ConfirmationRequest.revision == Order.revision,
            Order.status.in_(OrderStatus.OPEN),
        )
        .order_by(ConfirmationRequest.due_at, ConfirmationRequest.id)  # ties too: one order everywhere
        .limit(limit)
    )
    return [(order, request) for order, request in session.execute(stmt).all()]


def committed_between(session: Session, first: date, last: date, *, limit: int) -> list[Order]:
    stmt = (
        select(Order)
        .where(
            Order.committed_date.is_not(None),
            Order.committed_date >= first,
            Order.committed_date <= last,
            Order.status.in_((OrderStatus.COMMITTED, OrderStatus.DELIVERED)),
        )
        .order_by(Order.committed_date, Order.id)
        .limit(limit)
    )
    return list(session.execute(stmt).scalars())


# -- follow-ups ---------------------------------------------------------------------------------------


def add_followup(session: Session, row: FollowUp) -> FollowUp:
    session.add(row)
    session.flush()
    return row


def get_followup(session: Session, followup_id: int | None, *, for_update: bool = False) -> FollowUp | None:
    if followup_id is None:
        return None
    stmt = select(FollowUp).where(FollowUp.id == followup_id)
    if for_update:
        stmt = stmt.with_for_update()
    return session.execute(stmt).scalars().first()


def followups(session: Session, month: str) -> list[FollowUp]:
    stmt = select(FollowUp).where(FollowUp.month == month).order_by(FollowUp.id)
    return list(session.execute(stmt).scalars())


def open_followups(
    session: Session, *, owner: str | None = None, before_month: str | None = None, limit: int = 20
) -> tuple[list[FollowUp], int]:
    """Open follow-ups, soonest due first (of one owner, or from reviews before a plan month), and
    how many there are in all."""
    where = [FollowUp.status == FollowUpStatus.OPEN]
    if owner is not None:
        where.append(FollowUp.owner == owner)
    if before_month is not None:
        where.append(FollowUp.month < before_month)
    stmt = select(FollowUp).where(*where).order_by(FollowUp.due_on, FollowUp.id).limit(limit)
    total = session.execute(select(func.count()).select_from(FollowUp).where(*where)).scalar_one()
    return list(session.execute(stmt).scalars()), total
