"""After commitment in Chinese (`language = "zh-CN"`): the after-commitment message, the card's
lines, the late-material flag, a refusal, a form error, a change with its reminder and escalation,
and the delivery, end to end. Buttons are found by action_id, so the flow does not depend on the
words of the order loop; every modal stays within Slack's limits (the stand-in refuses more)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.ids import Action, AfterCommit, View, acknowledge_action
from tests.conftest import PRODUCTION_A, SALES, SUPPLY, make_config
from tests.e2e.test_after_commit import sweep, text_of
from tests.e2e.test_order_loop import card, thread
from tests.e2e.test_pseudo_after_commit import click, press, submit, with_button
from tests.helpers import ephemeral_texts, inline_errors, register
from workflows.config import Config

FLAG_AT = datetime(2026, 12, 6, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai the morning after the promise


@pytest.fixture
def config() -> Config:
    return make_config(language="zh-CN")


def committed_order(bot) -> None:  # noqa: ANN001
    """CO-0001 registered, both teams say yes (materials promised for Sat 5 Dec), sales commits."""
    register(bot, requested_date="2026-12-01")
    for user in (PRODUCTION_A, SUPPLY):
        request = [
            m
            for m in thread(bot)
            if any(e.get("action_id") == Action.ANSWER for b in m.blocks for e in b.get("elements", []))
        ]
        answers = {
            View.PRODUCTION_ANSWER: {"can_do": "yes", "lead_time_days": "10", "notes": ""},
            View.SUPPLY_ANSWER: {"can_do": "yes", "material_date": "2026-12-05", "notes": ""},
        }
        for message in request:
            button = next(
                e
                for b in message.blocks
                for e in b.get("elements", [])
                if e.get("action_id") == Action.ANSWER
            )
            bot.slack.click(user, Action.ANSWER, button["value"], message=message)
            view = bot.slack.last_view()
            if view.get("callback_id") in answers and (view["callback_id"] == View.PRODUCTION_ANSWER) == (
                user == PRODUCTION_A
            ):
                bot.slack.submit(user, view, answers[view["callback_id"]])
                break
    commit = with_button(bot, Action.COMMIT)
    button = next(
        e for b in commit.blocks for e in b.get("elements", []) if e.get("action_id") == Action.COMMIT
    )
    bot.slack.click(SALES, Action.COMMIT, button["value"], message=commit)
    assert (
        bot.slack.submit(SALES, bot.slack.last_view(), {"committed_date": "2026-12-16", "notes": ""}).status
        == 200
    )


def titles(bot) -> list[str]:  # noqa: ANN001
    return [
        c.args["view"]["title"]["text"] for c in bot.standin.calls_to("views.open") if c.response.get("ok")
    ]


def test_after_commitment_reads_in_chinese(bot) -> None:  # noqa: ANN001
    for user in ("U01", "U03", "U05", "U06"):  # sales, supply, production: their Slack speaks Chinese too
        bot.standin.users[user] = {"locale": "zh-CN"}
    committed_order(bot)
    after = with_button(bot, AfterCommit.A_MATERIALS)
    assert "交期确认后跟进" in text_of(after) and "物料承诺 2026年12月5日（周六） 到货，尚未到货" in text_of(
        after
    )
    labels = [
        e["text"]["text"] for b in after.blocks for e in b.get("elements", []) if e.get("type") == "button"
    ]
    assert labels == [
        "物料已到货",
        "新物料日期",
        "已交货",
        "变更订单",
        "提出问题",
    ]  # updated: the slip button

    assert sweep(bot, FLAG_AT) == ["order:1:materials-late:2026-12-05: sent: late material flag"]
    flag = [m for m in thread(bot) if "物料逾期" in m.text][-1]
    assert "尚未记录到货" in text_of(flag) and "可能需要告知客户" in text_of(flag)
    bot.clock.now = FLAG_AT
    assert "*物料逾期*：承诺 2026年12月5日（周六） 到货" in text_of(card(bot))

    click(bot, SUPPLY, AfterCommit.A_SLIP)
    assert titles(bot)[-1] == "物料日期 · CO-0001"
    submit(bot, SUPPLY, {"material_date": "2026-12-10", "reason": "船期延误"})
    slip = [m for m in thread(bot) if "无法达成" in m.text][-1]
    assert "最早可行交期现在是 *2026年12月20日（周日）*，晚于已承诺的交期 2026年12月16日（周三）" in text_of(
        slip
    )
    assert "*新的物料日期* 2026年12月10日（周四）：已承诺的交期无法达成" in text_of(card(bot))

    click(bot, SUPPLY, AfterCommit.A_MATERIALS)
    assert titles(bot)[-1] == "物料 · CO-0001"
    errors = inline_errors(submit(bot, SUPPLY, {"arrived_date": "2027-01-05", "notes": ""}))
    assert errors == {"arrived_date": "到货日期不能晚于今天（今天是 2026-12-06）。"}
    submit(bot, SUPPLY, {"arrived_date": "2026-12-06", "notes": ""})
    assert "晚了 1 天" in text_of([m for m in thread(bot) if "物料已到货" in m.text][-1])
    click(bot, SUPPLY, AfterCommit.A_MATERIALS, message=after)
    assert "记录 CO-0001 的物料在 2026-12-06 到货。" in ephemeral_texts(bot)[-1]

    start = bot.clock.now
    click(bot, SALES, AfterCommit.A_CHANGE)
    assert titles(bot)[-1] == "变更 CO-0001"
    errors = inline_errors(
        submit(bot, SALES, {"quantity": "300", "delivery_date": "2026-12-20", "reason": "x"})
    )
    assert errors["origin"] == "请选择谁提出的变更：客户或内部。"
    values = {"quantity": "300", "delivery_date": "2026-12-20", "reason": "客户调整", "origin": "customer"}
    submit(bot, SALES, values)
    notice = [m for m in thread(bot) if "提出变更" in m.text][-1]
    assert "数量 250 → 300，交期 2026年12月16日（周三） → 2026年12月20日（周日）" in text_of(notice)
    assert "提出方：客户" in text_of(notice)
    assert "请在 24 小时内答复能否按变更后的要求完成。两个部门都同意前，原承诺继续有效。" in text_of(notice)
    click(bot, SALES, AfterCommit.A_CHANGE)
    assert "已有一项变更在等待生产部和供应部答复" in ephemeral_texts(bot)[-1]
    sweep(bot, start + timedelta(hours=20))
    reminders = [m for m in thread(bot) if m.text.startswith("提醒：")]
    assert len(reminders) == 2 and "（提出后 24 小时）" in text_of(reminders[0])
    sweep(bot, start + timedelta(hours=24))
    escalations = [m for m in thread(bot) if m.text.startswith("逾期：")]
    assert len(escalations) == 2 and "未在 24 小时内" in text_of(escalations[0])
    press(bot, PRODUCTION_A, acknowledge_action("production"))
    submit(bot, PRODUCTION_A, {"can_do": "no", "lead_time_days": "", "notes": "产线已排满"})
    returned = [m for m in thread(bot) if "退回销售" in m.text][-1]
    assert "原承诺（2026年12月16日（周三） 前交 250）继续有效" in text_of(returned)
    assert [e["text"]["text"] for b in returned.blocks for e in b.get("elements", [])] == [
        "修改变更",
        "撤回变更",
    ]
    press(bot, SALES, AfterCommit.A_REVISE_CHANGE)
    submit(bot, SALES, values | {"origin": "internal"})
    press(bot, PRODUCTION_A, acknowledge_action("production"))
    submit(bot, PRODUCTION_A, {"can_do": "yes", "lead_time_days": "10", "notes": ""})
    press(bot, SUPPLY, acknowledge_action("supply"))
    submit(bot, SUPPLY, {"can_do": "yes", "material_date": "2026-12-07", "notes": ""})
    applied = [m for m in thread(bot) if "变更已生效" in m.text][-1]
    assert "现在的承诺是 2026年12月20日（周日） 前交 300" in text_of(applied)

    click(bot, SALES, AfterCommit.A_DELIVERED)
    errors = inline_errors(submit(bot, SALES, {"delivered_date": "2026-12-18"}))
    assert errors == {"delivered_date": "交货日期不能晚于今天（今天是 2026-12-06）。"}
    submit(bot, SALES, {"delivered_date": "2026-12-06"})
    delivered = [m for m in thread(bot) if m.text.endswith("已交货")][-1]
    assert "提前 14 天（确认交期 2026年12月20日（周日））" in text_of(delivered)
    assert all(len(title) <= 24 for title in titles(bot))
