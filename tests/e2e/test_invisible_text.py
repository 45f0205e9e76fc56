"""Names and codes typed with invisible marks are saved without them: one customer reads as one."""

from __future__ import annotations

import pytest

from storage import review_repo
from storage.models import Order
from tests.conftest import SALES, SUPPLY
from tests.e2e.test_review import MONTH, SUPPLY_NUMBERS, submit
from tests.helpers import card, count, get_order, inline_errors, register, submit_new_order

# zero-width space, non-joiner, joiner, BOM, LRM, RLM, line and paragraph separators, soft hyphen, WJ
INVISIBLE = list("\u200b\u200c\u200d\ufeff\u200e\u200f\u2028\u2029\u00ad\u2060")


@pytest.mark.parametrize("mark", INVISIBLE)
def test_a_customer_and_product_typed_with_an_invisible_mark_are_saved_without_it(bot, mark) -> None:  # noqa: ANN001
    register(bot, customer="ACME Gears", product="GBX-100")
    register(bot, customer=f"{mark}ACME{mark} Gears", product=f"GBX-{mark}100{mark}")
    first, second = get_order(bot, 1), get_order(bot, 2)
    assert (second.customer, second.product) == (first.customer, first.product) == ("ACME Gears", "GBX-100")
    assert card(bot).text.startswith("CO-0002 for ACME Gears")
    listed = bot.slack.command(SALES, "list").json()
    text = "\n".join(b["text"]["text"] for b in listed["blocks"])
    assert text.count("ACME Gears · 250 × GBX-100") == 2


def test_the_specification_keeps_a_joiner_that_holds_an_emoji_together(bot) -> None:  # noqa: ANN001
    family = "\U0001f469\u200d\U0001f469\u200d\U0001f467"
    register(bot, specification=f"Gift boxes for {family}")
    assert get_order(bot).specification == f"Gift boxes for {family}"


def test_a_customer_of_nothing_but_invisible_marks_is_an_inline_error(bot) -> None:  # noqa: ANN001
    reply = submit_new_order(bot, customer="\u200b\ufeff\u2060")
    assert inline_errors(reply)["customer"] == "Enter the customer name."
    assert count(bot, Order) == 0


def test_a_direction_override_in_a_name_is_still_refused_not_stripped(bot) -> None:  # noqa: ANN001
    reply = submit_new_order(bot, customer="ACME\u200b \u202eSRAEG")
    assert "invisible text-direction characters" in inline_errors(reply)["customer"]
    assert count(bot, Order) == 0


def test_a_review_key_material_is_saved_without_invisible_marks(bot) -> None:  # noqa: ANN001
    submit(bot, SUPPLY, {**SUPPLY_NUMBERS, "p0.key_material": "Material\u200b A\u2060"})
    with bot.svc.session() as session:
        rows = review_repo.current_submissions(session, MONTH)["supply"].rows
    assert rows["GBX-100"]["key_material"] == "Material A"
