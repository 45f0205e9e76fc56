"""Shared benchmark plumbing: config, servers served the production way, signed load, percentiles.

Load is generated in a separate process (Slack is remote: its client threads must not share the
server's interpreter lock), and every request is signed just before it is sent. Servers compared
with each other run each in its own process too (ServerProcess), as `serve` does: one server's
listener work (a write, a delivery) must not hold the interpreter lock while another is measured.
"""

from __future__ import annotations

import dataclasses
import gc
import json
import logging
import math
import platform
import re
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from threading import Barrier
from urllib.parse import urlencode

from slack_bolt import App
from slack_sdk import WebClient

from bot.ack_first import AckFirst
from bot.app import create_app
from bot.sandbox.driver import SIGNING_SECRET, TOKEN, sign
from bot.sandbox.standin import SlackStandin
from bot.server import BackgroundServer, make_wsgi_app
from bot.services import Services
from storage.db import create_schema, make_engine
from workflows.config import Config

SALES, PRODUCTION_A, PRODUCTION_B, SUPPLY, MANAGER = "U01", "U05", "U06", "U03", "U04"
PRODUCTION_GROUP = "S02"
ORDERS = "C0123ORDERS"
REVIEW = "C0123REVIEW"
# `orderloop serve` builds its waitress server with make_http_server's default thread count.
SERVE_THREADS = 16

CONFIG_TOML = f"""\
timezone = "Asia/Shanghai"
orders_channel = "{ORDERS}"
review_channel = "{REVIEW}"
[teams]
sales = ["{SALES}"]
production = ["{PRODUCTION_GROUP}"]
supply = ["{SUPPLY}"]
managers = ["{MANAGER}"]
[sla]
confirm_within_hours = 24
remind_before_hours = 4
[review]
core_products = ["GBX-100", "MTR-7"]
"""


def quiet_logs() -> None:
    """What a benchmark prints: warnings, without the ones a burst provokes on purpose."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)  # "Task queue depth" under a burst
    logging.getLogger("slack_bolt").setLevel(logging.ERROR)  # the probe's deliberate missed acks


def make_config() -> Config:
    import tomllib

    return Config.model_validate(tomllib.loads(CONFIG_TOML))


def machine() -> str:
    cpus = len(_allowed_cpus()) or "?"
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = re.sub(r"\s+", " ", line.split(":", 1)[1].strip())
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
        mem = f", {kb / 1024 / 1024:.0f} GB RAM"
    except (OSError, AttributeError):
        pass
    system = f"{platform.system()} {platform.release()}"
    return f"{cpus} CPU ({model}){mem}, {system}, Python {platform.python_version()}"


def _allowed_cpus() -> set[int]:
    import os

    return os.sched_getaffinity(0) if hasattr(os, "sched_getaffinity") else set(range(os.cpu_count() or 1))


# -- figures ------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile (p in 0..100): p99 of 50 samples is the slowest but none."""
    if not values:
        raise ValueError("no values")
    ordered = sorted(values)
    rank = max(1, math.ceil(p / 100 * len(ordered)))
    return ordered[rank - 1]


def summary(values: list[float]) -> dict[str, float]:
    return {
        "n": len(values),
        "p50": percentile(values, 50),
        "p99": percentile(values, 99),
        "max": max(values),
    }


@dataclass
class Bar:
    name: str
    passed: bool
    detail: str


@dataclass
class Outcome:
    """What one benchmark measured (figures, markdown lines) and the bars it checked."""

    name: str
    figures: dict = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)
    bars: list[Bar] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def bar(self, name: str, passed: bool, detail: str) -> None:
        self.bars.append(Bar(name, passed, detail))


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


# -- servers ------------------------------------------------------------------------------


def start_standin() -> SlackStandin:
    return SlackStandin(token=TOKEN, usergroups={PRODUCTION_GROUP: [PRODUCTION_A, PRODUCTION_B]}).start()


_STANDIN: SlackStandin | None = None  # the stand-in living in a RemoteStandin's child process


def _remote_start() -> str:
    global _STANDIN
    _STANDIN = start_standin()
    return _STANDIN.url


def _remote_count(method: str) -> int:
    return len(_STANDIN.calls_to(method))


def _remote_arrivals(method: str) -> dict[str, float]:
    return {c.args.get("trigger_id", ""): c.arrived_at for c in _STANDIN.calls_to(method)}


def _remote_set_delay(seconds: float) -> None:
    _STANDIN.delay = seconds


def _remote_invalid() -> list[str]:
    return [f"{c.method}: {c.response}" for c in _STANDIN.invalid]


class RemoteStandin:
    """The Slack stand-in in its own process: like real Slack, its work (JSON, Block Kit
    validation) does not compete with the bot for the interpreter lock."""

    def __init__(self) -> None:
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))
        self.url = self._pool.submit(_remote_start).result()

    def response_url(self, name: str = "r") -> str:
        return self.url.removesuffix("/api/") + f"/response/{name}"

    def count(self, method: str) -> int:
        return self._pool.submit(_remote_count, method).result()

    def arrivals(self, method: str) -> dict[str, float]:
        """When each call of `method` reached Slack (time.time()), by its trigger_id."""
        return self._pool.submit(_remote_arrivals, method).result()

    def set_delay(self, seconds: float) -> None:
        self._pool.submit(_remote_set_delay, seconds).result()

    def invalid(self) -> list[str]:
        return self._pool.submit(_remote_invalid).result()

    def stop(self) -> None:
        self._pool.shutdown(cancel_futures=True)


def build_services(
    db_path: Path, standin: SlackStandin | RemoteStandin | str, config: Config | None = None
) -> Services:
    """`standin`: the stand-in, or its Web API URL."""
    engine = make_engine(f"sqlite:///{db_path}")
    create_schema(engine)
    url = standin if isinstance(standin, str) else standin.url
    client = WebClient(token=TOKEN, base_url=url, timeout=10)  # as bot.runtime builds it
    return Services.build(config or make_config(), engine, client)


@contextmanager
def real_server(svc: Services, *, ack_first: bool = True) -> Iterator[BackgroundServer]:
    """The real app, acking first (process_before_response=False), on waitress like `serve`.

    `ack_first=False` lets listeners' follow-up work start as soon as their own ack is set
    (an AckFirst that never waits): the comparison that shows what bot.ack_first buys.
    """
    if not ack_first:
        svc = dataclasses.replace(svc, acks=AckFirst(max_wait=0))
    app = create_app(svc, signing_secret=SIGNING_SECRET, process_before_response=False)
    server = BackgroundServer(make_wsgi_app(app, svc), threads=SERVE_THREADS)
    try:
        yield server
    finally:
        server.stop()


def _bare_app(svc: Services, on_view) -> App:  # noqa: ANN001
    """A Bolt app whose command and action listeners only ack(), and whose form listener is
    `on_view(ack, body, view)`."""
    app = App(
        client=svc.client,
        signing_secret=SIGNING_SECRET,
        process_before_response=False,
        token_verification_enabled=False,
    )
    app.command(re.compile(".*"))(lambda ack: ack())
    app.action(re.compile(".*"))(lambda ack: ack())
    app.view(re.compile(".*"))(on_view)
    return app


@contextmanager
def _served(svc: Services, app: App) -> Iterator[BackgroundServer]:
    server = BackgroundServer(make_wsgi_app(app, svc), threads=SERVE_THREADS)
    try:
        yield server
    finally:
        server.stop()


def bare_server(svc: Services):  # noqa: ANN201
    """A bare Bolt app whose listeners only ack(), served exactly like the real one."""
    return _served(svc, _bare_app(svc, lambda ack: ack()))


FLOOR_TABLE = "bench_saved_forms"


def floor_server(svc: Services):  # noqa: ANN201
    """A bare Bolt app that saves each submitted form as one row before its ack (commands and
    clicks only ack()): the least a "saved before its ack" listener can do on the same database
    (WAL, synchronous=NORMAL, as storage.db sets it), served like the real one. Not OrderLoop;
    the floor under the real app's cost of saving."""
    with svc.engine.begin() as conn:
        conn.exec_driver_sql(
            f"CREATE TABLE IF NOT EXISTS {FLOOR_TABLE} (view_id TEXT PRIMARY KEY, user_id TEXT, state TEXT)"
        )

    def save_then_ack(ack, body, view) -> None:  # noqa: ANN001
        with svc.engine.begin() as conn:
            conn.exec_driver_sql(
                f"INSERT INTO {FLOOR_TABLE} VALUES (?, ?, ?)",
                (view["id"], body["user"]["id"], json.dumps(view["state"])),
            )
        ack()

    return _served(svc, _bare_app(svc, save_then_ack))


_SERVED: tuple[Services, BackgroundServer, object] | None = None  # in a ServerProcess's child


def _child_serve(app: str, db_path: str, standin_url: str) -> str:
    """In the child: build the services and the server as `serve` does, then freeze the start-up
    heap as `serve` does once it is up."""
    global _SERVED
    from bot.server import freeze_startup_heap

    quiet_logs()
    svc = build_services(Path(db_path), standin_url)
    servers = {
        "bare": bare_server,
        "floor": floor_server,
        "real": real_server,
        "eager": lambda s: real_server(s, ack_first=False),
    }
    context = servers[app](svc)
    server = context.__enter__()
    _SERVED = (svc, server, context)
    freeze_startup_heap()
    return server.url


def _child_stop() -> None:
    svc, _, context = _SERVED
    context.__exit__(None, None, None)
    svc.engine.dispose()


def _child_call(fn, *args):  # noqa: ANN001, ANN002, ANN202
    return fn(_SERVED[0], *args)


class ServerProcess:
    """One app under test (`bare`, `floor`, `real` or `eager`, as bare_server, floor_server and
    real_server build them)
    served by waitress in a process of its own, on the database file `db_path`."""

    def __init__(self, app: str, db_path: Path, standin: RemoteStandin) -> None:
        self.app = app
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))
        self.url = self._pool.submit(_child_serve, app, str(db_path), standin.url).result()

    def call(self, fn, *args):  # noqa: ANN001, ANN002, ANN204
        """fn(services, *args) in the server's process (a module-level function); its result."""
        return self._pool.submit(_child_call, fn, *args).result()

    def stop(self) -> None:
        try:
            self._pool.submit(_child_stop).result(timeout=30)
        finally:
            self._pool.shutdown(cancel_futures=True)

    def __enter__(self) -> ServerProcess:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# -- Slack's side: signed request bodies, fired concurrently from another process ------------


def command_body(standin: SlackStandin | RemoteStandin, user: str, text: str, n: int) -> bytes:
    fields = {
        "token": "legacy",
        "team_id": "T0001",
        "team_domain": "acme",
        "channel_id": ORDERS,
        "channel_name": "orders",
        "user_id": user,
        "user_name": user.lower(),
        "command": "/order",
        "text": text,
        "api_app_id": "A0001",
        "response_url": standin.response_url(f"cmd-{n}"),
        "trigger_id": f"bench-cmd-{n}",
    }
    return urlencode(fields).encode()


def click_body(standin: SlackStandin | RemoteStandin, user: str, action_id: str, value: str, n: int) -> bytes:
    payload = {
        "type": "block_actions",
        "team": {"id": "T0001", "domain": "acme"},
        "user": {"id": user, "username": user.lower(), "team_id": "T0001"},
        "api_app_id": "A0001",
        "trigger_id": f"bench-act-{n}",
        "container": {"type": "message", "message_ts": "1.0", "channel_id": ORDERS},
        "channel": {"id": ORDERS, "name": "orders"},
        "message": {"type": "message", "ts": "1.0", "text": ""},
        "response_url": standin.response_url(f"act-{n}"),
        "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value}],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()


def _post(url: str, body: bytes) -> tuple[int, float, bytes]:
    ts = int(time.time())
    request = urllib.request.Request(
        url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": str(ts),
            "X-Slack-Signature": sign(body, ts),
        },
    )
    start = time.perf_counter()
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = response.read()
            status = response.status
    except urllib.error.HTTPError as exc:
        status, answer = exc.code, b""
    return status, time.perf_counter() - start, answer


def _fire(url: str, bodies: list[bytes]) -> list[tuple[int, float, bytes]]:
    """Send all bodies at once (one thread each, released together); (status, seconds, the
    answer's body) per request.

    The generator's own garbage collection is held off during a burst: a collection pausing the
    client threads would be counted against whichever server happened to be measured then.
    """
    barrier = Barrier(len(bodies))

    def one(body: bytes) -> tuple[int, float, bytes]:
        barrier.wait()
        return _post(url, body)

    gc.collect()
    gc.disable()
    try:
        with ThreadPoolExecutor(max_workers=len(bodies)) as pool:
            return list(pool.map(one, bodies))
    finally:
        gc.enable()


class LoadGenerator:
    """Plays Slack from a child process, so client threads never compete with the server for the GIL."""

    def __init__(self) -> None:
        self._pool = ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn"))

    def fire(self, base_url: str, bodies: list[bytes]) -> list[tuple[int, float, bytes]]:
        return self._pool.submit(_fire, base_url.rstrip("/") + "/slack/events", bodies).result()

    def close(self) -> None:
        self._pool.shutdown()

    def __enter__(self) -> LoadGenerator:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def wait_until(predicate, timeout: float = 60, step: float = 0.02) -> bool:  # noqa: ANN001
    """Poll `predicate` (for listener work that runs after the ack) until true or timed out."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(step)
    return predicate()
