"""The monthly demand review in Chinese (`language = "zh-CN"`): the Chinese sub-commands, the
forms and their inline errors, a refusal, the reminders in the channel and by DM, the agenda, the
minutes and `/review 计划` with a month as Chinese users write it."""

from __future__ import annotations

import pytest

from bot.review.blocks import ReviewAction
from bot.sweep import run_due
from storage import review_repo
from tests.conftest import MANAGER, OUTSIDER, PRODUCTION_A, PRODUCTION_B, SALES, SUPPLY, make_config
from tests.e2e.test_review import (
    MONTH,
    NUMBERS,
    PRODUCTION_NUMBERS,
    REVIEW,
    REVIEW_AT,
    SALES_NUMBERS,
    errors,
    local,
    text_of,
    without_followups,
)


@pytest.fixture
def config():  # noqa: ANN201
    return make_config(language="zh-CN")


@pytest.fixture(autouse=True)
def chinese_team(standin) -> None:  # noqa: ANN001
    """Everyone's Slack is in Chinese too, so what only they read is Chinese once it is known."""
    for user in (SALES, PRODUCTION_A, PRODUCTION_B, SUPPLY, MANAGER, OUTSIDER):
        standin.users[user] = {"locale": "zh-CN"}


def review(bot, user: str, text: str):  # noqa: ANN001, ANN201
    reply = bot.slack.command(user, text, command="/review", channel=REVIEW)
    assert reply.status == 200
    return reply


def submit(bot, user: str, values: dict | None = None, text: str = "提交"):  # noqa: ANN001, ANN201
    review(bot, user, text)
    return bot.slack.submit(user, bot.slack.last_view(), NUMBERS[user] if values is None else values)


def the_agenda(bot):  # noqa: ANN001, ANN201
    [message] = [
        m for m in bot.standin.messages(REVIEW) if m.thread_ts is None and m.text.startswith("需求评审会议程")
    ]
    return message


def press(bot, user: str, action: ReviewAction) -> None:  # noqa: ANN001
    assert bot.slack.click(user, action, MONTH, message=the_agenda(bot)).status == 200


def last_ephemeral(bot) -> str:  # noqa: ANN001
    return bot.standin.responses()[-1].args["text"]


def test_submit_opens_a_chinese_form_within_slacks_limits_and_errors_are_chinese(bot) -> None:  # noqa: ANN001
    review(bot, SALES, "提交")
    view = bot.slack.last_view()  # the stand-in refuses a title over 24 characters
    assert view["title"]["text"] == "需求评审 · 2027-01" and view["submit"]["text"] == "提交"
    assert view["blocks"][0]["elements"][0]["text"].startswith("*销售部*的 *2027年1月* 数据：")
    labels = [b["label"]["text"] for b in view["blocks"] if b["type"] == "input"]
    assert labels == [
        "GBX-100 · 预测数量",
        "GBX-100 · 重点客户和订单",
        "MTR-7 · 预测数量",
        "MTR-7 · 重点客户和订单",
        "评审会备注",
    ]
    reply = bot.slack.submit(SALES, view, {**SALES_NUMBERS, "p0.forecast": "很多", "p1.forecast": ""})
    assert errors(reply) == {
        "p0.forecast": "GBX-100的预测数量必须是整数，例如 900。",
        "p1.forecast": "请填写MTR-7的预测数量。",
    }
    reply = submit(bot, PRODUCTION_A, {**PRODUCTION_NUMBERS, "p0.achievable": "1300"}, text="提交 生产")
    assert errors(reply)["p0.achievable"] == "GBX-100的可达成产量不能超过其最大产能（1,200）。"
    assert bot.standin.calls_to("views.open")[-1].args["view"]["callback_id"] == "review.submit"
    with bot.svc.session() as session:
        assert review_repo.current_submissions(session, MONTH) == {}


def test_someone_in_no_department_is_refused_in_chinese(bot) -> None:  # noqa: ANN001
    review(bot, OUTSIDER, "提交")
    assert bot.standin.calls_to("views.open") == []
    assert "只有销售部、生产部和供应部为需求评审会提交数据" in last_ephemeral(bot)


def test_help_lists_the_chinese_sub_commands_and_the_english_ones(bot) -> None:  # noqa: ANN001
    text = review(bot, SALES, "帮助").json()["text"]
    assert (
        "*月度需求评审会*" in text
        and "• `/review 提交`：" in text
        and "`/review 计划 [2026年11月 | 11月]`" in text
    )
    assert "英文命令同样可用：`/review submit`（提交）" in text
    assert review(bot, SALES, "什么").json()["text"].startswith("我不认识 `/review 什么`。")


def test_the_review_month_in_chinese(bot) -> None:  # noqa: ANN001
    for user in (SALES, PRODUCTION_A, SUPPLY):
        assert errors(submit(bot, user)) == {}
    run_due(bot.svc, REVIEW_AT)
    bot.clock.now = REVIEW_AT
    agenda = the_agenda(bot)
    text = text_of(agenda.blocks)
    assert agenda.blocks[0]["text"]["text"] == "需求评审 · 2027年1月计划"
    assert "本次评审会议定 *2027年1月* 的需求计划（2026年12月召开的评审会制定下个月的计划）" in text
    assert "• 生产部：:warning: *尚无人确认*" in text
    assert (
        "*GBX-100* · 预测 1,000 · 可达成 900 · 物料 不受限\n      → *议定 900*（受产能约束） · 缺口 100"
        in text
    )
    assert [e["text"]["text"] for e in agenda.blocks[3]["elements"]] == ["我会参加", "批准计划", "调整计划"]

    press(bot, MANAGER, ReviewAction.APPROVE)
    assert "销售部、生产部、供应部无人确认出席。三个部门都出席评审会后，计划才能批准。" in last_ephemeral(bot)
    for user in (SALES, PRODUCTION_A, SUPPLY):
        press(bot, user, ReviewAction.ATTEND)
    press(bot, SALES, ReviewAction.ATTEND)
    assert last_ephemeral(bot) == "你已确认出席。"
    press(bot, MANAGER, ReviewAction.APPROVE)
    [minutes] = without_followups(bot.standin.thread(REVIEW, the_agenda(bot).ts))
    assert minutes.text == "会议纪要：2027年1月需求计划已批准"
    body = minutes.blocks[0]["text"]["text"]
    assert body.startswith(":memo: *会议纪要：2027年1月需求计划*，由 <@U04> 于 <!date^")
    assert "*销售部*就以下缺口与重点客户跟进：GBX-100（100）、MTR-7（50）。" in body

    for asked in ("2027-01", "2027年1月", "1月", "２０２７年１月"):
        reply = review(bot, SALES, f"计划 {asked}").json()
        assert reply["text"] == "2027年1月需求计划", asked
    assert "`13月` 不是月份" in review(bot, SALES, "计划 13月").json()["text"]
    assert review(bot, SALES, "计划 2月").json()["text"].startswith("2026年2月尚无已批准的需求计划。")


def test_reminders_in_the_channel_and_by_dm_are_chinese(bot) -> None:  # noqa: ANN001
    assert errors(submit(bot, SALES)) == {}
    run_due(bot.svc, local(2026, 12, 2, 9, 0))
    [reminder] = [m for m in bot.standin.messages(REVIEW) if m.text.startswith("提醒")]
    assert reminder.text == "提醒：请为2027年1月的评审提交数据"
    body = reminder.blocks[0]["text"]["text"]
    assert (
        "的需求评审会将制定 *2027年1月* 的计划，生产部、供应部尚未提交数据。请用 `/review 提交` 提交。"
        in body
    )
    [dm] = bot.standin.messages(SUPPLY)
    assert dm.text == "提醒：供应部的需求评审数据"
    assert dm.blocks[0]["text"]["text"].startswith("提醒：供应部尚未为 <!date^")
