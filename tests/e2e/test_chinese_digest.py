"""The daily digest, the personal digests and `/kpi` in Chinese (`language = "zh-CN"`), end to end;
and in a bilingual workspace each DM in its reader's Slack language."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.sweep import run_due
from storage.models import OrderStatus, Problem
from tests.conftest import ORDERS, PRODUCTION_A, SALES, SUPPLY, make_config
from tests.e2e.test_digest import dms, text_of
from tests.unit.test_digest import add_change, add_event, add_order, add_request, post_card
from workflows.config import Config

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 周三 25 Nov 2026, 09:00 in Asia/Shanghai
TODAY = date(2026, 11, 25)


@pytest.fixture
def config() -> Config:
    return make_config(language="zh-CN", language_per_user=False)


def seeded(bot) -> None:  # noqa: ANN001
    """One order waiting on both teams (supply overdue), one awaiting a date, one committed with a
    pending change, late materials, an open problem and a delivery due tomorrow."""
    bot.clock.now = NOW
    with bot.svc.session() as session:
        waiting = add_order(session)
        add_request(session, waiting, "production", NOW + timedelta(hours=5, minutes=30))
        add_request(session, waiting, "supply", NOW - timedelta(days=1, hours=2))
        to_commit = add_order(session, OrderStatus.AWAITING_COMMITMENT)
        committed = add_order(session, OrderStatus.COMMITTED, committed_date=TODAY + timedelta(days=1))
        promise = {"answered_at": NOW, "can_do": True, "material_date": TODAY - timedelta(days=3)}
        add_request(session, committed, "supply", NOW - timedelta(days=5), **promise)
        add_change(session, committed, {"production": None}, NOW + timedelta(hours=6))
        raised = {"raised_by": SALES, "raised_at": NOW - timedelta(hours=3)}
        session.add(Problem(order_id=committed.id, team="supply", description="钢材牌号不对", **raised))
        for order in (waiting, to_commit, committed):
            post_card(session, order)
        add_event(session, waiting, "registered", NOW - timedelta(hours=2))
        add_event(session, committed, "committed", NOW - timedelta(hours=1))


def channel_digest(bot) -> object:  # noqa: ANN001
    [posted] = [m for m in bot.standin.messages(ORDERS) if m.thread_ts is None]
    return posted


def test_the_channel_digest_reads_in_chinese(bot) -> None:  # noqa: ANN001
    seeded(bot)
    run_due(bot.svc, NOW)
    posted = channel_digest(bot)
    assert posted.text.startswith("每日摘要 · 2026年11月25日") and "项待办" in posted.text
    text = text_of(posted.blocks)
    for title in (
        "*:rotating_light: 逾期未答复（最早的在前）* （1）",
        "*:factory: 等待生产部答复* （1）",
        "*:handshake: 等待销售部确认交期* （1）",
        "*:memo: 等待答复的变更* （1）",
        "*:warning: 物料逾期未到* （1）",
        "*:triangular_flag_on_post: 未解决的问题* （1）",
        "*:truck: 未来 7 天内到期的交货* （1）",
    ):
        assert title in text, title
    assert "250 × GBX-100 · *剩余 5小时30分*" in text
    assert "· 供应部 · 应于 <!date^" in text and "*已逾期 1天2小时*" in text
    assert "数量 250 → 300 · 生产部 · *剩余 6小时0分*" in text
    assert (
        "承诺到货日 2026年11月22日（周日） · *已逾期 3 天*" in text
        and "需由 *供应部* 处理：钢材牌号不对" in text
    )
    assert "*:newspaper: 自 <!date^" in text and "• 新建（1）：<" in text and "• 已确认交期（1）：<" in text
    for english in ("Waiting", "left", "overdue", "New (", "Since", "days late", "must act"):
        assert english not in text, english
    assert bot.standin.invalid == []


def test_each_persons_digest_reads_in_chinese(bot) -> None:  # noqa: ANN001
    seeded(bot)
    run_due(bot.svc, NOW)
    [supply] = dms(bot, SUPPLY)
    assert supply["text"] == "你的摘要：3 项待你处理"
    intro = supply["blocks"][0]["text"]["text"]
    assert intro == f":wave: <@{SUPPLY}> 今天（2026年11月25日（周三））有 3 项事务等待你或你所在的部门处理："
    [sales] = dms(bot, SALES)
    assert "*:handshake: 等待销售部确认交期* （1）" in text_of(sales["blocks"])
    assert "客户要求交期 2026年12月20日（周日）" in text_of(sales["blocks"])
    assert bot.standin.invalid == []  # inside Slack's limits in Chinese too


def kpi(bot, text: str = "") -> str:  # noqa: ANN001
    reply = bot.slack.command(SALES, text, command="/kpi")
    assert reply.status == 200
    return text_of(reply.json()["blocks"])


def recorded_november(bot) -> None:  # noqa: ANN001
    with bot.svc.session() as session:
        order = add_order(session)
        add_request(
            session, order, "production", NOW - timedelta(days=2), answered_at=NOW - timedelta(days=3)
        )
        add_request(session, order, "supply", NOW - timedelta(days=2))
        add_order(
            session,
            OrderStatus.DELIVERED,
            committed_date=date(2026, 11, 10),
            delivered_date=date(2026, 11, 12),
            committed_at=NOW - timedelta(days=20),
            created_at=NOW - timedelta(days=22),
        )


def test_kpi_reads_in_chinese_and_names_the_window(bot) -> None:  # noqa: ANN001
    recorded_november(bot)
    text = kpi(bot)
    assert "*共享 KPI · 2026年11月* （对比 2026年10月）" in text
    assert "• 24 小时内确认率 · 生产部：*100%（1 项中 1 项）*" in text
    assert "• 24 小时内确认率 · 供应部：*0%（1 项中 0 项）*" in text
    assert "• 按时交货率：*0%（1 项中 0 项）*" in text
    assert "• 确认交期用时（中位数）：*2天0小时（共 1 个订单）*" in text
    assert "_2026年10月：—（暂无可统计的数据）_" in text
    assert "查看其他月份：`/kpi 2026-10`。" in text


@pytest.mark.parametrize("typed", ["2026年11月", "11月", "２０２６年１１月", "2026 年 11 月份"])
def test_kpi_takes_a_month_the_chinese_way(bot, typed: str) -> None:  # noqa: ANN001
    recorded_november(bot)
    assert "*共享 KPI · 2026年11月* （对比 2026年10月）" in kpi(bot, typed)


def test_kpi_of_a_month_number_is_the_latest_one_begun(bot) -> None:  # noqa: ANN001
    assert "*共享 KPI · 2025年12月* （对比 2025年11月）" in kpi(bot, "12月")  # asked in November 2026
    assert "*共享 KPI · 2026年1月* （对比 2025年12月）" in kpi(bot, "1月")


@pytest.mark.parametrize("typed", ["13月", "2026年0月", "十一月", "0001年1月", "2026年11"])
def test_kpi_with_a_bad_month_explains_the_format_in_chinese(bot, typed: str) -> None:  # noqa: ANN001
    text = kpi(bot, typed)
    assert f"无法识别月份 `{typed}`。" in text and "`/kpi 2026年10月`" in text


@pytest.mark.parametrize("config", [make_config(sla={"working_hours": "09:00-18:00"}, language="zh-CN")])
def test_kpi_names_working_hours_when_the_clock_counts_only_those(bot) -> None:  # noqa: ANN001
    assert "• 24 个工作小时内确认率 · 生产部：" in kpi(bot)


@pytest.mark.parametrize("config", [make_config(language="en")])
def test_in_an_english_workspace_a_chinese_reader_gets_a_chinese_digest_dm(bot) -> None:  # noqa: ANN001
    bot.standin.users[SUPPLY] = {"locale": "zh-CN"}
    seeded(bot)
    run_due(bot.svc, NOW)
    assert channel_digest(bot).text.startswith("Daily digest · Wed 25 Nov 2026")
    assert dms(bot, SUPPLY)[0]["text"] == "你的摘要：3 项待你处理"
    assert dms(bot, PRODUCTION_A)[0]["text"] == "Your digest: 2 items waiting on you"


@pytest.mark.parametrize("config", [make_config(language="zh-CN")])
def test_in_a_chinese_workspace_an_english_reader_gets_an_english_digest_dm(bot) -> None:  # noqa: ANN001
    bot.standin.users[SALES] = {"locale": "en-US"}
    bot.standin.users[SUPPLY] = {"locale": "zh-CN"}
    seeded(bot)
    run_due(bot.svc, NOW)
    assert channel_digest(bot).text.startswith("每日摘要")
    assert dms(bot, SALES)[0]["text"] == "Your digest: 1 item waiting on you"
    assert dms(bot, SUPPLY)[0]["text"] == "你的摘要：3 项待你处理"
