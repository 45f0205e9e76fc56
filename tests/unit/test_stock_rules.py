"""Who records what in the stock (workflows/stock.py): supply materials, production finished goods
and output, sales shipments, managers anything; form values typed the Chinese way; an upload's
rows naming another team's item."""

from __future__ import annotations

from datetime import date

import pytest

from tests.conftest import MANAGER, OUTSIDER, PRODUCTION_A, SALES, SUPPLY, make_config
from workflows import stock
from workflows.permissions import Refusal
from workflows.stock_import import RowProblem

MATERIALS = [{"code": "ALLOY-A", "name": "Alloy A", "unit": "kg", "per_unit": {"GBX-100": 2.5}}]
TODAY = date(2026, 11, 25)


class Groups:
    def expand(self, ids: list[str]) -> set[str]:
        return {PRODUCTION_A} if "S02" in ids else set()


@pytest.fixture
def config():  # noqa: ANN201
    return make_config(materials=MATERIALS)


def codes(config, user: str) -> list[str]:  # noqa: ANN001
    return [item.code for item in stock.countable(config, Groups(), user)]


def test_each_team_counts_its_own_items(config) -> None:  # noqa: ANN001
    assert codes(config, SUPPLY) == ["ALLOY-A"]
    assert codes(config, PRODUCTION_A) == ["GBX-100", "MTR-7"]
    assert codes(config, MANAGER) == ["GBX-100", "MTR-7", "ALLOY-A"]
    assert codes(config, SALES) == [] and codes(config, OUTSIDER) == []


@pytest.mark.parametrize(
    ("user", "allowed"),
    [
        (SUPPLY, {"counts"}),
        (PRODUCTION_A, {"counts", "output"}),
        (SALES, {"shipments"}),
        (MANAGER, {"counts", "output", "shipments"}),
        (OUTSIDER, set()),
    ],
)
def test_who_records_what(config, user: str, allowed: set[str]) -> None:  # noqa: ANN001
    assert {what for what in stock.WHAT if stock.may_record(config, Groups(), user, what)} == allowed
    for what in set(stock.WHAT) - allowed:
        with pytest.raises(Refusal) as refused:
            stock.require_can_record(config, Groups(), user, what)
        assert (refused.value.code, refused.value.data) == ("stock_cannot_record", {"what": what})


def test_a_form_reads_full_width_digits_and_skips_empty_fields(config) -> None:  # noqa: ANN001
    items = stock.countable(config, Groups(), MANAGER)
    clean, errors = stock.check_count_form(
        {"GBX-100": "１２，５００", "ALLOY-A": "-1"}, items, TODAY, today=TODAY
    )
    assert [(row.item, row.quantity) for row in clean] == [("GBX-100", 12500.0)]
    assert [(e.index, e.field, e.code) for e in errors] == [(2, "quantity", "negative")]  # ALLOY-A is third
    lines = stock.lines(config)
    clean, errors = stock.check_line_form({"MTR-7": "3.5"}, lines, TODAY, today=TODAY)
    assert clean == [] and [(e.index, e.code) for e in errors] == [(1, "not_whole")]


def test_an_uploaded_row_naming_another_teams_item_is_not_yours(config) -> None:  # noqa: ANN001
    problems = [
        RowProblem(2, "item", "unknown_item", {"value": "gbx-100"}),
        RowProblem(3, "item", "unknown_item", {"value": "NOPE"}),
    ]
    found = stock.not_yours(problems, stock.stock_items(config))
    assert [(p.row, p.code, p.data) for p in found] == [
        (2, "not_yours", {"value": "GBX-100", "team": "production"}),
        (3, "unknown_item", {"value": "NOPE"}),
    ]
