"""User text cannot ping anyone, maximum-length input stays inside Block Kit, revise and cancel end well."""

from __future__ import annotations

from datetime import timedelta

from storage.models import OrderStatus
from tests.conftest import ORDERS, PRODUCTION_A, SALES, SUPPLY
from tests.helpers import (
    answer_production,
    answer_supply,
    button_labels,
    cancel,
    card,
    decline_by_production,
    find,
    find_all,
    get_order,
    mrkdwn_texts,
    register,
    requests_of,
    thread,
)

HOSTILE = "ACME <!channel> & <@U04>"
ESCAPED = "ACME &lt;!channel&gt; &amp; &lt;@U04&gt;"


def assert_pings_nobody(message) -> None:  # noqa: ANN001
    for text in mrkdwn_texts(message):
        assert "<!channel>" not in text and "<@U04>" not in text, text
        assert "& " not in text.replace("&amp;", ""), text


def test_a_hostile_customer_name_is_escaped_on_the_card(bot):  # noqa: ANN001
    register(bot, customer=HOSTILE, product="GBX <!here>", specification="Spec <!everyone> & <@U04>")
    top = card(bot)
    assert_pings_nobody(top)
    assert ESCAPED in top.text
    fields = [f["text"] for b in top.blocks for f in b.get("fields", [])]
    assert f"*Customer*\n{ESCAPED}" in fields
    assert "*Product*\nGBX &lt;!here&gt;" in fields
    assert any("Spec &lt;!everyone&gt; &amp; &lt;@U04&gt;" in t for t in mrkdwn_texts(top))
    header = top.blocks[0]
    assert header["text"]["type"] == "plain_text"  # plain text is shown as typed; Slack parses no mention


def test_a_hostile_customer_name_is_escaped_throughout_the_thread(bot):  # noqa: ANN001
    register(bot, customer=HOSTILE)
    answer_production(bot, notes="Ask <!channel> & <@U04>")
    answer_supply(bot)
    bot.slack.press(SALES, find(thread(bot), "confirm a delivery date"), "Confirm delivery date")
    bot.slack.submit(SALES, bot.slack.last_view(), {"committed_date": "2026-12-20", "notes": "<!channel> ok"})
    messages = thread(bot)
    assert len(messages) >= 5
    for message in [card(bot), *messages]:
        assert_pings_nobody(message)
    assert any(ESCAPED in t for t in mrkdwn_texts(find(messages, "committed for")))
    assert any(
        "Ask &lt;!channel&gt; &amp; &lt;@U04&gt;" in t
        for t in mrkdwn_texts(find(messages, "Production answered"))
    )


def test_a_hostile_name_is_escaped_in_the_answer_modal_summary(bot):  # noqa: ANN001
    register(bot, customer=HOSTILE)
    bot.slack.press(PRODUCTION_A, find(thread(bot), "Production:"), "Answer for production")
    summary = bot.slack.last_view()["blocks"][0]["text"]["text"]
    assert ESCAPED in summary and "<!channel>" not in summary


def test_a_hostile_name_is_escaped_in_list_and_show(bot):  # noqa: ANN001
    register(bot, customer=HOSTILE)
    for text in ("list", "show CO-0001"):
        body = bot.slack.command(SALES, text).json()
        shown = body["text"] + "".join(b["text"]["text"] for b in body["blocks"] if "text" in b)
        assert "<!channel>" not in shown and "<@U04>" not in shown
        assert "ACME &lt;!channel&gt; &amp; &lt;@U04&gt;" in shown


# -- Block Kit limits ---------------------------------------------------------------------

LONG = {
    "customer": "C&<" * 40,  # 120 characters that grow fivefold when escaped
    "product": "P>" * 60,
    "quantity": "10,000,000",
    "requested_date": "2026-12-20",
    "specification": "&" * 2000,
}
NOTES = "<&>" * 333 + "!"  # 1000 characters


def assert_accepted(bot) -> None:  # noqa: ANN001
    bot.standin.assert_all_valid()
    failed = [c for c in bot.standin.calls if not c.response.get("ok")]
    assert failed == [], [(c.method, c.response) for c in failed]


def test_maximum_length_input_through_to_a_commitment_stays_inside_block_kit_limits(bot):  # noqa: ANN001
    register(bot, **LONG)
    answer_production(bot, lead_time_days="365", notes=NOTES)
    answer_supply(bot, notes=NOTES)
    bot.slack.press(SALES, find(thread(bot), "confirm a delivery date"), "Confirm delivery date")
    bot.slack.submit(SALES, bot.slack.last_view(), {"committed_date": "2028-01-01", "notes": NOTES})
    assert get_order(bot).status == OrderStatus.COMMITTED
    assert len(thread(bot)) >= 6
    for text in ("list", "show CO-0001"):
        body = bot.slack.command(SALES, text).json()
        bot.standin._validate_message(body)  # the ack body is a message Slack must accept too
    assert_accepted(bot)


def test_maximum_length_input_through_a_decline_and_revision_stays_inside_block_kit_limits(bot):  # noqa: ANN001
    register(bot, **LONG)
    answer_supply(bot, can_do="no", material_date=None, notes=NOTES)
    bot.slack.press(SALES, find(thread(bot), "was declined"), "Revise order")
    view = bot.slack.last_view()
    prefilled = {
        b["block_id"]: b["element"].get("initial_value") for b in view["blocks"] if b["type"] == "input"
    }
    assert prefilled["specification"] == LONG["specification"]
    bot.slack.submit(SALES, view, {**LONG, "customer": "D>" * 60, "specification": "<" * 2000})
    assert get_order(bot).revision == 2
    decline_by_production(bot, reason=NOTES)
    cancel(bot)
    assert get_order(bot).status == OrderStatus.CANCELLED
    assert_accepted(bot)


# -- revise and cancel, end to end --------------------------------------------------------


def request_messages(bot) -> list:  # noqa: ANN001
    return find_all(thread(bot), "Production: can you make it?") + find_all(thread(bot), "Supply: can you")


def test_a_production_no_shows_sales_the_reason_with_revise_and_cancel(bot):  # noqa: ANN001
    register(bot)
    decline_by_production(bot, reason="Line 2 is booked until March")
    prompt = find(thread(bot), "was declined")
    text = prompt.blocks[0]["text"]["text"]
    assert text.startswith("<@U01> CO-0001 cannot go ahead as registered (revision 1).")
    assert "*Production* (<@U05>): Line 2 is booked until March" in text
    assert button_labels(prompt) == ["Revise order", "Cancel order"]
    assert "Declined" in card(bot).blocks[1]["fields"][4]["text"]


def test_revise_opens_a_prefilled_modal(bot):  # noqa: ANN001
    register(bot, quantity="1,250", specification="Line one\nLine two")
    decline_by_production(bot)
    bot.slack.press(SALES, find(thread(bot), "was declined"), "Revise order")
    view = bot.slack.last_view()
    assert view["title"]["text"] == "Revise CO-0001"
    initial = {
        b["block_id"]: b["element"].get("initial_value") or b["element"].get("initial_date")
        for b in view["blocks"]
        if b["type"] == "input"
    }
    assert initial == {
        "customer": "ACME Gears",
        "product": "GBX-100",
        "quantity": "1250",
        "requested_date": "2026-12-20",
        "specification": "Line one\nLine two",
    }


def test_a_revision_asks_both_teams_again_with_a_fresh_deadline_and_retires_old_buttons(bot):  # noqa: ANN001
    register(bot)
    decline_by_production(bot)
    bot.clock.advance(hours=5)
    bot.slack.press(SALES, find(thread(bot), "was declined"), "Revise order")
    bot.slack.submit(
        SALES,
        bot.slack.last_view(),
        {
            "customer": "ACME Gears",
            "product": "GBX-100",
            "quantity": "300",
            "requested_date": "2027-01-15",
            "specification": "Hardened steel, 1:40 ratio",
        },
    )
    order = get_order(bot)
    assert (order.revision, order.status, order.quantity) == (2, OrderStatus.AWAITING_CONFIRMATION, 300)

    fresh = [r for r in requests_of(bot) if r.revision == 2]
    deadline = bot.clock.now + timedelta(hours=24)
    assert sorted(r.team for r in fresh) == ["production", "supply"]
    assert all(r.due_at == deadline and r.answered_at is None for r in fresh)

    messages = request_messages(bot)
    assert len(messages) == 4
    with_buttons = [m for m in messages if button_labels(m)]
    assert sorted(button_labels(m)[0] for m in with_buttons) == ["Answer for production", "Answer for supply"]
    for message in with_buttons:
        assert "300 × GBX-100" in message.blocks[0]["text"]["text"]
        assert f"<!date^{int(deadline.timestamp())}^" in message.blocks[0]["text"]["text"]
    assert all(button_labels(m) == [] for m in messages if m not in with_buttons)

    notice = find(thread(bot), "revised")
    assert "quantity: 250 → 300" in notice.blocks[0]["text"]["text"]
    assert "requested date: 2026-12-20 → 2027-01-15" in notice.blocks[0]["text"]["text"]
    old_prompt = find(thread(bot), "was revised")
    assert button_labels(old_prompt) == []
    assert "_The order was revised (now revision 2)._" in old_prompt.blocks[0]["text"]["text"]


def test_a_revised_order_can_be_confirmed_and_committed(bot):  # noqa: ANN001
    register(bot)
    decline_by_production(bot)
    bot.slack.press(SALES, find(thread(bot), "was declined"), "Revise order")
    bot.slack.submit(SALES, bot.slack.last_view(), {**LONG, "customer": "ACME", "specification": "ok"})
    answer_production(bot, lead_time_days="2")
    answer_supply(bot, user=SUPPLY, material_date="2026-12-01")
    bot.slack.press(SALES, find(thread(bot), "confirm a delivery date"), "Confirm delivery date")
    bot.slack.submit(SALES, bot.slack.last_view(), {"committed_date": "2026-12-20", "notes": ""})
    assert get_order(bot).status == OrderStatus.COMMITTED


def test_cancel_marks_the_card_says_so_in_the_thread_and_leaves_no_buttons(bot):  # noqa: ANN001
    register(bot)
    decline_by_production(bot)
    cancel(bot)
    order = get_order(bot)
    assert (order.status, order.cancelled_by) == (OrderStatus.CANCELLED, SALES)

    top = card(bot)
    assert top.text == "CO-0001 for ACME Gears: cancelled"
    assert ":x: Cancelled" in top.blocks[1]["fields"][4]["text"]
    notice = find(thread(bot), "CO-0001 cancelled")
    assert "<@U01> cancelled CO-0001" in notice.blocks[0]["text"]["text"]
    assert all(button_labels(m) == [] for m in [top, *thread(bot)])
    old_prompt = find(thread(bot), "was cancelled")
    assert "_The order was cancelled._" in old_prompt.blocks[0]["text"]["text"]


def test_cancel_retires_a_request_still_waiting_for_an_answer(bot):  # noqa: ANN001
    register(bot)
    assert [r.superseded for r in requests_of(bot)] == [False, False]
    decline_by_production(bot)  # supply had not answered
    supply = find(thread(bot), "Supply: can you")
    assert button_labels(supply) == []
    assert "Not needed any more" in supply.text
    cancel(bot)
    assert all(button_labels(m) == [] for m in request_messages(bot))
    assert len([m for m in bot.standin.messages(ORDERS) if m.thread_ts is None]) == 1
