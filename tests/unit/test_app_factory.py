"""Building the Bolt app logs no warning about the bot token being unused."""

from __future__ import annotations

import logging
import os

from slack_sdk import WebClient

from bot.app import create_app
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
