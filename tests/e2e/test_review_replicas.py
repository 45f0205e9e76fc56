"""The review with replicas: two people doing the same step at the same moment take turns (on
PostgreSQL the month's advisory lock, on SQLite the write lock) instead of one of them hitting a
unique index."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import UTC, datetime

from sqlalchemy import func, select
from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage import review_repo
from storage.db import session_scope
from storage.review_models import ReviewAgenda, ReviewAttendance, ReviewSubmission
from tests.conftest import PRODUCTION_A, PRODUCTION_B, make_config
from workflows import review_actions
from workflows.context import Context
from workflows.review import agenda_key

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
MONTH = "2027-01"
ROWS = {"GBX-100": {"achievable": 900, "max_capacity": 1200}, "MTR-7": {"achievable": 1, "max_capacity": 2}}


class Groups:
    """The production user group S02, as Slack would list it."""

    def expand(self, member_ids: list[str]) -> set[str]:
        return {PRODUCTION_A, PRODUCTION_B} if "S02" in member_ids else set(member_ids)


def at_once(engine: Engine, *steps: Callable[[Session], object]) -> list[object]:
    """Run each step in its own transaction on its own thread, all released together."""
    barrier, results = threading.Barrier(len(steps)), [None] * len(steps)

    def run(i: int, step: Callable[[Session], object]) -> None:
        with session_scope(engine) as session:
            barrier.wait()
            results[i] = step(session)

    threads = [threading.Thread(target=run, args=(i, step)) for i, step in enumerate(steps)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def count(engine: Engine, stmt) -> int:  # noqa: ANN001
    with session_scope(engine, read_only=True) as session:
        return session.execute(stmt).scalar_one()


def test_two_members_of_one_team_submitting_at_once_both_succeed_and_one_is_current(engine) -> None:  # noqa: ANN001
    ctx = Context(make_config(), Groups(), NOW)

    def submit(user: str) -> Callable[[Session], object]:
        return lambda s: review_actions.submit(
            s, ctx, actor=user, team="production", month=MONTH, rows=ROWS, note=""
        )

    done = at_once(engine, submit(PRODUCTION_A), submit(PRODUCTION_B))
    assert all(isinstance(result, ReviewSubmission) for result in done)
    current = select(func.count()).where(
        ReviewSubmission.month == MONTH, ReviewSubmission.superseded_at.is_(None)
    )
    assert count(engine, current) == 1
    assert count(engine, select(func.count()).select_from(ReviewSubmission)) == 2  # the other kept as history


def test_one_person_pressing_attend_twice_at_once_is_recorded_once(engine) -> None:  # noqa: ANN001
    ctx = Context(make_config(), Groups(), NOW)
    with session_scope(engine) as session:  # attendance is confirmed on a posted agenda
        key = agenda_key(MONTH)
        agenda = ReviewAgenda(month=MONTH, channel="C0", message_key=key, review_at=NOW, posted_at=NOW)
        review_repo.add_agenda(session, agenda)
    attend = lambda s: review_actions.attend(s, ctx, actor=PRODUCTION_A, month=MONTH)  # noqa: E731
    assert sorted(at_once(engine, attend, attend)) == [False, True]
    assert count(engine, select(func.count()).select_from(ReviewAttendance)) == 1
