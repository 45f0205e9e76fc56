"""What the bot posts is what real Slack accepts: the change notice's buttons, the look-up of a
maybe-posted message across pages, and user text that is long or full of characters to escape."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.ids import AfterCommit
from bot.sandbox.driver import TOKEN
from tests.conftest import ORDERS, PRODUCTION_A, SUPPLY
from tests.e2e.test_after_commit import change, change_message, committed_order, events, text_of
from tests.e2e.test_delivery_faults import cards_posted, lose_the_answer_to_the_card_post
from tests.e2e.test_order_loop import register
from tests.e2e.test_outbox import drain


def ack_buttons(message) -> list[dict]:  # noqa: ANN001
    return [e for b in message.blocks for e in b.get("elements", []) if e.get("type") == "button"]


def test_the_change_notice_reaches_slack_with_one_id_per_button_and_each_answers_its_team(bot):  # noqa: ANN001
    # rewritten: each team's button opens its answer form (an acknowledgement before)
    committed_order(bot)
    change(bot)
    bot.standin.assert_all_valid()  # Slack refuses two buttons sharing an action_id in one block
    notice = change_message(bot)
    ids = [b["action_id"] for b in ack_buttons(notice)]
    assert len(set(ids)) == 2, ids
    bot.slack.press(SUPPLY, notice, "Answer for supply")
    bot.slack.submit(SUPPLY, bot.slack.last_view(), {"can_do": "yes", "material_date": "2026-12-05"})
    bot.slack.press(PRODUCTION_A, notice, "Answer for production")
    bot.slack.submit(PRODUCTION_A, bot.slack.last_view(), {"can_do": "yes", "lead_time_days": "10"})
    bot.standin.assert_all_valid()
    assert [e.data["team"] for e in events(bot, "change_answered")] == ["supply", "production"]
    assert "yes, materials by Sat 05 Dec 2026 · <@U03>" in text_of(change_message(bot))


def test_a_button_posted_with_the_former_shared_id_still_opens_the_answer(bot):  # noqa: ANN001
    # rewritten: the former shared id now opens the team's answer form
    committed_order(bot)
    change(bot)
    notice = change_message(bot)
    supply = next(b for b in ack_buttons(notice) if b["text"]["text"] == "Answer for supply")
    bot.slack.click(SUPPLY, AfterCommit.A_ACKNOWLEDGE, supply["value"], message=notice)
    bot.slack.submit(SUPPLY, bot.slack.last_view(), {"can_do": "yes", "material_date": "2026-12-05"})
    assert [e.data["team"] for e in events(bot, "change_answered")] == ["supply"]


def test_a_maybe_posted_card_on_the_second_page_of_history_is_found_and_not_posted_again(bot, monkeypatch):  # noqa: ANN001
    monkeypatch.setattr("bot.delivery.LOOKUP_PAGE_SIZE", 2, raising=False)
    lose_the_answer_to_the_card_post(bot)
    register(bot)  # the card reaches Slack, its answer is lost
    others = WebClient(token=TOKEN, base_url=bot.standin.url)
    for i in range(3):  # newer posts push the card to the second page (history is newest first)
        others.chat_postMessage(channel=ORDERS, text=f"chatter {i}")
    drain(bot)
    assert cards_posted(bot) == 1
    lookups = bot.standin.calls_to("conversations.history")
    assert [str(c.args.get("limit")) for c in lookups] == ["2", "2"] and lookups[1].args.get("cursor")
