"""Slow Slack: every Web API call takes 5 s; 10 concurrent `/order new` must each be acked in < 3 s.

The ack must not wait on Slack: the modal is opened (views.open, 5 s) after the ack, on the
listener pool. Also reported: when the last modal opened, i.e. that the slow calls overlapped.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from benchmarks.common import (
    SALES,
    LoadGenerator,
    Outcome,
    RemoteStandin,
    build_services,
    command_body,
    ms,
    real_server,
    wait_until,
)

DELAY = 5.0
BAR = 3.0


def _burst(concurrency: int, delay: float) -> tuple[list[tuple[int, float]], float | None]:
    """Acks of `concurrency` concurrent `/order new` while Slack takes `delay` s; and when the last
    modal opened (None if not within 60 s)."""
    with tempfile.TemporaryDirectory() as tmp, LoadGenerator() as load:
        standin = RemoteStandin()
        svc = build_services(Path(tmp) / "slow.db", standin)
        try:
            with real_server(svc) as server:
                load.fire(server.url, [command_body(standin, SALES, "new", i) for i in range(2)])  # warm up
                assert wait_until(lambda: standin.count("views.open") >= 2, step=0.1)
                standin.set_delay(delay)
                started = time.perf_counter()
                bodies = [command_body(standin, SALES, "new", 100 + i) for i in range(concurrency)]
                results = load.fire(server.url, bodies)
                done = wait_until(
                    lambda: standin.count("views.open") >= 2 + concurrency, timeout=60, step=0.1
                )
                all_opened = time.perf_counter() - started
                standin.set_delay(0)
        finally:
            standin.stop()
            svc.engine.dispose()
    return results, all_opened if done else None


def run(concurrency: int = 10, delay: float = DELAY, probe: int | None = None) -> Outcome:
    """`probe`: also send that many at once (more than the listener pool) and report the slowest ack."""
    out = Outcome("Slow Slack")
    results, all_opened = _burst(concurrency, delay)
    done = all_opened is not None
    times = [seconds for _, seconds, _ in results]
    statuses = sorted({status for status, _, _ in results})
    out.figures = {
        "delay_s": delay,
        "concurrency": concurrency,
        "ack_s": sorted(times),
        "max_ack_s": max(times),
        "all_modals_opened_s": all_opened,
    }
    out.lines = [
        f"Stand-in delay {delay:.0f} s on every Web API call; {concurrency} concurrent `/order new`.",
        "",
        f"- slowest ack: {ms(max(times))} (all: {', '.join(f'{t * 1000:.0f}' for t in sorted(times))} ms);"
        f" statuses {statuses}",
        f"- all {concurrency} modals opened (views.open answered) {all_opened:.1f} s after the burst"
        + ("" if done else " (NOT all opened within 60 s)"),
    ]
    if probe:
        from bot.app import LISTENER_THREADS

        probed, _ = _burst(probe, delay)
        slowest = max(seconds for _, seconds, _ in probed)
        failed = sum(1 for status, _, _ in probed if status != 200)
        out.figures["probe"] = {"concurrency": probe, "max_ack_s": slowest, "not_200": failed}
        out.lines.append(
            f"- probe beyond the bar (not a bar): {probe} concurrent,"
            f" listener pool {LISTENER_THREADS} threads:"
            f" slowest ack {ms(slowest)}, {failed} answered non-200"
        )
        if slowest >= BAR:
            out.notes.append(
                f"{probe} concurrent commands with a {delay:.0f} s Slack:"
                f" the slowest ack took {ms(slowest)} and"
                f' {failed} got HTTP 404 (Bolt: "didn\'t call ack()" after its 3 s ack_timeout).'
                " Bolt runs the whole listener (ack and the work after it) on `listener_executor`; the"
                " request thread only polls for the ack, so once all LISTENER_THREADS are waiting on Slack,"
                " the next request's ack() waits for a free thread."
            )
    out.bar(
        f"all {concurrency} acks < {BAR:.0f} s with a {delay:.0f} s Slack",
        max(times) < BAR and statuses == [200],
        f"slowest {ms(max(times))}",
    )
    return out
