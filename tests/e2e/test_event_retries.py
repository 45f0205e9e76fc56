"""Slack retries and redeliveries of one event (same event_id) change nothing twice."""

from __future__ import annotations

import json
from datetime import UTC, datetime

from storage import events
from storage.db import session_scope
from tests.conftest import SALES


def home_opened(bot, event_id: str, **headers: str):  # noqa: ANN001, ANN202
    body = {
        "token": "legacy",
        "team_id": "T0001",
        "api_app_id": "A0001",
        "type": "event_callback",
        "event_id": event_id,
        "event_time": 1764032400,
        "event": {
            "type": "app_home_opened",
            "user": SALES,
            "channel": "D01",
            "tab": "home",
            "event_ts": "1764032400.000100",
        },
    }
    return bot.slack.post(json.dumps(body).encode(), content_type="application/json", headers=headers)


def test_a_retried_event_is_handled_once(bot):  # noqa: ANN001
    assert home_opened(bot, "Ev001").status == 200
    retry = home_opened(bot, "Ev001", **{"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"})
    assert retry.status == 200
    assert (
        home_opened(bot, "Ev001", **{"X-Slack-Retry-Num": "2", "X-Slack-Retry-Reason": "http_error"}).status
        == 200
    )
    assert len(bot.standin.calls_to("views.publish")) == 1


def test_distinct_events_are_each_handled(bot):  # noqa: ANN001
    home_opened(bot, "Ev001")
    home_opened(bot, "Ev002")
    assert len(bot.standin.calls_to("views.publish")) == 2


def test_a_forged_event_is_rejected_and_not_remembered(bot):  # noqa: ANN001
    body = json.dumps(
        {"type": "event_callback", "event_id": "Ev003", "event": {"type": "app_home_opened", "user": SALES}}
    ).encode()
    assert bot.slack.post(body, content_type="application/json", signature="v0=forged").status == 401
    assert home_opened(bot, "Ev003").status == 200  # the genuine delivery still counts as the first
    assert len(bot.standin.calls_to("views.publish")) == 1


def test_an_event_is_seen_first_once(engine) -> None:  # noqa: ANN001
    # psycopg reports no row count for INSERT … ON CONFLICT DO NOTHING: every event looked repeated
    now = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
    sightings = []
    for _ in range(2):
        with session_scope(engine) as session:
            sightings.append(events.first_sighting(session, "Ev00000001", now=now))
    assert sightings == [True, False]
