"""`/order list [mine] [all] [words] [page N]`: whose orders, closed ones too, a search, and pages."""

from __future__ import annotations

import pytest

from bot.orders import replies
from tests.conftest import MANAGER, PRODUCTION_A, SALES, SUPPLY
from tests.e2e.test_bad_input import command_reply
from tests.helpers import answer_supply, cancel, decline_by_production, register


def listed(bot, text: str, user: str = SALES) -> str:  # noqa: ANN001
    body = command_reply(bot, text, user)
    return "\n".join(
        b["text"]["text"] if b["type"] == "section" else b["elements"][0]["text"] for b in body["blocks"]
    )


def numbers(text: str) -> list[str]:
    return [line.split("|")[1].split(">")[0] for line in text.splitlines() if line.startswith("• ")]


def test_list_mine_shows_what_the_caller_sells_or_what_waits_on_their_team(bot):  # noqa: ANN001
    register(bot, customer="ACME Gears")
    register(bot, customer="Globex")
    assert numbers(listed(bot, "list mine", SALES)) == ["CO-0002", "CO-0001"]
    answer_supply(bot)  # CO-0002's supply request is answered: only CO-0001 still waits on supply
    assert numbers(listed(bot, "list mine", SUPPLY)) == ["CO-0001"]
    assert "*Your open orders (1)*" in listed(bot, "list mine", SUPPLY)
    assert numbers(listed(bot, "list mine", PRODUCTION_A)) == ["CO-0002", "CO-0001"]  # via the user group
    nothing = listed(bot, "list mine", MANAGER)  # a reader with nothing of their own (outsiders read nothing)
    assert "No orders match `/order list mine`." in nothing and "`/order list mine all`" in nothing


def test_list_all_includes_delivered_and_cancelled_orders(bot):  # noqa: ANN001
    register(bot)
    decline_by_production(bot)
    cancel(bot)
    register(bot, customer="Globex")
    assert numbers(listed(bot, "list")) == ["CO-0002"]
    everything = listed(bot, "list all")
    assert "*All orders (2)*" in everything and numbers(everything) == ["CO-0002", "CO-0001"]
    assert "ACME Gears · 250 × GBX-100 · cancelled" in everything


@pytest.mark.parametrize(
    ("words", "found"),
    [("globex", ["CO-0002"]), ("GLOBEX", ["CO-0002"]), ("mtr", ["CO-0002"]), ("acme gears", ["CO-0001"])]
    + [("CO-0001", ["CO-0001"]), ("2", ["CO-0002"]), ("gbx", ["CO-0001"]), ("%", []), ("_", [])],
)
def test_list_with_words_matches_the_number_customer_or_product(bot, words, found):  # noqa: ANN001
    register(bot, customer="ACME Gears", product="GBX-100")
    register(bot, customer="Globex", product="MTR-7")
    text = listed(bot, f"list {words}")
    assert numbers(text) == found
    if found:
        assert f"matching “{words}” ({len(found)})*" in text
    else:
        assert f"No orders match `/order list {words}`." in text


def test_user_text_in_the_answer_pings_nobody(bot):  # noqa: ANN001
    text = listed(bot, "list <!channel> `x`")
    assert "<!channel>" not in text and "&lt;!channel&gt;" in text


def test_a_long_list_says_how_many_and_offers_the_next_page(bot, monkeypatch):  # noqa: ANN001
    monkeypatch.setattr(replies, "MAX_LISTED", 2)
    for customer in ("Acme 1", "Acme 2", "Acme 3", "Globex"):
        register(bot, customer=customer)
    first = listed(bot, "list all acme")
    assert numbers(first) == ["CO-0003", "CO-0002"] and "*All orders matching “acme” (3)*" in first
    assert "Page 1 of 2 (orders 1–2 of 3). Next page: `/order list all acme page 2`" in first
    second = listed(bot, "list all acme page 2")
    assert numbers(second) == ["CO-0001"] and "Page 2 of 2 (orders 3–3 of 3)." in second
    assert "Next page" not in second
    beyond = listed(bot, "list all acme page 7")
    assert "Page 7 is past the end: 3 orders match, on 2 page(s). Try `/order list all acme`." in beyond


def test_help_explains_the_list_options(bot):  # noqa: ANN001
    text = command_reply(bot, "help")["text"]
    for usage in ("`/order list mine`", "`/order list all`", "`/order list all acme page 2`"):
        assert usage in text
