"""The product of a new order: picked from the catalogue or typed outside it (workflows.inputs),
and how the card shows it (its unit, the mark of a product outside the catalogue)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.orders.blocks import order_card
from storage.models import Order
from tests.conftest import SALES, make_config
from workflows.catalogue import catalogue
from workflows.inputs import NOT_IN_CATALOGUE, InputError, order_fields, product_fields

CONFIG = make_config(
    products=[
        {"code": "GBX-100", "name": "Gearbox 100", "unit": "台"},
        {"code": "GBX-100-HD", "name": "Heavy duty", "unit": "台", "line": "GBX-100"},
    ]
)
CATALOGUE = catalogue(CONFIG)


def fields(picked, typed):  # noqa: ANN001, ANN201
    errors: dict = {}
    found = product_fields(errors, picked=picked, typed=typed, catalogue=CATALOGUE)
    return (found.product, found.code, found.line), errors


@pytest.mark.parametrize(
    ("picked", "typed", "expected"),
    [
        ("GBX-100-HD", None, ("GBX-100-HD", "GBX-100-HD", "GBX-100")),
        ("gbx-100-hd", "", ("GBX-100-HD", "GBX-100-HD", "GBX-100")),
        ("GBX-100", "gbx-100", ("GBX-100", "GBX-100", "GBX-100")),  # typed the same product: fine
        (NOT_IN_CATALOGUE, "Blue gearbox", ("Blue gearbox", None, None)),
        (None, "Blue gearbox", ("Blue gearbox", None, None)),
        (NOT_IN_CATALOGUE, "GBX-\u200b100-hd ", ("GBX-100-HD", "GBX-100-HD", "GBX-100")),
        (None, "MTR-7", ("MTR-7", "MTR-7", "MTR-7")),  # a core product [[products]] does not list
    ],
)
def test_a_product_is_picked_or_typed(picked, typed, expected) -> None:  # noqa: ANN001
    assert fields(picked, typed) == (expected, {})


def test_picking_and_typing_another_product_is_refused() -> None:
    assert fields("GBX-100", "Blue gearbox")[1] == {
        "product": InputError("picked_and_typed", "product", {"code": "GBX-100"})
    }


def test_nothing_picked_nor_typed_is_required() -> None:
    assert fields(NOT_IN_CATALOGUE, "  ")[1] == {"product": InputError("required", "product")}


def test_a_code_the_catalogue_lost_is_refused_on_the_select() -> None:
    assert fields("OLD-1", None)[1] == {
        "product_code": InputError("not_in_catalogue", "product", {"code": "OLD-1"})
    }


def test_without_a_catalogue_the_product_is_free_text() -> None:
    parsed, errors = order_fields(
        customer="ACME",
        product="GBX-100",
        quantity="5",
        requested_date=date(2026, 12, 20),
        specification="Steel",
        today=date(2026, 11, 25),
    )
    assert errors == {} and (parsed.product, parsed.product_code, parsed.line) == ("GBX-100", None, None)


def _order(**values: object) -> Order:
    moment = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
    return Order(
        id=1,
        number="CO-0001",
        customer="ACME",
        quantity=250,
        requested_date=date(2026, 12, 20),
        specification="Steel",
        salesperson=SALES,
        created_at=moment,
        updated_at=moment,
        **values,
    )


def _fields(card: dict) -> list[str]:
    return [f["text"] for b in card["blocks"] for f in b.get("fields", [])]


def _texts(card: dict) -> str:
    return str(card["blocks"])


def test_the_card_shows_the_catalogue_products_name_and_unit() -> None:
    card = order_card(
        _order(product="GBX-100-HD", product_code="GBX-100-HD", line="GBX-100"), {}, config=CONFIG
    )
    assert "*Product*\nGBX-100-HD · Heavy duty" in _fields(card)
    assert "*Quantity*\n250 台" in _fields(card)
    assert "not in the catalogue" not in _texts(card)


def test_the_card_marks_a_product_outside_the_catalogue() -> None:
    card = order_card(_order(product="Blue gearbox"), {}, config=CONFIG)
    assert "*Product*\nBlue gearbox" in _fields(card) and "*Quantity*\n250" in _fields(card)
    assert "This product is not in the catalogue" in _texts(card)


def test_without_products_listed_the_card_is_as_before() -> None:
    order = _order(product="Blue gearbox")
    assert order_card(order, {}, config=make_config()) == order_card(order, {})
    assert "not in the catalogue" not in _texts(order_card(order, {}))


def test_the_plans_reasoning_in_one_line() -> None:
    from bot.orders.blocks import month_available, plan_reasoning
    from workflows.atp import Availability, Step

    steps = [Step("2027-01", 900, 100), Step("2027-02", 900, 900)]
    assert plan_reasoning("GBX-100", steps, date(2027, 2, 1)) == (
        ":bar_chart: January 2027 plan for GBX-100: 100 of 900 left; February 2027: 900 of 900 left"
        " → earliest Mon 01 Feb 2027"
    )
    over = [Step("2027-01", 900, -50), Step("2027-02", None, None)]  # promised beyond the plan; no plan
    assert plan_reasoning("GBX-100", over, date(2027, 2, 1)) == (
        ":bar_chart: January 2027 plan for GBX-100: 0 of 900 left; no approved plan for February 2027"
        " → earliest Mon 01 Feb 2027"
    )
    assert plan_reasoning(None, [], date(2027, 1, 14)) is None
    found = Availability(line="GBX-100", month="2027-01", agreed=900, capacity_target=950, taken=800)
    assert month_available("GBX-100", found) == "Available for GBX-100 in January 2027: 100 of 900 agreed."
    assert month_available(None, None) is None
