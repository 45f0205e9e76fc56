"""/order's own answers, the shared gates, the forms' answers and the Home tab in Chinese
(`language = "zh-CN"`), with the Chinese sub-commands."""

from __future__ import annotations

import pytest

from bot.sandbox.standin import SlackStandin
from tests.conftest import MANAGER, OUTSIDER, PRODUCTION_A, PRODUCTION_B, SALES, SUPPLY, make_config
from tests.e2e.test_durable_forms import write_lock_held
from tests.e2e.test_kpi_home import block_text, buttons, open_home
from tests.e2e.test_pseudo_common import press_resolved_on_the_home_while_the_database_is_locked
from tests.helpers import ORDER_DEFAULTS, inline_errors, open_new_order_modal, register
from workflows.config import Config


@pytest.fixture
def config() -> Config:
    return make_config(language="zh-CN")


@pytest.fixture(autouse=True)
def chinese_slack(standin: SlackStandin) -> None:
    """A Chinese workspace: everyone's Slack is set to Chinese too (the stand-in says en-US else)."""
    for user in (SALES, PRODUCTION_A, PRODUCTION_B, SUPPLY, MANAGER, OUTSIDER):
        standin.users[user] = {"locale": "zh-CN"}


def said(bot, text: str, user: str = SALES) -> str:  # noqa: ANN001
    reply = bot.slack.command(user, text)
    assert reply.status == 200, reply.body
    body = reply.json()
    return "\n".join([body["text"], *(b["text"]["text"] for b in body["blocks"] if b["type"] == "section")])


def test_help_is_chinese_and_lists_the_chinese_sub_commands_and_the_english_ones(bot) -> None:  # noqa: ANN001
    for asked in ("帮助", "help", "?"):
        text = said(bot, asked)
        assert "*OrderLoop* 负责销售部、生产部和供应部之间的定制订单协同。" in text
        for usage in (
            "`/order 新建`",
            "`/order 列表 我的`",
            "`/order 查看 CO-0042`",
            "`/order 修改 CO-0042`",
        ):
            assert usage in text
        assert "`/order new | list | show CO-0042 | edit CO-0042 | help`" in text


def test_an_unknown_sub_command_and_a_missing_order_are_answered_in_chinese(bot) -> None:  # noqa: ANN001
    assert said(bot, "删除 CO-0001").startswith("我不认识 `/order 删除`。我能做的是：")
    assert said(bot, "查看").startswith("哪个订单？例如 `/order 查看 CO-0042`。")
    assert said(bot, "查看 CO-0999").startswith("找不到订单 `CO-0999`。订单号形如 `CO-0042`")
    assert said(bot, "列表").startswith("目前没有未完结的订单。可用 `/order 新建` 登记一个。")


def test_the_chinese_sub_commands_list_and_show_orders(bot) -> None:  # noqa: ANN001
    register(bot)
    register(bot, customer="Globex")
    listed = said(bot, "列表")
    assert listed.startswith("未完结订单：2") and "*未完结订单（2）*" in listed
    assert "ACME Gears" in listed and "待确认" in listed
    assert "*你的未完结订单（2）*" in said(bot, "列表 我的")
    assert "*匹配“globex”的全部订单（1）*" in said(bot, "列表 全部 globex")
    assert said(bot, "列表　我的") == said(bot, "list mine")  # a full-width space, as Chinese IMEs type it
    assert "第 9 页已超出范围：共有 2 个订单匹配，分 1 页。" in said(bot, "列表 第9页")
    assert said(bot, "列表 页 9") == said(bot, "list page 9")
    nothing = said(bot, "列表 我的", MANAGER)
    assert nothing.startswith(
        "没有符合 `/order list mine` 的订单。`/order list mine all` 会包括已交付和已取消的订单。"
    )
    shown = said(bot, "查看 CO-0001")
    assert shown.startswith("CO-0001：待确认")
    assert "*状态：*待确认（第 1 版）" in shown and "*要求交期：*" in shown and "*销售：*<@U01>" in shown
    assert said(bot, "查看CO-0001") == shown  # the alias typed straight before the number
    assert said(bot, "show co-0001") == shown


def test_new_in_chinese_opens_the_order_form(bot) -> None:  # noqa: ANN001
    assert bot.slack.command(SALES, "新建").status == 200
    assert bot.standin.calls_to("views.open"), "no form was opened"


def test_someone_without_access_is_refused_in_chinese(bot) -> None:  # noqa: ANN001
    assert bot.slack.command(OUTSIDER, "列表").status == 200  # answered after the groups are asked
    told = [c.args["text"] for c in bot.standin.responses()]
    assert len(told) == 1 and "teams.viewers" in told[0] and "Orders, plans" not in told[0]
    assert told[0].startswith("订单、计划和 KPI 只向销售部、生产部、供应部和管理层显示。")


def test_form_refusals_and_not_saved_are_inline_chinese_errors(bot) -> None:  # noqa: ANN001
    view = open_new_order_modal(bot)
    forged = inline_errors(bot.slack.submit(SALES, {**view, "id": "VFORGED1"}, ORDER_DEFAULTS))
    assert forged["customer"] == "这个表单不是 OrderLoop 打开的，或已过期太久；请关闭后重新开始。"
    theirs = inline_errors(bot.slack.submit(OUTSIDER, view, ORDER_DEFAULTS))
    assert theirs["customer"] == "这个表单是为别人打开的；请关闭后打开你自己的表单。"
    edited = {**view, "private_metadata": '{"order_id": 1}'}
    assert inline_errors(bot.slack.submit(SALES, edited, ORDER_DEFAULTS))["customer"] == (
        "这个表单已过期；请关闭后重新开始。"
    )
    with write_lock_held(bot):
        locked = inline_errors(bot.slack.submit(SALES, view, ORDER_DEFAULTS))
    assert locked["customer"] == "未保存：数据库暂时无法写入，没有任何改动；请稍后再次点击提交。"


def test_a_form_slack_cannot_open_is_answered_in_chinese(bot) -> None:  # noqa: ANN001
    bot.standin.fail("views.open", status=503)
    assert bot.slack.command(SALES, "新建").status == 200
    told = [c.args["text"] for c in bot.standin.responses()]
    assert told == [":warning: Slack 暂时无法打开表单。请稍后重试。"]


def test_the_home_tab_is_chinese_for_members_managers_and_those_without_access(bot) -> None:  # noqa: ANN001
    register(bot)
    supply = open_home(bot, SUPPLY)
    text = block_text(supply)
    assert "*待你处理*（1）" in text and "*供应部* · " in text
    assert [b["text"]["text"] for b in buttons(supply)] == ["供应部答复"]
    assert "*你的未完结订单*\n你没有未完结的订单。" in text
    assert "`/kpi` 与上月对比；`/kpi YYYY-MM` 查看任一月份。" in text and "`/order 帮助`" in text
    sales = block_text(open_home(bot, SALES))
    assert "*你的未完结订单*（1）" in sales and "待确认" in sales
    manager = block_text(open_home(bot, MANAGER))
    assert "*各部门的逾期与升级事项*\n没有逾期事项。:tada:" in manager
    outsider = block_text(open_home(bot, OUTSIDER))
    assert (
        "OrderLoop 负责销售部、生产部和供应部之间的定制订单协同" in outsider
        and "*你还没有访问权限。*" in outsider
    )


def test_a_button_the_database_cannot_save_is_answered_in_chinese(bot) -> None:  # noqa: ANN001
    told = press_resolved_on_the_home_while_the_database_is_locked(bot)
    assert told == [":warning: 未保存：数据库暂时无法写入，因此没有任何改动。请稍后重试。"]
