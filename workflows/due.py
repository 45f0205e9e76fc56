"""Everything time-driven goes through here: plan recurring moments, claim what is due, act once.

Each kind of due item has a handler `(session, ctx, item, team_members) -> outcome`. The
claim and the handler's changes commit together, so an item is acted on exactly once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from storage import due as due_items
from storage.models import DueItem
from workflows import after_commit, changes, digest, followups, reminders, review
from workflows.context import Context

Handler = Callable[[Session, Context, DueItem, dict[str, set[str]]], str]
Planner = Callable[[Session, Context], None]

HANDLERS: dict[str, Handler] = {
    **reminders.HANDLERS,
    **review.HANDLERS,
    **digest.HANDLERS,
    **after_commit.HANDLERS,
    **changes.HANDLERS,
    **followups.HANDLERS,
}
# Planners make sure the next occurrence of each recurring moment (digest, review) exists.
PLANNERS: list[Planner] = [review.plan, digest.plan]


def plan_recurring(session: Session, ctx: Context) -> None:
    for planner in PLANNERS:
        planner(session, ctx)


def run_due(
    session: Session, ctx: Context, *, team_members: dict[str, set[str]], limit: int = 200
) -> list[str]:
    """Act on due items (up to `limit`); returns one outcome line per item."""
    outcomes = []
    for item in due_items.claim_due(session, now=ctx.now, limit=limit):
        handler = HANDLERS.get(item.kind)
        outcome = (
            handler(session, ctx, item, team_members) if handler else f"skipped: unknown kind {item.kind}"
        )
        due_items.set_outcome(session, item, outcome)
        outcomes.append(f"{item.key}: {outcome}")
    return outcomes


def anything_due(session: Session, now: datetime) -> bool:
    return due_items.has_due(session, now=now)
