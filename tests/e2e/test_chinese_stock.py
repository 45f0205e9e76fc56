"""/stock in Chinese (`language = "zh-CN"`): the Chinese sub-commands (导入, 模板, 帮助), the
stock's page, a form with an inline error and full-width digits, a refusal, a spreadsheet's
preview with its bad rows, the import, and the template with Chinese headers, all inside
Slack's limits (the stand-in refuses what Slack would)."""

from __future__ import annotations

import io

import pytest

from bot.stock.ids import Stock
from tests.conftest import MANAGER, OUTSIDER, PRODUCTION_A, PRODUCTION_B, SALES, SUPPLY, make_config
from tests.e2e.stock_flows import (
    MATERIALS,
    TODAY,
    bot_dms,
    csv,
    preview,
    record,
    reply_text,
    saved_counts,
    seed_counts,
    stock,
    upload,
)
from tests.helpers import button_labels, ephemeral_texts, inline_errors


@pytest.fixture
def config():  # noqa: ANN201
    return make_config(language="zh-CN", materials=MATERIALS)


@pytest.fixture(autouse=True)
def chinese_team(standin) -> None:  # noqa: ANN001
    for user in (SALES, PRODUCTION_A, PRODUCTION_B, SUPPLY, MANAGER, OUTSIDER):
        standin.users[user] = {"locale": "zh-CN"}


def test_the_stock_and_its_forms_in_chinese(bot) -> None:  # noqa: ANN001
    seed_counts(bot, [("ALLOY-A", "2026-11-24", 1000)])
    text = reply_text(stock(bot, SUPPLY))
    assert "库存" in text and "*ALLOY-A* Alloy A：现有 1,000 kg" in text
    assert "安全库存 1,500。 *低于安全库存。*" in text
    assert "*MTR-7*：尚未盘点。" in text
    assert "*ALLOY-A* Alloy A 可满足 400 台 GBX-100。" in text
    blocks = stock(bot, SUPPLY).json()["blocks"]
    labels = [e["text"]["text"] for b in blocks for e in b.get("elements", []) if "action_id" in e]
    assert labels == ["登记盘点", "登记产量", "登记发货"]
    assert "`/stock 模板`" in reply_text(stock(bot, SUPPLY, "帮助"))
    assert "请在与我的私信中" in reply_text(stock(bot, SUPPLY, "导入"))
    assert "我不认识 `/stock 什么`" in reply_text(stock(bot, SUPPLY, "什么"))

    errors = inline_errors(record(bot, SUPPLY, Stock.A_RECORD_COUNTS, {"ALLOY-A": "-5"}))
    assert errors == {"item:ALLOY-A": "数量不能为负数。"}
    assert bot.slack.last_view()["title"]["text"] == "登记库存盘点"
    assert record(bot, SUPPLY, Stock.A_RECORD_COUNTS, {"ALLOY-A": "２，０５０"}).status == 200  # full-width
    assert [row[2] for row in saved_counts(bot)][-1] == 2050.0
    assert "已保存" in bot_dms(bot, SUPPLY)[-1].text and "1 条盘点" in bot_dms(bot, SUPPLY)[-1].text

    bot.slack.click(SUPPLY, Stock.A_RECORD_OUTPUT, "output")
    assert "只有生产部（或管理层）可以登记产量。" in ephemeral_texts(bot)[-1]


def test_a_spreadsheet_and_the_template_in_chinese(bot) -> None:  # noqa: ANN001
    from openpyxl import load_workbook

    rows = [
        ["编码", "日期", "数量"],
        ["ALLOY-A", TODAY, 100],
        ["NOPE-1", TODAY, 1],
        ["ALLOY-A", "2026-11-20", "很多"],
    ]
    upload(bot, SUPPLY, "盘点.csv", csv(rows))
    shown = preview(bot, SUPPLY)
    text = "\n".join(b["text"]["text"] for b in shown.blocks if b.get("text"))
    assert "*盘点.csv*：读取 3 行。 2 行无法导入：" in text
    assert "第 3 行：`NOPE-1` 不是库存中的编码。" in text
    assert "第 4 行：数量 `很多` 不是数字。" in text
    upload(bot, SUPPLY, "好.csv", csv(rows[:2]))
    shown = preview(bot, SUPPLY)
    assert button_labels(shown) == ["导入", "取消"]
    bot.slack.press(SUPPLY, shown, "导入")
    assert "已从 *好.csv* 导入 1 行。" in ephemeral_texts(bot)[-1]

    assert stock(bot, SUPPLY, "模板").body.decode() == "模板将通过私信发给你。"
    sent = bot.standin.file_messages(SUPPLY)
    sent = [m for m in sent if m.user is None]
    assert len(sent) == 1 and sent[0].text.startswith("库存模板：")
    sheet = load_workbook(io.BytesIO(bot.standin.file_bytes(sent[0].files[0]["id"]))).active
    assert next(sheet.iter_rows(values_only=True)) == ("编码", "名称", "单位", "日期", "数量", "单价")
