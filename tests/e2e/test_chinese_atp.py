"""The catalogue's form and the plan's reasoning in Chinese (`language = "zh-CN"`), within Slack's
limits (issue 12)."""

from __future__ import annotations

import pytest

from bot.orders.modals import PRODUCT_CODE
from tests.conftest import make_config
from tests.e2e.test_order_catalogue import PRODUCTS, block, new_order, open_form
from tests.helpers import get_order, inline_errors
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
