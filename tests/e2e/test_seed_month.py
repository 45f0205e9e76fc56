"""The seed's month end to end, through signed requests only (issue 12, Tests): the review on 5 Dec
2026 agrees January's plan → orders are committed against it and what is left goes down → an order
beyond the plan needs a manager → the manager approves → deliveries → /kpi and the next month's
agenda show January's attainment and the follow-ups still open from January's review.

Figures, by hand:
- Submissions (tests/e2e/test_review.py NUMBERS): GBX-100 sales 1,000, production 900, supply
  unconstrained → agreed 900 (the smallest), capacity target 950 (5% buffer). MTR-7: sales 500,
  production 600, supply 450 → agreed 450.
- January orders on GBX-100: A 500 for 15 Jan, B 300 for 20 Jan (900 → 400 → 100 left), C 250 for
  25 Jan: 250 > 100 left → beyond the plan; a manager approves (released buffer 950; 1,050 > 950:
  over the capacity target).
- Delivered: A on 14 Jan (on time), B on 22 Jan (2 days late); C not yet.
- January: on time 1 of 2 = 50%, to the promise too (no changes); attainment GBX-100 committed
  500 + 300 + 250 = 1,050 of 900 = 117%, delivered 500 + 300 = 800 of 900 = 89%; MTR-7 0 of 450.
- December (when C was asked and approved): promises beyond the plan 1 requested, 1 approved.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from bot.ids import Action
from bot.orders.blocks import APPROVE_PROMISE
from bot.sweep import run_due
from storage import review_repo
from storage.models import ConfirmationRequest, OrderStatus
from tests.conftest import MANAGER, SALES
from tests.e2e.test_kpi_home import block_text, kpi
from tests.e2e.test_order_plan import confirm
from tests.e2e.test_pseudo_orders import keyed, press
from tests.e2e.test_review import (  # the review's own steps and the seed's numbers
    MONTH,
    PRODUCTION_A,
    SUPPLY,
    agenda,
    agendas,
    everyone_attends,
    local,
    post_agenda,
    submit,
    text_of,
)
from tests.e2e.test_review_followups import followup_messages, message_of, stored
from tests.helpers import get_order


def available_in_form(bot, number: int) -> str:  # noqa: ANN001
    """Open order `number`'s commit form and return its "Available for …" line."""
    assert press(bot, SALES, keyed(bot, f"order:{number}:r1:commit"), Action.COMMIT).status == 200
    form = bot.slack.last_view()
    shown = [e["text"] for b in form["blocks"] if b["type"] == "context" for e in b["elements"]]
    [line] = [t for t in shown if t.startswith("Available for")]
    return line


def commit_from_form(bot, day: str, **extra: str):  # noqa: ANN001, ANN201
    reply = bot.slack.submit(SALES, bot.slack.last_view(), {"committed_date": day, "notes": "", **extra})
    assert reply.status == 200 and b"errors" not in reply.body, reply.body
    return reply


def approval_request(bot, order_id: int) -> int:  # noqa: ANN001
    with bot.svc.session() as session:
        stmt = select(ConfirmationRequest.id).where(
            ConfirmationRequest.order_id == order_id, ConfirmationRequest.team == "managers"
        )
        return session.execute(stmt).scalar_one()


def deliver(bot, number: int, day: str) -> None:  # noqa: ANN001
    assert bot.slack.press(SALES, keyed(bot, f"order:{number}:after"), "Delivered").status == 200
    reply = bot.slack.submit(SALES, bot.slack.last_view(), {"delivered_date": day})
    assert reply.status == 200 and b"errors" not in reply.body, reply.body


def test_the_seed_month_from_review_to_attainment(bot) -> None:  # noqa: ANN001
    # -- the review on 5 Dec: three departments' numbers, agreed = the smallest with buffers --------
    for user in (SALES, PRODUCTION_A, SUPPLY):
        submit(bot, user)
    post_agenda(bot)  # 5 Dec 2026 09:00 Shanghai
    everyone_attends(bot)
    assert bot.slack.press(MANAGER, agenda(bot), "Approve plan").status == 200
    with bot.svc.session() as session:
        plan = review_repo.plan(session, MONTH)
    assert [(r["product"], r["agreed"], r["capacity_target"]) for r in plan.rows] == [
        ("GBX-100", 900, 950),
        ("MTR-7", 450, 475),
    ]
    # approving it set follow-ups with owners in the agenda's thread: per product, sales on the
    # quantity short (GBX-100: 1,000 − 900 = 100), supply the material target, production the capacity
    followups = stored(bot)
    assert [(f.kind, f.product, f.quantity, f.owner) for f in followups] == [
        ("shortfall", "GBX-100", 100, SALES),
        ("materials", "GBX-100", 1000, SUPPLY),
        ("capacity", "GBX-100", 950, PRODUCTION_A),
        ("shortfall", "MTR-7", 50, SALES),
        ("materials", "MTR-7", 500, SUPPLY),
        ("capacity", "MTR-7", 475, PRODUCTION_A),
    ]
    assert len(followup_messages(bot)) == 6
    # sales talks to its key customers about GBX-100 and marks that one done
    assert bot.slack.press(SALES, message_of(bot, followups[0].id), "Done").status == 200

    # -- orders for January, answered and committed against the plan: what is left goes down -------
    january = {"requested_date": "2027-01-15"}
    confirm(bot, 1, quantity="500", customer="ACME Gears", **january)
    assert available_in_form(bot, 1) == "Available for GBX-100 in January 2027: 900 of 900 agreed."
    commit_from_form(bot, "2027-01-15")
    confirm(bot, 2, quantity="300", customer="Globex", **january)
    assert (
        available_in_form(bot, 2) == "Available for GBX-100 in January 2027: 400 of 900 agreed."
    )  # 900 − 500
    commit_from_form(bot, "2027-01-20")
    confirm(bot, 3, quantity="250", customer="Initech", **january)
    assert (
        available_in_form(bot, 3) == "Available for GBX-100 in January 2027: 100 of 900 agreed."
    )  # 400 − 300

    # -- 250 > 100 left: beyond the plan, so it waits for a manager ---------------------------------
    commit_from_form(bot, "2027-01-25", override_reason="Initech is a key account; overtime agreed")
    assert get_order(bot, 3).status == OrderStatus.AWAITING_APPROVAL
    approval = keyed(bot, f"order:3:approval:{approval_request(bot, 3)}")
    assert press(bot, MANAGER, approval, APPROVE_PROMISE).status == 200
    order = get_order(bot, 3)
    assert (order.status, order.committed_date) == (OrderStatus.COMMITTED, date(2027, 1, 25))

    # -- deliveries in January: A on time, B two days late, C still open ----------------------------
    bot.clock.now = local(2027, 1, 14, 16, 0)
    deliver(bot, 1, "2027-01-14")  # committed 15 Jan: on time
    bot.clock.now = local(2027, 1, 22, 16, 0)
    deliver(bot, 2, "2027-01-22")  # committed 20 Jan: late

    # -- /kpi: January's delivery against the promise and the plan ---------------------------------
    bot.clock.now = local(2027, 1, 31, 18, 0)
    text = block_text(kpi(bot, "2027-01"))
    assert "On-time delivery: *50% (1 of 2)*" in text
    assert "On-time to the promise: *50% (1 of 2)*" in text  # no changes: the promise is the committed date
    assert "Internal date moves: *0*" in text
    assert "*Plan attainment · January 2027* (committed and delivered against agreed)" in text
    assert (
        "• GBX-100 · agreed 900 · committed 1,050 (117%) · delivered 800 (89%)" in text
    )  # 1,050/900, 800/900
    assert "• MTR-7 · agreed 450 · committed 0 (0%) · delivered 0 (0%)" in text
    december = block_text(kpi(bot, "2026-12"))  # C was asked and approved on 5 Dec
    assert "Promises beyond the plan: *1 requested · 1 approved · 0 rejected*" in december
    assert "Plan attainment" not in december  # no plan was approved for December

    # -- the next month's agenda (posted 5 Feb, planning March) shows January's attainment ---------
    run_due(bot.svc, local(2027, 2, 5, 9, 0))
    posted = agendas(bot)
    assert [m.text for m in posted] == [
        "Demand review agenda: plan for January 2027",
        "Demand review agenda: plan for March 2027",
    ]
    shown = text_of(posted[-1].blocks)
    actual = shown.index("*Plan against actual · January 2027*")
    attained = shown.index("*Plan attainment · January 2027* (committed and delivered against agreed)")
    assert actual < attained < shown.index("*KPIs of January 2027*")  # next to plan against actual
    assert "• GBX-100 · agreed 900 · committed 1,050 (117%) · delivered 800 (89%)" in shown
    assert "• MTR-7 · agreed 450 · committed 0 (0%) · delivered 0 (0%)" in shown
    assert "• On-time to the promise: *50% (1 of 2)*" in shown
    # and the five follow-ups still open from January's review (all overdue by now), not the done one
    assert "*Open follow-ups from earlier reviews* · 5" in shown
    assert (
        "Secure materials for 1,000 × GBX-100 (the material target) · <@U03> · :warning: overdue since"
        in shown
    )
    assert "GBX-100: 100 short" not in shown
