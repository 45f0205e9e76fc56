"""A recorded breach (escalated, unanswered request) counts against the team's 24-hour rate
(issue 3), also when the request is closed later (the other team declines, sales revises or cancels)."""

from __future__ import annotations

from datetime import timedelta

from tests.unit.test_after_commit import MEMBERS
from tests.unit.test_orders import NOW, SALES, SUPPLY, ctx, fields, requests, session  # noqa: F401
from workflows import due, kpi, orders
from workflows.inputs import SupplyAnswer


def test_breach_still_counts_after_other_team_declines(session) -> None:  # noqa: F811
    order = orders.register_order(session, ctx(), actor=SALES, fields=fields())
    later = NOW + timedelta(hours=25)
    lines = due.run_due(session, ctx(later), team_members=MEMBERS)
    assert any("escalated" in line for line in lines)
    prod = requests(session, order)["production"]
    assert prod.escalated_at is not None  # breach recorded
    # supply answers late with "no": production's breached request is now "superseded"
    orders.answer_request(
        session,
        ctx(later),
        actor=SUPPLY,
        request_id=requests(session, order)["supply"].id,
        answer=SupplyAnswer(False, None, "no steel"),
    )
    month = kpi.month_of(ctx().config, NOW)
    result = kpi.month_kpis(session, ctx().config, month, NOW + timedelta(days=40))
    rate = result.confirmation["production"]
    assert (rate.hits, rate.total) == (0, 1), rate  # the recorded breach must count against production


def test_breach_still_counts_after_order_cancelled(session) -> None:  # noqa: F811
    order = orders.register_order(session, ctx(), actor=SALES, fields=fields())
    later = NOW + timedelta(hours=25)
    due.run_due(session, ctx(later), team_members=MEMBERS)
    orders.cancel_order(session, ctx(later), actor=SALES, order_id=order.id, revision=order.revision)
    month = kpi.month_of(ctx().config, NOW)
    result = kpi.month_kpis(session, ctx().config, month, NOW + timedelta(days=40))
    assert result.confirmation["production"].total == 1, result.confirmation
    assert result.confirmation["supply"].total == 1, result.confirmation
