"""The catalogue's form and the plan's reasoning in Chinese (`language = "zh-CN"`), within Slack's
limits (issue 12)."""

from __future__ import annotations

import pytest

from bot.ids import Action
from bot.orders.modals import PRODUCT_CODE
from tests.conftest import SALES, make_config
from tests.e2e.test_order_catalogue import PRODUCTS, block, new_order, open_form
from tests.e2e.test_order_plan import approve_plans, commit, confirm
from tests.e2e.test_pseudo_orders import press
from tests.helpers import get_order, inline_errors, mrkdwn_texts
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
