"""Reading stock spreadsheets (.xlsx and .csv made here) and writing the template."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import date, datetime

from openpyxl import Workbook, load_workbook

from workflows import spreadsheet
from workflows.spreadsheet import MAX_BYTES, MAX_ROWS, Sheet, SheetError, read, write_template
from workflows.stock_inputs import Item, check_counts


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def with_formula(data: bytes, cell: str, formula: str, cached: str | None) -> bytes:
    """The same workbook with `cell` (a number there) turned into a formula, its cached value kept
    as Excel saves it (`<v>`), or none when `cached` is None (a file never recalculated)."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                xml = content.decode()
                pattern = rf'<c r="{cell}"[^>]*>.*?</c>'
                value = f"<v>{cached}</v>" if cached is not None else ""
                xml, replaced = re.subn(pattern, f'<c r="{cell}"><f>{formula}</f>{value}</c>', xml)
                assert replaced == 1, xml
                content = xml.encode()
            target.writestr(info, content)
    return out.getvalue()


def test_xlsx_rows_are_numbered_as_the_spreadsheet_shows_them():
    data = xlsx(
        [
            ["quantity", "note", "item", "date"],
            [2050, "after stock-take", "ALLOY-A", datetime(2026, 11, 20)],
            [None, None, None, None],  # an empty row 3: skipped, row 4 stays row 4
            ["12", None, " GBX-100 ", "2026/11/21"],
        ]
    )
    sheet = read(data, "Stock.XLSX")
    assert isinstance(sheet, Sheet)
    assert sheet.numbers == [2, 4]
    assert sheet.values[0] == {"quantity": 2050, "item": "ALLOY-A", "date": datetime(2026, 11, 20)}
    assert sheet.values[1] == {"quantity": "12", "item": "GBX-100", "date": "2026/11/21"}


def test_chinese_headers_in_any_order_with_the_optional_columns():
    data = xlsx([["日期", "单价", "数量", "单位", "编码"], ["2026-11-20", 31.5, 100, "公斤", "ALLOY-A"]])
    (row,) = read(data, "库存.xlsx").values
    assert row == {
        "date": "2026-11-20",
        "unit_cost": 31.5,
        "quantity": 100,
        "unit": "公斤",
        "item": "ALLOY-A",
    }


def test_formulas_are_read_as_their_cached_values_never_evaluated():
    data = xlsx([["item", "date", "quantity"], ["ALLOY-A", "2026-11-20", 0], ["ALLOY-A", "2026-11-21", 0]])
    data = with_formula(data, "C2", "SUM(1000,50)", "1050")
    data = with_formula(data, "C3", "SUM(1,1)", None)  # never calculated: no value to read
    assert load_workbook(io.BytesIO(data))["Sheet"]["C2"].value == "=SUM(1000,50)"  # it is a formula
    sheet = read(data, "s.xlsx")
    assert [r["quantity"] for r in sheet.values] == [1050, None]
    items = [Item("ALLOY-A", "Alloy A", "kg", "material")]
    _, errors = check_counts(sheet.values, items, today=date(2026, 11, 25), loose=True)
    assert [(e.index, e.field, e.code) for e in errors] == [(1, "quantity", "required")]


def test_csv_in_utf8_with_a_bom_and_in_gb18030():
    text = '编码,日期,数量\nALLOY-A,2026-11-20,"2,050"\n\nGBX-100,2026-11-21,5\n'
    for data in (b"\xef\xbb\xbf" + text.encode("utf-8"), text.encode("gb18030")):
        sheet = read(data, "stock.csv")
        assert sheet.numbers == [2, 4]
        assert sheet.values[0] == {"item": "ALLOY-A", "date": "2026-11-20", "quantity": "2,050"}


def test_refusals_are_codes_with_their_reason():
    assert read(b"x" * (MAX_BYTES + 1), "big.csv") == SheetError(
        "too_large", {"limit": MAX_BYTES, "size": MAX_BYTES + 1}
    )
    assert read(b"item,date\nA,2026-11-20\n", "s.csv") == SheetError("missing_column", {"column": "quantity"})
    assert read(b"item,date,quantity,\xe7\xbc\x96\xe7\xa0\x81\n", "s.csv") == SheetError(
        "duplicate_column", {"column": "item"}
    )
    assert read(b"", "s.csv") == SheetError("empty")
    assert read(b"not a zip", "s.xlsx") == SheetError("unreadable")
    assert read(b"item,date,quantity\n", "s.xls") == SheetError("unsupported_format", {"name": "s.xls"})


def test_more_than_50000_rows_are_refused_and_50000_are_read():
    line = "A,2026-11-20,1\n"
    assert len(read(("item,date,quantity\n" + line * MAX_ROWS).encode(), "s.csv").rows) == MAX_ROWS
    too_many = ("item,date,quantity\n" + line * (MAX_ROWS + 1)).encode()
    assert read(too_many, "s.csv") == SheetError("too_many_rows", {"limit": MAX_ROWS})


def test_the_same_bytes_are_the_same_digest():
    data = b"item,date,quantity\nA,2026-11-20,1\n"
    assert (
        read(data, "a.csv").digest
        == read(data, "b.csv").digest
        != read(data + b"B,2026-11-20,1\n", "a.csv").digest
    )


def test_the_template_lists_the_items_in_the_readers_language_and_reads_back():
    items = [Item("GBX-100", "Gearbox", None, "product"), Item("ALLOY-A", "Alloy A", "kg", "material")]
    data = write_template(items, "zh-CN", date(2026, 11, 25))
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert rows[0] == ("编码", "名称", "单位", "日期", "数量", "单价")
    assert rows[1][:4] == ("GBX-100", "Gearbox", None, "2026-11-25")
    sheet = read(data, "template.xlsx")
    assert [r["item"] for r in sheet.values] == ["GBX-100", "ALLOY-A"]
    assert read(write_template(items, "en"), "t.xlsx").values[1] == {
        "item": "ALLOY-A",
        "unit": "kg",
        "date": None,
        "quantity": None,
        "unit_cost": None,
    }


def test_no_cell_starting_with_a_formula_character_is_written_as_a_formula():
    hostile = [
        Item('=HYPERLINK("http://x","y")', "+1+1", "-2", "material"),
        Item("@SUM(A1)", "=cmd|' /C calc'!A0", "kg", "material"),
    ]
    data = write_template(hostile, "en")
    xml = zipfile.ZipFile(io.BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml
    sheet = load_workbook(io.BytesIO(data)).active  # not data_only: a formula would show as one
    cells = [c for row in sheet.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert [c.value for c in cells] == [
        '=HYPERLINK("http://x","y")',
        "+1+1",
        "-2",
        "@SUM(A1)",
        "=cmd|' /C calc'!A0",
        "kg",
    ]
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells if c.value[0] in spreadsheet.FORMULA_STARTS)


def test_an_xlsx_that_would_unpack_too_large_is_refused_before_it_is_read(monkeypatch):  # noqa: ANN001
    monkeypatch.setattr(spreadsheet, "MAX_UNPACKED_BYTES", 1_000_000)
    data = xlsx([["item", "date", "quantity"], ["ALLOY-A", "2026-11-20", 1]])
    assert isinstance(read(data, "s.xlsx"), Sheet)
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/padding.xml", b"0" * 2_000_000)  # compresses to a few kB
    bomb = out.getvalue()
    assert len(bomb) < 100_000
    refused = read(bomb, "s.xlsx")
    assert refused.code == "too_large" and refused.data["unpacked"] is True
    assert refused.data["limit"] == 1_000_000 and refused.data["size"] > 2_000_000
