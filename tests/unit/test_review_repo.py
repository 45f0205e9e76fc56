"""The agenda's lists come out in one order on both backends, also among rows that tie on the sort
key: SQLite happens to give ties in insertion order, PostgreSQL does not (its top-N sort for a
LIMIT is a heap, and an update moves a row)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update

from storage import review_repo
from storage.db import session_scope
from storage.models import ConfirmationRequest
from tests.conftest import SALES, make_config
from workflows.context import Context
from workflows.inputs import OrderFields
from workflows.orders import register_order

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


class Groups:
    def expand(self, member_ids: list[str]) -> set[str]:
        return set(member_ids)


def register(engine, count: int) -> None:  # noqa: ANN001
    """`count` orders registered at the same moment: all their requests share one deadline."""
    ctx = Context(config=make_config(), directory=Groups(), now=NOW)
    for i in range(count):
        fields = OrderFields(f"Customer {i}", "GBX-100", 100 + i, date(2026, 12, 20), "Steel")
        with session_scope(engine) as session:
            register_order(session, ctx, actor=SALES, fields=fields)


def test_overdue_confirmations_that_share_a_deadline_are_listed_oldest_request_first(engine) -> None:  # noqa: ANN001
    register(engine, 12)
    with session_scope(engine) as session:  # every deadline passed unanswered
        session.execute(update(ConfirmationRequest).values(escalated_at=NOW + timedelta(hours=24)))
        ids = sorted(session.execute(select(ConfirmationRequest.id)).scalars())
    with session_scope(engine, read_only=True) as session:
        listed = review_repo.overdue_confirmations(session, limit=10)
    assert [request.id for _, request in listed] == ids[:10]
