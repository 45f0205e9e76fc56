"""Bodies Slack would never send get a 4xx, never a 500, and the server keeps serving."""

from __future__ import annotations

import socket
from urllib.parse import urlsplit

import pytest

from tests.conftest import SALES

MALFORMED = [
    (b"payload=%7Bnot json", "application/x-www-form-urlencoded"),
    (b"{not json", "application/json"),
    (b"[1, 2, 3]", "application/json"),
    (b'"just a string"', "application/json"),
    (b"\xff\xfe\x00garbage", "application/json"),
    (b"payload=" + b"x" * 500, "application/x-www-form-urlencoded"),
]


@pytest.mark.parametrize(("body", "content_type"), MALFORMED)
def test_a_malformed_signed_body_gets_400_and_changes_nothing(bot, body, content_type):  # noqa: ANN001
    reply = bot.slack.post(body, content_type=content_type)
    assert reply.status == 400
    assert bot.standin.calls == []
    assert bot.slack.command(SALES, "help").status == 200  # still serving


def test_an_oversized_body_gets_413_without_being_read(bot):  # noqa: ANN001
    parts = urlsplit(bot.slack.url)
    with socket.create_connection((parts.hostname, parts.port), timeout=10) as conn:
        conn.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            b"Content-Length: 5000000\r\n\r\n" + b"x" * 1000
        )
        status_line = conn.recv(200).split(b"\r\n", 1)[0]
    assert status_line.split(b" ")[1] in (b"413",)
    assert bot.slack.command(SALES, "help").status == 200


def test_unknown_paths_and_methods_get_404_and_405(bot):  # noqa: ANN001
    import urllib.error
    import urllib.request

    base = bot.slack.url.removesuffix("/slack/events")
    for url, method, expected in [
        (base + "/nope", "GET", 404),
        (bot.slack.url, "GET", 405),
        (base + "/healthz", "POST", 405),
    ]:
        with pytest.raises(urllib.error.HTTPError) as caught:
            urllib.request.urlopen(
                urllib.request.Request(url, method=method, data=b"" if method == "POST" else None)
            )
        assert caught.value.code == expected
