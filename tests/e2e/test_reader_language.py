"""What only one person reads follows their Slack language (users.info with include_locale),
whatever the workspace's `language`; a failing users.info falls back to `language`; and no ack
waits on users.info."""

from __future__ import annotations

import pytest

from tests.conftest import MANAGER, SALES, SUPPLY, make_config
from tests.e2e.test_durable_forms import write_lock_held
from tests.e2e.test_kpi_home import block_text, open_home
from tests.helpers import ORDER_DEFAULTS, inline_errors, open_new_order_modal
from workflows.config import Config

ENGLISH_HELP = "*OrderLoop* runs the custom-order loop between sales, production and supply."
CHINESE_HELP = "*OrderLoop* 负责销售部、生产部和供应部之间的定制订单协同。"


def helped(bot, user: str) -> str:  # noqa: ANN001
    reply = bot.slack.command(user, "help")
    assert reply.status == 200, reply.body
    return reply.json()["text"]


def settle(bot, user: str) -> str:  # noqa: ANN001
    """Wait until the person's language is known (the look-up the first request started, or one now)."""
    return bot.svc.people.language_of(user)


def locale_asks(bot) -> list[dict]:  # noqa: ANN001
    return [c.args for c in bot.standin.calls_to("users.info")]


class TestAnEnglishWorkspace:
    @pytest.fixture
    def config(self) -> Config:
        return make_config(language="en")

    def test_a_chinese_user_gets_chinese_replies_once_their_locale_is_known(self, bot) -> None:  # noqa: ANN001
        bot.standin.users[SALES] = {"locale": "zh-CN"}
        first = helped(bot, SALES)  # not known yet: the workspace's language, and Slack is asked after
        assert first.startswith(ENGLISH_HELP)
        assert settle(bot, SALES) == "zh_CN"
        assert {a["user"] for a in locale_asks(bot)} == {SALES}
        assert all(str(a["include_locale"]).lower() in ("true", "1") for a in locale_asks(bot))
        assert helped(bot, SALES).startswith(CHINESE_HELP)
        assert helped(bot, SUPPLY).startswith(ENGLISH_HELP)  # someone else keeps the workspace's
        for _ in range(3):
            helped(bot, SALES)
        # known for a day: asked by the first request (and perhaps once more by settle), not again
        assert 1 <= [a["user"] for a in locale_asks(bot)].count(SALES) <= 2

    def test_a_chinese_users_form_errors_and_home_are_chinese(self, bot) -> None:  # noqa: ANN001
        bot.standin.users[SALES] = {"locale": "zh-CN"}
        view = open_new_order_modal(bot)
        settle(bot, SALES)
        forged = inline_errors(bot.slack.submit(SALES, {**view, "id": "VFORGED1"}, ORDER_DEFAULTS))
        assert forged["customer"] == "这个表单不是 OrderLoop 打开的，或已过期太久；请关闭后重新开始。"
        with write_lock_held(bot):
            locked = inline_errors(bot.slack.submit(SALES, view, ORDER_DEFAULTS))
        assert locked["customer"].startswith("未保存：")
        home = block_text(open_home(bot, SALES))
        assert "*待你处理*" in home and "*你的未完结订单*" in home
        assert "*Waiting on you*" in block_text(open_home(bot, MANAGER))  # an en-US Slack

    def test_the_home_tab_asks_slack_first_as_an_event_is_acknowledged_already(self, bot) -> None:  # noqa: ANN001
        bot.standin.users[SALES] = {"locale": "zh-CN"}
        assert "*待你处理*" in block_text(open_home(bot, SALES))  # the first Home is theirs already
        methods = [c.method for c in bot.standin.calls if c.method in ("users.info", "views.publish")]
        assert methods.index("users.info") < methods.index("views.publish")

    def test_a_failing_users_info_falls_back_to_the_workspace_language(self, bot) -> None:  # noqa: ANN001
        bot.standin.users[SALES] = {"locale": "zh-CN"}
        bot.standin.fail("users.info", status=500, times=10)
        helped(bot, SALES)
        assert settle(bot, SALES) == "en"
        failed = bot.standin.calls_to("users.info")
        assert failed and all(c.status == 500 for c in failed)
        assert helped(bot, SALES).startswith(ENGLISH_HELP)
        assert "*Waiting on you*" in block_text(open_home(bot, SALES))


class TestAChineseWorkspace:
    @pytest.fixture
    def config(self) -> Config:
        return make_config(language="zh-CN")

    def test_an_english_user_gets_english_replies_once_their_locale_is_known(self, bot) -> None:  # noqa: ANN001
        bot.standin.users[SUPPLY] = {"locale": "en-US"}
        bot.standin.users[SALES] = {"locale": "zh-CN"}
        assert helped(bot, SUPPLY).startswith(CHINESE_HELP)  # the workspace's, until Slack says
        assert settle(bot, SUPPLY) == "en"
        assert helped(bot, SUPPLY).startswith(ENGLISH_HELP)
        settle(bot, SALES)
        assert helped(bot, SALES).startswith(CHINESE_HELP)
        assert "*Waiting on you*" in block_text(open_home(bot, SUPPLY))

    def test_a_failing_users_info_falls_back_to_chinese(self, bot) -> None:  # noqa: ANN001
        bot.standin.users[SUPPLY] = {"locale": "en-US"}
        bot.standin.fail("users.info", error="user_not_visible", times=10)
        helped(bot, SUPPLY)
        assert settle(bot, SUPPLY) == "zh-CN"
        assert helped(bot, SUPPLY).startswith(CHINESE_HELP)
        assert "*待你处理*" in block_text(open_home(bot, SUPPLY))

    def test_without_language_per_user_everyone_reads_the_workspace_language(self, bot) -> None:  # noqa: ANN001
        bot.svc.people.config = make_config(language="zh-CN", language_per_user=False)
        bot.standin.users[SUPPLY] = {"locale": "en-US"}
        assert helped(bot, SUPPLY).startswith(CHINESE_HELP)
        assert settle(bot, SUPPLY) == "zh-CN"
        assert helped(bot, SUPPLY).startswith(CHINESE_HELP) and locale_asks(bot) == []


def test_users_info_is_asked_only_after_the_ack_and_never_delays_it(bot) -> None:  # noqa: ANN001
    bot.standin.users[SALES] = {"locale": "zh-CN"}
    assert bot.slack.command(SALES, "new").status == 200  # acked, then the form opened
    settle(bot, SALES)
    methods = [c.method for c in bot.standin.calls if c.method in ("views.open", "users.info")]
    assert methods[0] == "views.open" and "users.info" in methods  # asked once the request was answered
    helped(bot, MANAGER)  # the manager's look-up out of the way
    settle(bot, MANAGER)
    bot.standin.users[SUPPLY] = {"locale": "zh-CN"}
    bot.standin.delay = 2.0  # Slack answers everything slowly from now on
    try:
        assert helped(bot, SUPPLY).startswith(ENGLISH_HELP)  # acknowledged with what was known
        assert SUPPLY not in [a["user"] for a in locale_asks(bot)]  # Slack has not answered yet
    finally:
        bot.standin.delay = 0.0
    assert settle(bot, SUPPLY) == "zh_CN"
    assert SUPPLY in [a["user"] for a in locale_asks(bot)]
    assert helped(bot, SUPPLY).startswith(CHINESE_HELP)
