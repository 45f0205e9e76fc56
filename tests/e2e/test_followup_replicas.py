"""Two clicks on a follow-up's Done at the same moment (two replicas, or a double click) record one
decision: the row is locked (FOR UPDATE on PostgreSQL, the write lock on SQLite)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from storage import review_repo
from storage.db import session_scope
from storage.review_models import FollowUp, FollowUpStatus
from tests.conftest import MANAGER, SALES, make_config
from tests.e2e.test_review_replicas import Groups, at_once
from workflows import followups
from workflows.context import Context

NOW = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)


def test_owner_and_manager_pressing_done_at_once_record_one_decision(engine) -> None:  # noqa: ANN001
    ctx = Context(make_config(), Groups(), NOW)
    with session_scope(engine) as session:
        row = FollowUp(
            month="2027-01",
            product="GBX-100",
            kind="shortfall",
            quantity=100,
            owner=SALES,
            team="sales",
            due_on=date(2026, 12, 10),
            created_by=MANAGER,
            created_at=NOW,
        )
        followup_id = review_repo.add_followup(session, row).id

    def done(user: str):  # noqa: ANN202
        return lambda s: followups.mark_done(s, ctx, actor=user, followup_id=followup_id)

    results = at_once(engine, done(SALES), done(MANAGER))
    assert sorted(results) == [False, True]  # one recorded it, the other saw it done
    with session_scope(engine, read_only=True) as session:
        stored = review_repo.get_followup(session, followup_id)
        assert stored.status == FollowUpStatus.DONE and stored.done_by in (SALES, MANAGER)
