"""Bad input meets an inline error next to its field (or helpful ephemeral text), never a crash."""

from __future__ import annotations

import pytest

from storage.models import ConfirmationRequest, Order, OrderStatus
from tests.conftest import ORDERS, PRODUCTION_A, SALES, SUPPLY
from tests.helpers import (
    cancel,
    count,
    decline_by_production,
    find,
    get_order,
    inline_errors,
    reach_commit_prompt,
    register,
    requests_of,
    snapshot,
    submit_new_order,
    thread,
)

# -- the new-order modal ------------------------------------------------------------------


def assert_rejected_and_nothing_saved(bot, reply, field: str, says: str) -> None:  # noqa: ANN001
    errors = inline_errors(reply)
    assert says in errors[field], errors
    assert count(bot, Order) == 0
    assert count(bot, ConfirmationRequest) == 0
    assert bot.standin.messages() == []


@pytest.mark.parametrize(
    ("quantity", "says"),
    [
        ("-5", "must be at least 1"),
        ("0", "must be at least 1"),
        ("abc", "must be a whole number"),
        ("1.5", "must be a whole number"),
        ("99999999999", "must be at most 10,000,000"),
        ("", "Enter the quantity"),
        ("١٢", "must be a whole number"),  # Arabic-Indic digits: isdigit() but not what we accept
    ],
)
def test_a_bad_quantity_is_an_inline_error_and_nothing_is_saved(bot, quantity, says):  # noqa: ANN001
    reply = submit_new_order(bot, quantity=quantity)
    assert_rejected_and_nothing_saved(bot, reply, "quantity", says)


def test_a_quantity_with_thousands_separators_is_accepted(bot):  # noqa: ANN001
    register(bot, quantity="1,250")
    assert get_order(bot).quantity == 1250


def test_a_requested_date_before_today_is_an_inline_error(bot):  # noqa: ANN001
    reply = submit_new_order(bot, requested_date="2026-11-24")  # the fake clock says 2026-11-25
    assert_rejected_and_nothing_saved(
        bot, reply, "requested_date", "cannot be in the past (today is 2026-11-25)"
    )


def test_today_in_the_configured_zone_decides_what_is_past(bot):  # noqa: ANN001
    bot.clock.advance(hours=16)  # 17:00 UTC on 25 Nov is already 01:00 on 26 Nov in Shanghai
    reply = submit_new_order(bot, requested_date="2026-11-25")
    assert_rejected_and_nothing_saved(bot, reply, "requested_date", "today is 2026-11-26")


def test_a_requested_date_of_today_is_accepted(bot):  # noqa: ANN001
    register(bot, requested_date="2026-11-25")
    assert get_order(bot).requested_date.isoformat() == "2026-11-25"


def test_a_requested_date_years_away_is_an_inline_error(bot):  # noqa: ANN001
    reply = submit_new_order(bot, requested_date="2036-11-25")
    assert_rejected_and_nothing_saved(bot, reply, "requested_date", "check the year")


@pytest.mark.parametrize("field", ["customer", "product", "specification"])
@pytest.mark.parametrize("blank", [None, "", "   \n "])
def test_an_empty_required_text_is_an_inline_error(bot, field, blank):  # noqa: ANN001
    reply = submit_new_order(bot, **{field: blank})
    assert_rejected_and_nothing_saved(bot, reply, field, "Enter the")


@pytest.mark.parametrize(("field", "limit"), [("customer", 120), ("product", 120), ("specification", 2000)])
def test_an_oversized_text_is_an_inline_error(bot, field, limit):  # noqa: ANN001
    reply = submit_new_order(bot, **{field: "x" * (limit + 1)})
    assert_rejected_and_nothing_saved(bot, reply, field, f"within {limit:,} characters")


def test_control_characters_in_a_name_are_an_inline_error(bot):  # noqa: ANN001
    reply = submit_new_order(bot, customer="ACME\x07Gears")
    assert_rejected_and_nothing_saved(bot, reply, "customer", "control characters")


def test_every_bad_field_is_reported_at_once(bot):  # noqa: ANN001
    reply = submit_new_order(bot, customer="", quantity="0", requested_date="2026-01-01", specification="")
    assert set(inline_errors(reply)) == {"customer", "quantity", "requested_date", "specification"}
    assert count(bot, Order) == 0


def test_a_corrected_resubmission_after_errors_registers_one_order(bot):  # noqa: ANN001
    assert "quantity" in inline_errors(submit_new_order(bot, quantity="abc"))
    register(bot)
    assert count(bot, Order) == 1
    assert len([m for m in bot.standin.messages(ORDERS) if m.thread_ts is None]) == 1


# -- the answer and commit modals ---------------------------------------------------------


def open_answer(bot, team: str) -> dict:  # noqa: ANN001
    label, user = ("Production:", PRODUCTION_A) if team == "production" else ("Supply:", SUPPLY)
    bot.slack.press(user, find(thread(bot), label), f"Answer for {team}")
    return bot.slack.last_view()


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        ({"can_do": "yes", "lead_time_days": None}, "lead_time_days", "Enter the production lead time"),
        ({"can_do": "yes", "lead_time_days": "ten"}, "lead_time_days", "whole number"),
        ({"can_do": "yes", "lead_time_days": "3651"}, "lead_time_days", "at most 3,650"),
        ({"can_do": "no", "notes": ""}, "notes", "Say why production cannot make it"),
        ({"can_do": "no", "notes": "   "}, "notes", "Say why"),
        ({"can_do": None}, "can_do", "Choose yes or no"),
    ],
)
def test_a_bad_production_answer_is_an_inline_error_and_changes_nothing(bot, values, field, says):  # noqa: ANN001
    register(bot)
    view = open_answer(bot, "production")
    before = snapshot(bot)
    reply = bot.slack.submit(PRODUCTION_A, view, {"lead_time_days": None, "notes": None} | values)
    assert says in inline_errors(reply)[field]
    assert snapshot(bot) == before


@pytest.mark.parametrize(
    ("values", "field", "says"),
    [
        ({"can_do": "yes", "material_date": None}, "material_date", "Pick the material arrival date"),
        ({"can_do": "yes", "material_date": "2026-11-24"}, "material_date", "cannot be in the past"),
        ({"can_do": "yes", "material_date": "not-a-date"}, "material_date", "Pick the material arrival date"),
        ({"can_do": "no", "notes": None}, "notes", "Say why the materials cannot be sourced"),
        ({"can_do": "maybe"}, "can_do", "Choose yes or no"),
    ],
)
def test_a_bad_supply_answer_is_an_inline_error_and_changes_nothing(bot, values, field, says):  # noqa: ANN001
    register(bot)
    view = open_answer(bot, "supply")
    before = snapshot(bot)
    reply = bot.slack.submit(SUPPLY, view, {"material_date": None, "notes": None} | values)
    assert says in inline_errors(reply)[field]
    assert snapshot(bot) == before


def test_a_production_no_with_a_reason_needs_no_lead_time(bot):  # noqa: ANN001
    register(bot)
    decline_by_production(bot, reason="Tooling unavailable")
    assert get_order(bot).status == OrderStatus.DECLINED
    production = [r for r in requests_of(bot) if r.team == "production"][0]
    assert (production.can_do, production.lead_time_days, production.notes) == (
        False,
        None,
        "Tooling unavailable",
    )


@pytest.mark.parametrize(
    ("values", "says"),
    [
        ({"committed_date": "2026-11-24"}, "cannot be in the past (today is 2026-11-25)"),
        ({"committed_date": None}, "Pick the committed delivery date"),
    ],
)
def test_a_bad_commit_date_is_an_inline_error_and_commits_nothing(bot, values, says):  # noqa: ANN001
    register(bot)
    reach_commit_prompt(bot)
    bot.slack.press(SALES, find(thread(bot), "confirm a delivery date"), "Confirm delivery date")
    view = bot.slack.last_view()
    before = snapshot(bot)
    reply = bot.slack.submit(SALES, view, {"notes": ""} | values)
    assert says in inline_errors(reply)["committed_date"]
    assert snapshot(bot) == before
    assert get_order(bot).status == OrderStatus.AWAITING_COMMITMENT


def test_commit_notes_over_the_limit_are_an_inline_error(bot):  # noqa: ANN001
    register(bot)
    reach_commit_prompt(bot)
    bot.slack.press(SALES, find(thread(bot), "confirm a delivery date"), "Confirm delivery date")
    reply = bot.slack.submit(
        SALES, bot.slack.last_view(), {"committed_date": "2026-12-20", "notes": "n" * 1001}
    )
    assert "within 1,000 characters" in inline_errors(reply)["notes"]
    assert get_order(bot).status == OrderStatus.AWAITING_COMMITMENT


# -- /order subcommands -------------------------------------------------------------------


def command_reply(bot, text: str, user: str = SALES) -> dict:  # noqa: ANN001
    reply = bot.slack.command(user, text)
    assert reply.status == 200, reply.body
    body = reply.json()
    assert "Traceback" not in reply.body.decode() and "Something went wrong" not in body.get("text", "")
    return body


def test_an_unknown_subcommand_names_it_and_shows_help(bot):  # noqa: ANN001
    body = command_reply(bot, "frobnicate")
    assert body["text"].startswith("I don't know `/order frobnicate`")
    assert "`/order new`" in body["text"] and "`/order show CO-0042`" in body["text"]
    assert bot.standin.calls_to("views.open") == []


def test_an_unknown_subcommand_is_not_echoed_as_markup(bot):  # noqa: ANN001
    body = command_reply(bot, "<!channel>")
    assert "<!channel>" not in body["text"]


def test_show_without_a_number_asks_which_order(bot):  # noqa: ANN001
    body = command_reply(bot, "show")
    assert body["text"].startswith("Which order? For example `/order show CO-0042`.")


@pytest.mark.parametrize("number", ["CO-9999", "banana", "CO-0000", "<!channel>"])
def test_show_of_an_unknown_order_says_so_helpfully(bot, number):  # noqa: ANN001
    body = command_reply(bot, f"show {number}")
    assert "I can't find an order" in body["text"] and "`/order list`" in body["text"]
    assert "<!channel>" not in body["text"]


def test_help_lists_every_subcommand(bot):  # noqa: ANN001
    body = command_reply(bot, "help")
    for usage in ("`/order new`", "`/order list`", "`/order show CO-0042`", "`/order help`"):
        assert usage in body["text"]
    assert body["blocks"][0]["type"] == "section"


def test_list_with_no_orders_says_how_to_register_one(bot):  # noqa: ANN001
    assert "There are no open orders" in command_reply(bot, "list")["text"]


def test_list_shows_open_orders_with_links_to_their_threads(bot):  # noqa: ANN001
    register(bot, customer="ACME Gears")
    first_card = [m for m in bot.standin.messages(ORDERS) if m.thread_ts is None][0]
    register(bot, customer="Globex", quantity="40")
    body = command_reply(bot, "list")
    assert body["text"] == "Open orders: 2"
    text = "\n".join(b["text"]["text"] for b in body["blocks"])
    assert "*Open orders (2)*" in text
    link = f"https://slack.com/archives/{ORDERS}/p{first_card.ts.replace('.', '')}"
    assert f"<{link}|CO-0001> · ACME Gears · 250 × GBX-100 · awaiting confirmation" in text
    assert "CO-0002> · Globex · 40 × GBX-100" in text
    assert text.index("CO-0002") < text.index("CO-0001")  # newest first


def test_list_leaves_out_cancelled_orders(bot):  # noqa: ANN001
    register(bot)
    decline_by_production(bot)
    cancel(bot)
    assert "There are no open orders" in command_reply(bot, "list")["text"]


@pytest.mark.parametrize("number", ["CO-0001", "co-1", "1"])
def test_show_gives_status_answers_dates_and_a_thread_link(bot, number):  # noqa: ANN001
    register(bot, requested_date="2026-12-01")
    reach_commit_prompt(bot)
    body = command_reply(bot, f"show {number}")
    text = body["blocks"][0]["text"]["text"]
    assert text.startswith("*CO-0001* · ACME Gears · 250 × GBX-100")
    assert "*Status:* awaiting commitment (revision 1)" in text
    assert "*Requested:* Tue 01 Dec 2026 · *Committed:* —" in text
    assert "*Production:* :white_check_mark: yes, lead time 10 days · <@U05>" in text
    assert "*Supply:* :white_check_mark: yes, materials arrive Sat 05 Dec 2026 · <@U03>" in text
    card_ts = [m for m in bot.standin.messages(ORDERS) if m.thread_ts is None][0].ts
    assert f"<https://slack.com/archives/{ORDERS}/p{card_ts.replace('.', '')}|Open the thread>" in text
