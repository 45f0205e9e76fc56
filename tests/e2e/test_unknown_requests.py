"""A button, form, shortcut, command or event the bot does not know is acknowledged (200, so Slack
shows no error icon) and logged once, as one line without a traceback; nothing else happens."""

from __future__ import annotations

import logging

import pytest

from bot.ids import Action
from tests.conftest import SALES
from tests.helpers import snapshot

WHO = {"team": {"id": "T0001"}, "user": {"id": SALES, "team_id": "T0001"}, "api_app_id": "A0001"}
VIEW = {"id": "V0001", "type": "modal", "callback_id": "feature.removed", "private_metadata": "", "hash": "h"}
PAYLOADS = {
    "an old message's button": {
        "type": "block_actions",
        **WHO,
        "trigger_id": "t-1",
        "container": {"type": "message", "message_ts": "1.0", "channel_id": "C0123ORDERS"},
        "channel": {"id": "C0123ORDERS"},
        "message": {"type": "message", "ts": "1.0", "text": "old"},
        "actions": [{"type": "button", "action_id": "feature.removed", "block_id": "b", "value": "1"}],
    },
    "a form of a removed feature": {
        "type": "view_submission",
        **WHO,
        "trigger_id": "t-2",
        "view": {**VIEW, "state": {"values": {}}},
    },
    "closing such a form": {"type": "view_closed", **WHO, "view": VIEW, "is_cleared": False},
    "a global shortcut": {"type": "shortcut", **WHO, "callback_id": "other.app", "trigger_id": "t-3"},
    "a message shortcut": {
        "type": "message_action",
        **WHO,
        "callback_id": "other.app",
        "trigger_id": "t-4",
        "channel": {"id": "C0123ORDERS"},
        "message": {"type": "message", "ts": "1.0", "text": "x"},
        "response_url": "",
    },
}


def warnings_and_worse(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.levelno >= logging.WARNING]


def assert_ignored_once(bot, caplog, reply, before: tuple, names: str) -> None:  # noqa: ANN001
    assert (reply.status, reply.body) == (200, b""), reply.body
    [record] = warnings_and_worse(caplog)
    assert record.exc_info is None and "\n" not in record.getMessage()
    assert names in record.getMessage(), record.getMessage()
    # no answer, no message, no group looked up (Bolt's own auth.test, on its first request, aside)
    assert [c.method for c in bot.standin.calls if c.method != "auth.test"] == []
    assert snapshot(bot) == before


@pytest.mark.parametrize("what", sorted(PAYLOADS))
def test_an_unknown_interaction_is_acknowledged_and_logged_once(bot, caplog, what) -> None:  # noqa: ANN001
    before = snapshot(bot)
    bot.standin.calls.clear()  # the snapshot's own look-ups
    caplog.set_level(logging.INFO)
    reply = bot.slack.interactive(PAYLOADS[what])
    payload = PAYLOADS[what]
    name = payload.get("callback_id") or payload.get("view", {}).get("callback_id") or "feature.removed"
    assert_ignored_once(bot, caplog, reply, before, name)


def test_an_unknown_slash_command_is_acknowledged_and_logged_once(bot, caplog) -> None:  # noqa: ANN001
    before = snapshot(bot)
    bot.standin.calls.clear()  # the snapshot's own look-ups
    caplog.set_level(logging.INFO)
    reply = bot.slack.command(SALES, "anything", command="/retired")
    assert_ignored_once(bot, caplog, reply, before, "/retired")


def test_an_event_without_a_listener_is_acknowledged_and_logged_once(bot, caplog) -> None:  # noqa: ANN001
    before = snapshot(bot)
    bot.standin.calls.clear()  # the snapshot's own look-ups
    caplog.set_level(logging.INFO)
    reply = bot.slack.event({"type": "reaction_added", "user": SALES, "reaction": "eyes"})
    assert_ignored_once(bot, caplog, reply, before, "reaction_added")


def test_a_known_button_is_still_handled(bot) -> None:  # noqa: ANN001
    """The control: the catch-all takes only what no listener takes."""
    reply = bot.slack.click(SALES, Action.ANSWER, "not-a-number")
    assert reply.status == 200
    assert "That button is not valid any more." in bot.standin.responses()[0].args["text"]
