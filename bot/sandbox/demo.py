"""`orderloop demo`: one custom order end to end against the local Slack stand-in, as a transcript.

Nothing leaves the machine: the stand-in plays the Slack Web API, `SlackDriver` plays the people
(signed requests, as Slack sends them), and the database is a throwaway SQLite file.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from pathlib import Path

from slack_sdk import WebClient
from sqlalchemy.engine import Engine

from bot.app import create_app
from bot.sandbox.driver import SIGNING_SECRET, TOKEN, Reply, SlackDriver
from bot.sandbox.standin import Message, SlackStandin
from bot.server import BackgroundServer, make_wsgi_app
from bot.services import Services
from storage.db import create_schema, make_engine
from workflows.config import Config

ORDERS = "C0123ORDERS"
SALES, PRODUCTION, SUPPLY = "U01", "U05", "U03"
WHO = {SALES: "@U01 (sales)", PRODUCTION: "@U05 (production, in group @S02)", SUPPLY: "@U03 (supply)"}
Echo = Callable[[str], None]


class DemoFailed(Exception):
    """A step did not get the answer it should have; the text says which step and what came back."""


def demo_config() -> Config:
    return Config.model_validate(
        {
            "timezone": "Asia/Shanghai",
            "orders_channel": ORDERS,
            "teams": {"sales": [SALES], "production": ["S02"], "supply": [SUPPLY], "managers": ["U04"]},
        }
    )


# -- Block Kit → readable text -------------------------------------------------------------
_EMOJI = {":white_check_mark:": "✅", ":no_entry:": "⛔", ":no_entry_sign:": "🚫", ":x:": "❌"}
_EMOJI |= {":hourglass_flowing_sand:": "⏳", ":handshake:": "🤝", ":calendar:": "📅"}
_MRKDWN = [
    (re.compile(r"<!date\^\d+\^[^|>]*\|([^>]*)>"), r"\1"),  # a date: its fallback text
    (re.compile(r"<@([A-Z0-9]+)(?:\|[^>]*)?>"), r"@\1"),
    (re.compile(r"<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>"), r"@\1"),
    (re.compile(r"<!(here|channel|everyone)>"), r"@\1"),
    (re.compile(r"<[^|>]+\|([^>]+)>"), r"\1"),  # a link with a label: the label
    (re.compile(r"<([^>]+)>"), r"\1"),
    (re.compile(r"(?<!\w)([*_~`])([^\n]+?)\1(?!\w)"), r"\2"),  # *bold* _italic_ ~strike~ `code`
    (re.compile(r"^>", re.MULTILINE), "│ "),
]


def mrkdwn_to_text(text: str) -> str:
    for pattern, replacement in _MRKDWN:
        text = pattern.sub(replacement, text)
    for code, symbol in _EMOJI.items():
        text = text.replace(code, symbol)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def text_of(obj: dict) -> str:
    text = obj.get("text", "")
    return mrkdwn_to_text(text) if obj.get("type") == "mrkdwn" else text


def block_to_text(block: dict) -> list[str]:
    kind = block.get("type")
    if kind == "header":
        return [f"== {text_of(block['text'])} =="]
    if kind == "section":
        lines = [text_of(block["text"])] if block.get("text") else []
        fields = [text_of(f).replace("\n", ": ", 1) for f in block.get("fields", [])]
        lines += ["   ".join(fields[i : i + 2]) for i in range(0, len(fields), 2)]
        return lines
    if kind == "context":
        return [" · ".join(text_of(e) for e in block.get("elements", []) if "text" in e)]
    if kind == "actions":
        return ["  ".join(f"[ {e['text']['text']} ]" for e in block["elements"] if e.get("type") == "button")]
    return ["—" * 20] if kind == "divider" else []


def message_to_text(message: dict) -> str:
    """A message payload ({text, blocks}) as plain lines; the fallback `text` when there are no blocks."""
    lines = [line for block in message.get("blocks") or [] for line in block_to_text(block)]
    return "\n".join(lines) if lines else mrkdwn_to_text(str(message.get("text") or ""))


# -- the transcript ------------------------------------------------------------------------
class Transcript:
    """Prints each step and what it made appear in Slack, read from the stand-in's call log."""

    def __init__(self, echo: Echo, standin: SlackStandin, driver: SlackDriver) -> None:
        self.echo, self.standin, self.slack = echo, standin, driver
        self._seen = 0

    def say(self, text: str, indent: str = "    ") -> None:
        for i, line in enumerate(text.splitlines() or [""]):
            self.echo(indent + ("" if i == 0 else "  ") + line)

    def step(self, who: str, doing: str, act: Callable[[], Reply]) -> Reply:
        self.echo(f"\n> {WHO[who]} {doing}")
        reply = act()
        if reply.status != 200:
            raise DemoFailed(f"{doing}: the bot answered HTTP {reply.status} {reply.body[:200]!r}")
        for call in self.standin.calls[self._seen :]:  # every Slack call the step caused, in order
            if not call.response.get("ok"):  # includes the payloads the stand-in marks invalid
                raise DemoFailed(f"{doing}: Slack answered {call.method} with {call.response.get('error')}")
            self._show(call.method, call.args)
        self._seen = len(self.standin.calls)
        return reply

    def _show(self, method: str, args: dict) -> None:
        if method == "chat.postMessage":
            where = "thread reply" if args.get("thread_ts") else "order card posted in #orders"
            self.say(f"{where}:\n{message_to_text(args)}")
        elif method == "chat.update":
            if args["ts"] == self.card().ts:  # the card's new status is in its fallback text
                self.say(f"order card updated: {mrkdwn_to_text(str(args.get('text') or ''))}")
            else:  # a request or prompt: its button is gone and its last line says what happened
                self.say(f"thread reply edited: {message_to_text(args).splitlines()[-1]}")
        elif method == "views.open":
            self.say(f"modal opened: “{args['view']['title']['text']}”")
        elif method in ("response_url", "chat.postEphemeral"):
            self.say(f"ephemeral (only they see it): {message_to_text(args)}")

    def submit(self, who: str, doing: str, values: dict) -> Reply:
        view = self.slack.last_view()
        return self.step(who, doing, lambda: self.slack.submit(who, view, values))

    def press(self, who: str, text: str, label: str, opens: str | None = None) -> None:
        opened = len(self.standin.calls_to("views.open"))
        self.step(who, f"presses “{label}”", lambda: self.slack.press(who, self.reply(text), label))
        if opens is not None:
            new = self.standin.calls_to("views.open")[opened:]
            expect(bool(new) and new[-1].args["view"]["title"]["text"] == opens, f"the “{opens}” modal")

    def card(self) -> Message:
        cards = [m for m in self.standin.messages(ORDERS) if m.thread_ts is None]
        expect(len(cards) == 1, f"one order card in #orders, found {len(cards)}")
        return cards[0]

    def reply(self, text: str) -> Message:
        matches = [m for m in self.standin.thread(ORDERS, self.card().ts) if text in m.text]
        expect(bool(matches), f"a thread reply containing {text!r}")
        return matches[-1]


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise DemoFailed(f"expected {what}")


def accepted(reply: Reply) -> None:
    body = reply.json() if reply.body.strip() else {}
    expect("errors" not in body, f"the form to be accepted, got {body.get('errors')}")


def play(t: Transcript, today: date) -> None:
    requested, materials = today + timedelta(days=14), today + timedelta(days=7)
    t.step(SALES, "types /order new", lambda: t.slack.command(SALES, "new"))
    expect(t.slack.last_view()["title"]["text"] == "New custom order", "the “New custom order” modal")
    order = {
        "customer": "ACME Gears",
        "product": "GBX-100",
        "quantity": "-5",
        "requested_date": requested.isoformat(),
        "specification": "Hardened steel, 1:40 ratio, black oxide finish",
    }
    reply = t.submit(SALES, "submits the form with quantity -5", order)
    errors = reply.json().get("errors", {}) if reply.body.strip() else {}
    expect("quantity" in errors, "an inline error on the quantity")
    t.say(f"inline error under Quantity (the modal stays open): {errors['quantity']}")

    accepted(t.submit(SALES, "corrects the quantity to 250 and submits", {**order, "quantity": "250"}))
    expect(t.card().text.startswith("CO-0001"), "order CO-0001 to be registered")

    t.press(SALES, "Production:", "Answer for production")
    refusals = [r for r in t.standin.responses() if "Only the production team" in str(r.args.get("text"))]
    expect(bool(refusals), "sales to be told only production can answer")

    t.press(PRODUCTION, "Production:", "Answer for production", opens="Production · CO-0001")
    answer = {"can_do": "yes", "lead_time_days": "10", "notes": "Line 2 has capacity"}
    accepted(t.submit(PRODUCTION, "answers yes, lead time 10 days", answer))
    t.reply("Production answered")

    t.press(SUPPLY, "Supply:", "Answer for supply", opens="Supply · CO-0001")
    answer = {"can_do": "yes", "material_date": materials.isoformat(), "notes": ""}
    accepted(t.submit(SUPPLY, f"answers yes, materials arrive {materials.isoformat()}", answer))

    t.press(SALES, "confirm a delivery date", "Confirm delivery date", opens="Commit CO-0001")
    view = t.slack.last_view()
    suggested = next(b for b in view["blocks"] if b.get("block_id") == "committed_date")
    committed = suggested["element"]["initial_date"]
    values = {"committed_date": committed, "notes": "Customer agreed by phone"}
    accepted(t.submit(SALES, f"commits the suggested date {committed}", values))
    expect("committed" in t.card().text, "the order card to say committed")
    t.reply("committed for")

    card = t.card()
    t.echo(f"\nThe order card in #orders now reads (card updated {card.updates} times):")
    t.say(message_to_text({"text": card.text, "blocks": card.blocks}), indent="  | ")


# -- the running bot -----------------------------------------------------------------------
@contextmanager
def running_bot(standin: SlackStandin, engine: Engine, config: Config) -> Iterator[str]:
    svc = Services.build(config, engine, WebClient(token=TOKEN, base_url=standin.url))
    # process_before_response: each request returns only after its listener has run and its
    # messages were delivered, so every step's effects are in the stand-in, in order, when the
    # driver gets its answer; no waiting or polling. A real deployment acks first instead.
    app = create_app(svc, signing_secret=SIGNING_SECRET, process_before_response=True)
    server = BackgroundServer(make_wsgi_app(app, svc), threads=4)
    try:
        yield server.url
    finally:
        server.stop()


def run_demo(echo: Echo) -> int:
    config = demo_config()
    today = datetime.now(config.tz).date()
    echo("OrderLoop demo: one custom order, played against a local Slack stand-in (no workspace needed).")
    echo(f"Today in {config.timezone} is {today.isoformat()}. People: " + ", ".join(WHO.values()) + ".")
    try:
        with (
            tempfile.TemporaryDirectory(prefix="orderloop-demo-") as tmp,
            SlackStandin(token=TOKEN, usergroups={"S02": [PRODUCTION, "U06"]}) as standin,
        ):
            engine = make_engine(f"sqlite:///{Path(tmp) / 'demo.db'}")
            try:
                create_schema(engine)
                with running_bot(standin, engine, config) as url:
                    play(Transcript(echo, standin, SlackDriver(url, standin)), today)
            finally:
                engine.dispose()  # close the SQLite file before its directory is deleted
    except (DemoFailed, AssertionError) as exc:  # AssertionError: the driver found no such button
        echo(f"\nDemo FAILED: {exc}")
        return 1
    echo("\nDemo finished: CO-0001 went from request to a committed delivery date.")
    echo("Next steps: README.md, “Install into a real workspace” (manifest.yml, orderloop.example.toml).")
    return 0
