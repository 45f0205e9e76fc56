"""Acknowledgement latency: 50 concurrent `/order new` and 50 concurrent button clicks.

The real app (acking first, listeners on its own pool, served by waitress as `serve` does) is
measured against a bare Bolt app whose listeners only `ack()`, served the same way, in the same
run, with the same request bodies. Rounds alternate which app goes first. After each burst the
real app's listener work (views.open) is let finish, so one round's backlog never slows the next.
Bar: real p99 <= 1.5x bare p99, and under 1 s.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from benchmarks.common import (
    PRODUCTION_A,
    SALES,
    LoadGenerator,
    Outcome,
    RemoteStandin,
    bare_server,
    build_services,
    click_body,
    command_body,
    ms,
    real_server,
    summary,
    wait_until,
)
from bot.ids import Action
from storage import repo
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


def run(concurrency: int = 50, rounds: int = 3) -> Outcome:
    out = Outcome("Acknowledgement latency")
    samples: dict[tuple[str, str], list[float]] = {
        (app, kind): [] for app in ("bare", "real") for kind in ("command", "click")
    }
    statuses: set[int] = set()
    with tempfile.TemporaryDirectory() as tmp, LoadGenerator() as load:
        standin = RemoteStandin()
        svc = build_services(Path(tmp) / "ack.db", standin)
        request_ids = _seed_requests(svc, concurrency)
        seq = iter(range(10**9))

        def bodies(kind: str, n: int) -> list[bytes]:
            if kind == "command":
                return [command_body(standin, SALES, "new", next(seq)) for _ in range(n)]
            return [
                click_body(
                    standin, PRODUCTION_A, Action.ANSWER, str(request_ids[i % len(request_ids)]), next(seq)
                )
                for i in range(n)
            ]

        try:
            with bare_server(svc) as bare, real_server(svc) as real:
                servers = {"bare": bare, "real": real}
                opened = 0

                def burst(app: str, kind: str, n: int, record: bool) -> None:
                    nonlocal opened
                    results = load.fire(servers[app].url, bodies(kind, n))
                    statuses.update(status for status, _ in results)
                    if record:
                        samples[(app, kind)] += [seconds for _, seconds in results]
                    if app == "real":  # each real request opens a modal after its ack: let them finish
                        opened += n
                        assert wait_until(lambda: standin.count("views.open") >= opened, step=0.1), (
                            "listeners stuck"
                        )

                for app in ("bare", "real"):  # warm up: imports, statement caches, connections
                    for kind in ("command", "click"):
                        burst(app, kind, 5, record=False)
                for r in range(rounds):
                    order = ("bare", "real") if r % 2 == 0 else ("real", "bare")
                    for kind in ("command", "click"):
                        for app in order:
                            burst(app, kind, concurrency, record=True)
            invalid = standin.invalid()
            assert not invalid, invalid
        finally:
            standin.stop()
            svc.engine.dispose()

    out.figures = {f"{app}_{kind}": summary(v) for (app, kind), v in samples.items()}
    out.figures["concurrency"], out.figures["rounds"] = concurrency, rounds
    out.lines = [
        f"{concurrency} concurrent requests per burst, {rounds} bursts per app and kind"
        f" ({concurrency * rounds} samples each); HTTP status codes seen: {sorted(statuses)}.",
        "",
        "| requests | bare Bolt p50 | bare p99 | OrderLoop p50 | OrderLoop p99 | p99 ratio |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind, label in (("command", "`/order new`"), ("click", "Answer for production")):
        bare, real = out.figures[f"bare_{kind}"], out.figures[f"real_{kind}"]
        ratio = real["p99"] / bare["p99"]
        out.figures[f"{kind}_ratio"] = ratio
        out.lines.append(
            f"| {label} | {ms(bare['p50'])} | {ms(bare['p99'])} | {ms(real['p50'])} | {ms(real['p99'])}"
            f" | {ratio:.2f}x |"
        )
        out.bar(f"{kind} p99 <= {RATIO_BAR}x bare", ratio <= RATIO_BAR, f"{ratio:.2f}x")
        out.bar(f"{kind} p99 < 1 s", real["p99"] < ABSOLUTE_BAR, ms(real["p99"]))
    out.bar("every request answered 200", statuses == {200}, f"statuses {sorted(statuses)}")
    return out
