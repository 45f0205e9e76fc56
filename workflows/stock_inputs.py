"""Checking rows of stock counts, output and shipments, wherever they come from.

Pure: rows in (dicts from the API's JSON or a spreadsheet), clean rows or errors out. An error
is a code with its data (`RowError`), never a sentence: the API words it in English for
machines (bot/api.py), Slack in the reader's language. Every row is checked and every error
reported; a caller saves nothing unless there are none.

Codes, by field: `not_an_object` (row), `unknown_field`, `required`, `not_a_number` (text in a
number cell), `not_whole` (output and shipments count units), `negative`, `too_large`,
`not_a_date`, `before_2000`, `future_date` (after today in the factory's time zone),
`unknown_item`, `unknown_line`, `unit_mismatch`, `duplicate` (the same item or line and date twice).
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

EARLIEST = date(2000, 1, 1)
MAX_QUANTITY = 1_000_000_000
MAX_UNIT_COST = 1_000_000_000

# Units that name the same thing, so "kg" matches "公斤" and "pcs" matches "件".
UNIT_ALIASES = (
    {"kg", "kgs", "kilogram", "kilograms", "公斤", "千克"},
    {"t", "ton", "tons", "tonne", "tonnes", "吨"},
    {"g", "gram", "grams", "克"},
    {"m", "metre", "metres", "meter", "meters", "米"},
    {"l", "litre", "litres", "liter", "liters", "升"},
    {"pcs", "pc", "piece", "pieces", "unit", "units", "ea", "each", "件", "个", "只"},
    {"set", "sets", "套", "台"},
)


@dataclass(frozen=True)
class Item:
    """Something whose stock is counted: a product (finished goods) or a key material."""

    code: str
    name: str
    unit: str | None  # None: no unit known (a product without one), any given unit is accepted
    kind: str  # "product" | "material"
    safety_stock: float | None = None
    per_unit: Mapping[str, float] = field(default_factory=dict)  # materials: need per unit of a line


@dataclass(frozen=True)
class RowError:
    index: int  # the row's place in what was given (0-based); a spreadsheet maps it to its row number
    field: str | None
    code: str
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class CountRow:
    item: str
    day: date
    quantity: float
    unit_cost: float | None = None


@dataclass(frozen=True)
class LineRow:
    line: str
    day: date
    quantity: int


def same_unit(a: str, b: str) -> bool:
    a, b = a.strip().casefold(), b.strip().casefold()
    return a == b or any(a in group and b in group for group in UNIT_ALIASES)


_NUMBER_TEXT = re.compile(r"[+]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?")


def _number(value: object, *, text_numbers: bool) -> float | None:
    """The number in a cell or JSON value; None when it is not one (text, a bool, NaN)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else None
    if text_numbers and isinstance(value, str):
        text = value.strip().replace(" ", "")
        if text.startswith("-") and _NUMBER_TEXT.fullmatch(text[1:]):
            return -float(text[1:].replace(",", ""))
        if _NUMBER_TEXT.fullmatch(text):
            try:
                return float(Decimal(text.replace(",", "")))
            except InvalidOperation:
                return None
    return None


_DATE_TEXT = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})")


def _day(value: object, *, loose: bool) -> date | None:
    """A calendar day: "2026-11-30" (the API); spreadsheets also give date cells and 2026/11/30."""
    if isinstance(value, str):
        text = value.strip()
        if not loose:
            if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
                return None
            try:
                return date.fromisoformat(text)
            except ValueError:
                return None
        if match := _DATE_TEXT.fullmatch(text.split(" ")[0] if " " in text else text):
            try:
                return date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
        return None
    if loose and isinstance(value, datetime):
        return value.date()
    if loose and isinstance(value, date):
        return value
    return None


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


class _Checker:
    def __init__(self, today: date, *, loose: bool) -> None:
        self.today, self.loose = today, loose
        self.errors: list[RowError] = []

    def error(self, index: int, name: str | None, code: str, **data: object) -> None:
        self.errors.append(RowError(index, name, code, dict(data)))

    def fields(self, index: int, row: object, allowed: set[str]) -> Mapping | None:
        if not isinstance(row, Mapping):
            self.error(index, None, "not_an_object")
            return None
        for name in row:
            if name not in allowed:
                self.error(index, str(name), "unknown_field")
        return row

    def code(
        self, index: int, row: Mapping, name: str, known: Mapping[str, Item], unknown: str
    ) -> Item | None:
        value = row.get(name)
        if _blank(value):
            self.error(index, name, "required")
            return None
        text = str(value).strip() if self.loose or isinstance(value, str) else None
        item = known.get(text.casefold()) if text is not None else None
        if item is None:
            self.error(index, name, unknown, value=str(value)[:60])
        return item

    def day(self, index: int, row: Mapping, name: str = "date") -> date | None:
        value = row.get(name)
        if _blank(value):
            self.error(index, name, "required")
            return None
        day = _day(value, loose=self.loose)
        if day is None:
            self.error(index, name, "not_a_date", value=str(value)[:40])
        elif day < EARLIEST:
            self.error(index, name, "before_2000", value=day.isoformat())
        elif day > self.today:
            self.error(index, name, "future_date", value=day.isoformat(), today=self.today.isoformat())
        else:
            return day
        return None

    def number(
        self, index: int, row: Mapping, name: str, *, required: bool, whole: bool, high: float
    ) -> float | None:
        value = row.get(name)
        if _blank(value):
            if required:
                self.error(index, name, "required")
            return None
        number = _number(value, text_numbers=self.loose)
        if number is None:
            self.error(index, name, "not_a_number", value=str(value)[:40])
        elif number < 0:
            self.error(index, name, "negative", value=number)
        elif number > high:
            self.error(index, name, "too_large", value=number, limit=high)
        elif whole and number != int(number):
            self.error(index, name, "not_whole", value=number)
        else:
            return number
        return None

    def unit(self, index: int, row: Mapping, item: Item | None) -> None:
        value = row.get("unit")
        if _blank(value) or item is None or item.unit is None:
            return
        if not isinstance(value, str) or not same_unit(value, item.unit):
            self.error(index, "unit", "unit_mismatch", value=str(value)[:20], expected=item.unit)


def _by_code(items: Sequence[Item]) -> dict[str, Item]:
    return {item.code.casefold(): item for item in items}


COUNT_FIELDS = {"item", "date", "quantity", "unit", "unit_cost"}
LINE_FIELDS = {"line", "date", "quantity", "unit"}


def check_counts(
    rows: Sequence[object], items: Sequence[Item], *, today: date, loose: bool = False
) -> tuple[list[CountRow], list[RowError]]:
    """Stock counts: item, date, quantity, optional unit and unit_cost. `loose`: spreadsheet cells
    (numbers written as text, date cells, 2026/11/30) rather than the API's strict JSON."""
    checker, known, clean, seen = _Checker(today, loose=loose), _by_code(items), [], {}
    for index, raw in enumerate(rows):
        before = len(checker.errors)
        row = checker.fields(index, raw, COUNT_FIELDS)
        if row is None:
            continue
        item = checker.code(index, row, "item", known, "unknown_item")
        day = checker.day(index, row)
        quantity = checker.number(index, row, "quantity", required=True, whole=False, high=MAX_QUANTITY)
        cost = checker.number(index, row, "unit_cost", required=False, whole=False, high=MAX_UNIT_COST)
        checker.unit(index, row, item)
        first = seen.setdefault((item.code, day), index) if item is not None and day is not None else index
        if first != index:
            checker.error(index, "item", "duplicate", first=first)
        if len(checker.errors) == before:
            clean.append(CountRow(item.code, day, quantity, cost))
    return clean, checker.errors


def check_lines(
    rows: Sequence[object], products: Sequence[Item], *, today: date, loose: bool = False
) -> tuple[list[LineRow], list[RowError]]:
    """Output or shipment rows: line (a product's code), date, quantity in whole units."""
    checker, known, clean, seen = _Checker(today, loose=loose), _by_code(products), [], {}
    for index, raw in enumerate(rows):
        before = len(checker.errors)
        row = checker.fields(index, raw, LINE_FIELDS)
        if row is None:
            continue
        line = checker.code(index, row, "line", known, "unknown_line")
        day = checker.day(index, row)
        quantity = checker.number(index, row, "quantity", required=True, whole=True, high=MAX_QUANTITY)
        checker.unit(index, row, line)
        first = seen.setdefault((line.code, day), index) if line is not None and day is not None else index
        if first != index:
            checker.error(index, "line", "duplicate", first=first)
        if len(checker.errors) == before:
            clean.append(LineRow(line.code, day, int(quantity)))
    return clean, checker.errors
