"""No English leaks in the order loop: under the pseudo-locale every word comes from a catalog."""

from tests.conftest import PRODUCTION_A
from tests.helpers import ORDER_DEFAULTS, answer_production, answer_supply, register
from tests.leaks import leaks, pseudo  # noqa: F401

DATA = [ORDER_DEFAULTS["customer"], ORDER_DEFAULTS["product"], ORDER_DEFAULTS["specification"]]


def test_the_order_loop_speaks_only_catalog_words(bot, pseudo):  # noqa: ANN001, F811
    register(bot)
    answer_production(bot)
    answer_supply(bot)
    bot.slack.command(PRODUCTION_A, "new")  # a refusal: production cannot register orders
    assert leaks(bot, DATA) == []
