"""Reading stock spreadsheets (.xlsx, .csv) into rows, and writing the .xlsx template.

Pure: bytes in, rows out, no Slack. The first row names the columns, in any order: `item`,
`date`, `quantity` (or 编码, 日期, 数量), optionally `unit`/单位 and `unit_cost`/单价; other columns
(a name, a note) are ignored. Rows are numbered as the spreadsheet shows them (the header is
row 1); empty rows are skipped. Formulas are read as the values Excel last saved for them
(data_only), never evaluated. Refusals are codes with data (`SheetError`).
"""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 50_000  # data rows, the header not counted
# An .xlsx is a zip: 5 MB of it may unpack to gigabytes (a zip bomb). Refused before openpyxl reads it.
MAX_UNPACKED_BYTES = 200 * 1024 * 1024

HEADERS = {
    "item": "item",
    "code": "item",
    "编码": "item",
    "date": "date",
    "日期": "date",
    "quantity": "quantity",
    "qty": "quantity",
    "数量": "quantity",
    "unit": "unit",
    "单位": "unit",
    "unit_cost": "unit_cost",
    "unit cost": "unit_cost",
    "单价": "unit_cost",
}
REQUIRED = ("item", "date", "quantity")

TEMPLATE_HEADERS = {
    "en": ("item", "name", "unit", "date", "quantity", "unit_cost"),
    "zh-CN": ("编码", "名称", "单位", "日期", "数量", "单价"),
}
FORMULA_STARTS = ("=", "+", "-", "@")


@dataclass(frozen=True)
class SheetError:
    """Why a whole file is refused: `too_large` (limit, size; `unpacked` when the .xlsx would unpack
    to more than MAX_UNPACKED_BYTES), `too_many_rows` (limit),
    `unsupported_format` (name), `unreadable`, `empty`, `missing_column` (column),
    `duplicate_column` (column)."""

    code: str
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Sheet:
    rows: list[tuple[int, dict]]  # (row number as shown, {column: cell value})
    digest: str  # sha256 of the file's bytes: the same file twice is the same import

    @property
    def numbers(self) -> list[int]:
        return [number for number, _ in self.rows]

    @property
    def values(self) -> list[dict]:
        return [values for _, values in self.rows]


def read(data: bytes, filename: str) -> Sheet | SheetError:
    if len(data) > MAX_BYTES:
        return SheetError("too_large", {"limit": MAX_BYTES, "size": len(data)})
    name = filename.lower()
    if name.endswith(".xlsx"):
        try:
            unpacked = sum(info.file_size for info in zipfile.ZipFile(io.BytesIO(data)).infolist())
        except (zipfile.BadZipFile, ValueError, OSError):
            return SheetError("unreadable")
        if unpacked > MAX_UNPACKED_BYTES:
            return SheetError("too_large", {"limit": MAX_UNPACKED_BYTES, "size": unpacked, "unpacked": True})
        lines = _xlsx_lines(data)
    elif name.endswith(".csv"):
        lines = _csv_lines(data)
    else:
        return SheetError("unsupported_format", {"name": filename[-80:]})
    try:
        return _rows(lines, hashlib.sha256(data).hexdigest())
    except _Refused as refused:
        return refused.error
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, csv.Error):
        return SheetError("unreadable")


class _Refused(Exception):
    def __init__(self, error: SheetError) -> None:
        self.error = error


def _xlsx_lines(data: bytes) -> Iterator[Sequence[object]]:
    from openpyxl import load_workbook

    # read_only streams the sheet; data_only gives each formula's cached value, never the formula
    workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        yield from sheet.iter_rows(values_only=True)
    finally:
        workbook.close()


def _csv_lines(data: bytes) -> Iterator[Sequence[object]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("gb18030")  # what Excel on a Chinese Windows saves as "CSV"
    yield from csv.reader(io.StringIO(text, newline=""))


def _cell(value: object) -> object:
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _rows(lines: Iterable[Sequence[object]], digest: str) -> Sheet:
    lines = iter(lines)
    header = next(lines, None)
    if header is None:
        raise _Refused(SheetError("empty"))
    columns: dict[int, str] = {}
    for position, title in enumerate(header):
        key = HEADERS.get(str(title).strip().lower()) if title is not None else None
        if key is None:
            continue
        if key in columns.values():
            raise _Refused(SheetError("duplicate_column", {"column": key}))
        columns[position] = key
    for key in REQUIRED:
        if key not in columns.values():
            raise _Refused(SheetError("missing_column", {"column": key}))
    rows: list[tuple[int, dict]] = []
    for number, line in enumerate(lines, start=2):
        values = {key: _cell(line[pos]) if pos < len(line) else None for pos, key in columns.items()}
        if all(value is None for value in values.values()):
            continue
        if len(rows) == MAX_ROWS:
            raise _Refused(SheetError("too_many_rows", {"limit": MAX_ROWS}))
        rows.append((number, values))
    return Sheet(rows, digest)


def write_template(items: Iterable, language: str, today: date | None = None) -> bytes:
    """An .xlsx with the header in the reader's language and one row per item (code, name, unit),
    the date prefilled when given. Every text cell is written as text: one starting with
    = + - or @ never becomes a formula, for openpyxl or for Excel."""
    from openpyxl import Workbook
    from openpyxl.cell.cell import TYPE_STRING

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "stock"
    headers = TEMPLATE_HEADERS.get(language, TEMPLATE_HEADERS["en"])

    def put(row: int, column: int, value: object) -> None:
        cell = sheet.cell(row=row, column=column)
        cell.value = value
        if isinstance(value, str):
            cell.data_type = TYPE_STRING  # openpyxl takes a string starting with "=" as a formula
            if value.startswith(FORMULA_STARTS):
                cell.quotePrefix = True  # Excel shows it as typed text, even after an edit

    for column, title in enumerate(headers, start=1):
        put(1, column, title)
    for row, item in enumerate(items, start=2):
        put(row, 1, item.code)
        put(row, 2, item.name)
        put(row, 3, item.unit or "")
        if today is not None:
            put(row, 4, today.isoformat())
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 24
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
