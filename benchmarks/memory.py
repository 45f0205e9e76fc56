"""Memory: resident size (VmRSS) of a real `serve` process, idle and after 10,000 orders.

`serve` runs as a subprocess exactly as deployed (HTTP on $PORT, the sweep every 5 s) against
the Slack stand-in. The 10,000 orders are bulk-loaded into its database, 100 of them with a
reminder due now and their cards still to post, so the process's own sweep delivers ~500
messages; then people list, show and register orders through signed requests. Then supply shares
a 10,000-row .xlsx (200 materials) in its DM with the bot, as Slack serves it (the file, the
`file_shared` event, files.info and the download), and presses Import on the preview: the time
from the event to the preview and from the click to the last row saved is the import's end to
end (issue 13's bar: under 5 s), and the memory after it is measured against the same bar.
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

from benchmarks.common import CONFIG_TOML, SALES, SUPPLY, Outcome, start_standin, wait_until
from benchmarks.seed import Loader
from benchmarks.stock_import import BAR_SECONDS, workbook
from bot.sandbox.driver import SIGNING_SECRET, TOKEN, SlackDriver
from storage.db import make_engine
from storage.models import OutboxMessage
from storage.stock_models import StockCount

BAR_MB = 150
MATERIALS = [f"MAT-{n:04d}" for n in range(200)]


def _materials_toml() -> str:
    return "".join(
        f'[[materials]]\ncode = "{code}"\nname = "Material {code}"\nunit = "kg"\n' for code in MATERIALS
    )


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


def _counted(engine) -> int:  # noqa: ANN001
    from sqlalchemy import func, select

    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(StockCount)).scalar_one()


def _import_through_slack(slack: SlackDriver, standin, engine, rows: int) -> dict[str, float]:  # noqa: ANN001
    """Supply shares the spreadsheet in its DM, waits for the preview, presses Import."""
    data = workbook(rows, MATERIALS)
    dm = f"D{SUPPLY}"
    started = time.perf_counter()
    file_id = standin.share_file(SUPPLY, dm, "stock.xlsx", data)
    assert slack.event(standin.file_shared_event(file_id)).status == 200

    def preview():  # noqa: ANN202
        found = [
            m for m in standin.messages(SUPPLY) if m.user is None and m.blocks and "Import" in str(m.blocks)
        ]
        return found[-1] if found else None

    assert wait_until(lambda: preview() is not None, timeout=60, step=0.05), "no preview of the upload"
    previewed = time.perf_counter()
    assert slack.press(SUPPLY, preview(), "Import").status == 200
    assert wait_until(lambda: _counted(engine) >= rows, timeout=60, step=0.05), "the import did not finish"
    saved = time.perf_counter()
    return {"preview_s": previewed - started, "import_s": saved - previewed, "total_s": saved - started}


def run(orders: int = 10_000, due: int = 100, registrations: int = 5, stock_rows: int = 10_000) -> Outcome:
    out = Outcome("Memory of `serve`")
    with tempfile.TemporaryDirectory() as tmp:
        standin = start_standin()
        config, db = Path(tmp) / "orderloop.toml", Path(tmp) / "serve.db"
        config.write_text(CONFIG_TOML + "[schedule]\nsweep_seconds = 5\n" + _materials_toml())
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
            imported = _import_through_slack(slack, standin, engine, stock_rows)
            time.sleep(1)
            after_import = memory_mb(process.pid)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
            if engine is not None:
                engine.dispose()
            standin.stop()
    out.figures = {
        "idle_mb": idle,
        "loaded_mb": loaded,
        "orders": orders,
        "messages_posted": posted,
        "after_import_mb": after_import,
        "stock_rows": stock_rows,
        "import": imported,
    }
    out.lines = [
        "| `serve` | VmRSS | VmHWM (peak) |",
        "|---|---:|---:|",
        f"| idle, just started | {idle['VmRSS']:.1f} MB | {idle['VmHWM']:.1f} MB |",
        f"| after {orders:,} orders, its sweep posting {posted} messages, {registrations} registrations,"
        f" `/order list` and `/order show` | {loaded['VmRSS']:.1f} MB | {loaded['VmHWM']:.1f} MB |",
        f"| then a {stock_rows:,}-row .xlsx shared in a DM, previewed and imported"
        f" | {after_import['VmRSS']:.1f} MB | {after_import['VmHWM']:.1f} MB |",
        "",
        f"The import through Slack: file_shared event to preview {imported['preview_s']:.2f} s,"
        f" Import click to the last row saved {imported['import_s']:.2f} s,"
        f" {imported['total_s']:.2f} s in all.",
    ]
    if not drained:
        out.notes.append("The sweep had not delivered every queued message within 120 s.")
    out.bar(f"idle RSS < {BAR_MB} MB", idle["VmRSS"] < BAR_MB, f"{idle['VmRSS']:.1f} MB")
    out.bar(
        f"RSS after {orders:,} orders < {BAR_MB} MB", loaded["VmRSS"] < BAR_MB, f"{loaded['VmRSS']:.1f} MB"
    )
    out.bar(
        f"RSS after a {stock_rows:,}-row import < {BAR_MB} MB",
        after_import["VmRSS"] < BAR_MB,
        f"{after_import['VmRSS']:.1f} MB",
    )
    out.bar(f"peak RSS < {BAR_MB} MB", after_import["VmHWM"] < BAR_MB, f"{after_import['VmHWM']:.1f} MB")
    out.bar(
        f"a {stock_rows:,}-row .xlsx imported through Slack in under {BAR_SECONDS:.0f} s",
        imported["total_s"] < BAR_SECONDS,
        f"{imported['total_s']:.2f} s",
    )
    return out
