"""The demand review with many core products: forms and messages stay inside Slack's block limits."""

from __future__ import annotations

import pytest

from bot.sandbox.standin import MAX_MESSAGE_BLOCKS, _check_blocks
from tests.conftest import PRODUCTION_A, SALES, SUPPLY, make_config
from tests.e2e.test_review import agenda, errors, post_agenda, submit, text_of

PRODUCTS = [f"PRODUCT-{i:02d}" for i in range(40)]


@pytest.fixture
def config():  # noqa: ANN201
    return make_config(review={"core_products": PRODUCTS})


def test_with_40_products_forms_and_agenda_stay_within_slack_limits(bot):  # noqa: ANN001
    values = {
        SALES: {f"p{i}.forecast": str(1000 + i) for i in range(40)},
        PRODUCTION_A: {
            **{f"p{i}.achievable": "900" for i in range(40)},
            **{f"p{i}.max_capacity": "1200" for i in range(40)},
        },
        SUPPLY: {f"p{i}.securable": "" for i in range(40)},
    }
    for user, numbers in values.items():
        reply = submit(bot, user, numbers)
        assert errors(reply) == {}, errors(reply)
    production_form = bot.standin.calls_to("views.open")[1].args["view"]
    assert len(production_form["blocks"]) == 82  # notes folded into one team note: 40 × 2 + intro + note
    post_agenda(bot)
    message = agenda(bot)
    assert len(message.blocks) <= MAX_MESSAGE_BLOCKS
    text = text_of(message.blocks)
    assert all(f"*{p}*" in text for p in PRODUCTS)
    assert "*PRODUCT-39* · forecast 1,039" in text
    reply = bot.slack.command(SALES, "agenda", command="/review").json()
    _check_blocks(reply["blocks"], MAX_MESSAGE_BLOCKS)
