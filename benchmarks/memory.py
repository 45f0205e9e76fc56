"""Memory: resident size (VmRSS) of a real `serve` process, idle and after 10,000 orders.

`serve` runs as a subprocess exactly as deployed (HTTP on $PORT, the sweep every 5 s) against
the Slack stand-in. The 10,000 orders are bulk-loaded into its database, 100 of them with a
reminder due now and their cards still to post, so the process's own sweep delivers ~500
messages; then people list, show and register orders through signed requests.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.common import CONFIG_TOML, SALES, Outcome, start_standin, wait_until
from benchmarks.seed import Loader
from bot.sandbox.driver import SIGNING_SECRET, TOKEN, SlackDriver
from storage.db import make_engine
from storage.models import OutboxMessage

BAR_MB = 150
ROOT = Path(__file__).resolve().parents[1]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory_mb(pid: int) -> dict[str, float]:
    """VmRSS (resident now) and VmHWM (peak resident) from /proc, in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return {key: int(re.search(rf"{key}:\s+(\d+) kB", status).group(1)) / 1024 for key in ("VmRSS", "VmHWM")}


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def _pending(engine) -> int:  # noqa: ANN001
    from sqlalchemy import func, select

    with engine.connect() as conn:
        return conn.execute(
            select(func.count())
            .select_from(OutboxMessage)
            .where(OutboxMessage.sent_at.is_(None), OutboxMessage.dead.is_(False))
        ).scalar_one()


def run(orders: int = 10_000, due: int = 100, registrations: int = 5) -> Outcome:
    out = Outcome("Memory of `serve`")
    with tempfile.TemporaryDirectory() as tmp:
        standin = start_standin()
        config, db = Path(tmp) / "orderloop.toml", Path(tmp) / "serve.db"
        config.write_text(CONFIG_TOML + "[schedule]\nsweep_seconds = 5\n")
        port = _free_port()
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": standin.url,
            "DATABASE_URL": f"sqlite:///{db}",
            "ORDERLOOP_CONFIG": str(config),
            "PORT": str(port),
            "PYTHONPATH": str(ROOT),
        }
        env.pop("SLACK_APP_TOKEN", None)
        process = subprocess.Popen(
            [sys.executable, "-c", "from bot.cli import main; main()", "serve"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        url = f"http://127.0.0.1:{port}"
        engine = None
        try:
            assert wait_until(lambda: _healthy(url), timeout=30, step=0.1), "serve did not become healthy"
            time.sleep(2)  # let start-up settle (first sweep, scheduler threads)
            idle = memory_mb(process.pid)
            engine = make_engine(f"sqlite:///{db}")
            loader = Loader(engine, margin=1_000)
            now = datetime.now(UTC)
            loader.closed_orders(orders - orders // 10, start=now)
            loader.open_orders(orders // 10 - due, now=now)
            loader.due_reminders(due, due_at=now)
            loader.write(engine)
            some_order = f"CO-{loader.ids.order - 42:04d}"
            slack = SlackDriver(url, standin)
            for _ in range(5):
                assert slack.command(SALES, "list").status == 200
                assert slack.command(SALES, f"show {some_order}").status == 200
            for i in range(registrations):
                assert slack.command(SALES, "new").status == 200
                assert wait_until(lambda i=i: len(standin.calls_to("views.open")) > i, timeout=10)
                values = {
                    "customer": f"ACME {i}",
                    "product": "GBX-100",
                    "quantity": "250",
                    "requested_date": "2027-06-20",
                    "specification": "Hardened steel",
                }
                assert slack.submit(SALES, slack.last_view(), values).status == 200
            drained = wait_until(lambda: _pending(engine) == 0, timeout=120, step=0.5)
            time.sleep(1)
            loaded = memory_mb(process.pid)
            posted = len(standin.calls_to("chat.postMessage"))
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
            if engine is not None:
                engine.dispose()
            standin.stop()
    out.figures = {"idle_mb": idle, "loaded_mb": loaded, "orders": orders, "messages_posted": posted}
    out.lines = [
        "| `serve` | VmRSS | VmHWM (peak) |",
        "|---|---:|---:|",
        f"| idle, just started | {idle['VmRSS']:.1f} MB | {idle['VmHWM']:.1f} MB |",
        f"| after {orders:,} orders, its sweep posting {posted} messages, {registrations} registrations,"
        f" `/order list` and `/order show` | {loaded['VmRSS']:.1f} MB | {loaded['VmHWM']:.1f} MB |",
    ]
    if not drained:
        out.notes.append("The sweep had not delivered every queued message within 120 s.")
    out.bar(f"idle RSS < {BAR_MB} MB", idle["VmRSS"] < BAR_MB, f"{idle['VmRSS']:.1f} MB")
    out.bar(
        f"RSS after {orders:,} orders < {BAR_MB} MB", loaded["VmRSS"] < BAR_MB, f"{loaded['VmRSS']:.1f} MB"
    )
    out.bar("peak RSS < 150 MB", loaded["VmHWM"] < BAR_MB, f"{loaded['VmHWM']:.1f} MB")
    return out
