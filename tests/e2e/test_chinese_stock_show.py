"""The stock figures of the digest, `/kpi` and the review agenda in Chinese (`language = "zh-CN"`),
end to end, inside Slack's limits (the flow of tests/e2e/test_stock_show.py)."""

from __future__ import annotations

import pytest

from bot.sweep import run_due
from tests.conftest import PRODUCTION_A, SALES, SUPPLY, make_config
from tests.e2e.test_digest import dms, text_of
from tests.e2e.test_review import post_agenda
from tests.e2e.test_review import text_of as agenda_text
from tests.e2e.test_stock_show import MATERIALS, NOW, channel_digest, recorded, token  # noqa: F401
from workflows.config import Config


@pytest.fixture
def config() -> Config:
    return make_config(language="zh-CN", language_per_user=False, materials=MATERIALS)


def test_the_digests_stock_section_reads_in_chinese(bot, token) -> None:  # noqa: ANN001, F811
    recorded(bot)
    run_due(bot.svc, NOW)
    text = text_of(channel_digest(bot).blocks)
    assert "*:small_red_triangle_down: 低于安全库存* （1）" in text
    assert "• *Alloy A*（ALLOY-A） · 现有库存 2,050 kg · 安全库存 2,500 kg · *可用 41 天*" in text
    assert "*:package: 未达本月备料目标的物料* （1）" in text
    assert "• *Alloy A*（ALLOY-A） 可供 820 件 GBX-100（目标 1,000） · 缺口 180" in text
    assert "*:hourglass: 库存盘点已过期* （2）" in text
    assert "• *MTR-7* · 最近盘点 2026年11月10日（周二） · *15 天前*" in text
    for english in ("on hand", "covers", "last counted", "days ago", "Stock"):
        assert english not in text, english
    [supply] = dms(bot, SUPPLY)
    assert supply["text"] == "你的摘要：2 项库存需要关注"
    [production] = dms(bot, PRODUCTION_A)
    intro = production["blocks"][0]["text"]["text"]
    assert (
        intro == f":wave: <@{PRODUCTION_A}> 今天（2026年11月25日（周三））你所在部门负责的 2 项库存需要关注："
    )
    assert bot.standin.invalid == []


def test_kpi_turnover_reads_in_chinese(bot, token) -> None:  # noqa: ANN001, F811
    recorded(bot)
    reply = bot.slack.command(SALES, "2026年11月", command="/kpi")
    text = text_of(reply.json()["blocks"])
    assert "*生产部 · 库存周转率*" in text
    assert (
        "• 库存周转率 · GBX-100：*3.0× · 库存天数 10 天（发货 1,200，平均库存 400） · "
        "按金额 3.0×（平均库存金额 20,000）*" in text
    )
    assert "_2026年10月：—（2026年10月 之前无盘点，缺少期初库存）_" in text
    assert "库存周转率：当月发货量 ÷ 平均库存量" in text
    assert "turnover" not in text and "on hand" not in text
    assert bot.standin.invalid == []


def test_the_agendas_plan_against_actual_reads_in_chinese(bot, token) -> None:  # noqa: ANN001, F811
    recorded(bot)
    post_agenda(bot)
    text = agenda_text(agenda_message(bot).blocks)
    assert "*计划与实际 · 2026年11月*（括号内为与议定数量的差额）" in text
    assert "• GBX-100 · 议定 900 · 生产 500（−400） · 发货 1,200（+300）" in text
    assert "• MTR-7 · 无已批准的计划 · 生产 0 · 发货 0" in text
    assert "Plan against actual" not in text and "agreed" not in text
    assert bot.standin.invalid == []


def agenda_message(bot):  # noqa: ANN001, ANN201
    """The agenda, whose fallback text is Chinese here (tests/e2e/test_review.py finds the English one)."""
    found = [m for m in bot.standin.messages("C0123REVIEW") if m.thread_ts is None and "需求评审" in m.text]
    assert len(found) == 1, [m.text for m in bot.standin.messages("C0123REVIEW")]
    return found[0]
