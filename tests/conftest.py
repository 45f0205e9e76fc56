"""Shared fixtures: a Slack stand-in, a real database, and the real bot behind waitress.

Every test that uses a database (through `engine`, `bot`, `database_url` or `backend`) runs
once on SQLite and once on PostgreSQL, its id saying which: `test_x[sqlite]`, `test_x[postgresql]`.
A test inherently about one backend says so: `@pytest.mark.backend_only("sqlite", reason=...)`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from slack_sdk import WebClient

from bot.app import create_app
from bot.sandbox.driver import SIGNING_SECRET, TOKEN, SlackDriver
from bot.sandbox.standin import SlackStandin
from bot.server import BackgroundServer, make_wsgi_app
from bot.services import Services
from storage.db import make_engine
from tests import pg
from tests.clock import FakeClock
from tests.databases import BACKENDS, Databases
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


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "sqlite: runs on SQLite (deselect with -m 'not sqlite')")
    config.addinivalue_line("markers", "postgresql: runs on PostgreSQL (deselect with -m 'not postgresql')")
    config.addinivalue_line(
        "markers", "backend_only(name, reason): the test is inherently about one database backend"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize `backend` (and so every database fixture) over SQLite and PostgreSQL."""
    if "backend" not in metafunc.fixturenames:
        return
    backends = BACKENDS
    if (only := metafunc.definition.get_closest_marker("backend_only")) is not None:
        if len(only.args) != 1 or only.args[0] not in BACKENDS or not only.kwargs.get("reason"):
            raise pytest.UsageError(
                f"{metafunc.definition.nodeid}: write @pytest.mark.backend_only(one of {BACKENDS},"
                " reason='why the test is about that backend only')"
            )
        backends = only.args
    params = [pytest.param(name, id=name, marks=getattr(pytest.mark, name)) for name in backends]
    metafunc.parametrize("backend", params, indirect=True)


DATABASES = pytest.StashKey[Databases]()


@pytest.fixture(scope="session")
def databases(tmp_path_factory: pytest.TempPathFactory, pytestconfig: pytest.Config) -> Iterator[Databases]:
    factory = pytestconfig.stash[DATABASES] = Databases(tmp_path_factory.mktemp("templates"))
    try:
        yield factory
    finally:
        factory.close()


@pytest.fixture(scope="session")
def backend(request: pytest.FixtureRequest) -> str:
    """`sqlite` or `postgresql`: session-scoped, so pytest runs each backend's tests together."""
    return request.param


@contextmanager
def postgres_or_skip(databases: Databases) -> Iterator[None]:
    try:
        yield
    except pg.PostgresUnavailable as exc:
        pytest.skip(f"PostgreSQL is unreachable, so this [postgresql] test did not run: {exc}")


@pytest.fixture
def database_url(backend: str, databases: Databases, tmp_path) -> Iterator[str]:  # noqa: ANN001
    """A database of this test's own, already at the newest schema."""
    with postgres_or_skip(databases), databases.migrated(backend, tmp_path) as url:
        yield url


@pytest.fixture
def blank_database_url(backend: str, databases: Databases, tmp_path) -> Iterator[str]:  # noqa: ANN001
    """A database of this test's own without any table (for the migrations' tests)."""
    with postgres_or_skip(databases), databases.blank(backend, tmp_path) as url:
        yield url


@pytest.fixture
def engine(database_url: str):  # noqa: ANN201
    engine = make_engine(database_url)
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
def pg_url(databases: Databases, tmp_path) -> Iterator[str]:  # noqa: ANN001
    """A blank PostgreSQL database whatever the backend (prefer `database_url`, which runs on both)."""
    with postgres_or_skip(databases), databases.blank("postgresql", tmp_path) as url:
        yield url


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:  # noqa: ANN001
    databases = config.stash.get(DATABASES, None)
    if databases is not None and databases.pg_unavailable:
        terminalreporter.write_line(
            f"PostgreSQL was unreachable, so the [postgresql] tests were skipped: {databases.pg_unavailable}",
            yellow=True,
            bold=True,
        )
