"""Tests for the local Slack Web API stand-in, driven through a real slack_sdk WebClient."""

from __future__ import annotations

import json
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.standin import SlackStandin

TOKEN = "xoxb-test"


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def button(text: str, action_id: str = "go") -> dict:
    return {"type": "button", "text": {"type": "plain_text", "text": text}, "action_id": action_id}


def modal(title: str = "Order", **extra: object) -> dict:
    return {
        "type": "modal",
        "title": {"type": "plain_text", "text": title},
        "blocks": [section("hi")],
        **extra,
    }


@pytest.fixture
def standin() -> Iterator[SlackStandin]:
    server = SlackStandin(
        token=TOKEN,
        usergroups={"S1": ["U1", "U2"]},
        users={"U1": {"real_name": "Ann"}},
        clock=lambda: 1_700_000_000.0001,  # a clock standing still: ts must still increase
    )
    with server:
        yield server


@pytest.fixture
def client(standin: SlackStandin) -> WebClient:
    return WebClient(token=TOKEN, base_url=standin.url)


def raw_post(url: str, body: bytes, content_type: str) -> tuple[int, dict]:
    request = urllib.request.Request(url, data=body, headers={"Content-Type": content_type})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_url_ends_with_slash_and_requires_start() -> None:
    server = SlackStandin()
    with pytest.raises(RuntimeError):
        _ = server.url
    with server:
        assert server.url.startswith("http://127.0.0.1:") and server.url.endswith("/api/")


def test_auth_test(client: WebClient) -> None:
    response = client.auth_test()
    assert (response["user_id"], response["bot_id"], response["team_id"]) == ("UBOT", "BBOT", "T0001")


def test_post_thread_and_update_state(client: WebClient, standin: SlackStandin) -> None:
    root = client.chat_postMessage(channel="C1", text="order open", blocks=[section("*Lunch*")])
    reply1 = client.chat_postMessage(channel="C1", thread_ts=root["ts"], text="Ann: noodles")
    reply2 = client.chat_postMessage(channel="C1", thread_ts=root["ts"], text="Bob: rice")
    client.chat_postMessage(channel="D1", text="dm")
    assert root["channel"] == "C1" and root["message"]["text"] == "order open"
    assert root["ts"] < reply1["ts"] < reply2["ts"]
    assert reply1["message"]["thread_ts"] == root["ts"]

    updated = client.chat_update(
        channel="C1", ts=root["ts"], text="order closed", blocks=[section("*Closed*")]
    )
    assert updated["ts"] == root["ts"]

    messages = standin.messages("C1")
    assert [m.text for m in messages] == ["order closed", "Ann: noodles", "Bob: rice"]
    assert messages[0].thread_ts is None and messages[0].updates == 1
    assert messages[0].blocks == [section("*Closed*")]
    assert [m.text for m in standin.thread("C1", root["ts"])] == ["Ann: noodles", "Bob: rice"]
    assert [m.channel for m in standin.messages()] == ["C1", "C1", "C1", "D1"]
    assert len(standin.calls_to("chat.postMessage")) == 4
    assert [c.method for c in standin.calls][-1] == "chat.update"
    standin.assert_all_valid()


def test_timestamps_are_unique_and_increasing(client: WebClient) -> None:
    stamps = [client.chat_postMessage(channel="C1", text=str(i))["ts"] for i in range(5)]
    assert stamps == sorted(set(stamps)) and stamps[0] == "1700000000.000100"


def test_thread_not_found(client: WebClient, standin: SlackStandin) -> None:
    root = client.chat_postMessage(channel="C1", text="root")
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C2", thread_ts=root["ts"], text="wrong channel")
    assert caught.value.response["error"] == "thread_not_found"
    assert standin.messages("C2") == []


def test_message_not_found(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as caught:
        client.chat_update(channel="C1", ts="1.000001", text="x")
    assert caught.value.response["error"] == "message_not_found"


def test_post_requires_text_or_blocks(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as caught, pytest.warns(UserWarning):  # slack_sdk warns too
        client.chat_postMessage(channel="C1")
    assert caught.value.response["error"] == "no_text"


@pytest.mark.parametrize(
    "blocks",
    [
        pytest.param([section("x")] * 51, id="51-blocks"),
        pytest.param([section("x" * 3001)], id="section-3001"),
        pytest.param(
            [{"type": "header", "text": {"type": "plain_text", "text": "x" * 151}}], id="header-151"
        ),
        pytest.param([{"type": "actions", "elements": [button("x" * 76)]}], id="button-text-76"),
        pytest.param([{"type": "actions", "elements": [button("ok", "a" * 256)]}], id="action-id-256"),
        pytest.param([{"type": "divider", "block_id": "b" * 256}], id="block-id-256"),
        pytest.param(
            [{"type": "actions", "elements": [button("ok", f"a{i}") for i in range(26)]}], id="26-elements"
        ),
        pytest.param([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}], id="11-fields"),
        pytest.param([{"type": "bogus"}], id="unknown-block"),
        pytest.param([{"type": "actions", "elements": [{"type": "bogus"}]}], id="unknown-element"),
        pytest.param([{"type": "section", "text": {"type": "mrkdwn"}}], id="text-object-without-text"),
    ],
)
def test_invalid_blocks_rejected_and_recorded(client: WebClient, standin: SlackStandin, blocks: list) -> None:
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="t", blocks=blocks)
    assert caught.value.response["error"] == "invalid_blocks"
    assert caught.value.response["errors"]
    assert standin.messages() == []
    assert [c.method for c in standin.invalid] == ["chat.postMessage"]
    with pytest.raises(AssertionError, match="chat.postMessage"):
        standin.assert_all_valid()


def test_invalid_blocks_rejected_on_update(client: WebClient, standin: SlackStandin) -> None:
    ts = client.chat_postMessage(channel="C1", text="t")["ts"]
    with pytest.raises(SlackApiError):
        client.chat_update(channel="C1", ts=ts, text="t", blocks=[section("x" * 3001)])
    assert standin.messages()[0].updates == 0 and len(standin.invalid) == 1


def test_too_long_text_rejected(client: WebClient, standin: SlackStandin) -> None:
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="x" * 40_001)
    assert caught.value.response["error"] == "msg_too_long"
    assert len(standin.invalid) == 1


def test_valid_rich_blocks_accepted(client: WebClient, standin: SlackStandin) -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "x" * 150}},
        section("x" * 3000),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 10},
        {"type": "actions", "elements": [button("x" * 75, f"a{i}") for i in range(25)]},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "ctx"}]},
        {"type": "divider", "block_id": "b" * 255},
    ] + [section("x")] * 44
    assert len(blocks) == 50
    client.chat_postMessage(channel="C1", text="t", blocks=blocks)
    client.chat_postEphemeral(channel="C1", user="U1", text="only you", blocks=[section("x")])
    standin.assert_all_valid()
    assert len(standin.messages()) == 1  # the ephemeral message is not stored


def test_views_valid_and_invalid(client: WebClient, standin: SlackStandin) -> None:
    opened = client.views_open(trigger_id="T1", view=modal(callback_id="order"))
    assert opened["view"]["id"].startswith("V") and opened["view"]["hash"]
    assert opened["view"]["callback_id"] == "order"
    updated = client.views_update(view_id=opened["view"]["id"], view=modal("Updated"))
    assert updated["view"]["id"] == opened["view"]["id"]
    client.views_push(trigger_id="T2", view=modal())
    client.views_publish(user_id="U1", view={"type": "home", "blocks": [section("home")]})
    standin.assert_all_valid()

    bad_views = [
        modal("x" * 25),
        modal(submit={"type": "plain_text", "text": "x" * 25}),
        modal(private_metadata="x" * 3001),
        modal(callback_id="c" * 256),
        {**modal(), "blocks": [section("x")] * 101},
        {**modal(), "blocks": [section("x" * 3001)]},
        {"type": "modal", "blocks": [section("x")]},
    ]
    for view in bad_views:
        with pytest.raises(SlackApiError) as caught:
            client.views_open(trigger_id="T1", view=view)
        assert caught.value.response["error"] == "invalid_arguments"
        assert caught.value.response["response_metadata"]["messages"]
    assert len(standin.invalid) == len(bad_views)


def test_usergroups(client: WebClient) -> None:
    assert client.usergroups_users_list(usergroup="S1")["users"] == ["U1", "U2"]
    with pytest.raises(SlackApiError) as caught:
        client.usergroups_users_list(usergroup="S404")
    assert caught.value.response["error"] == "no_such_subteam"


def test_users_conversations_and_permalink(client: WebClient) -> None:
    assert client.users_info(user="U1")["user"]["real_name"] == "Ann"
    default = client.users_info(user="U9")["user"]
    assert (default["id"], default["tz"]) == ("U9", "Asia/Shanghai")
    assert client.conversations_open(users="U1")["channel"]["id"] == "DU1"
    link = client.chat_getPermalink(channel="C1", message_ts="1700000000.000100")
    assert link["permalink"] == "https://example.slack.com/archives/C1/p1700000000000100"


def test_invalid_auth(standin: SlackStandin) -> None:
    with pytest.raises(SlackApiError) as caught:
        WebClient(token="xoxb-wrong", base_url=standin.url).chat_postMessage(channel="C1", text="t")
    assert caught.value.response.status_code == 200
    assert caught.value.response["error"] == "invalid_auth"
    assert standin.messages() == []


def test_unknown_method(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as caught:
        client.api_call("nope.nothing")
    assert caught.value.response["error"] == "unknown_method"


def test_fail_500_then_success(client: WebClient, standin: SlackStandin) -> None:
    standin.fail("chat.postMessage", times=2)
    client.auth_test()  # other methods are unaffected
    for _ in range(2):
        with pytest.raises(SlackApiError) as caught:
            client.chat_postMessage(channel="C1", text="t")
        assert caught.value.response.status_code == 500
    client.chat_postMessage(channel="C1", text="t")
    assert [c.status for c in standin.calls_to("chat.postMessage")] == [500, 500, 200]
    assert len(standin.messages()) == 1


def test_fail_429_with_retry_after(client: WebClient, standin: SlackStandin) -> None:
    standin.fail(None, status=429, retry_after=7)
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="t")
    assert caught.value.response.status_code == 429
    assert caught.value.response.headers["Retry-After"] in ("7", ["7"])
    assert client.chat_postMessage(channel="C1", text="t")["ok"]


def test_fail_with_error(client: WebClient, standin: SlackStandin) -> None:
    standin.fail("chat.postMessage", error="not_in_channel")
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="t")
    assert caught.value.response.status_code == 200
    assert caught.value.response["error"] == "not_in_channel"
    assert client.chat_postMessage(channel="C1", text="t")["ok"]


def test_form_encoded_request_via_client(client: WebClient, standin: SlackStandin) -> None:
    client.api_call(
        "chat.postMessage", data={"channel": "C1", "text": "t", "blocks": json.dumps([section("x")])}
    )
    assert standin.messages()[0].blocks == [section("x")]
    with pytest.raises(SlackApiError) as caught:
        client.api_call(
            "chat.postMessage", data={"channel": "C1", "blocks": json.dumps([section("x" * 3001)])}
        )
    assert caught.value.response["error"] == "invalid_blocks"


def test_form_encoded_raw_post_with_token_param(standin: SlackStandin) -> None:
    view = json.dumps(modal())
    body = urllib.parse.urlencode({"token": TOKEN, "trigger_id": "T1", "view": view}).encode()
    status, answer = raw_post(standin.url + "views.open", body, "application/x-www-form-urlencoded")
    assert status == 200 and answer["ok"] and answer["view"]["title"]["text"] == "Order"
    assert "token" not in standin.calls[-1].args


def test_malformed_json_is_a_400_and_server_survives(client: WebClient, standin: SlackStandin) -> None:
    for body in (b"{not json", b"[1, 2]", b"\xff\xfe"):
        status, answer = raw_post(standin.url + "chat.postMessage", body, "application/json")
        assert (status, answer) == (400, {"ok": False, "error": "invalid_json"})
    status, answer = raw_post(
        standin.url + "chat.postMessage", b"blocks=%7Bbroken", "application/x-www-form-urlencoded"
    )
    assert status == 400
    assert client.auth_test()["ok"]
    assert [c.status for c in standin.calls] == [400, 400, 400, 400, 200]


def test_concurrent_posts_get_unique_timestamps(client: WebClient, standin: SlackStandin) -> None:
    with ThreadPoolExecutor(max_workers=8) as pool:
        stamps = list(pool.map(lambda i: client.chat_postMessage(channel="C1", text=str(i))["ts"], range(40)))
    assert len(set(stamps)) == 40
    assert len(standin.messages("C1")) == 40 and len(standin.calls) == 40


def test_a_post_to_a_user_id_lands_in_their_dm_and_is_answered_with_the_dm_id(
    client: WebClient, standin: SlackStandin
) -> None:
    response = client.chat_postMessage(channel="U05", text="Reminder")
    assert response["channel"] == "DU05"
    assert (
        [m.text for m in standin.messages("U05")]
        == ["Reminder"]
        == [m.text for m in standin.messages("DU05")]
    )
    with pytest.raises(SlackApiError) as raised:
        client.conversations_history(channel="U05")  # history wants the conversation's ID
    assert raised.value.response["error"] == "channel_not_found"


def test_a_failure_can_be_aimed_at_one_channel(client: WebClient, standin: SlackStandin) -> None:
    standin.fail("chat.postMessage", error="not_in_channel", channel="C2")
    assert client.chat_postMessage(channel="C1", text="fine")["ok"]
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C2", text="refused")
