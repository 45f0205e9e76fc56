"""Checking stock, output and shipment rows, and the [[materials]] setting."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from bot.api import english
from bot.settings import SettingsError, load_config
from workflows.stock_inputs import CountRow, Item, LineRow, check_counts, check_lines

TODAY = date(2026, 11, 25)
ITEMS = [
    Item("GBX-100", "Gearbox", None, "product"),
    Item("MTR-7", "Motor", "pcs", "product"),
    Item("ALLOY-A", "Alloy A", "kg", "material", 1500, {"GBX-100": 2.5}),
]
PRODUCTS = ITEMS[:2]
CONFIG_TOML = """\
timezone = "Asia/Shanghai"
orders_channel = "C0123ORDERS"
[teams]
sales = ["U01"]
production = ["S02"]
supply = ["U03"]
managers = ["U04"]
[review]
core_products = ["GBX-100", "MTR-7"]
"""


def codes(errors) -> list[tuple[int, str | None, str]]:  # noqa: ANN001
    return [(e.index, e.field, e.code) for e in errors]


def test_good_counts_come_out_clean():
    rows = [
        {"item": "ALLOY-A", "date": "2026-11-25", "quantity": 2050, "unit": "kg", "unit_cost": 31.5},
        {"item": "gbx-100", "date": "2000-01-01", "quantity": 0},
    ]
    clean, errors = check_counts(rows, ITEMS, today=TODAY)
    assert errors == []
    assert clean == [
        CountRow("ALLOY-A", date(2026, 11, 25), 2050.0, 31.5),
        CountRow("GBX-100", date(2000, 1, 1), 0.0, None),
    ]


def test_every_bad_count_is_reported_with_its_index_and_code():
    rows = [
        {"item": "ALLOY-A", "date": "2026-11-25", "quantity": -1},
        {"item": "NOPE", "date": "2026-11-25", "quantity": 1},
        {"item": "ALLOY-A", "date": "2026-11-26", "quantity": 1},
        {"item": "ALLOY-A", "date": "1999-12-31", "quantity": 1},
        {"item": "ALLOY-A", "date": "2026-11-20", "quantity": "2050"},
        {"item": "ALLOY-A", "date": "2026-11-21", "quantity": 5, "unit": "pcs"},
        {"item": "ALLOY-A", "date": "30/11/2026", "quantity": 5},
        {"date": "2026-11-22", "quantity": True},
        "not a row",
        {"item": "ALLOY-A", "date": "2026-11-23", "quantity": 5, "quantiy": 5},
        {"item": "ALLOY-A", "date": "2026-11-25", "quantity": 7},
        {"item": "ALLOY-A", "date": "2026-11-24", "quantity": 1e12},
    ]
    clean, errors = check_counts(rows, ITEMS, today=TODAY)
    assert codes(errors) == [
        (0, "quantity", "negative"),
        (1, "item", "unknown_item"),
        (2, "date", "future_date"),
        (3, "date", "before_2000"),
        (4, "quantity", "not_a_number"),  # the API takes numbers as JSON numbers
        (5, "unit", "unit_mismatch"),
        (6, "date", "not_a_date"),
        (7, "item", "required"),
        (7, "quantity", "not_a_number"),
        (8, None, "not_an_object"),
        (9, "quantiy", "unknown_field"),
        (10, "item", "duplicate"),  # row 0 had ALLOY-A on the 25th already
        (11, "quantity", "too_large"),
    ]
    assert errors[5].data == {"value": "pcs", "expected": "kg"}
    assert errors[2].data == {"value": "2026-11-26", "today": "2026-11-25"}
    assert errors[11].data == {"first": 0}
    assert english(errors[5]) == "unit does not match the item's unit (kg)"
    assert english(errors[11]) == "item repeats the item or line and date of row 0"
    assert clean == []  # every row has an error


def test_units_match_their_other_names_and_products_without_a_unit_take_any():
    rows = [
        {"item": "ALLOY-A", "date": "2026-11-20", "quantity": 1, "unit": "公斤"},
        {"item": "MTR-7", "date": "2026-11-20", "quantity": 1, "unit": "件"},
        {"item": "GBX-100", "date": "2026-11-20", "quantity": 1, "unit": "sets"},
    ]
    assert check_counts(rows, ITEMS, today=TODAY)[1] == []
    _, errors = check_counts(
        [{"item": "MTR-7", "date": "2026-11-20", "quantity": 1, "unit": "kg"}], ITEMS, today=TODAY
    )
    assert codes(errors) == [(0, "unit", "unit_mismatch")]


def test_spreadsheet_cells_may_be_text_numbers_and_date_cells():
    rows = [
        {"item": "ALLOY-A", "date": datetime(2026, 11, 20), "quantity": "2,050.5"},
        {"item": "ALLOY-A", "date": "2026/11/21", "quantity": " 12 "},
        {"item": "ALLOY-A", "date": date(2026, 11, 22), "quantity": "twelve"},
        {"item": "ALLOY-A", "date": "2026-11-23", "quantity": "-3"},
        {"item": "ALLOY-A", "date": "2026-11-24", "quantity": "1,00"},
    ]
    clean, errors = check_counts(rows, ITEMS, today=TODAY, loose=True)
    assert [(c.day, c.quantity) for c in clean] == [(date(2026, 11, 20), 2050.5), (date(2026, 11, 21), 12.0)]
    assert codes(errors) == [
        (2, "quantity", "not_a_number"),
        (3, "quantity", "negative"),
        (4, "quantity", "not_a_number"),
    ]


def test_output_and_shipment_rows_name_a_line_and_whole_units():
    rows = [
        {"line": "GBX-100", "date": "2026-11-12", "quantity": 500},
        {"line": "ALLOY-A", "date": "2026-11-12", "quantity": 5},  # a material is not a line
        {"line": "MTR-7", "date": "2026-11-12", "quantity": 2.5},
        {"line": "GBX-100", "date": "2026-11-12", "quantity": 1},
        {"item": "GBX-100", "date": "2026-11-13", "quantity": 1},
    ]
    clean, errors = check_lines(rows, PRODUCTS, today=TODAY)
    assert clean == [LineRow("GBX-100", date(2026, 11, 12), 500)]
    assert codes(errors) == [
        (1, "line", "unknown_line"),
        (2, "quantity", "not_whole"),
        (3, "line", "duplicate"),
        (4, "item", "unknown_field"),
        (4, "line", "required"),
    ]


def test_nan_and_infinity_are_not_numbers():
    for value in (float("nan"), float("inf")):
        _, errors = check_counts(
            [{"item": "GBX-100", "date": "2026-11-20", "quantity": value}], ITEMS, today=TODAY
        )
        assert codes(errors) == [(0, "quantity", "not_a_number")]


MATERIAL = '\n[[materials]]\ncode = "ALLOY-A"\nname = "Alloy A"\nunit = "kg"\nsafety_stock = 1500\n'


def config_with(tmp_path, extra: str):  # noqa: ANN001, ANN201
    path = tmp_path / "orderloop.toml"
    path.write_text(CONFIG_TOML + extra, encoding="utf-8")
    return load_config(path)


def test_materials_are_read_from_the_configuration(tmp_path):  # noqa: ANN001
    config = config_with(tmp_path, MATERIAL + 'per_unit = { "GBX-100" = 2.5 }\n')
    (material,) = config.materials
    assert (material.code, material.unit, material.safety_stock, material.per_unit) == (
        "ALLOY-A",
        "kg",
        1500,
        {"GBX-100": 2.5},
    )
    assert config_with(tmp_path, "").materials == []


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        (
            MATERIAL + 'per_unit = { "GBX-999" = 2.5 }\n',
            "orderloop.toml: materials: the per_unit of ALLOY-A names 'GBX-999',"
            " which is not a line (review.core_products)",
        ),
        (
            MATERIAL + 'per_unit = { "GBX-100" = -1 }\n',
            "orderloop.toml: materials[0].per_unit.GBX-100: Input should be greater than 0",
        ),
        (MATERIAL + 'colour = "red"\n', "orderloop.toml: materials[0].colour: is not a known setting"),
        (MATERIAL + MATERIAL, "orderloop.toml: materials: 'ALLOY-A' is listed twice"),
        (
            MATERIAL.replace("ALLOY-A", "MTR-7"),
            "orderloop.toml: materials: 'MTR-7' is a product's code already",
        ),
        (MATERIAL.replace('unit = "kg"\n', ""), "orderloop.toml: materials[0].unit: is required but not set"),
    ],
)
def test_a_bad_material_is_one_line_naming_the_setting(tmp_path, extra: str, expected: str):  # noqa: ANN001
    with pytest.raises(SettingsError) as caught:
        config_with(tmp_path, extra)
    message = str(caught.value)
    assert "\n" not in message
    assert message == expected


def test_the_example_configuration_documents_a_material(tmp_path):  # noqa: ANN001
    from pathlib import Path

    example = (Path(__file__).parents[2] / "orderloop.example.toml").read_text(encoding="utf-8")
    path = tmp_path / "orderloop.toml"
    path.write_text(example, encoding="utf-8")
    (material,) = load_config(path).materials
    assert (material.code, material.unit, material.per_unit) == ("ALLOY-A", "kg", {"GBX-100": 2.5})
