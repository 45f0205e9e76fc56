"""The new /kpi lines (on time to the promise, internal date moves, promises beyond the plan, plan
attainment per line) in English, in Chinese and under the pseudo-locale, through signed requests;
and in the review agenda, where last month's attainment sits next to plan against actual."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.review.blocks import agenda_message
from bot.text import CHINESE, ENGLISH, PSEUDO, language
from storage.models import ChangeOrigin, OrderChange, OrderEvent, OrderStatus
from storage.review_models import ReviewPlan
from tests.conftest import MANAGER, SALES, make_config
from tests.e2e.test_digest import text_of
from tests.e2e.test_review import text_of as agenda_text
from tests.leaks import leaks, pseudo, texts_of, unmarked_words  # noqa: F401
from tests.unit.test_digest import add_order
from workflows import review

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # the bot's clock: Wed 25 Nov 2026, 09:00 in Shanghai
IN_NOV = datetime(2026, 11, 5, 2, 0, tzinfo=UTC)
DATA = ["ACME Gears", "GBX-100", "MTR-7"]


def recorded(bot) -> None:  # noqa: ANN001
    """November: a plan for GBX-100 (900) and MTR-7 (450); two deliveries, one moved internally.

    - order 1: 500 × GBX-100 committed for 10 Nov, moved internally to 20 Nov, delivered 20 Nov:
      on time to the moved date, late to the promise (10 Nov).
    - order 2: 400 × GBX-100 committed for 12 Nov, the customer moved it to 18 Nov, delivered 18 Nov:
      on time both ways.
    - overrides: 2 requested, 1 approved, 1 rejected.
    Attainment GBX-100: committed 500 + 400 = 900 of 900 (100%), delivered 900 (100%).
    """
    with bot.svc.session() as session:
        rows = [
            {"product": "GBX-100", "agreed": 900, "capacity_target": 950},
            {"product": "MTR-7", "agreed": 450, "capacity_target": 475},
        ]
        session.add(ReviewPlan(month="2026-11", rows=rows, approved_by=MANAGER, approved_at=IN_NOV))
        moved = [
            (500, date(2026, 11, 10), date(2026, 11, 20), ChangeOrigin.INTERNAL),
            (400, date(2026, 11, 12), date(2026, 11, 18), ChangeOrigin.CUSTOMER),
        ]
        for quantity, first, then, origin in moved:
            order = add_order(
                session,
                OrderStatus.DELIVERED,
                line="GBX-100",
                quantity=quantity,
                committed_date=then,
                delivered_date=then,
            )
            session.add(
                OrderChange(
                    order_id=order.id,
                    requested_by=SALES,
                    requested_at=IN_NOV,
                    origin=origin,
                    before={"quantity": quantity, "committed_date": first.isoformat()},
                    after={"quantity": quantity, "committed_date": then.isoformat()},
                )
            )
        for n, kind in enumerate(
            ["approval_requested", "approval_requested", "approval_approved", "approval_rejected"]
        ):
            session.add(OrderEvent(order_id=order.id, at=IN_NOV + timedelta(hours=n), kind=kind, data={}))


def kpi_text(bot, text: str = "2026-11") -> str:  # noqa: ANN001
    reply = bot.slack.command(SALES, text, command="/kpi")
    assert reply.status == 200
    return text_of(reply.json()["blocks"])


def test_kpi_shows_the_promise_the_overrides_and_the_attainment(bot) -> None:  # noqa: ANN001
    recorded(bot)
    text = kpi_text(bot)
    assert "• On-time delivery: *100% (2 of 2)*" in text  # to the moved dates
    assert "• On-time to the promise: *50% (1 of 2)*" in text  # order 1 was promised for 10 Nov
    assert "• Internal date moves: *1*" in text
    assert "• Promises beyond the plan: *2 requested · 1 approved · 1 rejected*" in text
    assert "*Plan attainment · November 2026* (committed and delivered against agreed)" in text
    assert "• GBX-100 · agreed 900 · committed 900 (100%) · delivered 900 (100%)" in text
    assert "• MTR-7 · agreed 450 · committed 0 (0%) · delivered 0 (0%)" in text
    assert "On-time to the promise: delivered on or before the first committed date" in text
    december = kpi_text(bot, "2026-12")
    assert "_November 2026: 50% (1 of 2)_" in december and "Plan attainment" not in december


class TestChinese:
    @pytest.fixture
    def config(self):  # noqa: ANN201
        return make_config(language="zh-CN", language_per_user=False)

    def test_the_new_kpi_lines_read_in_chinese(self, bot) -> None:  # noqa: ANN001
        recorded(bot)
        text = kpi_text(bot)
        assert "• 按时交货率：*100%（2 项中 2 项）*" in text
        assert "• 按承诺交期按时交货率：*50%（2 项中 1 项）*" in text
        assert "• 内部原因改期次数：*1*" in text
        assert "• 超出计划的承诺：*申请 2 · 批准 1 · 驳回 1*" in text
        assert "*计划达成 · 2026年11月*（已承诺和已交付数量与议定数量对比）" in text
        assert "• GBX-100 · 议定 900 · 已承诺 900（100%） · 已交付 900（100%）" in text
        assert "只有客户要求的变更才会改动承诺交期" in text


def test_the_new_kpi_lines_speak_only_catalog_words(bot, pseudo) -> None:  # noqa: ANN001, F811
    recorded(bot)
    for text in ("2026-11", "2026-12", "2026年11月"):
        assert bot.slack.command(SALES, text, command="/kpi").status == 200
    assert leaks(bot, DATA) == []


def agenda_of_january(bot):  # noqa: ANN001, ANN201
    recorded(bot)  # the review in December plans January; its last full month is November
    with bot.svc.session() as session:
        agenda = review.agenda(session, bot.svc.context().config, "2027-01", NOW)
    assert agenda.actual_month == "2026-11" and len(agenda.attainment) == 2
    return agenda


def test_the_agenda_shows_last_months_attainment_in_english_and_chinese(bot) -> None:  # noqa: ANN001
    agenda = agenda_of_january(bot)
    with language(ENGLISH):
        shown = agenda_text(agenda_message(agenda)["blocks"])
    assert "*Plan attainment · November 2026* (committed and delivered against agreed)" in shown
    assert "• GBX-100 · agreed 900 · committed 900 (100%) · delivered 900 (100%)" in shown
    assert shown.index("*Plan against actual · November 2026*") < shown.index("*Plan attainment")
    with language(CHINESE):
        shown = agenda_text(agenda_message(agenda)["blocks"])
    assert "*计划达成 · 2026年11月*（已承诺和已交付数量与议定数量对比）" in shown
    assert "• MTR-7 · 议定 450 · 已承诺 0（0%） · 已交付 0（0%）" in shown


def test_the_agenda_attainment_speaks_only_catalog_words(bot, pseudo) -> None:  # noqa: ANN001, F811
    agenda = agenda_of_january(bot)
    with language(PSEUDO):
        message = agenda_message(agenda)
    assert [words for text in texts_of(message) if (words := unmarked_words(text, DATA))] == []
    assert any("GBX-100" in text and "900" in text for text in texts_of(message))
