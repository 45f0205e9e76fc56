"""Acknowledgement latency: bursts of 50 concurrent `/order new`, button clicks and form submissions.

The real app (acking first, listeners on its own pool, served by waitress as `serve` does) is
measured against a bare Bolt app whose listeners only `ack()`, served the same way, in the same
run, with the same request bodies. Each app runs in a process of its own, as `serve` would, apart
from the load generator and the Slack stand-in: no app's work shares an interpreter lock with
the app being measured. Rounds rotate which app goes first. After each burst the real app's
listener work (views.open, delivering what a submission queued) is let finish, so one round's
backlog never slows the next. Bar: real p99 <= 1.5x bare p99, and under 1 s. The same run
measures OrderLoop with bot.ack_first switched off ("eager") and how long each modal took to
open, the price of acking first.
"""

from __future__ import annotations

import json
import tempfile
import time
from pathlib import Path
from urllib.parse import urlencode

from benchmarks.common import (
    PRODUCTION_A,
    SALES,
    LoadGenerator,
    Outcome,
    RemoteStandin,
    ServerProcess,
    build_services,
    click_body,
    command_body,
    ms,
    summary,
    wait_until,
)
from bot.ids import INPUT_ACTION, Action, View
from bot.orders.modals import order_modal
from storage import repo, views
from workflows import orders
from workflows.inputs import order_fields

RATIO_BAR = 1.5
ABSOLUTE_BAR = 1.0


def _seed_requests(svc, count: int) -> list[int]:  # noqa: ANN001
    """Register `count` real orders; the ids of their production requests (what the button carries)."""
    ctx = svc.context()
    fields, errors = order_fields(
        customer="ACME Gears",
        product="GBX-100",
        quantity="250",
        requested_date=ctx.today.replace(year=ctx.today.year + 1),
        specification="Hardened steel",
        today=ctx.today,
    )
    assert not errors, errors
    ids = []
    with svc.session() as session:
        for _ in range(count):
            order = orders.register_order(session, ctx, actor=SALES, fields=fields)
            ids += [r.id for r in repo.requests_for(session, order) if r.team == "production"]
    return ids


def _seed_views(svc, first: int, count: int) -> None:  # noqa: ANN001
    """New-order forms as `/order new` would have opened them (views.open, then noted)."""
    with svc.session(settle_groups=False) as session:
        for k in range(first, first + count):
            views.record(
                session,
                view_id=f"VBENCH{k}",
                user=SALES,
                callback_id=View.NEW_ORDER,
                metadata=order_modal().get("private_metadata", ""),
                now=svc.clock(),
            )


def submit_body(n: int, year: int) -> bytes:
    """A signed-to-be new-order form submission of view VBENCH<n>, as Slack sends it."""
    values = {
        "customer": f"Bench {n}",
        "product": "GBX-100",
        "quantity": "250",
        "specification": "Hardened steel",
    }
    state = {k: {INPUT_ACTION: {"type": "plain_text_input", "value": v}} for k, v in values.items()}
    state["requested_date"] = {INPUT_ACTION: {"type": "datepicker", "selected_date": f"{year}-06-01"}}
    view = {**order_modal(), "id": f"VBENCH{n}", "team_id": "T0001", "state": {"values": state}}
    payload = {
        "type": "view_submission",
        "team": {"id": "T0001", "domain": "acme"},
        "user": {"id": SALES, "username": SALES.lower(), "team_id": "T0001"},
        "api_app_id": "A0001",
        "trigger_id": f"bench-view-{n}",
        "view": view,
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


APPS = ("bare", "real", "eager")  # eager: OrderLoop without bot.ack_first, for comparison
KINDS = ("command", "click", "submit")
# floor: a bare app saving each form as one row before its ack (benchmarks.common.floor_server):
# what saving before the ack costs at the least, measured for the forms only
FLOOR = "floor"


def apps_for(kind: str) -> tuple[str, ...]:
    return (*APPS, FLOOR) if kind == "submit" else APPS


MODAL_BAR = 3.0  # a trigger_id must reach views.open within 3 s of the click
POSTS_PER_ORDER = 3  # a new order's card and its two requests (benchmarks/slack_calls)


def run(concurrency: int = 50, rounds: int = 3) -> Outcome:
    out = Outcome("Acknowledgement latency")
    samples: dict[tuple[str, str], list[float]] = {
        (app, kind): [] for kind in KINDS for app in apps_for(kind)
    }
    sent_at: dict[tuple[str, str], dict[str, float]] = {key: {} for key in samples}  # trigger_id -> sent
    statuses: set[int] = set()
    not_saved = dict.fromkeys(APPS[1:], 0)  # forms answered with an error (not saved) instead of closed
    with tempfile.TemporaryDirectory() as tmp, LoadGenerator() as load:
        standin = RemoteStandin()
        svc = build_services(Path(tmp) / "ack.db", standin)
        request_ids = _seed_requests(svc, concurrency)
        seq = iter(range(10**9))

        _seed_views(svc, 0, 10**4)  # more than any run submits
        year = svc.context().today.year + 1

        def bodies(kind: str, n: int) -> tuple[list[bytes], list[str]]:
            numbers = [next(seq) for _ in range(n)]
            if kind == "submit":  # each a different form: every one is a write before its ack
                return [submit_body(k, year) for k in numbers], []
            if kind == "command":
                made = [command_body(standin, SALES, "new", k) for k in numbers]
                return made, [f"bench-cmd-{k}" for k in numbers]
            made = [
                click_body(standin, PRODUCTION_A, Action.ANSWER, str(request_ids[i % len(request_ids)]), k)
                for i, k in enumerate(numbers)
            ]
            return made, [f"bench-act-{k}" for k in numbers]

        svc.engine.dispose()  # the servers open the file in their own processes
        db = Path(tmp) / "ack.db"
        try:
            with (
                ServerProcess("bare", db, standin) as bare,
                ServerProcess(FLOOR, db, standin) as floor,
                ServerProcess("real", db, standin) as real,
                ServerProcess("eager", db, standin) as eager,
            ):
                servers = {"bare": bare, FLOOR: floor, "real": real, "eager": eager}
                opened = posted = 0

                def burst(app: str, kind: str, n: int, record: bool) -> None:
                    nonlocal opened, posted
                    made, triggers = bodies(kind, n)
                    sent = time.time()
                    results = load.fire(servers[app].url, made)
                    statuses.update(status for status, _, _ in results)
                    if record:
                        samples[(app, kind)] += [seconds for _, seconds, _ in results]
                        sent_at[(app, kind)].update(dict.fromkeys(triggers, sent))
                    if app in ("bare", FLOOR):
                        return
                    # let the listener work after the acks finish: each opens a modal, or
                    # delivers the order it saved
                    if kind == "submit":
                        # a form is closed by an empty answer; a refusal names the field
                        refused = [answer for status, _, answer in results if status != 200 or answer]
                        not_saved[app] += len(refused)
                        posted += POSTS_PER_ORDER * (n - len(refused))
                        done = lambda: standin.count("chat.postMessage") >= posted  # noqa: E731
                    else:
                        opened += n
                        done = lambda: standin.count("views.open") >= opened  # noqa: E731
                    assert wait_until(done, step=0.1), "listeners stuck"

                for kind in KINDS:  # warm up: imports, statement caches, connections
                    for app in apps_for(kind):
                        burst(app, kind, 5, record=False)
                for r in range(rounds):
                    for kind in KINDS:
                        apps = apps_for(kind)
                        turn = r % len(apps)
                        for app in apps[turn:] + apps[:turn]:  # each app goes first in turn
                            burst(app, kind, concurrency, record=True)
            invalid = standin.invalid()
            assert not invalid, invalid
            opened_at = standin.arrivals("views.open")
        finally:
            standin.stop()

    out.figures = {f"{app}_{kind}": summary(v) for (app, kind), v in samples.items()}
    out.figures["concurrency"], out.figures["rounds"] = concurrency, rounds
    for (app, kind), sent in sent_at.items():
        if app != "bare" and kind != "submit":
            out.figures[f"{app}_{kind}_modal"] = summary([opened_at[t] - s for t, s in sent.items()])
    out.lines = [
        f"{concurrency} concurrent requests per burst, {rounds} bursts per app and kind"
        f" ({concurrency * rounds} samples each); HTTP status codes seen: {sorted(statuses)}."
        " *Eager* is OrderLoop with bot.ack_first switched off (follow-up work starts as soon as"
        " its own ack is set), measured in the same run to show what acks-first buys.",
        "",
        "| requests | bare Bolt p50 | bare p99 | OrderLoop p50 | OrderLoop p99 | p99 ratio"
        " | eager p99 | eager ratio |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    labels = (
        ("command", "`/order new`"),
        ("click", "Answer for production"),
        ("submit", "new-order form (saved before its ack)"),
    )
    for kind, label in labels:
        bare, real, eager = (out.figures[f"{app}_{kind}"] for app in APPS)
        ratio, eager_ratio = real["p99"] / bare["p99"], eager["p99"] / bare["p99"]
        out.figures[f"{kind}_ratio"], out.figures[f"{kind}_eager_ratio"] = ratio, eager_ratio
        out.lines.append(
            f"| {label} | {ms(bare['p50'])} | {ms(bare['p99'])} | {ms(real['p50'])} | {ms(real['p99'])}"
            f" | {ratio:.2f}x | {ms(eager['p99'])} | {eager_ratio:.2f}x |"
        )
        out.bar(f"{kind} p99 <= {RATIO_BAR}x bare", ratio <= RATIO_BAR, f"{ratio:.2f}x")
        out.bar(f"{kind} p99 < 1 s", real["p99"] < ABSOLUTE_BAR, ms(real["p99"]))
    bare, floor, real = (out.figures[f"{app}_submit"] for app in ("bare", FLOOR, "real"))
    out.figures["floor_ratio"] = floor["p99"] / bare["p99"]
    out.figures["submit_over_floor"] = real["p99"] / floor["p99"]
    out.lines += [
        "",
        "The floor under saving before the ack: a bare Bolt app whose form listener saves the submitted"
        " view as one row (the same SQLite file, WAL) and then acks, in the same run"
        f" (benchmarks.common.floor_server): p50 {ms(floor['p50'])}, p99 {ms(floor['p99'])},"
        f" {out.figures['floor_ratio']:.2f}x the bare app's p99; OrderLoop's saved form is"
        f" {out.figures['submit_over_floor']:.2f}x the floor.",
    ]
    out.bar("every request answered 200", statuses == {200}, f"statuses {sorted(statuses)}")
    out.figures["not_saved"] = not_saved
    out.bar(
        "every form saved (none answered 'not saved, try again')",
        not any(not_saved.values()),
        ", ".join(f"{app}: {count} not saved" for app, count in not_saved.items()),
    )
    out.lines += [
        "",
        "The cost of acking first: time from sending a burst to each request's views.open reaching"
        " Slack (a trigger_id expires after 3 s).",
        "",
        "| requests | OrderLoop p50 | OrderLoop p99 | OrderLoop slowest | eager p50 | eager p99 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, label in labels[:2]:
        real, eager = out.figures[f"real_{kind}_modal"], out.figures[f"eager_{kind}_modal"]
        out.lines.append(
            f"| {label} | {ms(real['p50'])} | {ms(real['p99'])} | {ms(real['max'])}"
            f" | {ms(eager['p50'])} | {ms(eager['p99'])} |"
        )
        out.bar(f"{kind}: every modal opened < 3 s after the burst", real["max"] < MODAL_BAR, ms(real["max"]))
    return out
