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
from bot.ids import Action, View
from bot.sandbox.driver import SIGNING_SECRET, TOKEN, Reply, SlackDriver
from bot.sandbox.standin import Message, SlackStandin
from bot.server import BackgroundServer, make_wsgi_app
from bot.services import Services
from bot.text import _, language
from storage import repo
from storage.db import create_schema, make_engine, session_scope
from storage.models import OrderStatus
from workflows.config import Config

ORDERS = "C0123ORDERS"
SALES, PRODUCTION, SUPPLY = "U01", "U05", "U03"
Echo = Callable[[str], None]


class DemoFailed(Exception):
    """A step did not get the answer it should have; the text says which step and what came back."""


def demo_config(lang: str = "en") -> Config:
    return Config.model_validate(
        {
            "timezone": "Asia/Shanghai",
            "language": lang,
            "orders_channel": ORDERS,
            "teams": {"sales": [SALES], "production": ["S02"], "supply": [SUPPLY], "managers": ["U04"]},
        }
    )


# -- Block Kit → readable text -------------------------------------------------------------
_EMOJI = {":white_check_mark:": "✅", ":no_entry:": "⛔", ":no_entry_sign:": "🚫", ":x:": "❌"}
_EMOJI |= {":hourglass_flowing_sand:": "⏳", ":handshake:": "🤝", ":calendar:": "📅", ":package:": "📦"}
_EMOJI |= {":warning:": "⚠️", ":rotating_light:": "🚨", ":alarm_clock:": "⏰", ":truck:": "🚚"}
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
def who_is(user: str) -> str:
    names = {
        SALES: _("@U01 (sales)"),
        PRODUCTION: _("@U05 (production, in group @S02)"),
        SUPPLY: _("@U03 (supply)"),
    }
    return names[user]


class Transcript:
    """Prints each step and what it made appear in Slack, read from the stand-in's call log."""

    def __init__(self, echo: Echo, standin: SlackStandin, driver: SlackDriver) -> None:
        self.echo, self.standin, self.slack = echo, standin, driver
        self._seen = 0

    def say(self, text: str, indent: str = "    ") -> None:
        for i, line in enumerate(text.splitlines() or [""]):
            self.echo(indent + ("" if i == 0 else "  ") + line)

    def step(self, who: str, doing: str, act: Callable[[], Reply]) -> Reply:
        self.echo(f"\n> {who_is(who)} {doing}")
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
            where = _("thread reply:") if args.get("thread_ts") else _("order card posted in #orders:")
            self.say(f"{where}\n{message_to_text(args)}")
        elif method == "chat.update":
            if args["ts"] == self.card().ts:  # the card's new status is in its fallback text
                self.say(_("order card updated: {text}", text=mrkdwn_to_text(str(args.get("text") or ""))))
            else:  # a request or prompt: its button is gone and its last line says what happened
                self.say(_("thread reply edited: {text}", text=message_to_text(args).splitlines()[-1]))
        elif method == "views.open":
            self.say(_("modal opened: “{title}”", title=args["view"]["title"]["text"]))
        elif method in ("response_url", "chat.postEphemeral"):
            self.say(_("ephemeral (only they see it): {text}", text=message_to_text(args)))

    def submit(self, who: str, doing: str, values: dict) -> Reply:
        view = self.slack.last_view()
        return self.step(who, doing, lambda: self.slack.submit(who, view, values))

    def press(self, who: str, action_id: str, nth: int = 0, opens: str | None = None) -> None:
        """Press the `nth` button with this action_id in the order's thread (buttons are found by
        their id, so the demo plays the same in every language)."""
        message, button = self.button(action_id, nth)
        opened = len(self.standin.calls_to("views.open"))
        label = button["text"]["text"]
        press = lambda: self.slack.click(who, action_id, button.get("value", ""), message=message)  # noqa: E731
        self.step(who, _("presses “{label}”", label=label), press)
        if opens is not None:
            new = self.standin.calls_to("views.open")[opened:]
            expect(bool(new) and new[-1].args["view"].get("callback_id") == opens, f"the {opens} form")

    def button(self, action_id: str, nth: int) -> tuple[Message, dict]:
        found = [
            (message, element)
            for message in self.standin.thread(ORDERS, self.card().ts)
            for block in message.blocks
            for element in block.get("elements", [])
            if element.get("type") == "button" and element.get("action_id") == action_id
        ]
        expect(len(found) > (nth if nth >= 0 else -nth - 1), f"a {action_id} button in the thread")
        return found[nth]

    def card(self) -> Message:
        cards = [m for m in self.standin.messages(ORDERS) if m.thread_ts is None]
        expect(len(cards) == 1, f"one order card in #orders, found {len(cards)}")
        return cards[0]


def expect(condition: bool, what: str) -> None:
    if not condition:
        raise DemoFailed(f"expected {what}")


def accepted(reply: Reply) -> None:
    body = reply.json() if reply.body.strip() else {}
    expect("errors" not in body, f"the form to be accepted, got {body.get('errors')}")


def play(t: Transcript, today: date, status: Callable[[], OrderStatus | None]) -> None:
    requested, materials = today + timedelta(days=14), today + timedelta(days=7)
    opened = len(t.standin.calls_to("views.open"))
    t.step(SALES, _("types /order new"), lambda: t.slack.command(SALES, "new"))
    expect(len(t.standin.calls_to("views.open")) > opened, "the new-order form")
    order = {
        "customer": "ACME Gears",
        "product": "GBX-100",
        "quantity": "-5",
        "requested_date": requested.isoformat(),
        "specification": "Hardened steel, 1:40 ratio, black oxide finish",
    }
    reply = t.submit(SALES, _("submits the form with quantity -5"), order)
    errors = reply.json().get("errors", {}) if reply.body.strip() else {}
    expect("quantity" in errors, "an inline error on the quantity")
    t.say(_("inline error under Quantity (the modal stays open): {error}", error=errors["quantity"]))

    accepted(t.submit(SALES, _("corrects the quantity to 250 and submits"), {**order, "quantity": "250"}))
    expect(t.card().text.startswith("CO-0001"), "order CO-0001 to be registered")

    refused = len(t.standin.responses())
    t.press(SALES, Action.ANSWER, nth=0)  # the production request is the first in the thread
    expect(len(t.standin.responses()) > refused, "sales to be told only production can answer")

    t.press(PRODUCTION, Action.ANSWER, nth=0, opens=View.PRODUCTION_ANSWER)
    answer = {"can_do": "yes", "lead_time_days": "10", "notes": "Line 2 has capacity"}
    accepted(t.submit(PRODUCTION, _("answers yes, lead time 10 days"), answer))

    t.press(SUPPLY, Action.ANSWER, nth=-1, opens=View.SUPPLY_ANSWER)  # production's is answered
    answer = {"can_do": "yes", "material_date": materials.isoformat(), "notes": ""}
    accepted(t.submit(SUPPLY, _("answers yes, materials arrive {date}", date=materials.isoformat()), answer))

    t.press(SALES, Action.COMMIT, opens=View.COMMIT)
    view = t.slack.last_view()
    suggested = next(b for b in view["blocks"] if b.get("block_id") == "committed_date")
    committed = suggested["element"]["initial_date"]
    values = {"committed_date": committed, "notes": "Customer agreed by phone"}
    accepted(t.submit(SALES, _("commits the suggested date {date}", date=committed), values))
    expect(status() == OrderStatus.COMMITTED, "the order to be committed")

    card = t.card()
    t.echo("\n" + _("The order card in #orders now reads (card updated {n} times):", n=card.updates))
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


def run_demo(echo: Echo, lang: str = "en") -> int:
    config = demo_config(lang)
    with language(config.language):
        return _run(echo, config)


def _run(echo: Echo, config: Config) -> int:
    today = datetime.now(config.tz).date()
    echo(_("OrderLoop demo: one custom order, played against a local Slack stand-in (no workspace needed)."))
    people = _(", ").join(who_is(user) for user in (SALES, PRODUCTION, SUPPLY))
    echo(
        _(
            "Today in {zone} is {today}. People: {people}.",
            zone=config.timezone,
            today=today.isoformat(),
            people=people,
        )
    )
    try:
        with (
            tempfile.TemporaryDirectory(prefix="orderloop-demo-") as tmp,
            SlackStandin(token=TOKEN, usergroups={"S02": [PRODUCTION, "U06"]}) as standin,
        ):
            # the demo's people read Slack in the demo's language, as a team in that language would
            locale = "zh-CN" if config.language == "zh-CN" else "en-US"
            standin.users.update({user: {"locale": locale} for user in (SALES, PRODUCTION, SUPPLY)})
            engine = make_engine(f"sqlite:///{Path(tmp) / 'demo.db'}")
            try:
                create_schema(engine)
                with running_bot(standin, engine, config) as url:
                    play(Transcript(echo, standin, SlackDriver(url, standin)), today, lambda: _status(engine))
            finally:
                engine.dispose()  # close the SQLite file before its directory is deleted
    except (DemoFailed, AssertionError) as exc:  # AssertionError: the driver found no such button
        echo("\n" + _("Demo FAILED: {problem}", problem=exc))
        return 1
    echo("\n" + _("Demo finished: CO-0001 went from request to a committed delivery date."))
    echo(_("Next steps: README.md, “Install into a real workspace” (manifest.yml, orderloop.example.toml)."))
    return 0


def _status(engine: Engine) -> OrderStatus | None:
    with session_scope(engine, read_only=True) as session:
        order = repo.get_order(session, 1)
        return order.status if order else None
