"""Socket Mode, as `serve` runs it when SLACK_APP_TOKEN is set: Bolt's SocketModeHandler connects
through apps.connections.open to a WebSocket playing Slack, and the same listeners answer."""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from slack_bolt.adapter.socket_mode import SocketModeHandler
from slack_sdk import WebClient

from bot.ack_first import AckFirst
from bot.app import create_app
from bot.sandbox.driver import SIGNING_SECRET, TOKEN
from bot.sandbox.standin import SlackStandin
from bot.services import Services
from tests.clock import FakeClock
from tests.conftest import SALES
from tests.socket_mode import APP_TOKEN, SocketModeSlack
from workflows.config import Config


@pytest.fixture
def socket_slack(
    standin: SlackStandin, engine, config: Config, clock: FakeClock
) -> Iterator[SocketModeSlack]:  # noqa: ANN001
    svc = Services.build(config, engine, WebClient(token=TOKEN, base_url=standin.url), clock=clock)
    svc.acks = AckFirst(max_wait=30)  # a follow-up held by it would show as a 30 s stall
    app = create_app(svc, signing_secret=SIGNING_SECRET)  # as serve builds it: acks first
    with SocketModeSlack(standin) as slack:
        handler = SocketModeHandler(app, APP_TOKEN)
        handler.connect()
        try:
            yield slack
        finally:
            handler.close()  # slack_sdk's client takes about 3 s to stop its threads
            standin.assert_all_valid()


def home_opened(event_id: str) -> dict:
    return {
        "type": "event_callback",
        "team_id": "T0001",
        "api_app_id": "A0001",
        "event_id": event_id,
        "event_time": int(time.time()),
        "event": {"type": "app_home_opened", "user": SALES, "tab": "home"},
    }


def order_command(text: str, trigger_id: str = "sm-trigger-1") -> dict:
    return {
        "token": "legacy",
        "team_id": "T0001",
        "channel_id": "C0123ORDERS",
        "user_id": SALES,
        "command": "/order",
        "text": text,
        "api_app_id": "A0001",
        "response_url": "https://hooks.slack.com/commands/T0001/1/x",
        "trigger_id": trigger_id,
    }


def test_an_event_redelivered_over_socket_mode_changes_nothing_twice(socket_slack, standin) -> None:  # noqa: ANN001
    assert socket_slack.deliver("events_api", home_opened("Ev0001"))
    assert standin.wait_for_arrival("views.publish", timeout=10)

    socket_slack.deliver("events_api", home_opened("Ev0001"), retry_attempt=1)  # Slack retries it
    assert not standin.wait_for_arrival("views.publish", count=2, timeout=0.5), "handled twice"

    socket_slack.deliver("events_api", home_opened("Ev0002"))  # a new event still goes through
    assert standin.wait_for_arrival("views.publish", count=2, timeout=10)
    assert len(standin.calls_to("views.publish")) == 2


def test_a_command_over_socket_mode_is_answered_in_its_ack(socket_slack) -> None:  # noqa: ANN001
    ack = socket_slack.deliver("slash_commands", order_command("help"))
    assert "/order new" in ack["payload"]["text"]  # the help, in the ack: no Web API call
    assert ack["payload"]["blocks"][0]["type"] == "section"


def test_a_modal_opens_over_socket_mode_without_waiting_for_http_acks(socket_slack, standin) -> None:  # noqa: ANN001
    socket_slack.deliver("slash_commands", order_command("new"))
    assert standin.wait_for_arrival("views.open", timeout=5)  # not held: no HTTP request is pending
    assert standin.calls_to("views.open")[0].args["trigger_id"] == "sm-trigger-1"


def test_a_button_no_listener_knows_is_acknowledged_over_socket_mode(socket_slack) -> None:  # noqa: ANN001
    """Bolt sends no ack at all for its 404 in Socket Mode: Slack would retry, then show an error."""
    payload = {
        "type": "block_actions",
        "team": {"id": "T0001"},
        "user": {"id": SALES, "team_id": "T0001"},
        "api_app_id": "A0001",
        "trigger_id": "sm-trigger-2",
        "container": {"type": "message", "message_ts": "1.0", "channel_id": "C0123ORDERS"},
        "actions": [{"type": "button", "action_id": "feature.removed", "block_id": "b", "value": "1"}],
    }
    ack = socket_slack.deliver("interactive", payload)
    assert not ack.get("payload")  # an empty ack: nothing to show
