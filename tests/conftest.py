"""Shared fixtures: a Slack stand-in, a real SQLite file, and the real bot behind waitress."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from slack_sdk import WebClient

from bot.app import create_app
from bot.driver import SIGNING_SECRET, TOKEN, FakeClock, SlackDriver
from bot.server import BackgroundServer, make_wsgi_app
from bot.services import Services
from bot.standin import SlackStandin
from storage.db import create_schema, make_engine
from tests import pg
from workflows.config import Config

SALES, PRODUCTION_A, PRODUCTION_B, SUPPLY, MANAGER, OUTSIDER = "U01", "U05", "U06", "U03", "U04", "U99"
ORDERS = "C0123ORDERS"


def make_config(**overrides: object) -> Config:
    raw = {
        "timezone": "Asia/Shanghai",
        "orders_channel": ORDERS,
        "review_channel": "C0123REVIEW",
        "teams": {"sales": [SALES], "production": ["S02"], "supply": [SUPPLY], "managers": [MANAGER]},
        "sla": {"confirm_within_hours": 24, "remind_before_hours": 4},
        "review": {"core_products": ["GBX-100", "MTR-7"]},
    }
    raw.update(overrides)
    return Config.model_validate(raw)


@pytest.fixture
def config() -> Config:
    return make_config()


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def standin(clock: FakeClock) -> Iterator[SlackStandin]:
    slack_clock = lambda: clock.now.timestamp()  # noqa: E731  (Slack's ts follow the test's time)
    with SlackStandin(
        token=TOKEN, usergroups={"S02": [PRODUCTION_A, PRODUCTION_B]}, clock=slack_clock
    ) as server:
        yield server


@pytest.fixture
def engine(tmp_path):  # noqa: ANN001, ANN201
    engine = make_engine(f"sqlite:///{tmp_path / 'orderloop.db'}")
    create_schema(engine)
    yield engine
    engine.dispose()


@dataclass
class Bot:
    slack: SlackDriver
    standin: SlackStandin
    svc: Services
    clock: FakeClock


@pytest.fixture
def bot(standin: SlackStandin, engine, config: Config, clock: FakeClock) -> Iterator[Bot]:  # noqa: ANN001
    client = WebClient(token=TOKEN, base_url=standin.url)
    svc = Services.build(config, engine, client, clock=clock)
    # process_before_response: the listener finishes before the HTTP answer, so a test sees
    # every Slack call its request caused without waiting. Production acks first.
    app = create_app(svc, signing_secret=SIGNING_SECRET, process_before_response=True)
    server = BackgroundServer(make_wsgi_app(app, svc))
    try:
        yield Bot(SlackDriver(server.url, standin), standin, svc, clock)
    finally:
        server.stop()
        standin.assert_all_valid()


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh PostgreSQL database (dropped afterwards); the test is skipped if no server can be had."""
    database = pg.temporary_database()
    try:
        url = database.__enter__()
    except pg.PostgresUnavailable as exc:
        pytest.skip(f"no PostgreSQL server could be reached or started: {exc}")
    try:
        yield url
    finally:
        database.__exit__(None, None, None)
