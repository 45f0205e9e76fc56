"""Served as `serve` serves it (acks before listener work): a listener's follow-up work waits
until no other Slack request is waiting for its ack, then goes on by itself."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.ack_first import AckFirst
from bot.app import create_app
from bot.sandbox.driver import SIGNING_SECRET, TOKEN, SlackDriver
from bot.sandbox.standin import SlackStandin
from bot.server import BackgroundServer, make_wsgi_app
from bot.services import Services
from storage import review_repo
from storage.models import OpenedView
from tests.clock import FakeClock
from tests.conftest import PRODUCTION_A, SALES
from tests.databases import write_lock_held
from tests.e2e.test_review import MONTH, PRODUCTION_NUMBERS, REVIEW
from workflows.config import Config


@pytest.fixture
def acking_bot(standin: SlackStandin, engine, config: Config, clock: FakeClock) -> Iterator[tuple]:  # noqa: ANN001
    svc = Services.build(config, engine, WebClient(token=TOKEN, base_url=standin.url), clock=clock)
    svc.acks = AckFirst(max_wait=30)  # long enough that only an answered request can release it
    app = create_app(svc, signing_secret=SIGNING_SECRET, process_before_response=False)
    server = BackgroundServer(make_wsgi_app(app, svc))
    try:
        yield SlackDriver(server.url, standin), standin, svc
    finally:
        server.stop()
        standin.assert_all_valid()


def test_the_modal_opens_only_after_every_pending_request_is_answered(acking_bot) -> None:  # noqa: ANN001
    slack, standin, svc = acking_bot
    pending = svc.acks.awaiting_answer()  # another request, still being prepared
    pending.__enter__()
    try:
        reply = slack.command(SALES, "new")
        assert reply.status == 200  # our own ack is not held back
        assert not standin.wait_for_arrival("views.open", timeout=0.3), "opened before the other ack"
    finally:
        pending.__exit__(None, None, None)
    assert standin.wait_for_arrival("views.open", timeout=10)
    assert standin.calls_to("views.open")[0].response["ok"]


def test_follow_up_work_goes_on_by_itself_under_steady_traffic(acking_bot) -> None:  # noqa: ANN001
    slack, standin, svc = acking_bot
    svc.acks.max_wait = 0.05
    with svc.acks.awaiting_answer():  # requests keep arriving: the count never reaches zero
        assert slack.command(SALES, "new").status == 200
        assert standin.wait_for_arrival("views.open", timeout=10)


def test_an_event_bolt_acks_on_the_request_thread_is_answered_at_once(acking_bot) -> None:  # noqa: ANN001
    slack, standin, svc = acking_bot
    answered = threading.Event()

    def open_home() -> None:
        assert slack.event({"type": "app_home_opened", "user": SALES, "tab": "home"}).status == 200
        answered.set()

    with svc.acks.awaiting_answer():  # another request still waits for its ack
        threading.Thread(target=open_home, daemon=True).start()
        # Bolt acks events itself on the request's own thread; waiting there would hold the very
        # answer the wait is for (max_wait is 30 s in this fixture).
        assert answered.wait(timeout=5), "the event's answer waited for follow-up work"
    assert standin.wait_for_arrival("views.publish", timeout=10)


def recorded(svc, view: dict) -> bool:  # noqa: ANN001
    """The bot noted the view it opened (just after views.open answered, on the listener's thread)."""
    with svc.session(read_only=True) as session:
        return session.get(OpenedView, view["id"]) is not None


def open_review_form(acking_bot) -> dict:  # noqa: ANN001
    slack, standin, svc = acking_bot
    assert slack.command(PRODUCTION_A, "submit", command="/review", channel=REVIEW).status == 200
    assert standin.wait_for_arrival("views.open", timeout=10)
    view = slack.last_view()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not recorded(svc, view):
        time.sleep(0.02)
    return view


def test_a_review_form_waiting_for_a_briefly_held_lock_is_saved_before_it_is_acknowledged(acking_bot) -> None:  # noqa: ANN001
    slack, _, svc = acking_bot
    view = open_review_form(acking_bot)
    held = threading.Event()

    def other_writer() -> None:  # e.g. the sweep, writing for a moment
        with write_lock_held(svc.engine):
            held.set()
            time.sleep(0.5)

    writer = threading.Thread(target=other_writer)
    writer.start()
    assert held.wait(10)
    reply = slack.submit(PRODUCTION_A, view, PRODUCTION_NUMBERS)
    writer.join()
    assert (reply.status, reply.body) == (200, b"")  # the form closes…
    assert submitted(svc)  # …only once it is saved


def submitted(svc) -> bool:  # noqa: ANN001
    with svc.session(read_only=True) as session:
        return "production" in review_repo.current_submissions(session, MONTH)
