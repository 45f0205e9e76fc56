"""Closing an order: cancelling asks for a reason and says who and why; a closed card shows its final
state without stale lines or buttons; the salesperson hears about problems and late materials."""

from __future__ import annotations

import pytest

from bot.ids import View
from storage.models import OrderStatus
from tests.conftest import PRODUCTION_A, SALES, SUPPLY, make_config
from tests.e2e.test_after_commit import (
    after,
    buttons,
    change,
    committed_order,
    flag_moment,
    last_refusal,
    raise_problem,
    record_delivery,
    sweep,
    text_of,
)
from tests.e2e.test_order_loop import card, find, thread
from tests.helpers import (
    all_text,
    button_labels,
    cancel,
    decline_by_production,
    get_order,
    inline_errors,
    register,
)

OTHER_SALES = "U07"


@pytest.fixture
def config():  # noqa: ANN201
    return make_config(
        teams={"sales": [SALES, OTHER_SALES], "production": ["S02"], "supply": [SUPPLY], "managers": ["U04"]}
    )


def declined(bot) -> None:  # noqa: ANN001
    register(bot)
    decline_by_production(bot)


# -- cancelling asks why ------------------------------------------------------------------------


def test_cancel_opens_a_form_asking_why_and_cancels_nothing_yet(bot):  # noqa: ANN001
    declined(bot)
    bot.slack.press(SALES, find(thread(bot), "was declined"), "Cancel order")
    view = bot.slack.last_view()
    assert view["callback_id"] == View.CANCEL_ORDER
    assert (view["submit"]["text"], view["close"]["text"]) == ("Cancel the order", "Keep the order")
    assert [b["block_id"] for b in view["blocks"] if b["type"] == "input"] == ["reason"]
    assert get_order(bot).status == OrderStatus.DECLINED


def test_a_cancel_without_a_reason_is_refused_in_the_form(bot):  # noqa: ANN001
    declined(bot)
    errors = inline_errors(cancel(bot, reason="   "))
    assert errors == {"reason": "Enter the reason."}
    assert get_order(bot).status == OrderStatus.DECLINED


def test_the_card_and_the_thread_say_who_cancelled_and_why(bot):  # noqa: ANN001
    declined(bot)
    assert cancel(bot, reason="Customer <!channel> withdrew\nbudget cut").status == 200
    assert get_order(bot).status == OrderStatus.CANCELLED
    shown = all_text(card(bot))
    assert "*Cancelled* by <@U01>" in shown
    assert ">Customer &lt;!channel&gt; withdrew\n>budget cut" in shown
    notice = find(thread(bot), "cancelled")
    assert "Customer &lt;!channel&gt; withdrew" in all_text(notice)
    assert "please tell the customer" not in all_text(notice)  # the salesperson cancelled it themself
    assert button_labels(card(bot)) == []


def test_a_cancel_by_someone_else_tells_the_orders_salesperson(bot):  # noqa: ANN001
    declined(bot)
    assert cancel(bot, user=OTHER_SALES, reason="Duplicate of CO-0002").status == 200
    notice = find(thread(bot), "cancelled")
    assert "<@U07> cancelled CO-0001" in all_text(notice)
    assert "<@U01>, your order was cancelled by someone else: please tell the customer." in all_text(notice)


def test_a_second_cancel_form_submitted_later_is_refused_and_saves_nothing_twice(bot):  # noqa: ANN001
    declined(bot)
    bot.slack.press(SALES, find(thread(bot), "was declined"), "Cancel order")
    stale = bot.slack.last_view()
    assert cancel(bot).status == 200
    errors = inline_errors(bot.slack.submit(SALES, stale, {"reason": "again"}))
    assert "is cancelled; you can no longer cancel the order here" in errors["reason"]


def test_only_sales_may_open_the_cancel_form(bot):  # noqa: ANN001
    declined(bot)
    opened = len(bot.standin.calls_to("views.open"))
    bot.slack.press(PRODUCTION_A, find(thread(bot), "was declined"), "Cancel order")
    assert "Only the order's salesperson or the sales team can cancel the order" in last_refusal(bot)
    assert len(bot.standin.calls_to("views.open")) == opened


# -- a closed order's card and after-commitment message -------------------------------------------


def test_a_delivered_order_shows_its_final_state_without_stale_lines_or_dead_buttons(bot):  # noqa: ANN001
    committed_order(bot)
    change(bot)  # never acknowledged
    bot.clock.advance(days=21)
    record_delivery(bot, "2026-12-16")
    for message in (card(bot), after(bot)):
        shown = text_of(message)
        assert "Delivered* Wed 16 Dec 2026" in shown
        assert "not arrived yet" not in shown and "Materials late" not in shown
        assert "Pending change" not in shown
        assert "Materials arrival was not recorded" in shown
    assert buttons(after(bot)) == ["Raise a problem"]
    bot.slack.click(SUPPLY, "after.materials", "1")  # an old button somewhere
    assert "CO-0001 is already delivered; its materials' arrival can no longer be recorded" in last_refusal(
        bot
    )


# -- the salesperson hears what they must tell the customer -----------------------------------------


def test_a_problem_notice_mentions_the_orders_salesperson(bot):  # noqa: ANN001
    committed_order(bot)
    raise_problem(bot, PRODUCTION_A, "supply")
    assert "<@U01> (sales on this order)" in text_of(find(thread(bot), "problem for supply"))


def test_the_late_materials_flag_mentions_the_orders_salesperson(bot):  # noqa: ANN001
    committed_order(bot)
    assert sweep(bot, flag_moment()) == ["order:1:materials-late:2026-12-05: sent: late material flag"]
    flag = find(thread(bot), "materials are late")
    assert "<@U03>" in text_of(flag) and "<@U01>, the customer may need to hear about it" in text_of(flag)
