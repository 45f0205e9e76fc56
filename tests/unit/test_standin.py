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

from bot.sandbox.standin import SlackStandin

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


# -- rules slack_sdk does not check, which Slack enforces (SLACK-FACTS.md) ------------------------


def actions_block(*elements: dict, block_id: str | None = None) -> dict:
    block = {"type": "actions", "elements": list(elements)}
    return {**block, "block_id": block_id} if block_id else block


def options(count: int, text: str = "o", value: str | None = None) -> list[dict]:
    return [{"text": {"type": "plain_text", "text": text}, "value": value or f"v{i}"} for i in range(count)]


def input_block(element: dict, block_id: str = "in") -> dict:
    return {
        "type": "input",
        "block_id": block_id,
        "label": {"type": "plain_text", "text": "Pick"},
        "element": {"action_id": "value", **element},
    }


CONFIRM = {
    "title": {"type": "plain_text", "text": "Sure?"},
    "text": {"type": "plain_text", "text": "Really"},
    "confirm": {"type": "plain_text", "text": "Yes"},
    "deny": {"type": "plain_text", "text": "No"},
}

REFUSED_BLOCKS = {
    "action-id-twice-in-a-block": [actions_block(button("A", "same"), button("B", "same"))],
    "block-id-twice-in-a-message": [section("x") | {"block_id": "b"}, {"type": "divider", "block_id": "b"}],
    "confirm-without-deny": [
        actions_block(button("Go") | {"confirm": {k: v for k, v in CONFIRM.items() if k != "deny"}})
    ],
    "section-with-empty-text": [section("")],
    "section-with-blank-text": [section("   ")],
    "section-with-neither-text-nor-fields": [{"type": "section"}],
    "section-with-an-empty-field": [{"type": "section", "fields": [{"type": "mrkdwn", "text": ""}]}],
    "radio-11-options": [input_block({"type": "radio_buttons", "options": options(11)})],
    "checkboxes-11-options": [input_block({"type": "checkboxes", "options": options(11)})],
    "static-select-101-options": [
        input_block(
            {
                "type": "static_select",
                "placeholder": {"type": "plain_text", "text": "p"},
                "options": options(101),
            }
        )
    ],
    "option-text-76": [input_block({"type": "radio_buttons", "options": options(1, text="x" * 76)})],
    "option-value-151": [input_block({"type": "radio_buttons", "options": options(1, value="v" * 151)})],
    "button-text-76-as-accessory": [section("x") | {"accessory": button("x" * 76)}],
    "header-mrkdwn": [{"type": "header", "text": {"type": "mrkdwn", "text": "Hi"}}],
    "button-style-secondary": [actions_block(button("Go") | {"style": "secondary"})],
    "initial-date-not-iso": [input_block({"type": "datepicker", "initial_date": "25/12/2026"})],
    "initial-date-impossible": [input_block({"type": "datepicker", "initial_date": "2026-02-30"})],
    "number-input-without-is-decimal-allowed": [input_block({"type": "number_input"})],
}


@pytest.mark.parametrize("blocks", list(REFUSED_BLOCKS.values()), ids=list(REFUSED_BLOCKS))
@pytest.mark.parametrize("surface", ["chat.postMessage", "chat.update", "chat.postEphemeral", "response_url"])
def test_a_message_breaking_a_rule_the_sdk_misses_is_refused_as_invalid_blocks(
    client: WebClient, standin: SlackStandin, blocks: list, surface: str
) -> None:
    ts = client.chat_postMessage(channel="C1", text="t")["ts"]
    if surface == "response_url":
        status, answer = raw_post(
            standin.response_url(), json.dumps({"text": "t", "blocks": blocks}).encode(), "application/json"
        )
        assert (status, answer["ok"], answer["error"]) == (200, False, "invalid_blocks")
    else:
        with pytest.raises(SlackApiError) as caught:
            args = {"channel": "C1", "text": "t", "blocks": blocks}
            extra = (
                {"ts": ts} if surface == "chat.update" else {"user": "U1"} if "Ephemeral" in surface else {}
            )
            client.api_call(surface, json={**args, **extra})
        assert caught.value.response.status_code == 200
        assert caught.value.response["error"] == "invalid_blocks" and caught.value.response["errors"]
    assert [c.method for c in standin.invalid] == [surface]


@pytest.mark.parametrize("blocks", list(REFUSED_BLOCKS.values()), ids=list(REFUSED_BLOCKS))
@pytest.mark.parametrize("method", ["views.open", "views.publish"])
def test_a_view_breaking_a_rule_the_sdk_misses_is_refused_as_invalid_arguments(
    client: WebClient, standin: SlackStandin, blocks: list, method: str
) -> None:
    if method == "views.open":
        args = {"trigger_id": "T1", "view": modal(blocks=blocks, submit={"type": "plain_text", "text": "OK"})}
    else:
        args = {"user_id": "U1", "view": {"type": "home", "blocks": blocks}}
    with pytest.raises(SlackApiError) as caught:
        client.api_call(method, json=args)
    assert caught.value.response["error"] == "invalid_arguments"
    assert caught.value.response["response_metadata"]["messages"]
    assert len(standin.invalid) == 1


def test_what_the_rules_allow_is_accepted(client: WebClient, standin: SlackStandin) -> None:
    blocks = [
        actions_block(button("A", "a.1") | {"style": "primary"}, button("B", "a.2") | {"style": "danger"}),
        actions_block(button("A", "a.1") | {"confirm": CONFIRM}),  # the same id in another block is fine
        section("x") | {"block_id": "one", "accessory": button("x" * 75)},
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}]},
        {"type": "header", "text": {"type": "plain_text", "text": "Hi"}},
        input_block({"type": "radio_buttons", "options": options(10, text="x" * 75, value="v" * 150)}, "r"),
        input_block({"type": "checkboxes", "options": options(10)}, "c"),
        input_block(
            {
                "type": "static_select",
                "placeholder": {"type": "plain_text", "text": "p"},
                "options": options(100),
            },
            "s",
        ),
        input_block({"type": "datepicker", "initial_date": "2026-12-31"}, "d"),
        input_block({"type": "number_input", "is_decimal_allowed": False}, "n"),
    ]
    client.views_open(trigger_id="T1", view=modal(blocks=blocks, submit={"type": "plain_text", "text": "OK"}))
    client.chat_postMessage(channel="C1", text="t", blocks=blocks[:5])
    standin.assert_all_valid()


def test_a_modal_with_inputs_but_no_submit_button_is_refused(
    client: WebClient, standin: SlackStandin
) -> None:
    view = modal(blocks=[input_block({"type": "plain_text_input"})])
    with pytest.raises(SlackApiError) as caught:
        client.views_open(trigger_id="T1", view=view)
    assert caught.value.response["error"] == "invalid_arguments"
    assert "submit" in caught.value.response["response_metadata"]["messages"][0]
    client.views_open(trigger_id="T2", view={**view, "submit": {"type": "plain_text", "text": "Save"}})
    assert len(standin.invalid) == 1


# -- Web API arguments and paging --------------------------------------------------------------------


@pytest.mark.parametrize("limit", [1000, 0, "many"])
def test_history_and_replies_refuse_a_limit_outside_1_to_999(
    client: WebClient, standin: SlackStandin, limit: object
) -> None:
    root = client.chat_postMessage(channel="C1", text="root")["ts"]
    for call in (
        lambda: client.conversations_history(channel="C1", limit=limit),
        lambda: client.conversations_replies(channel="C1", ts=root, limit=limit),
    ):
        with pytest.raises(SlackApiError) as caught:
            call()
        assert caught.value.response.status_code == 200
        assert caught.value.response["error"] == "invalid_arguments"
    assert len(standin.invalid) == 2
    assert client.conversations_history(channel="C1", limit=999)["messages"][0]["text"] == "root"


def test_history_pages_newest_first_with_a_cursor_like_slack(client: WebClient) -> None:
    for i in range(5):
        client.chat_postMessage(channel="C1", text=f"m{i}")
    seen, cursor, pages = [], None, 0
    while True:
        page = client.conversations_history(channel="C1", limit=2, cursor=cursor)
        seen += [m["text"] for m in page["messages"]]
        pages += 1
        cursor = page["response_metadata"]["next_cursor"]
        assert page["has_more"] == bool(cursor)
        if not page["has_more"]:
            break
    assert (seen, pages) == (["m4", "m3", "m2", "m1", "m0"], 3)


def test_replies_page_the_parent_first_then_the_replies(client: WebClient) -> None:
    root = client.chat_postMessage(channel="C1", text="root")["ts"]
    for i in range(3):
        client.chat_postMessage(channel="C1", thread_ts=root, text=f"r{i}")
    first = client.conversations_replies(channel="C1", ts=root, limit=2)
    assert [m["text"] for m in first["messages"]] == ["root", "r0"] and first["has_more"]
    cursor = first["response_metadata"]["next_cursor"]
    second = client.conversations_replies(channel="C1", ts=root, limit=2, cursor=cursor)
    assert [m["text"] for m in second["messages"]] == ["r1", "r2"] and not second["has_more"]


def test_a_cursor_slack_never_gave_is_refused(client: WebClient, standin: SlackStandin) -> None:
    with pytest.raises(SlackApiError) as caught:
        client.conversations_history(channel="C1", cursor="not-a-cursor")
    assert caught.value.response["error"] == "invalid_cursor"


def test_message_metadata_needs_an_event_type_and_payload(client: WebClient, standin: SlackStandin) -> None:
    with pytest.raises(SlackApiError) as caught:
        client.chat_postMessage(channel="C1", text="t", metadata={"event_payload": {"key": "k"}})
    assert caught.value.response["error"] == "invalid_metadata_format"
    client.chat_postMessage(
        channel="C1", text="t", metadata={"event_type": "e", "event_payload": {"key": "k"}}
    )
    assert len(standin.invalid) == 1
