"""What the bot posts is what real Slack accepts: the change notice's buttons, the look-up of a
maybe-posted message across pages, and user text that is long or full of characters to escape."""

from __future__ import annotations

from bot.ids import AfterCommit
from tests.conftest import PRODUCTION_A, SUPPLY
from tests.e2e.test_after_commit import change, change_message, committed_order, events, text_of


def ack_buttons(message) -> list[dict]:  # noqa: ANN001
    return [e for b in message.blocks for e in b.get("elements", []) if e.get("type") == "button"]


def test_the_change_notice_reaches_slack_with_one_id_per_button_and_each_acknowledges_its_team(bot):  # noqa: ANN001
    committed_order(bot)
    change(bot)
    bot.standin.assert_all_valid()  # Slack refuses two buttons sharing an action_id in one block
    notice = change_message(bot)
    ids = [b["action_id"] for b in ack_buttons(notice)]
    assert len(set(ids)) == 2, ids
    bot.slack.press(SUPPLY, notice, "Acknowledge for supply")
    bot.slack.press(PRODUCTION_A, notice, "Acknowledge for production")
    assert [e.data["team"] for e in events(bot, "change_acknowledged")] == ["supply", "production"]
    assert "acknowledged by <@U03>" in text_of(change_message(bot))


def test_a_button_posted_with_the_former_shared_id_still_acknowledges(bot):  # noqa: ANN001
    committed_order(bot)
    change(bot)
    notice = change_message(bot)
    supply = next(b for b in ack_buttons(notice) if b["text"]["text"] == "Acknowledge for supply")
    bot.slack.click(SUPPLY, AfterCommit.A_ACKNOWLEDGE, supply["value"], message=notice)
    assert [e.data["team"] for e in events(bot, "change_acknowledged")] == ["supply"]
