"""Only requests Slack signed recently get in; nothing happens before the check; junk is a 4xx."""

from __future__ import annotations

import http.client
import json
import time
import urllib.request
from urllib.parse import urlencode, urlsplit

import pytest

from bot.sandbox.driver import sign
from storage.models import Order
from tests.conftest import SALES
from tests.helpers import ORDER_DEFAULTS, count, open_new_order_modal

FORM = "application/x-www-form-urlencoded"


def command_body(bot, user: str = SALES, text: str = "new") -> bytes:  # noqa: ANN001
    fields = {
        "command": "/order",
        "text": text,
        "user_id": user,
        "team_id": "T0001",
        "channel_id": "C0123ORDERS",
        "trigger_id": "trigger-forged",
        "response_url": bot.standin.response_url("forged"),
    }
    return urlencode(fields).encode()


def submission_body(view: dict) -> bytes:
    state = {
        block["block_id"]: {
            "value": {"type": block["element"]["type"], "value": ORDER_DEFAULTS[block["block_id"]]}
            | (
                {"selected_date": ORDER_DEFAULTS[block["block_id"]]}
                if block["element"]["type"] == "datepicker"
                else {}
            )
        }
        for block in view["blocks"]
        if block["type"] == "input"
    }
    payload = {
        "type": "view_submission",
        "team": {"id": "T0001"},
        "user": {"id": SALES, "team_id": "T0001"},
        "api_app_id": "A0001",
        "view": {"id": "V1", **view, "state": {"values": state}},  # the id Slack opened it with
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def test_a_correctly_signed_command_gets_in(bot):  # noqa: ANN001
    reply = bot.slack.post(command_body(bot), content_type=FORM)
    assert reply.status == 200
    assert len(bot.standin.calls_to("views.open")) == 1


@pytest.mark.parametrize(
    "signature",
    [
        "v0=" + "0" * 64,
        "v0=not-hex",
        "v1=whatever",
        sign(b"some other body", int(time.time())),
        sign(b"token=x", int(time.time()), secret="wrong-secret"),
    ],
)
def test_a_forged_signature_is_401_and_opens_no_modal(bot, signature):  # noqa: ANN001
    reply = bot.slack.post(command_body(bot), content_type=FORM, signature=signature)
    assert reply.status == 401
    assert bot.standin.calls == []


def raw_post(bot, body: bytes, headers: dict[str, str]) -> tuple[int, bytes]:  # noqa: ANN001
    """A POST with exactly these headers (the driver always adds both Slack headers)."""
    url = urlsplit(bot.slack.url)
    connection = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    try:
        connection.request("POST", url.path, body, {"Content-Type": FORM, **headers})
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize("missing", ["X-Slack-Signature", "X-Slack-Request-Timestamp", "both"])
def test_a_request_without_the_slack_headers_is_401(bot, missing):  # noqa: ANN001
    body, ts = command_body(bot), int(time.time())
    headers = {"X-Slack-Request-Timestamp": str(ts), "X-Slack-Signature": sign(body, ts)}
    for name in headers.copy() if missing == "both" else [missing]:
        del headers[name]
    status, _ = raw_post(bot, body, headers)
    assert status == 401
    assert bot.standin.calls == []


@pytest.mark.parametrize("timestamp", ["abc", "", "1.5e9"])
def test_a_non_numeric_timestamp_is_401(bot, timestamp):  # noqa: ANN001
    status, answer = raw_post(
        bot,
        command_body(bot),
        {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": "v0=" + "0" * 64},
    )
    assert status == 401, (status, answer)
    assert bot.standin.calls == []


@pytest.mark.parametrize("digits", [13, 309, 400, 5000])
def test_an_absurdly_long_timestamp_is_401_without_a_traceback(bot, caplog, digits):  # noqa: ANN001
    stamp = "9" * digits
    body = command_body(bot)
    status, answer = raw_post(
        bot,
        body,
        {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": sign(body, stamp)},  # signed as sent
    )
    assert status == 401, (status, answer)
    assert [r for r in caplog.records if r.exc_info or r.levelname == "ERROR"] == []
    assert bot.standin.calls == []


def test_a_body_changed_after_signing_is_401(bot):  # noqa: ANN001
    ts = int(time.time())
    signature = sign(command_body(bot, text="list"), ts)
    reply = bot.slack.post(
        command_body(bot, text="new"), content_type=FORM, timestamp=ts, signature=signature
    )
    assert reply.status == 401
    assert bot.standin.calls == []


@pytest.mark.parametrize("age", [301, 3600, -301])
def test_a_timestamp_more_than_300_seconds_off_is_401_even_when_signed(bot, age):  # noqa: ANN001
    body = command_body(bot)
    ts = int(time.time()) - age
    reply = bot.slack.post(body, content_type=FORM, timestamp=ts, signature=sign(body, ts))
    assert reply.status == 401
    assert bot.standin.calls == []


def test_a_forged_view_submission_saves_no_order(bot):  # noqa: ANN001
    body = submission_body(open_new_order_modal(bot))
    reply = bot.slack.post(body, content_type=FORM, signature=sign(body, int(time.time()), secret="guess"))
    assert reply.status == 401
    assert count(bot, Order) == 0
    assert bot.standin.messages() == []


def test_a_replayed_old_view_submission_saves_no_order(bot):  # noqa: ANN001
    body = submission_body(open_new_order_modal(bot))
    ts = int(time.time()) - 600
    reply = bot.slack.post(body, content_type=FORM, timestamp=ts, signature=sign(body, ts))
    assert reply.status == 401
    assert count(bot, Order) == 0
    assert bot.standin.messages() == []


def test_the_same_view_submission_signed_now_does_save_the_order(bot):  # noqa: ANN001
    """The control for the two tests above: the body itself is a valid registration."""
    body = submission_body(open_new_order_modal(bot))
    reply = bot.slack.post(body, content_type=FORM)
    assert reply.status == 200, reply.body
    assert count(bot, Order) == 1


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"payload=not-json", FORM),
        (b"payload=%5B1%2C2%5D", FORM),  # a JSON list, not an object
        (b"{not json", "application/json"),
        (b"[1]", "application/json"),
        (b"\xff\xfe\x00", FORM),
    ],
)
def test_a_malformed_signed_body_is_a_4xx_not_a_500(bot, body, content_type):  # noqa: ANN001
    reply = bot.slack.post(body, content_type=content_type)
    assert 400 <= reply.status < 500, (reply.status, reply.body)
    assert bot.standin.calls == []


def test_a_malformed_unsigned_body_is_a_4xx_not_a_500(bot):  # noqa: ANN001
    reply = bot.slack.post(b"payload=not-json", content_type=FORM, signature="v0=" + "0" * 64)
    assert 400 <= reply.status < 500, (reply.status, reply.body)


def test_healthz_is_200_json(bot):  # noqa: ANN001
    url = bot.slack.url.removesuffix("/slack/events") + "/healthz"
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        assert response.headers.get_content_type() == "application/json"
        assert json.loads(response.read()) == {"ok": True}
