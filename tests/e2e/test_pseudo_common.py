"""No English leaks from /order's own answers, the shared gates, the forms' and errors' answers,
and the App Home: under the pseudo-locale every word comes from a catalog."""

from __future__ import annotations

from datetime import date

import pytest

from bot.ids import AfterCommit
from storage.models import OrderStatus, Problem
from tests.conftest import MANAGER, OUTSIDER, SALES, SUPPLY
from tests.e2e.test_durable_forms import write_lock_held
from tests.e2e.test_kpi_home import NOW, buttons, open_home
from tests.helpers import ORDER_DEFAULTS, inline_errors, open_new_order_modal, register
from tests.leaks import leaks, pseudo, texts_of, unmarked_words  # noqa: F401
from tests.unit.test_digest import add_order, post_card

DATA = [ORDER_DEFAULTS["customer"], ORDER_DEFAULTS["product"], ORDER_DEFAULTS["specification"]]


def replied(bot, text: str, user: str = SALES) -> list[str]:  # noqa: ANN001
    reply = bot.slack.command(user, text)
    assert reply.status == 200, reply.body
    return texts_of(reply.json())


def unmarked(texts: list[str], data: list[str] = DATA) -> list[tuple[str, list[str]]]:
    return [(text, words) for text in texts if (words := unmarked_words(text, data))]


def test_order_help_lists_and_refusals_speak_only_catalog_words(bot, pseudo):  # noqa: ANN001, F811
    shown = replied(bot, "help") + replied(bot, "list") + replied(bot, "show")
    shown += replied(bot, "show CO-0999") + replied(bot, "frobnicate") + replied(bot, "list all acme")
    shown += replied(bot, "list mine") + replied(bot, "list page 3") + replied(bot, "list", OUTSIDER)
    assert all(text.startswith("⟦") for text in shown), shown  # each reply is catalog words
    assert unmarked(shown, ["acme", "frobnicate", "CO-0999"]) == []


def test_order_lists_and_details_of_registered_orders_speak_only_catalog_words(bot, pseudo):  # noqa: ANN001, F811
    register(bot)
    register(bot, customer="Globex")
    shown = replied(bot, "list") + replied(bot, "list all") + replied(bot, "list page 9")
    assert unmarked(shown, [*DATA, "Globex"]) == []
    detail = replied(bot, "show CO-0001")
    # the two answer lines are the order card's words (bot/orders/blocks.answer_summary)
    assert unmarked([line for text in detail for line in text.splitlines() if "waiting" not in line]) == []


@pytest.mark.parametrize(
    ("change", "user"),
    [({"id": "VFORGED1"}, SALES), ({}, OUTSIDER), ({"private_metadata": '{"order_id": 1}'}, SALES)],
    ids=["forged view id", "another user", "edited metadata"],
)
def test_form_refusals_speak_only_catalog_words(bot, pseudo, change, user) -> None:  # noqa: ANN001, F811
    view = {**open_new_order_modal(bot), **change}
    error = inline_errors(bot.slack.submit(user, view, ORDER_DEFAULTS))["customer"]
    assert error.startswith("⟦") and unmarked([error]) == []


def test_not_saved_speaks_only_catalog_words(bot, pseudo) -> None:  # noqa: ANN001, F811
    view = open_new_order_modal(bot)
    with write_lock_held(bot):
        error = inline_errors(bot.slack.submit(SALES, view, ORDER_DEFAULTS))["customer"]
    assert error.startswith("⟦") and unmarked([error]) == []


def test_a_form_slack_cannot_open_is_answered_in_catalog_words(bot, pseudo) -> None:  # noqa: ANN001, F811
    bot.standin.fail("views.open", status=503)
    assert bot.slack.command(SALES, "new").status == 200
    told = [c.args["text"] for c in bot.standin.responses()]
    assert told and unmarked(told) == []


def test_the_home_of_someone_without_access_speaks_only_catalog_words(bot, pseudo) -> None:  # noqa: ANN001, F811
    open_home(bot, OUTSIDER)
    assert leaks(bot) == []


def test_the_home_of_members_and_managers_speaks_only_catalog_words(bot, pseudo) -> None:  # noqa: ANN001, F811
    register(bot)
    for user in (SUPPLY, SALES, MANAGER):
        view = open_home(bot, user)
        shown = texts_of(view)
        assert shown[0] == "⟦OrderLoop⟧" and len(shown) > 5
        assert unmarked(shown) == [], user


def press_resolved_on_the_home_while_the_database_is_locked(bot) -> list[str]:  # noqa: ANN001
    """A problem for supply, resolved from supply's Home tab while another process holds the
    write lock: what supply is told (by DM: Home buttons have no response_url)."""
    with bot.svc.session() as session:
        order = add_order(session, OrderStatus.COMMITTED, committed_date=date(2026, 12, 16))
        post_card(session, order)
        session.add(
            Problem(
                order_id=order.id, team="supply", description="Wrong steel", raised_by=SALES, raised_at=NOW
            )
        )
    [resolve] = buttons(open_home(bot, SUPPLY))
    assert resolve["action_id"] == AfterCommit.A_RESOLVE
    with write_lock_held(bot):
        assert bot.slack.home_click(SUPPLY, resolve["action_id"], resolve["value"]).status == 200
    return [m.text for m in bot.standin.messages(SUPPLY)]


def test_a_button_the_database_cannot_save_is_answered_in_catalog_words(bot, pseudo) -> None:  # noqa: ANN001, F811
    told = press_resolved_on_the_home_while_the_database_is_locked(bot)
    assert len(told) == 1 and told[0].startswith(":warning: ⟦") and unmarked(told) == []
