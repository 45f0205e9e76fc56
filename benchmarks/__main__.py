"""`python -m benchmarks [--quick] [--only name,...]`: run the benchmarks, check the bars, write results.

Prints PASS/FAIL per bar and exits 1 if any bar fails. A full run writes benchmarks/RESULTS.md
(committed) and benchmarks/results/latest.json (ignored); --quick, a small smoke variant, writes
benchmarks/results/quick.md and quick.json only.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from benchmarks import (
    ack_latency,
    atp,
    digest_agenda,
    memory,
    slack_calls,
    slow_slack,
    stock_import,
    stock_pages,
    sweep_cost,
)
from benchmarks.common import Outcome, machine, quiet_logs
from benchmarks.report import markdown

HERE = Path(__file__).resolve().parent

FULL: dict[str, Callable[[], Outcome]] = {
    "calls": slack_calls.run,
    "ack": lambda: ack_latency.run(concurrency=50, rounds=5),
    "slow": lambda: slow_slack.run(concurrency=10, delay=5.0, probe=40),
    "sweep": lambda: sweep_cost.run(sizes=(1_000, 10_000, 100_000), batches=3),
    "digest": lambda: digest_agenda.run(open_orders=5_000, closed=5_000, repeats=5),
    "memory": lambda: memory.run(orders=10_000, due=100, registrations=5),
    "atp": lambda: atp.run(orders=100_000, repeats=200),
    "stock_import": lambda: stock_import.run(rows=10_000),
    "stock_pages": lambda: stock_pages.run(items=200, repeats=20),
}
QUICK: dict[str, Callable[[], Outcome]] = {
    "calls": slack_calls.run,
    "ack": lambda: ack_latency.run(concurrency=10, rounds=1),
    "slow": lambda: slow_slack.run(concurrency=5, delay=2.0),
    "sweep": lambda: sweep_cost.run(sizes=(200, 2_000), batches=1),
    "digest": lambda: digest_agenda.run(open_orders=500, closed=500, repeats=2),
    "memory": lambda: memory.run(orders=1_000, due=20, registrations=1, stock_rows=1_000),
    "atp": lambda: atp.run(orders=5_000, repeats=20),
    "stock_import": lambda: stock_import.run(rows=1_000),
    "stock_pages": lambda: stock_pages.run(items=200, repeats=2),
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke run in under 30 s")
    parser.add_argument("--only", help=f"comma-separated subset of: {', '.join(FULL)}")
    args = parser.parse_args(argv)
    quiet_logs()
    table = QUICK if args.quick else FULL
    names = [n.strip() for n in args.only.split(",")] if args.only else list(table)
    unknown = [n for n in names if n not in table]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)}")

    started = time.perf_counter()
    outcomes: list[Outcome] = []
    for name in names:
        print(f"== {name} ...", flush=True)
        t0 = time.perf_counter()
        try:
            outcome = table[name]()
        except Exception as exc:  # one broken benchmark must not hide the others' figures
            traceback.print_exc()
            outcome = Outcome(name)
            outcome.bar(f"{name} ran", False, f"{type(exc).__name__}: {exc}")
        outcome.figures["seconds"] = time.perf_counter() - t0
        outcomes.append(outcome)
        print("\n".join(outcome.lines + [f"note: {n}" for n in outcome.notes]))
        for bar in outcome.bars:
            print(f"  {'PASS' if bar.passed else 'FAIL'}  {bar.name}: {bar.detail}")
        print(f"   ({outcome.figures['seconds']:.1f} s)\n", flush=True)

    meta = {
        "when": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "variant": "quick" if args.quick else "full",
        "only": names if args.only else None,
        "seconds": time.perf_counter() - started,
    }
    _write(meta, outcomes, quick=args.quick or bool(args.only))
    failed = [(o.name, b) for o in outcomes for b in o.bars if not b.passed]
    print(f"{len(failed)} bar(s) failed" if failed else "all bars passed", f"in {meta['seconds']:.0f} s")
    return 1 if failed else 0


def _write(meta: dict, outcomes: list[Outcome], *, quick: bool) -> None:
    results = HERE / "results"
    results.mkdir(exist_ok=True)
    stem = "quick" if quick else "latest"
    data = {
        **meta,
        "benchmarks": [
            {
                "name": o.name,
                "figures": o.figures,
                "notes": o.notes,
                "bars": [{"name": b.name, "passed": b.passed, "detail": b.detail} for b in o.bars],
            }
            for o in outcomes
        ],
    }
    (results / f"{stem}.json").write_text(json.dumps(data, indent=2, default=str))
    text = markdown(meta, outcomes)
    (results / f"{stem}.md").write_text(text)
    if not quick:  # only a full run of everything replaces the committed figures
        (HERE / "RESULTS.md").write_text(text)
    print(f"results: {results / f'{stem}.json'}" + ("" if quick else f" and {HERE / 'RESULTS.md'}"))


if __name__ == "__main__":
    sys.exit(main())
