"""No English leaks in the catalogue's form, its errors and the plan's reasoning (issue 12)."""

from __future__ import annotations

import pytest

from bot.ids import Action
from bot.orders.modals import PRODUCT_CODE
from tests.conftest import SALES, make_config
from tests.e2e.test_order_catalogue import PRODUCTS, new_order, open_form
from tests.e2e.test_order_plan import approve_plans, commit, confirm
from tests.e2e.test_pseudo_orders import press
from tests.helpers import ORDER_DEFAULTS, inline_errors, mrkdwn_texts
from tests.leaks import leaks, pseudo, texts_of, unmarked_words  # noqa: F401
from workflows.config import Config
from workflows.inputs import NOT_IN_CATALOGUE

DATA = [
    *(ORDER_DEFAULTS[k] for k in ("customer", "product", "specification")),
    *(p[k] for p in PRODUCTS for k in ("code", "name", "unit")),
    "MTR-7",
    "pcs",
    "Blue gearbox",
    "GONE-1",
]


@pytest.fixture
def config() -> Config:
    return make_config(products=PRODUCTS)


def test_the_catalogue_form_and_its_errors_speak_only_catalog_words(bot, pseudo) -> None:  # noqa: ANN001, F811
    view = open_form(bot)
    assert [(t, w) for t in texts_of(view) if (w := unmarked_words(t, DATA))] == []
    errors = inline_errors(new_order(bot, "GBX-100", "Blue gearbox"))
    assert errors["product"].startswith("⟦"), errors
    errors = inline_errors(new_order(bot, "GONE-1"))
    assert errors[PRODUCT_CODE].startswith("⟦"), errors
    errors = inline_errors(new_order(bot, NOT_IN_CATALOGUE, ""))
    assert errors["product"].startswith("⟦"), errors
    assert new_order(bot, NOT_IN_CATALOGUE, "Blue gearbox").status == 200
    assert leaks(bot, DATA) == []


class TestThePlansReasoning:
    @pytest.fixture
    def config(self) -> Config:
        return make_config()

    def test_the_commit_prompt_and_form_speak_only_catalog_words(self, bot, pseudo) -> None:  # noqa: ANN001, F811
        approve_plans(bot, ("2026-12", 900), ("2027-01", 900))
        confirm(bot, 1, quantity="800")
        commit(bot, 1, "2026-12-20")
        prompt = confirm(bot, 2, quantity="250", customer="Globex")
        assert any(t.startswith("⟦:bar_chart:") for t in mrkdwn_texts(prompt)), mrkdwn_texts(prompt)
        assert press(bot, SALES, prompt, Action.COMMIT).status == 200
        form = bot.slack.last_view()
        assert [(t, w) for t in texts_of(form) if (w := unmarked_words(t, [*DATA, "Globex"]))] == []
        assert leaks(bot, [*DATA, "Globex"]) == []
