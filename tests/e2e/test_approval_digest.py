"""Promises waiting for a manager (issue 12 §3) show in the channel digest, in the managers' own
digest and on a manager's App Home, each linked to the order's thread; once decided they go."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.links import message_link
from bot.sweep import run_due
from tests.conftest import MANAGER, ORDERS, SALES, make_config
from tests.e2e.test_digest import digests, dms, text_of
from tests.e2e.test_kpi_home import block_text, buttons, open_home
from tests.e2e.test_promise_approval import APPROVE_PROMISE, MANAGER_B, approval, ask_manager
from tests.e2e.test_pseudo_orders import keyed, press
from workflows.config import Config


@pytest.fixture
def config() -> Config:
    teams = {"sales": [SALES], "production": ["S02"], "supply": ["U03"], "managers": [MANAGER, MANAGER_B]}
    return make_config(teams=teams)


def link(bot) -> str:  # noqa: ANN001
    return f"<{message_link(ORDERS, keyed(bot, 'order:2:card').ts)}|CO-0002>"


def test_the_digest_lists_the_promise_waiting_for_a_manager(bot) -> None:  # noqa: ANN001
    ask_manager(bot)
    run_due(bot.svc, datetime(2026, 11, 26, 1, 0, tzinfo=UTC))  # the next digest: 09:00 in Shanghai
    [posted] = digests(bot)
    text = text_of(posted.blocks)
    assert "*:hourglass_flowing_sand: Promises waiting for a manager* (1)" in text
    assert f"• {link(bot)} · Globex · 250 × GBX-100 · <@{SALES}> waits for a manager · *" in text
    for manager in (MANAGER, MANAGER_B):  # each manager's own digest lists it too
        [dm] = dms(bot, manager)
        assert "Promises waiting for a manager* (1)" in text_of(dm["blocks"])


def test_a_managers_home_lists_it_with_a_link_to_the_thread_until_it_is_decided(bot) -> None:  # noqa: ANN001
    ask_manager(bot)
    view = open_home(bot, MANAGER)
    text = block_text(view)
    assert (
        f"*Promise to approve* · {link(bot)} · Globex · 250 × GBX-100 · <@{SALES}> waits for a manager"
        in text
    )
    thread_url = message_link(ORDERS, keyed(bot, "order:2:card").ts)
    assert thread_url in {b.get("url") for b in buttons(view)}
    assert "Promise to approve" not in block_text(open_home(bot, SALES))  # only managers approve

    assert press(bot, MANAGER, approval(bot), APPROVE_PROMISE).status == 200
    assert "Promise to approve" not in block_text(open_home(bot, MANAGER))


def test_the_card_flags_an_order_approved_beyond_the_capacity_target(bot) -> None:  # noqa: ANN001
    ask_manager(bot)
    flag = "*Over plan*: a manager approved this promise beyond the month's capacity target."
    assert flag not in str(keyed(bot, "order:2:card").blocks)  # not before the approval
    assert press(bot, MANAGER, approval(bot), APPROVE_PROMISE).status == 200  # 800 + 250 > 945
    assert flag in str(keyed(bot, "order:2:card").blocks)
    assert flag not in str(keyed(bot, "order:1:card").blocks)  # within the plan: no flag


def test_the_agenda_flags_a_committed_order_approved_beyond_the_plan(bot) -> None:  # noqa: ANN001
    from sqlalchemy import select

    from bot.review.blocks import agenda_message
    from storage.review_models import ReviewPlan
    from workflows import review

    ask_manager(bot)
    assert press(bot, MANAGER, approval(bot), APPROVE_PROMISE).status == 200
    with bot.svc.session() as session:  # the plan as the review stores it, with every column
        plan = session.execute(select(ReviewPlan).where(ReviewPlan.month == "2026-12")).scalar_one()
        full = {"forecast": 900, "achievable": 950, "securable": 1000, "materials_unconstrained": False}
        plan.rows = [{**row, **full} for row in plan.rows]
        session.add(plan)
    with bot.svc.session() as session:
        found = review.agenda(session, bot.svc.config, "2026-12", bot.clock.now)
        text = str(agenda_message(found, interactive=False)["blocks"])
    lines = [line for line in text.split("\\n") if "CO-000" in line and "Dec 2026" in line]
    assert any("CO-0002" in line and ":warning: over plan" in line for line in lines), lines
    assert any("CO-0001" in line and "over plan" not in line for line in lines), lines
