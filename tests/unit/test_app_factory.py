"""Building the Bolt app: no warning about the bot token being unused; each request tries only the
listeners of its kind."""

from __future__ import annotations

import json
import logging
import os
import re
from urllib.parse import urlencode

from slack_bolt import BoltRequest
from slack_bolt.authorization import AuthorizeResult
from slack_sdk import WebClient

from bot.app import ReadersApp, create_app, request_kind
from bot.services import Services
from storage.db import make_engine
from tests.conftest import make_config


def test_building_the_app_logs_no_unused_token_warning(monkeypatch, caplog) -> None:  # noqa: ANN001
    monkeypatch.setenv("SLACK_BOT_TOKEN", "xoxb-from-the-environment")  # as `orderloop serve` has it
    client = WebClient(token="xoxb-from-the-environment")
    svc = Services.build(make_config(), make_engine("sqlite://"), client)
    caplog.set_level(logging.DEBUG)
    app = create_app(svc, signing_secret="s3cret")
    assert not [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert app.client is svc.client and app.client.token == "xoxb-from-the-environment"
    assert os.environ["SLACK_BOT_TOKEN"] == "xoxb-from-the-environment"  # left as it was


def _tiny_app() -> tuple[ReadersApp, list[str]]:
    def authorize(**_: object) -> AuthorizeResult:  # no auth.test: this test asks Slack nothing
        return AuthorizeResult(enterprise_id=None, team_id="T0001", bot_token="xoxb-1", bot_user_id="UB")

    app = ReadersApp(
        signing_secret="s3cret", authorize=authorize, client=WebClient(base_url="http://127.0.0.1:9/")
    )
    app.command("/order")(lambda ack: ack())
    app.action("order.answer")(lambda ack: ack())
    app.view(re.compile(".*"))(lambda ack: ack())
    app.view("order.new")(lambda ack: ack(response_action="clear"))
    app.event("app_home_opened")(lambda ack: ack())
    tried: list[str] = []  # which listeners Bolt asked "do you match?", in order
    names = ["command", "action", "any view", "new order view", "event"]
    for name, listener in zip(names, list.__iter__(app._listeners), strict=True):
        asked = listener.matches
        listener.matches = lambda *, req, resp, name=name, asked=asked: (
            tried.append(name),
            asked(req=req, resp=resp),
        )[1]
    return app, tried


def _view_submission(callback_id: str) -> BoltRequest:
    body = {
        "type": "view_submission",
        "user": {"id": "U01"},
        "view": {"id": "V1", "type": "modal", "callback_id": callback_id},
    }
    return BoltRequest(body=urlencode({"payload": json.dumps(body)}), mode="socket_mode")


def test_a_request_tries_only_the_listeners_of_its_kind_in_their_order() -> None:
    app, tried = _tiny_app()
    kinds = [app._listeners.kinds[id(listener)] for listener in list.__iter__(app._listeners)]
    assert kinds == ["command", "action", "view", "view", "event"]
    response = app.dispatch(_view_submission("order.new"))
    assert response.status == 200
    # the first view listener in order still wins (as Bolt would choose), and no command, action
    # or event listener was even asked about a form submission
    assert tried == ["any view"]
    assert list(app._listeners) == list(list.__iter__(app._listeners))  # outside a dispatch: all


def test_a_request_of_no_known_kind_tries_every_listener() -> None:
    assert request_kind({"type": "something_new"}) is None
    assert request_kind({"type": "view_submission", "view": {"type": "modal", "callback_id": "x"}}) == "view"
    assert request_kind({"command": "/order", "text": ""}) == "command"
