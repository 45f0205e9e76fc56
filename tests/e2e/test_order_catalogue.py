"""The new-order form offers the catalogue (`[[products]]` plus the core products): a select
Slack filters as one types, an explicit "not in the catalogue" choice with a free-text field, the
catalogue code and line stored on the order (free text keeps them NULL)."""

from __future__ import annotations

import pytest

from bot.orders.modals import MAX_SELECT_PRODUCTS, PRODUCT_CODE
from storage.models import Order
from tests.conftest import SALES, make_config
from tests.helpers import ORDER_DEFAULTS, count, decline_by_production, find, get_order, inline_errors, thread
from workflows.config import Config
from workflows.inputs import NOT_IN_CATALOGUE

PRODUCTS = [
    {"code": "GBX-100", "name": "Gearbox 100", "unit": "台"},
    {"code": "GBX-100-HD", "name": "Gearbox 100 heavy duty", "unit": "台", "line": "GBX-100"},
    {"code": "SPARE-KIT", "name": "Spare kit", "unit": "套"},
]


@pytest.fixture
def config() -> Config:
    return make_config(products=PRODUCTS)


def submit(bot, view: dict, values: dict, user: str = SALES):  # noqa: ANN001, ANN201
    """Submit as Slack shapes it: a static_select's choice arrives as `selected_option`."""
    state: dict[str, dict] = {}
    for block in view["blocks"]:
        if block.get("type") != "input":
            continue
        element, value = block["element"], values.get(block["block_id"])
        kind = element["type"]
        if kind == "static_select":
            options = {o["value"]: o for o in element["options"]}
            entry = {"type": kind, "selected_option": options.get(value) if value else None}
            if value and value not in options:  # a code the form did not offer (a stale form)
                entry["selected_option"] = {"text": {"type": "plain_text", "text": value}, "value": value}
        elif kind == "datepicker":
            entry = {"type": kind, "selected_date": value}
        elif kind == "radio_buttons":
            entry = {"type": kind, "selected_option": value and {"value": value}}
        else:
            entry = {"type": kind, "value": value}
        state[block["block_id"]] = {element["action_id"]: entry}
    return bot.slack.interactive(
        {
            "type": "view_submission",
            "team": {"id": "T0001", "domain": "acme"},
            "user": {"id": user, "username": user.lower(), "team_id": "T0001"},
            "api_app_id": "A0001",
            "trigger_id": bot.slack.next_trigger(),
            "view": {"id": "V0001", **view, "team_id": "T0001", "state": {"values": state}, "hash": "h"},
        }
    )


def open_form(bot) -> dict:  # noqa: ANN001
    assert bot.slack.command(SALES, "new").status == 200
    return bot.slack.last_view()


def new_order(bot, picked: str | None, typed: str | None = None):  # noqa: ANN001, ANN201
    values = {**ORDER_DEFAULTS, PRODUCT_CODE: picked, "product": typed}
    return submit(bot, open_form(bot), values)


def block(view: dict, block_id: str) -> dict:
    return next(b for b in view["blocks"] if b.get("block_id") == block_id)


def test_the_form_offers_the_catalogue_and_a_choice_outside_it(bot) -> None:  # noqa: ANN001
    view = open_form(bot)
    select = block(view, PRODUCT_CODE)
    assert select["element"]["type"] == "static_select"
    assert select["optional"] is False  # an explicit choice: a product, or "not in the catalogue"
    options = [(o["value"], o["text"]["text"]) for o in select["element"]["options"]]
    assert options == [
        ("GBX-100", "GBX-100 · Gearbox 100 (台)"),
        ("MTR-7", "MTR-7 (pcs)"),  # a core product [[products]] does not repeat
        ("GBX-100-HD", "GBX-100-HD · Gearbox 100 heavy duty (台)"),
        ("SPARE-KIT", "SPARE-KIT · Spare kit (套)"),
        (NOT_IN_CATALOGUE, "Not in the catalogue (type it below)"),
    ]
    free = block(view, "product")
    assert free["optional"] is True and free["label"]["text"] == "Product not in the catalogue"


def test_a_picked_product_stores_its_code_and_line(bot) -> None:  # noqa: ANN001
    reply = new_order(bot, "GBX-100-HD")
    assert reply.status == 200 and "errors" not in (reply.body or b"{}").decode()
    order = get_order(bot)
    assert (order.product, order.product_code, order.line) == ("GBX-100-HD", "GBX-100-HD", "GBX-100")


def test_a_product_outside_the_catalogue_keeps_its_free_text_and_no_line(bot) -> None:  # noqa: ANN001
    assert new_order(bot, NOT_IN_CATALOGUE, "Special gearbox, blue").status == 200
    order = get_order(bot)
    assert (order.product, order.product_code, order.line) == ("Special gearbox, blue", None, None)


def test_a_typed_catalogue_code_is_the_catalogue_product_not_a_second_one(bot) -> None:  # noqa: ANN001
    assert new_order(bot, NOT_IN_CATALOGUE, " gbx-100 ").status == 200
    order = get_order(bot)
    assert (order.product, order.product_code, order.line) == ("GBX-100", "GBX-100", "GBX-100")


def test_a_catalogue_product_on_no_line_has_a_code_and_no_line(bot) -> None:  # noqa: ANN001
    assert new_order(bot, "SPARE-KIT").status == 200
    order = get_order(bot)
    assert (order.product_code, order.line) == ("SPARE-KIT", None)


@pytest.mark.parametrize(
    ("picked", "typed", "field", "says"),
    [
        (NOT_IN_CATALOGUE, "", "product", "Enter the product"),
        (None, None, "product", "Enter the product"),
        ("GBX-100", "Other gearbox", "product", "You picked GBX-100 from the catalogue"),
        ("GONE-1", None, PRODUCT_CODE, "GONE-1 is not in the catalogue any more"),
    ],
)
def test_a_product_neither_picked_nor_typed_is_an_inline_error(bot, picked, typed, field, says) -> None:  # noqa: ANN001
    reply = new_order(bot, picked, typed)
    errors = inline_errors(reply)
    assert says in errors[field], errors
    assert count(bot, Order) == 0


def test_revising_prefills_the_picked_product_or_the_free_text(bot) -> None:  # noqa: ANN001
    assert new_order(bot, "GBX-100").status == 200
    decline_by_production(bot)
    bot.slack.press(SALES, find(thread(bot), "was declined"), "Revise order")
    view = bot.slack.last_view()
    assert block(view, PRODUCT_CODE)["element"]["initial_option"]["value"] == "GBX-100"
    assert "initial_value" not in block(view, "product")["element"]
    # revised to a product outside the catalogue: code and line go back to NULL
    values = {**ORDER_DEFAULTS, PRODUCT_CODE: NOT_IN_CATALOGUE, "product": "Special gearbox"}
    assert submit(bot, view, values).status == 200
    order = get_order(bot)
    assert (order.product, order.product_code, order.line, order.revision) == (
        "Special gearbox",
        None,
        None,
        2,
    )


class TestWithoutProducts:
    @pytest.fixture
    def config(self) -> Config:
        return make_config()  # core products only: the form is free text as before

    def test_the_form_stays_free_text_and_a_typed_core_code_finds_its_line(self, bot) -> None:  # noqa: ANN001
        view = open_form(bot)
        assert PRODUCT_CODE not in {b.get("block_id") for b in view["blocks"]}
        assert block(view, "product")["element"]["type"] == "plain_text_input"
        assert submit(bot, view, {**ORDER_DEFAULTS, "product": "mtr-7"}).status == 200
        order = get_order(bot)
        assert (order.product, order.product_code, order.line) == ("MTR-7", "MTR-7", "MTR-7")


class TestALongCatalogue:
    @pytest.fixture
    def config(self) -> Config:
        many = [{"code": f"P-{i:03d}", "name": f"Part {i}", "unit": "pcs"} for i in range(120)]
        return make_config(products=many)

    def test_over_the_selects_limit_the_form_takes_a_typed_code(self, bot) -> None:  # noqa: ANN001
        assert MAX_SELECT_PRODUCTS < 120
        view = open_form(bot)  # Slack refuses a static_select over 100 options: none is offered
        assert PRODUCT_CODE not in {b.get("block_id") for b in view["blocks"]}
        assert "catalogue" in block(view, "product")["hint"]["text"]
        assert submit(bot, view, {**ORDER_DEFAULTS, "product": "p-117"}).status == 200
        assert get_order(bot).product_code == "P-117"
