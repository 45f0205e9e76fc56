"""Real `orderloop` processes sharing one database: each message and each due item, exactly once.

Every test starts the CLI as separate OS processes against the Slack stand-in, so claims are
contended by real concurrency (and real crashes), not by threads of one interpreter.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update

from bot.ids import INPUT_ACTION
from bot.sandbox.driver import SIGNING_SECRET, TOKEN, Reply, SlackDriver, sign
from bot.sandbox.standin import SlackStandin
from bot.settings import load_config
from storage.db import create_schema, make_engine, session_scope
from storage.models import ConfirmationRequest, DueItem, OpenedView, Order, OrderEvent, OutboxMessage
from storage.stock_models import StockCount
from tests.e2e.test_socket_mode import order_command
from tests.socket_mode import APP_TOKEN, SocketModeSlack
from workflows.config import Config
from workflows.context import Context
from workflows.inputs import OrderFields
from workflows.orders import register_order

ROOT = Path(__file__).resolve().parents[2]
ORDERS = "C0123ORDERS"
USERGROUPS = {"S02": ["U05", "U06"]}
TEAM_OF = {"production": ["U05", "U06"], "supply": ["U03"]}
WAIT = 60  # seconds; generous, for a loaded 2-core machine
# The stand-in mints message ts from 2023-11-14 22:13:20 UTC on, whatever the time. Real Slack's
# ts is the wall-clock time of the post, never earlier than the moment the message was queued,
# and the metadata look-up relies on that (`oldest` = queued - 60 s); so the story starts here.
T = datetime.fromtimestamp(1_700_000_000, UTC)
CONFIG = """\
timezone = "Asia/Shanghai"
orders_channel = "C0123ORDERS"

[teams]
sales = ["U01"]
production = ["S02"]
supply = ["U03"]
managers = ["U04"]

[sla]
confirm_within_hours = 24
remind_before_hours = 4

[schedule]
sweep_seconds = 5
"""


class Standin(SlackStandin):
    """The stand-in, plus a way to wait until a request has been answered, not just received."""

    def __init__(self, **kw: object) -> None:
        super().__init__(**kw)
        self._answered = threading.Condition()
        self._answers: list[str] = []

    def _handle(self, method, args, bearer):  # noqa: ANN001, ANN202
        try:
            return super()._handle(method, args, bearer)
        finally:
            with self._answered:
                self._answers.append(method)
                self._answered.notify_all()

    def wait_for_answer(self, method: str, count: int = 1, timeout: float = WAIT) -> bool:
        with self._answered:
            return self._answered.wait_for(lambda: self._answers.count(method) >= count, timeout=timeout)


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen
    out: Path
    err: Path

    def wait(self, timeout: float = WAIT) -> int:
        try:
            return self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise AssertionError(f"{self.name} still running after {timeout} s:\n{self.stderr()}") from None

    def succeed(self) -> str:
        """Wait for a clean exit; returns stdout."""
        code = self.wait()
        assert code == 0, f"{self.name} exited {code}:\n{self.stderr()}"
        assert "Traceback" not in self.stderr(), f"{self.name}:\n{self.stderr()}"
        return self.stdout()

    def kill9(self) -> None:
        os.kill(self.popen.pid, signal.SIGKILL)
        assert self.wait() == -signal.SIGKILL

    def stdout(self) -> str:
        return self.out.read_text(encoding="utf-8", errors="replace")

    def stderr(self) -> str:
        return self.err.read_text(encoding="utf-8", errors="replace")


class Processes:
    """Starts `orderloop` commands as child processes; whatever is still running is killed at teardown."""

    def __init__(self, workdir: Path, slack: Standin, config_path: Path) -> None:
        self.workdir, self.slack, self.config_path = workdir, slack, config_path
        self.started: list[Proc] = []
        self._names = itertools.count(1)

    def start(self, *args: str, database_url: str, **env: str) -> Proc:
        name = f"{next(self._names):02d}-{args[0]}"
        out, err = self.workdir / f"{name}.out", self.workdir / f"{name}.err"
        with out.open("wb") as stdout, err.open("wb") as stderr:
            popen = subprocess.Popen(
                [sys.executable, "-c", "from bot.cli import main; main()", *args],
                cwd=ROOT,
                env=self._env(database_url, env),
                stdin=subprocess.DEVNULL,
                stdout=stdout,
                stderr=stderr,
            )
        proc = Proc(f"orderloop {' '.join(args)} [{name}]", popen, out, err)
        self.started.append(proc)
        return proc

    def run_due(self, database_url: str, now: datetime | None = None) -> Proc:
        return self.start("run-due", *(["--now", now.isoformat()] if now else []), database_url=database_url)

    def _env(self, database_url: str, extra: dict[str, str]) -> dict[str, str]:
        ours = ("SLACK_", "ORDERLOOP_", "DATABASE_URL", "PORT")
        env = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
        return env | {
            "SLACK_BOT_TOKEN": TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": self.slack.url,
            "DATABASE_URL": database_url,
            "ORDERLOOP_CONFIG": str(self.config_path),
            "PYTHONUNBUFFERED": "1",
            **extra,
        }

    def stop_all(self) -> None:
        for proc in self.started:
            if proc.popen.poll() is None:
                proc.popen.kill()
        for proc in self.started:
            with contextlib.suppress(subprocess.TimeoutExpired):  # one that ignores SIGKILL: give up
                proc.popen.wait(timeout=WAIT)


class Groups:
    """The directory seeding uses in-process: the same user groups the stand-in serves."""

    def expand(self, member_ids: list[str]) -> set[str]:
        return {user for member in member_ids for user in USERGROUPS.get(member, [member])}


# -- fixtures ------------------------------------------------------------------------------------


@pytest.fixture
def slack() -> Iterator[Standin]:
    with Standin(token=TOKEN, usergroups=USERGROUPS) as server:
        yield server


@pytest.fixture
def config_path(tmp_path: Path) -> Path:
    path = tmp_path / "orderloop.toml"
    path.write_text(CONFIG, encoding="utf-8")
    return path


@pytest.fixture
def config(config_path: Path) -> Config:
    return load_config(config_path)


@pytest.fixture
def procs(tmp_path: Path, slack: Standin, config_path: Path) -> Iterator[Processes]:
    launcher = Processes(tmp_path, slack, config_path)
    try:
        yield launcher
    finally:
        launcher.stop_all()


# -- helpers -------------------------------------------------------------------------------------


def seed_orders(url: str, config: Config, count: int, now: datetime) -> list[int]:
    """Register orders as of `now`; their card and request posts are queued, not yet delivered."""
    engine = make_engine(url)
    create_schema(engine)
    ids = []
    try:
        for i in range(count):
            with session_scope(engine) as session:
                fields = OrderFields(
                    customer=f"Customer {i + 1}",
                    product="GBX-100",
                    quantity=100 + i,
                    requested_date=now.date() + timedelta(days=30),
                    specification="Hardened steel",
                )
                ctx = Context(config=config, directory=Groups(), now=now)
                ids.append(register_order(session, ctx, actor="U01", fields=fields).id)
    finally:
        engine.dispose()
    return ids


def expire_claims(url: str) -> None:
    """Age every outbox claim past its end, as the real clock would after CLAIM_SECONDS."""
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            past = datetime.now(UTC) - timedelta(seconds=1)
            session.execute(
                update(OutboxMessage)
                .where(OutboxMessage.claimed_until.is_not(None))
                .values(claimed_until=past)
            )
    finally:
        engine.dispose()


def query(url: str, model: type) -> list:
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            return list(session.execute(select(model)).scalars())
    finally:
        engine.dispose()


def posts_by_key(slack: Standin) -> Counter[str]:
    """How often each key was posted; every post must have succeeded and no key may repeat."""
    calls = slack.calls_to("chat.postMessage")
    assert all(c.response.get("ok") for c in calls), [c.response for c in calls if not c.response.get("ok")]
    posted = Counter(c.args["metadata"]["event_payload"]["key"] for c in calls)
    assert [key for key, n in posted.items() if n > 1] == [], posted.most_common(5)
    return posted


def about_orders(posted: Counter[str]) -> set[str]:
    """Keys of order cards, their threads and request DMs (not digests or reviews, say)."""
    return {k for k in posted if k.startswith("order:") or (k.startswith("dm:") and ":request:" in k)}


def request_items(url: str) -> dict[str, DueItem]:
    return {d.key: d for d in query(url, DueItem) if d.kind.startswith("request.")}


def outcome_keys(*outputs: str) -> Counter[str]:
    """Due-item keys named in `run-due` output lines ("request:7:remind: sent: …")."""
    return Counter(
        line.split(": ", 1)[0] for out in outputs for line in out.splitlines() if line.startswith("request:")
    )


def opening_keys(order_ids: list[int]) -> set[str]:
    return {f"order:{i}:{what}" for i in order_ids for what in ("card", "r1:production", "r1:supply")}


def reminder_keys(requests: list[ConfirmationRequest]) -> set[str]:
    keys = {f"order:{r.order_id}:request:{r.id}:reminder" for r in requests}
    return keys | {f"dm:{user}:request:{r.id}:reminder" for r in requests for user in TEAM_OF[r.team]}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def saved_submissions(database_url: str, *, applied: bool | None = None) -> list[str]:
    """The customers of new-order forms saved as submitted (applied or not, or only those)."""
    found = []
    for view in query(database_url, OpenedView):
        if view.submitted_values is None or (
            applied is not None and (view.applied_at is not None) != applied
        ):
            continue
        found.append(json.loads(view.submitted_values)["customer"][INPUT_ACTION]["value"])
    return found


def wait_until_healthy(proc: Proc, port: int) -> None:
    """Start-up only: short connect attempts, each pause a bounded wait on the process exiting."""
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        try:
            code = proc.popen.wait(timeout=0.1)
        except subprocess.TimeoutExpired:
            continue
        raise AssertionError(f"{proc.name} exited {code} before serving:\n{proc.stderr()}")
    raise AssertionError(f"{proc.name} not healthy after {WAIT} s:\n{proc.stderr()}")


# -- several run-due processes ----------------------------------------------------------------------


def test_concurrent_run_due_processes_send_each_message_and_do_each_due_item_once(
    database_url: str, config: Config, procs: Processes, slack: Standin
) -> None:
    order_ids = seed_orders(database_url, config, 30, T)
    requests = query(database_url, ConfirmationRequest)
    assert len(requests) == 60

    outputs = [p.succeed() for p in [procs.run_due(database_url, T + timedelta(hours=20)) for _ in range(3)]]

    expected = opening_keys(order_ids) | reminder_keys(requests)
    assert len(expected) == 30 * 3 + 60 + 90
    assert about_orders(posts_by_key(slack)) == expected
    assert outcome_keys(*outputs) == Counter({f"request:{r.id}:remind": 1 for r in requests})
    due = request_items(database_url)
    assert all(due[f"request:{r.id}:remind"].done_at == T + timedelta(hours=20) for r in requests)
    assert all(due[f"request:{r.id}:escalate"].done_at is None for r in requests)

    outputs = [p.succeed() for p in [procs.run_due(database_url, T + timedelta(hours=24)) for _ in range(3)]]

    escalations = {f"order:{r.order_id}:request:{r.id}:escalation" for r in requests}
    assert about_orders(posts_by_key(slack)) == expected | escalations
    assert outcome_keys(*outputs) == Counter({f"request:{r.id}:escalate": 1 for r in requests})
    assert all(d.done_at is not None for d in request_items(database_url).values())
    breaches = [e for e in query(database_url, OrderEvent) if e.kind.endswith("_breached")]
    assert sorted(e.data["request_id"] for e in breaches) == sorted(r.id for r in requests)
    assert all(m.sent_at is not None for m in query(database_url, OutboxMessage))
    slack.assert_all_valid()


# -- serve and run-due on one database -------------------------------------------------------------


def open_order_form(driver: SlackDriver, url: str, user: str = "U01") -> dict:
    """`/order new` as a person types it; the modal once `serve` has opened and noted it."""
    trigger = driver.next_trigger()
    reply = driver.command(user, "new", trigger_id=trigger)
    assert reply.status == 200, reply.body
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:  # a person takes seconds to fill it in; we take less
        view = driver.opened_view(trigger)
        if view is not None and any(v.view_id == view["id"] for v in query(url, OpenedView)):
            return view
        time.sleep(0.02)
    raise AssertionError(f"the form for {trigger} was not opened and noted within {WAIT} s")


def submit_orders(
    driver: SlackDriver, url: str, stop: threading.Event, *, least: int, most: int
) -> list[Reply]:
    """Submit /order modals from three threads: at least `least`, then until `stop` (at most `most`)."""
    numbers, lock, replies = itertools.count(1), threading.Lock(), []
    requested = (date.today() + timedelta(days=60)).isoformat()

    def submitter() -> None:
        while True:
            with lock:
                n = next(numbers)
                if n > most or (n > least and stop.is_set()):
                    return
            values = {
                "customer": f"Customer {n}",
                "product": "GBX-100",
                "quantity": str(n),
                "requested_date": requested,
                "specification": "Hardened steel",
            }
            try:
                reply = driver.submit("U01", open_order_form(driver, url), values)
            except OSError as exc:  # reported with the replies: no answer at all is a failure too
                reply = Reply(0, repr(exc).encode())
            with lock:
                replies.append(reply)

    threads = [threading.Thread(target=submitter, name=f"submitter-{i}") for i in range(3)]
    for thread in threads:
        thread.start()
    stop.wait()
    for thread in threads:
        thread.join(timeout=WAIT)
    assert not any(t.is_alive() for t in threads), "a submission hung"
    return replies


def test_serve_and_run_due_processes_share_a_database_without_lock_errors_or_double_posts(
    database_url: str, procs: Processes, slack: Standin
) -> None:
    port = free_port()
    serve = procs.start("serve", database_url=database_url, PORT=str(port))
    wait_until_healthy(serve, port)
    stop, replies = threading.Event(), []
    submitting = threading.Thread(
        target=lambda: replies.extend(
            submit_orders(
                SlackDriver(f"http://127.0.0.1:{port}", slack), database_url, stop, least=15, most=150
            )
        )
    )
    submitting.start()
    try:
        for _ in range(2):  # rounds of two run-due processes, while orders keep arriving
            for proc in [procs.run_due(database_url) for _ in range(2)]:
                proc.succeed()
    finally:
        stop.set()
        submitting.join(timeout=WAIT)

    assert len(replies) >= 15
    assert [(r.status, r.body) for r in replies if r.status != 200 or r.body not in (b"", b"{}")] == []
    assert slack.wait_for_arrival("chat.postMessage", 3 * len(replies), timeout=WAIT)
    serve.popen.send_signal(signal.SIGTERM)  # graceful: listener threads finish recording what they sent
    assert serve.wait() == 0, serve.stderr()

    order_ids = [o.id for o in query(database_url, Order)]
    assert len(order_ids) == len(replies)
    assert about_orders(posts_by_key(slack)) == opening_keys(order_ids)
    assert all(m.sent_at is not None for m in query(database_url, OutboxMessage))
    for proc in procs.started:
        assert "database is locked" not in proc.stderr(), f"{proc.name}:\n{proc.stderr()}"
        assert "Traceback" not in proc.stderr(), f"{proc.name}:\n{proc.stderr()}"
    slack.assert_all_valid()


# -- kill -9 -----------------------------------------------------------------------------------------


def test_a_card_post_cut_off_by_kill_9_is_found_by_its_metadata_and_the_thread_follows_once_in_order(
    database_url: str, config: Config, procs: Processes, slack: Standin
) -> None:
    (order_id,) = seed_orders(database_url, config, 1, T)
    slack.delay = 3
    crashed = procs.run_due(database_url, T)
    assert slack.wait_for_arrival("chat.postMessage", 1, timeout=WAIT), crashed.stderr()
    crashed.kill9()  # while Slack is still posting the card
    assert slack.wait_for_answer("chat.postMessage", 1), "Slack did not finish the post"
    assert [m.metadata["event_payload"]["key"] for m in slack.messages()] == [f"order:{order_id}:card"]
    slack.delay = 0
    expire_claims(database_url)  # the dead process's claim runs out (120 s of real time, not waited for)

    procs.run_due(database_url, T + timedelta(minutes=5)).succeed()

    assert about_orders(posts_by_key(slack)) == opening_keys([order_id])
    assert len(slack.calls_to("conversations.history")) == 1  # it looked before posting again
    card, *replies = slack.messages()
    assert card.channel == ORDERS and card.thread_ts is None
    assert [(m.thread_ts, m.metadata["event_payload"]["key"]) for m in replies] == [
        (card.ts, f"order:{order_id}:r1:production"),
        (card.ts, f"order:{order_id}:r1:supply"),
    ]
    slack.assert_all_valid()


def test_a_run_due_killed_before_its_transaction_leaves_due_items_for_the_next_run_to_do_once(
    database_url: str, config: Config, procs: Processes, slack: Standin
) -> None:
    seed_orders(database_url, config, 1, T)
    procs.run_due(database_url, T).succeed()  # the card and its thread are in Slack
    lookups = len(slack.calls_to("usergroups.users.list"))
    slack.delay = 3
    crashed = procs.run_due(database_url, T + timedelta(hours=20))
    # user groups are read before the due-item transaction opens
    assert slack.wait_for_arrival("usergroups.users.list", lookups + 1, timeout=WAIT), crashed.stderr()
    crashed.kill9()
    assert [d.done_at for d in request_items(database_url).values()] == [None] * 4
    slack.delay = 0
    before = posts_by_key(slack)

    out = procs.run_due(database_url, T + timedelta(hours=20)).succeed()

    requests = query(database_url, ConfirmationRequest)
    assert outcome_keys(out) == Counter({f"request:{r.id}:remind": 1 for r in requests})
    assert about_orders(posts_by_key(slack) - before) == reminder_keys(requests)
    assert sorted((d.kind, d.done_at is not None) for d in request_items(database_url).values()) == [
        ("request.escalate", False),
        ("request.escalate", False),
        ("request.remind", True),
        ("request.remind", True),
    ]
    slack.assert_all_valid()


def test_every_form_answered_200_survives_a_kill_9_of_serve_and_none_is_half_saved(
    database_url: str, procs: Processes, slack: Standin
) -> None:
    port = free_port()
    serve = procs.start("serve", database_url=database_url, PORT=str(port))
    wait_until_healthy(serve, port)
    driver = SlackDriver(f"http://127.0.0.1:{port}", slack)
    forms = [open_order_form(driver, database_url) for _ in range(12)]
    requested = (date.today() + timedelta(days=60)).isoformat()
    replies: dict[str, Reply] = {}
    lock, answered = threading.Lock(), threading.Condition()

    def submit(n: int, view: dict) -> None:
        values = {"customer": f"Kill {n}", "product": "GBX-100", "quantity": str(n + 1)}
        try:
            reply = driver.submit(
                "U01", view, values | {"requested_date": requested, "specification": "Hardened steel"}
            )
        except OSError as exc:  # the server died under this request: a dropped connection
            reply = Reply(0, repr(exc).encode())
        with lock:
            replies[f"Kill {n}"] = reply
        with answered:
            answered.notify_all()

    threads = [threading.Thread(target=submit, args=(n, v)) for n, v in enumerate(forms)]
    for t in threads:
        t.start()
    with answered:  # kill between receiving and answering: some answered, some in flight
        assert answered.wait_for(lambda: len(replies) >= 3, timeout=WAIT)
    serve.kill9()
    for t in threads:
        t.join(timeout=WAIT)

    saved = {o.customer: o for o in query(database_url, Order)}
    acked = {c for c, r in replies.items() if r.status == 200 and r.body in (b"", b"{}")}
    # a new order is saved before its ack as what was submitted (bot.forms, after_ack) and
    # written from that: at the kill, each acked form is an order or a saved submission
    submitted = set(saved_submissions(database_url))
    assert acked and acked <= set(saved) | submitted, (acked - set(saved) - submitted, replies)
    not_acked = set(replies) - acked
    assert not_acked, "the kill came after every answer: nothing was tested in flight"
    requests = Counter(r.order_id for r in query(database_url, ConfirmationRequest))
    queued = Counter(m.stream for m in query(database_url, OutboxMessage))
    for order in saved.values():  # whatever was written, was written whole
        assert requests[order.id] == 2 and queued[f"order:{order.id}"] >= 3, order.customer

    restarted = procs.start("serve", database_url=database_url, PORT=str(port))
    wait_until_healthy(restarted, port)  # start-up writes the saved submissions before serving
    after = Counter(o.customer for o in query(database_url, Order))
    assert acked <= set(after), (acked - set(after), restarted.stderr())
    assert [c for c, n in after.items() if n > 1] == [], after  # none written twice
    requests = Counter(r.order_id for r in query(database_url, ConfirmationRequest))
    queued = Counter(m.stream for m in query(database_url, OutboxMessage))
    for order in query(database_url, Order):  # written whole from its saved submission too
        assert requests[order.id] == 2 and queued[f"order:{order.id}"] >= 3, order.customer
    assert saved_submissions(database_url, applied=False) == []


# -- Socket Mode: Slack over the socket, /healthz and the ERP API over HTTP ------------------------

ERP_TOKEN = "erp-secret-token-0123456789"
ALLOY = '[[materials]]\ncode = "ALLOY-A"\nname = "Alloy A"\nunit = "kg"\n'


def _http(url: str, body: bytes | None = None, headers: dict | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(url, data=body, method="POST" if body is not None else "GET")
    for key, value in (headers or {}).items():
        request.add_header(key, value)
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def test_serve_in_socket_mode_serves_the_api_and_healthz_over_http_but_no_slack_requests(
    database_url: str, procs: Processes, slack: Standin, tmp_path: Path
) -> None:
    config = tmp_path / "socket.toml"
    config.write_text(CONFIG + ALLOY, encoding="utf-8")
    port = free_port()
    with SocketModeSlack(slack) as socket_slack:
        serve = procs.start(
            "serve",
            database_url=database_url,
            PORT=str(port),
            SLACK_APP_TOKEN=APP_TOKEN,
            ORDERLOOP_API_TOKEN=ERP_TOKEN,
            ORDERLOOP_CONFIG=str(config),
        )
        wait_until_healthy(serve, port)
        base = f"http://127.0.0.1:{port}"
        rows = json.dumps([{"item": "ALLOY-A", "date": "2026-11-30", "quantity": 2050}]).encode()
        bearer = {"Authorization": f"Bearer {ERP_TOKEN}", "Content-Type": "application/json"}
        status, body = _http(f"{base}/api/v1/stock", rows, bearer)
        assert status == 200, body
        assert [(c.item, c.quantity) for c in query(database_url, StockCount)] == [("ALLOY-A", 2050)]
        assert _http(f"{base}/api/v1/stock", rows, {"Content-Type": "application/json"})[0] == 401
        # Slack's requests come over the socket only: a signed HTTP request finds nothing
        body = b"command=%2Forder&text=list&user_id=U01"
        stamp = str(int(time.time()))
        signed = {
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": sign(body, int(stamp)),
            "Content-Type": "application/x-www-form-urlencoded",
        }
        assert _http(f"{base}/slack/events", body, signed)[0] == 404
        # and the socket works: a command delivered over it is answered in its ack
        ack = socket_slack.deliver("slash_commands", order_command("help"))
        assert "/order new" in ack["payload"]["text"]
    serve.popen.terminate()
    serve.wait()
