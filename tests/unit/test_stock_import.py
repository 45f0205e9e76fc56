"""A stock spreadsheet from bytes to saved rows, on both backends: all or nothing, once per file."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from benchmarks import stock_import as benchmark
from storage import stock_repo
from storage.db import session_scope
from storage.stock_models import StockCount
from workflows import stock_import
from workflows.spreadsheet import SheetError
from workflows.stock_inputs import Item

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
ITEMS = [Item("ALLOY-A", "Alloy A", "kg", "material"), Item("GBX-100", "Gearbox", None, "product")]


def xlsx(rows: list[list]) -> bytes:
    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


GOOD = xlsx([["item", "date", "quantity"], ["ALLOY-A", "2026-11-24", 2050], ["GBX-100", "2026-11-24", 320]])


def stored(engine) -> int:  # noqa: ANN001
    with session_scope(engine) as session:
        return session.execute(select(func.count()).select_from(StockCount)).scalar_one()


def test_bad_rows_carry_the_row_numbers_the_spreadsheet_shows():
    data = xlsx(
        [
            ["数量", "编码", "日期"],
            [2050, "ALLOY-A", "2026-11-24"],
            [None, None, None],
            ["lots", "ALLOY-A", "2026-11-23"],
            [5, "NOPE", "2026-11-23"],
            [7, "ALLOY-A", "2026-11-24"],
        ]
    )
    checked = stock_import.preview(data, "s.xlsx", ITEMS, today=TODAY)
    assert checked.rows_read == 4 and not checked.importable
    assert [(p.row, p.field, p.code) for p in checked.problems] == [
        (4, "quantity", "not_a_number"),
        (5, "item", "unknown_item"),
        (6, "item", "duplicate"),
    ]
    assert checked.problems[2].data == {"first": 2}  # row 2, as the spreadsheet numbers it


def test_a_refused_file_says_why():
    assert stock_import.preview(b"x", "s.pdf", ITEMS, today=TODAY) == SheetError(
        "unsupported_format", {"name": "s.pdf"}
    )


def test_importing_the_same_file_twice_changes_nothing(engine):  # noqa: ANN001
    checked = stock_import.preview(GOOD, "stock.xlsx", ITEMS, today=TODAY)
    assert checked.importable and checked.source.startswith("file:")
    with session_scope(engine) as session:
        assert stock_import.save(session, checked, who="U03", now=NOW) == 2
    again = stock_import.preview(GOOD, "copy of stock.xlsx", ITEMS, today=TODAY)
    with session_scope(engine) as session:
        assert stock_import.save(session, again, who="U03", now=NOW) == 0
    assert stored(engine) == 2
    with session_scope(engine) as session:
        (count,) = stock_repo.count_history(session, "ALLOY-A", date(2026, 11, 24))
    assert (count.quantity, count.source, count.recorded_by) == (2050, checked.source, "U03")


def test_a_file_with_bad_rows_saves_nothing(engine):  # noqa: ANN001
    data = xlsx(
        [["item", "date", "quantity"], ["ALLOY-A", "2026-11-24", 2050], ["ALLOY-A", "2026-11-23", -1]]
    )
    checked = stock_import.preview(data, "s.xlsx", ITEMS, today=TODAY)
    with session_scope(engine) as session, pytest.raises(ValueError):
        stock_import.save(session, checked, who="U03", now=NOW)
    assert stored(engine) == 0


def test_the_import_benchmark_measures_a_small_file():
    figures = benchmark.measure(rows=300, item_count=20)
    assert figures["problems"] == 0
    assert figures["first"]["saved"] == 300 and figures["again"]["saved"] == 0
    assert figures["first"]["total_s"] > 0
    assert benchmark.run(rows=100).bars
