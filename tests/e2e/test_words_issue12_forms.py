"""Issue 12's new words in Chinese and under the pseudo-locale: the new-order form's figures and
type-ahead, "Correct answer" (form, thread, refusals), promises waiting for a manager (digest,
Home) and the card's over-plan flag."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.ids import Action
from bot.orders.blocks import APPROVE_PROMISE, CORRECT_ANSWER
from bot.orders.modals import PRODUCT_CODE, PRODUCT_SEARCH
from bot.sweep import run_due
from tests.conftest import MANAGER, ORDERS, PRODUCTION_A, SALES, SUPPLY, make_config
from tests.e2e.test_correct_answer import open_correction
from tests.e2e.test_digest import text_of
from tests.e2e.test_kpi_home import block_text, open_home
from tests.e2e.test_order_catalogue import PRODUCTS
from tests.e2e.test_order_plan import approve_plans, confirm
from tests.e2e.test_order_preview import change, open_form, shown
from tests.e2e.test_promise_approval import MANAGER_B, REASON, approval, ask_manager
from tests.e2e.test_pseudo_orders import keyed, press
from tests.helpers import (
    ORDER_DEFAULTS,
    ephemeral_texts,
    find,
    mrkdwn_texts,
    thread,
)
from tests.leaks import leaks, pseudo, texts_of, unmarked_words  # noqa: F401
from workflows.config import Config

TEAMS = {"sales": [SALES], "production": ["S02"], "supply": [SUPPLY], "managers": [MANAGER, MANAGER_B]}
DATA = [
    *(ORDER_DEFAULTS[k] for k in ("customer", "product", "specification")),
    *(p[k] for p in PRODUCTS for k in ("code", "name", "unit")),
    "Globex",
    REASON,
    "Supplier closed",
    "managers",
    "MTR-7",
    "pcs",
]
LONG = [{"code": f"P-{i:03d}", "name": f"Part {i}", "unit": "pcs"} for i in range(150)]


class TestChinese:
    @pytest.fixture
    def config(self) -> Config:
        return make_config(language="zh-CN", language_per_user=False, products=PRODUCTS, teams=TEAMS)

    def test_the_form_says_what_the_month_has_left_in_chinese(self, bot) -> None:  # noqa: ANN001
        approve_plans(bot, ("2026-12", 900))
        view = open_form(bot)
        values = {**ORDER_DEFAULTS, "product": None, PRODUCT_CODE: "GBX-100-HD"}
        assert shown(change(bot, view, "requested_date", **values)) == (
            "GBX-100 2026年12月可承诺：900（计划共 900）。"
        )
        values["requested_date"] = "2027-03-01"
        assert "GBX-100" in shown(change(bot, view, "requested_date", **values))

    def test_correct_answer_reads_in_chinese(self, bot) -> None:  # noqa: ANN001
        confirm(bot, 1)
        echo = find(thread(bot), "生产部已答复 CO-0001")
        assert [
            e["text"]["text"]
            for b in echo.blocks
            for e in b.get("elements", [])
            if "text" in e and e.get("type") == "button"
        ] == ["更正答复"]
        view = open_correction(bot, PRODUCTION_A, "生产部已答复 CO-0001")
        assert (view["title"]["text"], view["submit"]["text"]) == ("更正 · CO-0001", "保存更正")
        assert (
            bot.slack.submit(
                PRODUCTION_A, view, {"can_do": "yes", "lead_time_days": "20", "notes": ""}
            ).status
            == 200
        )
        texts = mrkdwn_texts(find(thread(bot), "生产部更正了对 CO-0001 的答复"))
        assert (
            f":pencil2: <@{PRODUCTION_A}> 更正了生产部对 CO-0001 的答复："
            "可以，生产周期 10 天 → *可以，生产周期 20 天*" in texts
        )
        assert any(t.startswith("现在最早可行交期为 ") for t in texts), texts
        press(bot, SUPPLY, find(thread(bot), "生产部已答复 CO-0001"), CORRECT_ANSWER)  # not production
        assert ephemeral_texts(bot)[-1].startswith(":no_entry_sign: ")
        assert "Only" not in ephemeral_texts(bot)[-1]

    def test_a_promise_waiting_for_a_manager_reads_in_chinese(self, bot) -> None:  # noqa: ANN001
        ask_manager(bot)
        assert "待批准的承诺" in block_text(open_home(bot, MANAGER))
        run_due(bot.svc, datetime(2026, 11, 26, 1, 0, tzinfo=UTC))
        [posted] = [
            m for m in bot.standin.messages(ORDERS) if m.thread_ts is None and m.text.startswith("每日摘要")
        ]
        text = text_of(posted.blocks)
        assert "*:hourglass_flowing_sand: 等待经理批准的交期承诺* （1）" in text
        assert f"<@{SALES}> 等待经理批准" in text
        assert press(bot, MANAGER, approval(bot), APPROVE_PROMISE).status == 200
        assert "*超出计划*" in str(keyed(bot, "order:2:card").blocks)


class TestPseudo:
    @pytest.fixture
    def config(self) -> Config:
        return make_config(products=PRODUCTS, teams=TEAMS)

    def test_the_forms_figures_speak_only_catalog_words(self, bot, pseudo) -> None:  # noqa: ANN001, F811
        approve_plans(bot, ("2026-12", 900))
        view = open_form(bot)
        values = {**ORDER_DEFAULTS, "product": None, PRODUCT_CODE: "GBX-100"}
        for day in ("2026-12-20", "2027-02-01"):
            values["requested_date"] = day
            updated = change(bot, view, "requested_date", **values)
            assert shown(updated).startswith("⟦"), shown(updated)
            assert [(t, w) for t in texts_of(updated) if (w := unmarked_words(t, DATA))] == []
        assert leaks(bot, DATA) == []

    def test_correct_answer_speaks_only_catalog_words(self, bot, pseudo) -> None:  # noqa: ANN001, F811
        confirm(bot, 1)
        echo = [
            m
            for m in thread(bot)
            if any(e.get("action_id") == CORRECT_ANSWER for b in m.blocks for e in b.get("elements", []))
        ]
        assert len(echo) == 2  # production's and supply's answers
        view_message = echo[0]
        value = next(
            e["value"]
            for b in view_message.blocks
            for e in b.get("elements", [])
            if e.get("action_id") == CORRECT_ANSWER
        )
        assert press(bot, PRODUCTION_A, view_message, CORRECT_ANSWER).status == 200
        view = bot.slack.last_view()
        assert (
            bot.slack.submit(
                PRODUCTION_A, view, {"can_do": "yes", "lead_time_days": "20", "notes": ""}
            ).status
            == 200
        )
        assert press(bot, SUPPLY, view_message, CORRECT_ANSWER).status == 200  # refused: not production
        supply_echo = echo[1]
        assert press(bot, SUPPLY, supply_echo, CORRECT_ANSWER).status == 200
        view = bot.slack.last_view()
        no = {"can_do": "no", "material_date": None, "notes": "Supplier closed"}
        assert bot.slack.submit(SUPPLY, view, no).status == 200  # declined
        assert press(bot, SUPPLY, supply_echo, CORRECT_ANSWER).status == 200
        yes = {"can_do": "yes", "material_date": "2026-12-07", "notes": ""}
        assert bot.slack.submit(SUPPLY, bot.slack.last_view(), yes).status == 200  # goes ahead again
        assert press(bot, SALES, keyed(bot, "order:1:r1:commit"), Action.COMMIT).status == 200
        reply = bot.slack.submit(SALES, bot.slack.last_view(), {"committed_date": "2026-12-28", "notes": ""})
        assert reply.status == 200 and b"errors" not in reply.body  # after the earliest: 7 Dec + 20 days
        stale = bot.slack.click(PRODUCTION_A, CORRECT_ANSWER, value, message=view_message)
        assert stale.status == 200  # refused: committed (a copy of the button from before)
        refusals = [r.args["text"] for r in bot.standin.responses()]
        assert len(refusals) == 2 and all(t.startswith(":no_entry_sign: ⟦") for t in refusals), refusals
        assert leaks(bot, DATA) == []

    def test_approvals_in_digest_home_and_over_plan_speak_only_catalog_words(self, bot, pseudo) -> None:  # noqa: ANN001, F811
        ask_manager(bot)
        home = open_home(bot, MANAGER)
        assert [(t, w) for t in texts_of(home) if (w := unmarked_words(t, DATA))] == []
        run_due(bot.svc, datetime(2026, 11, 26, 1, 0, tzinfo=UTC))
        assert press(bot, MANAGER, approval(bot), APPROVE_PROMISE).status == 200
        assert leaks(bot, DATA) == []


class TestPseudoTypeAhead:
    @pytest.fixture
    def config(self) -> Config:
        return make_config(products=LONG)

    def test_the_type_ahead_speaks_only_catalog_words(self, bot, pseudo) -> None:  # noqa: ANN001, F811
        view = open_form(bot)
        data = [*DATA, *(p["code"] for p in LONG), *(p["name"] for p in LONG), "pcs"]
        assert [(t, w) for t in texts_of(view) if (w := unmarked_words(t, data))] == []
        options = bot.slack.suggest(SALES, view, PRODUCT_SEARCH, "Part 1")
        assert [(t, w) for t in texts_of(options) if (w := unmarked_words(t, data))] == []
        assert options[-1]["text"]["text"].startswith("⟦")
