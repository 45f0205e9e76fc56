"""The rules of a promise beyond what can be made, without Slack: figures worked out by hand.

December 2026: GBX-100 agreed 900 (capacity target 945); 800 already committed, so 100 are left.
The order: 250 × GBX-100, materials on 5 December, lead time 10 days: feasible from 15 December
by the answers, but December cannot take it, so the earliest date is 1 January 2027.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from storage.models import OrderEvent, OrderStatus
from storage.review_models import ReviewPlan
from tests.conftest import MANAGER, PRODUCTION_A, SALES, SUPPLY
from tests.unit.test_orders import NOW, ctx, fields, refused, requests, session  # noqa: F401
from workflows import orders
from workflows.inputs import ProductionAnswer, SupplyAnswer


def awaiting_commitment(session, quantity: int = 250):  # noqa: ANN001, ANN201, F811
    order = orders.register_order(
        session, ctx(), actor=SALES, fields=fields(quantity=quantity, line="GBX-100")
    )
    asked = requests(session, order)
    orders.answer_request(
        session,
        ctx(),
        actor=PRODUCTION_A,
        request_id=asked["production"].id,
        answer=ProductionAnswer(True, 10, ""),
    )
    orders.answer_request(
        session,
        ctx(),
        actor=SUPPLY,
        request_id=asked["supply"].id,
        answer=SupplyAnswer(True, date(2026, 12, 5), ""),
    )
    return order


def december_full(session) -> None:  # noqa: ANN001, F811
    for month in ("2026-12", "2027-01"):
        rows = [{"product": "GBX-100", "agreed": 900, "capacity_target": 945}]
        session.add(ReviewPlan(month=month, rows=rows, approved_by=MANAGER, approved_at=NOW))
    first = awaiting_commitment(session, 800)
    orders.commit_order(
        session, ctx(), actor=SALES, order_id=first.id, revision=1, committed=date(2026, 12, 20), notes=""
    )


def test_the_check_says_both_what_is_early_and_what_is_over_the_plan(session) -> None:  # noqa: ANN001, F811
    december_full(session)
    order = awaiting_commitment(session)
    check = orders.promise_check(session, ctx(), order, date(2026, 12, 20))
    assert (check.earliest, check.before_earliest, check.beyond_plan, check.month.available) == (
        date(2027, 1, 1),
        True,
        True,
        100,
    )
    with refused(
        "promise_needs_manager", earliest="2027-01-01", beyond_plan=True, month="2026-12", available=100
    ):
        orders.commit_order(
            session, ctx(), actor=SALES, order_id=order.id, revision=1, committed=date(2026, 12, 20), notes=""
        )
    assert orders.promise_check(session, ctx(), order, date(2027, 1, 1)).needs_manager is False


def test_approval_commits_with_the_buffer_released_and_flags_beyond_the_target(session) -> None:  # noqa: ANN001, F811
    december_full(session)
    order = awaiting_commitment(session)
    orders.commit_order(
        session,
        ctx(),
        actor=SALES,
        order_id=order.id,
        revision=1,
        committed=date(2026, 12, 20),
        notes="",
        override_reason="Key customer",
    )
    assert order.status == OrderStatus.AWAITING_APPROVAL and order.committed_date is None
    approval = requests(session, order)["managers"]
    with refused("not_in_team", team="managers"):
        orders.approve_promise(session, ctx(), actor=SALES, request_id=approval.id)
    orders.approve_promise(session, ctx(), actor=MANAGER, request_id=approval.id)
    assert (order.status, order.committed_date, order.committed_by) == (
        OrderStatus.COMMITTED,
        date(2026, 12, 20),
        SALES,
    )
    # released buffer: 945 − 800 = 145 available, less than 250: beyond the capacity target too
    event = session.execute(select(OrderEvent).where(OrderEvent.kind == "approval_approved")).scalars().one()
    assert event.data["over_capacity_target"] is True
    with refused("promise_decided", by=MANAGER, approved=True):
        orders.approve_promise(session, ctx(), actor=MANAGER, request_id=approval.id)


def test_rejection_returns_the_order_to_sales_and_one_decision_per_revision(session) -> None:  # noqa: ANN001, F811
    december_full(session)
    order = awaiting_commitment(session)
    orders.commit_order(
        session,
        ctx(),
        actor=SALES,
        order_id=order.id,
        revision=1,
        committed=date(2026, 12, 20),
        notes="",
        override_reason="Key customer",
    )
    approval = requests(session, order)["managers"]
    orders.reject_promise(session, ctx(), actor=MANAGER, request_id=approval.id, reason="Line full")
    assert order.status == OrderStatus.AWAITING_COMMITMENT
    with refused("promise_rejected_before", by=MANAGER):
        orders.commit_order(
            session,
            ctx(),
            actor=SALES,
            order_id=order.id,
            revision=1,
            committed=date(2026, 12, 21),
            notes="",
            override_reason="Again",
        )
    orders.commit_order(
        session, ctx(), actor=SALES, order_id=order.id, revision=1, committed=date(2027, 1, 4), notes=""
    )
    assert order.status == OrderStatus.COMMITTED


def test_a_managers_request_cannot_be_answered_as_a_teams(session) -> None:  # noqa: ANN001, F811
    december_full(session)
    order = awaiting_commitment(session)
    orders.commit_order(
        session,
        ctx(),
        actor=SALES,
        order_id=order.id,
        revision=1,
        committed=date(2026, 12, 20),
        notes="",
        override_reason="Key customer",
    )
    approval = requests(session, order)["managers"]
    with refused("answer_mismatch", team="managers"):
        orders.answer_request(
            session, ctx(), actor=MANAGER, request_id=approval.id, answer=SupplyAnswer(True, None, "")
        )
