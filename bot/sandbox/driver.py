"""Plays Slack's side of the conversation: signed HTTP requests to /slack/events (tests, demo, benchmarks)."""

from __future__ import annotations

import hashlib
import hmac
import json
import threading
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from urllib.parse import urlencode

from bot.sandbox import rules
from bot.sandbox.standin import SlackStandin

SIGNING_SECRET = "test-signing-secret"
TOKEN = "xoxb-test"


def sign(body: bytes, timestamp: int, secret: str = SIGNING_SECRET) -> str:
    base = b"v0:" + str(timestamp).encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


@dataclass
class Reply:
    status: int
    body: bytes

    def json(self) -> dict:
        return json.loads(self.body or b"{}")


class SlackDriver:
    def __init__(self, base_url: str, standin: SlackStandin) -> None:
        self.url = base_url.rstrip("/") + "/slack/events"
        self.standin = standin
        self.replies: list[Reply] = []
        self._trigger = 0
        self._lock = threading.Lock()

    # -- raw transport -------------------------------------------------------
    def post(
        self,
        body: bytes,
        *,
        content_type: str,
        timestamp: int | None = None,
        signature: str | None = None,
        headers: dict | None = None,
    ) -> Reply:
        ts = int(time.time()) if timestamp is None else timestamp
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": str(ts),
                "X-Slack-Signature": signature or sign(body, ts),
                **(headers or {}),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                reply = Reply(response.status, response.read())
        except urllib.error.HTTPError as exc:
            reply = Reply(exc.code, exc.read())
        self.replies.append(reply)  # what the bot answered in the HTTP response (acks, inline errors)
        return reply

    def form(self, fields: dict, **kw: object) -> Reply:
        return self.post(urlencode(fields).encode(), content_type="application/x-www-form-urlencoded", **kw)

    def interactive(self, payload: dict, **kw: object) -> Reply:
        return self.form({"payload": json.dumps(payload)}, **kw)

    def next_trigger(self) -> str:
        with self._lock:
            self._trigger += 1
            return f"trigger-{self._trigger}"

    # -- what people do --------------------------------------------------------
    def command(
        self,
        user: str,
        text: str = "",
        *,
        channel: str = "C0123ORDERS",
        command: str = "/order",
        trigger_id: str | None = None,
    ) -> Reply:
        return self.form(
            {
                "token": "legacy",
                "team_id": "T0001",
                "team_domain": "acme",
                "channel_id": channel,
                "channel_name": "orders",
                "user_id": user,
                "user_name": user.lower(),
                "command": command,
                "text": text,
                "api_app_id": "A0001",
                "response_url": self.standin.response_url(f"cmd-{user}"),
                "trigger_id": trigger_id or self.next_trigger(),
            }
        )

    def opened_view(self, trigger_id: str) -> dict | None:
        """The modal Slack opened for this trigger_id (with its view id), if it has yet."""
        for call in self.standin.calls_to("views.open"):
            if call.args.get("trigger_id") == trigger_id and call.response.get("ok"):
                return call.response["view"]
        return None

    def click(self, user: str, action_id: str, value: str, *, message=None) -> Reply:  # noqa: ANN001
        """Press a button on a message the bot posted (a stand-in Message)."""
        channel, ts = (message.channel, message.ts) if message else ("C0123ORDERS", "1.0")
        where = {
            "container": {"type": "message", "message_ts": ts, "channel_id": channel},
            "channel": {"id": channel, "name": "orders"},
            "message": {"type": "message", "ts": ts, "text": message.text if message else ""},
            "response_url": self.standin.response_url(f"act-{user}"),
        }
        return self._button(user, action_id, value, where)

    def home_click(self, user: str, action_id: str, value: str) -> Reply:
        """Press a button on the person's App Home tab: Slack sends the view, and no response_url."""
        where = {
            "container": {"type": "view", "view_id": "VHOME"},
            "view": {"id": "VHOME", "type": "home", "blocks": [], "state": {"values": {}}},
        }
        return self._button(user, action_id, value, where)

    def _button(self, user: str, action_id: str, value: str, where: dict) -> Reply:
        button = {"type": "button", "action_id": action_id, "block_id": "b", "value": value}
        return self.interactive(
            {
                "type": "block_actions",
                "team": {"id": "T0001", "domain": "acme"},
                "user": {"id": user, "username": user.lower(), "team_id": "T0001"},
                "api_app_id": "A0001",
                "trigger_id": self.next_trigger(),
                **where,
                "actions": [{**button, "action_ts": str(time.time())}],
            }
        )

    def press(self, user: str, message, label: str) -> Reply:  # noqa: ANN001
        """Press the button with this label on a posted message."""
        for block in message.blocks:
            for element in block.get("elements", []):
                if element.get("type") == "button" and element["text"]["text"] == label:
                    return self.click(user, element["action_id"], element.get("value", ""), message=message)
        raise AssertionError(f"no button {label!r} on message: {message.text}")

    def last_view(self) -> dict:
        """The modal opened last, as Slack answered views.open: with its view id."""
        opened = [c for c in self.standin.calls_to("views.open") if c.response.get("ok")]
        assert opened, "no modal was opened"
        return opened[-1].response["view"]

    def submit(self, user: str, view: dict, values: dict[str, object]) -> Reply:
        """Submit a modal as Slack would: state.values keyed by block_id, shaped by element type."""
        state: dict[str, dict] = {}
        for block in view["blocks"]:
            if block.get("type") != "input":
                continue
            element = block["element"]
            value = values.get(block["block_id"])
            kind = element["type"]
            if kind == "datepicker":
                entry = {"type": kind, "selected_date": value}
            elif kind == "users_select":
                entry = {"type": kind, "selected_user": value}
            elif kind == "radio_buttons":
                entry = {
                    "type": kind,
                    "selected_option": None
                    if value is None
                    else {"text": {"type": "plain_text", "text": str(value)}, "value": value},
                }
            else:
                entry = {"type": kind, "value": value}
            state[block["block_id"]] = {element["action_id"]: entry}
        return self.interactive(
            {
                "type": "view_submission",
                "team": {"id": "T0001", "domain": "acme"},
                "user": {"id": user, "username": user.lower(), "team_id": "T0001"},
                "api_app_id": "A0001",
                "trigger_id": self.next_trigger(),
                "view": {"id": "V0001", **view, "team_id": "T0001", "state": {"values": state}, "hash": "h"},
            }
        )

    def change(self, user: str, view: dict, block_id: str, values: dict[str, object]) -> Reply:
        """Change one input of an open modal whose block has dispatch_action: Slack sends a
        block_actions with the view (its id, hash and current state) and the changed element.
        `values` is the whole form's state, shaped as in submit(): a select's value is its option."""
        state: dict[str, dict] = {}
        changed: dict = {}
        for block in view["blocks"]:
            if block.get("type") != "input":
                continue
            element, value = block["element"], values.get(block["block_id"])
            kind = element["type"]
            if kind == "datepicker":
                entry = {"type": kind, "selected_date": value}
            elif kind in ("static_select", "external_select", "radio_buttons"):
                options = {o["value"]: o for o in element.get("options") or []}
                option = options.get(value) or {
                    "text": {"type": "plain_text", "text": str(value)},
                    "value": value,
                }
                entry = {"type": kind, "selected_option": None if value is None else option}
            else:
                entry = {"type": kind, "value": value}
            state[block["block_id"]] = {element["action_id"]: entry}
            if block["block_id"] == block_id:
                assert block.get("dispatch_action"), f"block {block_id!r} does not dispatch its changes"
                changed = {"block_id": block_id, "action_id": element["action_id"], **entry}
        assert changed, f"no input block {block_id!r} in the view"
        return self.interactive(
            {
                "type": "block_actions",
                "team": {"id": "T0001", "domain": "acme"},
                "user": {"id": user, "username": user.lower(), "team_id": "T0001"},
                "api_app_id": "A0001",
                "trigger_id": self.next_trigger(),
                "container": {"type": "view", "view_id": view["id"]},
                "view": {**view, "state": {"values": state}},
                "actions": [{**changed, "action_ts": str(time.time())}],
            }
        )

    def suggest(self, user: str, view: dict, block_id: str, typed: str) -> list[dict]:
        """Type into an external_select: Slack asks the options URL (a block_suggestion, signed
        like every request) and shows what comes back, refusing what breaks its rules."""
        reply = self.interactive(
            {
                "type": "block_suggestion",
                "team": {"id": "T0001", "domain": "acme"},
                "user": {"id": user, "username": user.lower(), "team_id": "T0001"},
                "api_app_id": "A0001",
                "container": {"type": "view", "view_id": view["id"]},
                "view": view,
                "block_id": block_id,
                "action_id": next(b for b in view["blocks"] if b.get("block_id") == block_id)["element"][
                    "action_id"
                ],
                "value": typed,
            }
        )
        assert reply.status == 200, reply.body
        body = reply.json()
        rules.check_options_response(body)
        return body.get("options") or []

    def event(self, event: dict, *, event_id: str | None = None) -> Reply:
        """Deliver an Events API callback (JSON, signed) as Slack would."""
        with self._lock:
            self._trigger += 1
            number = self._trigger
        body = {
            "type": "event_callback",
            "team_id": "T0001",
            "api_app_id": "A0001",
            "event_id": event_id or f"Ev{number:08d}",
            "event_time": int(time.time()),
            "event": event,
        }
        return self.post(json.dumps(body).encode(), content_type="application/json")
