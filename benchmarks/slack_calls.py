"""Slack Web API calls one order's life costs, per step, counted at the stand-in.

The order goes register -> production answer -> supply answer -> commit as people would drive
it (signed requests, buttons pressed on the posted messages). The app runs with
process_before_response=True, as in the tests, so each step's calls are complete when its
request returns; the calls are the same as when acking first.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from benchmarks.common import ORDERS, PRODUCTION_A, SALES, SUPPLY, Outcome, build_services, start_standin
from bot.app import create_app
from bot.sandbox.driver import SIGNING_SECRET, SlackDriver
from bot.sandbox.standin import RESPONSE_URL, SlackStandin
from bot.server import BackgroundServer, make_wsgi_app

# Calls that a clean run of this flow never needs: each one found is flagged as avoidable.
NEVER_NEEDED = {
    "chat.getPermalink": "thread links can be built from channel and ts",
    "conversations.history": "only for an uncertain delivery retry",
    "conversations.replies": "only for an uncertain delivery retry",
    "auth.test": "the token was checked at start-up and Bolt keeps that answer",
}
# `serve` checks its token with one auth.test at start-up and Bolt keeps that answer for every
# request (bot.runtime._build_app): a per-process cost, shown in the table under start-up.
PER_PROCESS = {"auth.test"}
START_UP = "start-up of the process (once, not per order)"


def _card(standin: SlackStandin):  # noqa: ANN202
    return [m for m in standin.messages(ORDERS) if m.thread_ts is None][-1]


def _reply(standin: SlackStandin, text: str):  # noqa: ANN202
    replies = standin.thread(ORDERS, _card(standin).ts)
    found = [m for m in replies if text in m.text]
    assert found, f"no reply containing {text!r}"
    return found[-1]


@contextmanager
def _step(standin: SlackStandin, steps: list, name: str):  # noqa: ANN202
    before = len(standin.calls)
    yield
    steps.append((name, list(standin.calls[before:])))


def _drive(slack: SlackDriver, standin: SlackStandin) -> list[tuple[str, list]]:
    steps: list[tuple[str, list]] = []
    with _step(standin, steps, "`/order new` (opens the form)"):
        assert slack.command(SALES, "new").status == 200
    with _step(standin, steps, "submit the order"):
        values = {
            "customer": "ACME Gears",
            "product": "GBX-100",
            "quantity": "250",
            "requested_date": "2027-01-20",
            "specification": "Hardened steel",
        }
        assert slack.submit(SALES, slack.last_view(), values).status == 200
    with _step(standin, steps, "press Answer for production"):
        assert (
            slack.press(PRODUCTION_A, _reply(standin, "Production:"), "Answer for production").status == 200
        )
    with _step(standin, steps, "submit production's answer"):
        values = {"can_do": "yes", "lead_time_days": "10", "notes": "Line 2"}
        assert slack.submit(PRODUCTION_A, slack.last_view(), values).status == 200
    with _step(standin, steps, "press Answer for supply"):
        assert slack.press(SUPPLY, _reply(standin, "Supply:"), "Answer for supply").status == 200
    with _step(standin, steps, "submit supply's answer"):
        values = {"can_do": "yes", "material_date": "2027-01-05"}
        assert slack.submit(SUPPLY, slack.last_view(), values).status == 200
    with _step(standin, steps, "press Confirm delivery date"):
        prompt = _reply(standin, "confirm a delivery date")
        assert slack.press(SALES, prompt, "Confirm delivery date").status == 200
    with _step(standin, steps, "submit the commitment"):
        assert (
            slack.submit(SALES, slack.last_view(), {"committed_date": "2027-01-25", "notes": ""}).status
            == 200
        )
    return steps


def _avoidable(steps: list[tuple[str, list]]) -> list[str]:
    flags, seen_groups, asked = [], False, set()
    for name, calls in steps:
        for call in calls:
            if call.method in NEVER_NEEDED:
                flags.append(f"{name}: {call.method} ({NEVER_NEEDED[call.method]})")
            if call.method == "users.info":  # each person's language (bot/people.py), kept a day
                person = call.args.get("user")
                if person in asked or str(call.args.get("include_locale")).lower() not in ("1", "true"):
                    flags.append(f"{name}: users.info for {person} again, or without include_locale")
                asked.add(person)
            if call.method == "usergroups.users.list":
                if seen_groups:
                    flags.append(f"{name}: usergroups.users.list again within the cache's lifetime")
                seen_groups = True
        edits = Counter((c.args.get("channel"), c.args.get("ts")) for c in calls if c.method == "chat.update")
        flags += [
            f"{name}: message {ts} edited {n} times in one step" for (_, ts), n in edits.items() if n > 1
        ]
    return flags


def run() -> Outcome:
    out = Outcome("Slack calls per order")
    with tempfile.TemporaryDirectory() as tmp:
        standin = start_standin()
        svc = build_services(Path(tmp) / "calls.db", standin)
        app = create_app(svc, signing_secret=SIGNING_SECRET, process_before_response=True, verify_token=True)
        start_up = (START_UP, list(standin.calls))  # as `serve` builds it: the token checked once
        server = BackgroundServer(make_wsgi_app(app, svc))
        try:
            steps = _drive(SlackDriver(server.url, standin), standin)
            standin.assert_all_valid()
        finally:
            server.stop()
            standin.stop()
            svc.engine.dispose()
    flags = _avoidable(steps)
    steps = [start_up, *steps]
    methods = sorted({c.method for _, calls in steps for c in calls})
    total = Counter(c.method for _, calls in steps for c in calls)
    out.lines = ["| step | " + " | ".join(methods) + " | total |", "|---" * (len(methods) + 2) + "|"]
    for name, calls in steps:
        counts = Counter(c.method for c in calls)
        out.lines.append(
            f"| {name} | " + " | ".join(str(counts[m] or "") for m in methods) + f" | {len(calls)} |"
        )
    out.lines.append(
        "| **total: start-up and one order** | "
        + " | ".join(f"**{total[m]}**" for m in methods)
        + f" | **{sum(total.values())}** |"
    )
    web_api = sum(n for m, n in total.items() if m != RESPONSE_URL and m not in PER_PROCESS)
    out.figures = {
        "steps": {name: dict(Counter(c.method for c in calls)) for name, calls in steps},
        "total": dict(total),
        "web_api_calls": web_api,
    }
    out.figures["avoidable"] = flags
    out.lines += ["", f"{web_api} Web API calls per order, plus {len(start_up[1])} per process at start-up."]
    out.lines += [f"- avoidable: {flag}" for flag in flags] or ["- no avoidable call found."]
    out.bar("no avoidable Slack call", not flags, "; ".join(flags) or "none")
    return out
