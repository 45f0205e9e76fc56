"""A promise beyond what can be made needs a manager (issue 12 §3): the commit form says what is
wrong inline, an override reason sends it to the managers on the confirmation clock, and only a
manager's approval commits it; a rejection sends it back to sales with the reason."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.ids import Action
from bot.orders.blocks import APPROVE_PROMISE, REJECT_PROMISE
from bot.sweep import run_due
from storage.models import ConfirmationRequest, OrderEvent, OrderStatus
from tests.conftest import MANAGER, ORDERS, SALES, make_config
from tests.e2e.test_order_plan import approve_plans, commit, confirm
from tests.e2e.test_pseudo_orders import keyed, press
from tests.helpers import buttons, ephemeral_texts, get_order, inline_errors, mrkdwn_texts, snapshot
from workflows.config import Config

MANAGER_B = "U07"
REASON = "ACME is our largest customer; overtime agreed with line 2"


@pytest.fixture
def config() -> Config:
    teams = {"sales": [SALES], "production": ["S02"], "supply": ["U03"], "managers": [MANAGER, MANAGER_B]}
    return make_config(teams=teams)


def over_plan(bot):  # noqa: ANN001, ANN201
    """December has 100 of 900 left; order 2 (250) can be made from 1 January 2027 at the earliest."""
    approve_plans(bot, ("2026-12", 900), ("2027-01", 900), ("2027-02", 100))
    confirm(bot, 1, quantity="800")
    commit(bot, 1, "2026-12-20")
    prompt = confirm(bot, 2, quantity="250", customer="Globex")
    assert press(bot, SALES, prompt, Action.COMMIT).status == 200
    return bot.slack.last_view()


def events(bot, kind: str) -> list[OrderEvent]:  # noqa: ANN001
    with bot.svc.session() as session:
        return list(session.execute(select(OrderEvent).where(OrderEvent.kind == kind)).scalars())


def thread(bot):  # noqa: ANN001, ANN201
    """Order 2's thread (the digest may be the channel's newest message by then)."""
    return bot.standin.thread(ORDERS, keyed(bot, "order:2:card").ts)


def request_id(bot) -> int:  # noqa: ANN001
    with bot.svc.session() as session:
        stmt = select(ConfirmationRequest.id).where(ConfirmationRequest.team == "managers")
        return max(session.execute(stmt).scalars())  # the newest


def approval(bot):  # noqa: ANN001, ANN201
    return keyed(bot, f"order:2:approval:{request_id(bot)}")


def ask_manager(bot) -> None:  # noqa: ANN001
    form = over_plan(bot)
    reply = bot.slack.submit(
        SALES, form, {"committed_date": "2026-12-20", "notes": "", "override_reason": REASON}
    )
    assert reply.status == 200 and b"errors" not in reply.body, reply.body


def test_a_promise_before_the_earliest_date_and_over_the_plan_is_said_inline_first(bot) -> None:  # noqa: ANN001
    form = over_plan(bot)
    before = snapshot(bot)
    errors = inline_errors(bot.slack.submit(SALES, form, {"committed_date": "2026-12-20", "notes": ""}))
    assert errors["committed_date"] == (
        "Sun 20 Dec 2026 is before the earliest feasible date (Fri 01 Jan 2027), and the December 2026 plan"
        " for GBX-100 has only 100 left for 250. To promise it anyway, give an override reason: a manager"
        " must approve it."
    )
    assert snapshot(bot) == before and get_order(bot, 2).status == OrderStatus.AWAITING_COMMITMENT
    # after the earliest date but in a month whose plan has too little: only the plan is wrong
    errors = inline_errors(bot.slack.submit(SALES, form, {"committed_date": "2027-02-10", "notes": ""}))
    assert errors["committed_date"] == (
        "The February 2027 plan for GBX-100 has only 100 left, less than 250. To promise it anyway, give an"
        " override reason: a manager must approve it."
    )
    # before the earliest date in a month with enough left: only the date is wrong
    errors = inline_errors(bot.slack.submit(SALES, form, {"committed_date": "2026-12-31", "notes": ""}))
    assert errors["committed_date"].startswith(
        "Thu 31 Dec 2026 is before the earliest feasible date (Fri 01 Jan"
    )
    assert snapshot(bot) == before


def test_within_what_can_be_made_it_commits_as_before(bot) -> None:  # noqa: ANN001
    form = over_plan(bot)
    reply = bot.slack.submit(
        SALES, form, {"committed_date": "2027-01-04", "notes": "", "override_reason": ""}
    )
    assert reply.status == 200 and b"errors" not in reply.body
    assert get_order(bot, 2).status == OrderStatus.COMMITTED and events(bot, "approval_requested") == []


def test_an_override_waits_for_a_manager_who_approves_it(bot) -> None:  # noqa: ANN001
    ask_manager(bot)
    order = get_order(bot, 2)
    assert (order.status, order.committed_date) == (OrderStatus.AWAITING_APPROVAL, None)
    message = approval(bot)
    text = mrkdwn_texts(message)[1]
    assert text.startswith(f"<@{MANAGER}> <@{MANAGER_B}> *Approve a promise beyond the plan?*")
    assert "• Sun 20 Dec 2026 is before the earliest feasible date, Fri 01 Jan 2027." in text
    assert "• 250 is more than the 100 left of 900 in the December 2026 plan for GBX-100." in text
    assert REASON in text
    assert [b["action_id"] for b in buttons(message)] == [APPROVE_PROMISE, REJECT_PROMISE]
    assert not buttons(keyed(bot, "order:2:r1:commit"))  # the commit prompt waits too
    assert "Awaiting manager approval" in str(keyed(bot, "order:2:card").blocks)

    before = snapshot(bot)
    assert press(bot, SALES, message, APPROVE_PROMISE).status == 200  # sales may not approve its own promise
    assert ephemeral_texts(bot)[-1].startswith(":no_entry_sign: Only the managers can do this.")
    assert snapshot(bot)[1:] == before[1:]

    assert press(bot, MANAGER, approval(bot), APPROVE_PROMISE).status == 200
    order = get_order(bot, 2)
    assert (order.status, order.committed_date, order.committed_by) == (
        OrderStatus.COMMITTED,
        date(2026, 12, 20),
        SALES,
    )
    assert [e.data["over_capacity_target"] for e in events(bot, "approval_approved")] == [True]  # 1,050 > 945
    assert any(
        f"<@{MANAGER}> approved the promise of CO-0002 for *Sun 20 Dec 2026*. <@{SALES}>, please confirm it"
        in str(m.blocks)
        for m in thread(bot)
    )
    message = approval(bot)
    assert not buttons(message)
    value = str(request_id(bot))  # a click on a copy of the button from before the approval
    assert bot.slack.click(MANAGER_B, APPROVE_PROMISE, value, message=message).status == 200
    assert "already approved this promise for CO-0002" in ephemeral_texts(bot)[-1]


def test_a_rejection_sends_it_back_to_sales_with_the_reason(bot) -> None:  # noqa: ANN001
    ask_manager(bot)
    assert press(bot, MANAGER, approval(bot), REJECT_PROMISE).status == 200
    form = bot.slack.last_view()
    assert "reason" in inline_errors(bot.slack.submit(MANAGER, form, {"reason": " "}))
    assert bot.slack.submit(MANAGER, form, {"reason": "Line 2 is full in December"}).status == 200
    assert get_order(bot, 2).status == OrderStatus.AWAITING_COMMITMENT
    echo = next(m for m in thread(bot) if "rejected the promise of CO-0002" in str(m.blocks))
    assert f"<@{SALES}>" in str(echo.blocks) and "Line 2 is full in December" in str(echo.blocks)
    assert [e.data["reason"] for e in events(bot, "approval_rejected")] == ["Line 2 is full in December"]
    # one decision per revision: asking again for a promise beyond the plan is refused inline
    assert press(bot, SALES, keyed(bot, "order:2:r1:commit"), Action.COMMIT).status == 200
    again = {"committed_date": "2026-12-21", "notes": "", "override_reason": REASON}
    errors = inline_errors(bot.slack.submit(SALES, bot.slack.last_view(), again))
    assert errors["committed_date"] == (
        f"<@{MANAGER}> already rejected a promise beyond the plan for this revision of CO-0002. Commit a date"
        " within what can be made, or revise the order."
    ).replace(f"<@{MANAGER}>", f"@{MANAGER}")
    commit(bot, 2, "2027-01-04")  # the commit prompt's button works again
    assert get_order(bot, 2).status == OrderStatus.COMMITTED


def test_the_approval_is_on_the_confirmation_clock(bot) -> None:  # noqa: ANN001
    ask_manager(bot)
    run_due(bot.svc, bot.clock.now + timedelta(hours=20))
    reminder = next(m for m in thread(bot) if "still needs a manager to approve or reject" in str(m.blocks))
    assert [b["action_id"] for b in buttons(reminder)] == [APPROVE_PROMISE, REJECT_PROMISE]
    dms = [
        c.args
        for c in bot.standin.calls_to("chat.postMessage")
        if c.args.get("channel") in (MANAGER, MANAGER_B)
    ]
    assert {d["channel"] for d in dms if "waiting for a manager" in str(d.get("blocks"))} == {
        MANAGER,
        MANAGER_B,
    }
    run_due(bot.svc, bot.clock.now + timedelta(hours=24, minutes=1))
    assert any("no manager approved or rejected the promise" in str(m.blocks) for m in thread(bot))


def test_two_managers_approving_at_once_record_one_decision(bot) -> None:  # noqa: ANN001
    ask_manager(bot)
    message = approval(bot)
    with ThreadPoolExecutor(2) as pool:
        replies = list(
            pool.map(lambda user: press(bot, user, message, APPROVE_PROMISE), [MANAGER, MANAGER_B])
        )
    assert [r.status for r in replies] == [200, 200]
    assert len(events(bot, "approval_approved")) == 1 and len(events(bot, "committed")) == 2  # orders 1 and 2
    assert get_order(bot, 2).status == OrderStatus.COMMITTED
    assert sum("already approved this promise" in t for t in ephemeral_texts(bot)) == 1
