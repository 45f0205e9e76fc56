"""The order loop in Chinese (`language = "zh-CN"`): the card, the thread, the reminders and the
escalation read as a planner in Suzhou would write them, and quantities typed the Chinese way
("２５０台", "1，000 件") are taken."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from bot.ids import Action
from bot.orders import modals
from bot.orders.blocks import commit_prompt, declined_prompt, order_card, request_message
from bot.sweep import run_due
from bot.text import language
from storage.models import ConfirmationRequest, Order
from tests.conftest import PRODUCTION_A, SALES, SUPPLY, make_config
from tests.e2e.test_pseudo_orders import answer, keyed, new_order, press
from tests.helpers import all_text, get_order, inline_errors, thread
from workflows.config import Config


@pytest.fixture
def config() -> Config:
    return make_config(language="zh-CN", language_per_user=False)  # everyone reads the workspace language


def test_the_whole_loop_reads_in_chinese_and_takes_chinese_numbers(bot) -> None:  # noqa: ANN001
    assert new_order(bot, quantity="１，０００ 台").status == 200
    assert get_order(bot).quantity == 1000
    card = keyed(bot, "order:1:card")
    assert "*客户*" in all_text(card) and "等待生产部和供应部答复" in all_text(card)
    request = keyed(bot, "order:1:r1:production")
    assert "*生产部：能否生产？* CO-0001" in all_text(request) and "请在 *" in all_text(request)
    assert answer(bot, PRODUCTION_A, "production", lead_time_days="１０天").status == 200
    assert answer(bot, SUPPLY, "supply").status == 200
    assert "可以，生产周期 10 天" in all_text(keyed(bot, "order:1:card"))
    prompt = keyed(bot, "order:1:r1:commit")
    assert "生产部和供应部均已确认 CO-0001 可以做" in all_text(prompt) and "请与客户确认交期" in all_text(
        prompt
    )
    assert press(bot, SALES, prompt, Action.COMMIT).status == 200
    assert bot.slack.submit(SALES, bot.slack.last_view(), {"committed_date": "2026-12-20"}).status == 200
    assert any("请据此安排计划" in all_text(m) for m in thread(bot))
    assert "已确认交期" in all_text(keyed(bot, "order:1:card"))


def test_reminder_and_escalation_in_chinese_name_the_window(bot) -> None:  # noqa: ANN001
    assert new_order(bot).status == 200
    run_due(bot.svc, bot.clock.now + timedelta(hours=20))
    reminders = [m for m in thread(bot) if m.text.startswith("提醒：CO-0001 需要生产部答复")]
    assert len(reminders) == 1 and "即发出请求后 24 小时" in all_text(reminders[0])
    run_due(bot.svc, bot.clock.now + timedelta(hours=24))
    escalation = keyed(bot, "order:1:request:1:escalation")
    assert escalation.text == "逾期：CO-0001 未收到生产部答复"
    assert "这会计入生产部 24 小时内答复率" in all_text(escalation)


def test_a_bad_quantity_is_an_inline_error_in_chinese_with_an_example(bot) -> None:  # noqa: ANN001
    errors = inline_errors(new_order(bot, quantity="10天"))
    assert errors["quantity"] == "数量按件计，不能用“天”；请输入整数，例如 250 或 250台。"


def test_a_refusal_reads_in_chinese(bot) -> None:  # noqa: ANN001
    assert new_order(bot).status == 200
    assert answer(bot, PRODUCTION_A, "production").status == 200
    bot.slack.click(PRODUCTION_A, Action.ANSWER, "1", message=keyed(bot, "order:1:r1:production"))
    told = [r.args["text"] for r in bot.standin.responses()]
    assert told and "已于" in told[-1] and "代表生产部答复过此请求" in told[-1]


# ---- Slack's limits hold in Chinese (the stand-in refuses payloads beyond them) -----------------

NOW = date(2026, 11, 25)


def _order() -> Order:
    from datetime import UTC, datetime

    moment = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
    return Order(
        id=1,
        number="CO-99999",
        customer="苏州精密齿轮有限公司" * 3,
        product="GBX-100",
        quantity=1000,
        requested_date=date(2026, 12, 20),
        specification="淬火钢",
        salesperson=SALES,
        created_at=moment,
        updated_at=moment,
        status="awaiting_commitment",
    )


def _texts(node: object, key: str) -> list[str]:
    """Every plain_text under `key` (title, submit, close, label, placeholder, text of options/buttons)."""
    found: list[str] = []
    if isinstance(node, list):
        for item in node:
            found += _texts(item, key)
    elif isinstance(node, dict):
        for name, value in node.items():
            if name == key and isinstance(value, dict) and value.get("type") == "plain_text":
                found.append(value["text"])
            else:
                found += _texts(value, key)
    return found


def test_modal_titles_buttons_and_options_stay_within_slacks_limits_in_chinese() -> None:
    order = _order()
    with language("zh_CN"):
        views = [
            modals.order_modal(),
            modals.order_modal(order),
            modals.production_modal(order, 1),
            modals.supply_modal(order, 2),
            modals.commit_modal(order, NOW, NOW),
            modals.cancel_modal(order),
        ]
    for view in views:
        for key in ("title", "submit", "close"):
            assert all(0 < len(t) <= 24 for t in _texts(view, key)), (key, _texts(view, key))
        assert all(len(t) <= 150 for t in _texts(view, "placeholder"))
        assert all(
            len(t) <= 75
            for b in view["blocks"]
            for o in b.get("element", {}).get("options", [])
            for t in [o["text"]["text"]]
        )
    with language("zh_CN"):
        assert modals.commit_modal(order, NOW, NOW)["title"]["text"] == "确认 CO-99999 交期"


def test_order_messages_buttons_and_header_stay_within_slacks_limits_in_chinese() -> None:
    order = _order()
    request = ConfirmationRequest(
        id=1,
        order_id=1,
        team="production",
        revision=1,
        requested_at=order.created_at,
        due_at=order.created_at,
    )
    with language("zh_CN"):
        messages = [
            order_card(order, {"production": request}),
            request_message(order, request, make_config(language="zh-CN")),
            commit_prompt(order, 1, NOW),
            declined_prompt(order, 1, {}),
        ]
    for message in messages:
        for block in message["blocks"]:
            if block["type"] == "header":
                assert len(block["text"]["text"]) <= 150
            for element in block.get("elements", []):
                if element.get("type") == "button":
                    assert 0 < len(element["text"]["text"]) <= 75
                    assert not element["text"]["text"].isascii(), element  # worded in Chinese
