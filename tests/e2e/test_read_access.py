"""Only the teams (and teams.viewers) read orders, plans and KPIs; viewers read and act on nothing.

Everyone else gets one ephemeral sentence saying how to get access, and sees none of the data.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.app import create_app
from bot.sandbox.driver import SIGNING_SECRET, TOKEN, SlackDriver
from bot.sandbox.standin import SlackStandin
from bot.server import BackgroundServer, make_wsgi_app
from bot.services import Services
from tests.clock import FakeClock
from tests.conftest import MANAGER, OUTSIDER, PRODUCTION_A, PRODUCTION_B, SALES, SUPPLY, make_config
from tests.e2e.test_kpi_home import block_text, open_home
from tests.helpers import find, register, snapshot, thread, views_opened
from tests.unit.test_digest import add_order
from workflows.config import Config

VIEWER, GROUP_VIEWER = "U07", "U08"  # listed by ID; a member of the viewers' user group S09
TEAMS = {
    "sales": [SALES],
    "production": ["S02"],
    "supply": [SUPPLY],
    "managers": [MANAGER],
    "viewers": [VIEWER, "S09"],
}
GROUPS = {"S02": [PRODUCTION_A, PRODUCTION_B], "S09": [GROUP_VIEWER]}
REFUSAL = "ask an admin to add you to one of those teams, or to `teams.viewers`"
READS = [
    ("/order", "list"),
    ("/order", "show CO-0001"),
    ("/kpi", ""),
    ("/review", "agenda"),
    ("/review", "plan"),
]


@pytest.fixture
def config() -> Config:
    return make_config(teams=TEAMS)


@pytest.fixture
def standin(clock: FakeClock) -> Iterator[SlackStandin]:
    with SlackStandin(token=TOKEN, usergroups=GROUPS, clock=lambda: clock.now.timestamp()) as server:
        yield server


def warm_groups(bot) -> None:  # noqa: ANN001
    """What any team write does first: the user groups are known for the next five minutes."""
    bot.svc.directory.expand(sorted(GROUPS))


def answer(bot, user: str, command: str, text: str) -> str:  # noqa: ANN001
    """The words of a read's answer, wherever it came (on the ack, or on the response_url)."""
    answered = len(bot.standin.responses())
    reply = bot.slack.command(user, text, command=command)
    assert reply.status == 200, reply.body
    later = [c.args for c in bot.standin.responses()[answered:]]
    assert bool(reply.body) != bool(later), (reply.body, later)  # exactly one answer
    body = reply.json() if reply.body else later[0]
    assert body.get("response_type", "ephemeral") == "ephemeral"
    return body.get("text", "") + "\n" + block_text(body)


@pytest.mark.parametrize(("command", "text"), READS)
@pytest.mark.parametrize("user", [SALES, PRODUCTION_A, SUPPLY, MANAGER, VIEWER, GROUP_VIEWER])
def test_team_members_and_viewers_read(bot, user, command, text) -> None:  # noqa: ANN001
    register(bot, customer="Orion Castings")
    warm_groups(bot)
    said = answer(bot, user, command, text)
    assert REFUSAL not in said
    if text in ("list", "show CO-0001"):
        assert "Orion Castings" in said


@pytest.mark.parametrize(("command", "text"), READS)
def test_someone_on_no_team_is_told_how_to_get_access_and_sees_no_order(bot, command, text) -> None:  # noqa: ANN001
    register(bot, customer="Orion Castings")
    warm_groups(bot)
    said = answer(bot, OUTSIDER, command, text)
    assert REFUSAL in said and "Orion Castings" not in said and "CO-0001" not in said


@pytest.mark.parametrize("cold", [False, True])
def test_help_stays_open_to_everyone(bot, cold) -> None:  # noqa: ANN001
    if not cold:
        warm_groups(bot)
    assert "/order list" in answer(bot, OUTSIDER, "/order", "help")


@pytest.mark.parametrize("user", [OUTSIDER, GROUP_VIEWER, PRODUCTION_A])
def test_with_the_groups_not_cached_the_answer_follows_the_ack(bot, user) -> None:  # noqa: ANN001
    with bot.svc.session(settle_groups=False) as session:  # no write through Slack: nothing cached
        add_order(session, customer="Orion Castings")
    reply = bot.slack.command(user, "list")
    assert (reply.status, reply.body) == (200, b"")  # acked empty: the groups were not known
    [later] = bot.standin.responses()
    text = later.args["text"] + block_text(later.args)
    assert (REFUSAL in text) == (user == OUTSIDER)
    assert ("Orion Castings" in text) == (user != OUTSIDER)
    assert later.args["response_type"] == "ephemeral"
    # the groups are cached now: the next read rides on the ack again
    assert bot.slack.command(user, "list").body


def test_a_reader_listed_by_id_is_answered_on_the_ack_without_asking_slack(bot) -> None:  # noqa: ANN001
    reply = bot.slack.command(VIEWER, "", command="/kpi")
    assert reply.json()["text"].startswith("Shared KPIs")
    assert bot.standin.calls_to("usergroups.users.list") == []


def test_the_ack_does_not_wait_for_slack_to_list_a_group(standin, engine, config, clock) -> None:  # noqa: ANN001
    """Served as `serve` serves it (acks before listener work), against a slow Slack."""
    svc = Services.build(config, engine, WebClient(token=TOKEN, base_url=standin.url), clock=clock)
    app = create_app(svc, signing_secret=SIGNING_SECRET, process_before_response=False)
    server = BackgroundServer(make_wsgi_app(app, svc))
    try:
        slack = SlackDriver(server.url, standin)
        assert slack.command(OUTSIDER, "help").status == 200  # Bolt's auth.test, on its first request
        standin.delay = 4.0
        started = time.monotonic()
        reply = slack.command(OUTSIDER, "", command="/kpi")
        assert (reply.status, reply.body) == (200, b"")
        assert time.monotonic() - started < 3.5, "the ack waited on Slack"
        standin.delay = 0.0  # the group look-up already started; the answer may go out at once
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not standin.responses():  # the answer, after the ack
            time.sleep(0.02)
        assert REFUSAL in standin.responses()[0].args["text"]
    finally:
        server.stop()
        standin.assert_all_valid()


# -- the App Home tab -------------------------------------------------------------------------


def test_the_home_tab_of_someone_on_no_team_says_how_to_get_access(bot) -> None:  # noqa: ANN001
    register(bot, customer="Orion Castings")
    text = block_text(open_home(bot, OUTSIDER))
    assert "You have no access yet." in text and REFUSAL in text
    assert "Orion Castings" not in text and "KPIs ·" not in text


@pytest.mark.parametrize("user", [VIEWER, GROUP_VIEWER])
def test_a_viewers_home_tab_shows_the_kpis_and_no_button_to_act(bot, user) -> None:  # noqa: ANN001
    register(bot)
    view = open_home(bot, user)
    assert "Shared KPIs" in block_text(view) and "no access" not in block_text(view)
    assert [b for b in view["blocks"] if "accessory" in b] == []


# -- viewers act on nothing -------------------------------------------------------------------


@pytest.mark.parametrize("user", [VIEWER, GROUP_VIEWER])
def test_a_viewer_cannot_register_an_order(bot, user) -> None:  # noqa: ANN001
    assert bot.slack.command(user, "new").status == 200
    assert views_opened(bot) == 0
    assert "Only the sales team" in bot.standin.responses()[0].args["text"]


@pytest.mark.parametrize("user", [VIEWER, GROUP_VIEWER])
@pytest.mark.parametrize(
    ("label", "button"),
    [("Production: can you make it?", "Answer for production"), ("Supply:", "Answer for supply")],
)
def test_a_viewer_cannot_answer_a_request(bot, user, label, button) -> None:  # noqa: ANN001
    register(bot)
    before, opened = snapshot(bot), views_opened(bot)
    assert bot.slack.press(user, find(thread(bot), label), button).status == 200
    assert "Only the" in bot.standin.responses()[-1].args["text"]
    assert (snapshot(bot), views_opened(bot)) == (before, opened)


@pytest.mark.parametrize("user", [VIEWER, GROUP_VIEWER])
def test_a_viewer_cannot_submit_review_numbers(bot, user) -> None:  # noqa: ANN001
    assert bot.slack.command(user, "submit", command="/review").status == 200
    assert views_opened(bot) == 0
    assert "Only sales, production and supply submit numbers" in bot.standin.responses()[0].args["text"]
