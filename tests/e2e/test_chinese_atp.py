"""The catalogue's form and the plan's reasoning in Chinese (`language = "zh-CN"`), within Slack's
limits (issue 12)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.ids import Action
from bot.orders.blocks import REJECT_PROMISE
from bot.orders.modals import OVERRIDE_REASON, PRODUCT_CODE
from bot.sweep import run_due
from tests.conftest import MANAGER, SALES, make_config
from tests.e2e.test_order_catalogue import PRODUCTS, block, new_order, open_form
from tests.e2e.test_order_plan import approve_plans, commit, confirm
from tests.e2e.test_promise_approval import MANAGER_B, approval, over_plan, thread
from tests.e2e.test_pseudo_orders import keyed, press
from tests.helpers import buttons, get_order, inline_errors, mrkdwn_texts
from workflows.config import Config
from workflows.inputs import NOT_IN_CATALOGUE


@pytest.fixture
def config() -> Config:
    return make_config(language="zh-CN", language_per_user=False, products=PRODUCTS)


def test_the_catalogue_form_reads_in_chinese(bot) -> None:  # noqa: ANN001
    view = open_form(bot)
    select = block(view, PRODUCT_CODE)
    assert select["label"]["text"] == "产品"
    assert select["element"]["placeholder"]["text"] == "选择产品"
    assert select["element"]["options"][-1]["text"]["text"] == "不在产品目录中（在下方填写）"
    assert all(len(o["text"]["text"]) <= 75 for o in select["element"]["options"])
    assert block(view, "product")["label"]["text"] == "目录外产品"
    errors = inline_errors(new_order(bot, "GBX-100", "蓝色减速机"))
    assert (
        errors["product"]
        == "你已从产品目录中选择了 GBX-100，又在这里填写了产品：请清空此栏，或选择“不在产品目录中”。"
    )
    errors = inline_errors(new_order(bot, "GONE-1"))
    assert errors[PRODUCT_CODE] == "GONE-1 已不在产品目录中；请选择其他产品，或选择“不在产品目录中”。"
    assert new_order(bot, NOT_IN_CATALOGUE, "蓝色减速机").status == 200
    assert (get_order(bot).product, get_order(bot).product_code) == ("蓝色减速机", None)


class TestThePlansReasoning:
    @pytest.fixture
    def config(self) -> Config:
        return make_config(language="zh-CN", language_per_user=False)

    def test_the_commit_prompt_and_form_give_the_reasoning_in_chinese(self, bot) -> None:  # noqa: ANN001
        approve_plans(bot, ("2026-12", 900), ("2027-01", 900))
        confirm(bot, 1, quantity="800")
        commit(bot, 1, "2026-12-20")
        prompt = confirm(bot, 2, quantity="250", customer="Globex")
        reasoning = (
            ":bar_chart: GBX-100 2026年12月计划：900 中剩余 100；2027年1月：900 中剩余 900"
            " → 最早交期 2027年1月1日（周五）"
        )
        assert reasoning in mrkdwn_texts(prompt)
        assert "最早可行交期：*2027年1月1日（周五）*" in mrkdwn_texts(prompt)[1]
        assert press(bot, SALES, prompt, Action.COMMIT).status == 200
        form = bot.slack.last_view()
        shown = [e["text"] for b in form["blocks"] if b["type"] == "context" for e in b["elements"]]
        assert reasoning in shown and "GBX-100 2026年12月可承诺：100（计划共 900）。" in shown
        assert len(form["title"]["text"]) <= 24


class TestAPromiseForAManager:
    @pytest.fixture
    def config(self) -> Config:
        teams = {"sales": [SALES], "production": ["S02"], "supply": ["U03"], "managers": [MANAGER, MANAGER_B]}
        return make_config(language="zh-CN", language_per_user=False, teams=teams)

    def test_the_override_and_the_managers_decision_read_in_chinese(self, bot) -> None:  # noqa: ANN001
        form = over_plan(bot)
        assert block(form, OVERRIDE_REASON)["label"]["text"] == "超计划承诺理由"
        errors = inline_errors(bot.slack.submit(SALES, form, {"committed_date": "2026-12-20", "notes": ""}))
        assert errors["committed_date"] == (
            "2026年12月20日（周日） 早于最早可行交期（2027年1月1日（周五）），"
            "且 GBX-100 2026年12月计划仅剩 100，不够 250。如仍要承诺，请填写超计划承诺理由：须经管理层批准。"
        )
        reply = bot.slack.submit(
            SALES, form, {"committed_date": "2026-12-20", "notes": "", "override_reason": "大客户"}
        )
        assert reply.status == 200
        message = approval(bot)
        text = str(message.blocks)
        assert (
            "*是否批准超出计划的交期承诺？*" in text
            and "• 250 超过了 GBX-100 2026年12月计划（共 900）剩余的 100。" in text
        )
        assert [b["text"]["text"] for b in buttons(message)] == ["批准承诺", "驳回"]
        run_due(bot.svc, bot.clock.now + timedelta(hours=20))
        assert any("有一项超出计划的交期承诺，仍待管理层批准或驳回" in str(m.blocks) for m in thread(bot))
        assert press(bot, MANAGER, approval(bot), REJECT_PROMISE).status == 200
        reject = bot.slack.last_view()
        assert reject["title"]["text"] == "驳回 · CO-0002" and len(reject["title"]["text"]) <= 24
        assert bot.slack.submit(MANAGER, reject, {"reason": "2号线12月已排满"}).status == 200
        echo = next(m for m in thread(bot) if "驳回了 CO-0002 交期" in str(m.blocks))
        assert "2号线12月已排满" in str(echo.blocks)
        assert "等待销售部确认交期" in str(keyed(bot, "order:2:card").blocks)
