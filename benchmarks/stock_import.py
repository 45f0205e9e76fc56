"""Stock import: a 10,000-row .xlsx read, every row checked, and saved, as an upload's Import does.

Bar: under 5 s end to end on SQLite (the file is made first and not timed). Importing the same
file again is timed too: it must find every row already there and save none.
"""

from __future__ import annotations

import io
import tempfile
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from benchmarks.common import Outcome
from storage.db import create_schema, make_engine, session_scope
from workflows import stock_import
from workflows.stock_inputs import Item

BAR_SECONDS = 5.0
TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)


def items(count: int) -> list[Item]:
    return [Item(f"MAT-{n:04d}", f"Material {n}", "kg", "material") for n in range(count)]


def workbook(rows: int, codes: list[str]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet("stock")
    sheet.append(["编码", "日期", "数量", "单位", "单价"])
    for n in range(rows):
        day = TODAY - timedelta(days=n // len(codes))
        sheet.append(
            [codes[n % len(codes)], datetime(day.year, day.month, day.day), 100 + n % 977, "kg", 12.5]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def measure(rows: int, item_count: int = 200) -> dict:
    catalogue = items(item_count)
    data = workbook(rows, [i.code for i in catalogue])
    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{Path(tmp) / 'stock.db'}")
        create_schema(engine)
        try:
            timings = {}
            for run in ("first", "again"):
                started = time.perf_counter()
                checked = stock_import.preview(data, "stock.xlsx", catalogue, today=TODAY)
                read_s = time.perf_counter() - started
                with session_scope(engine) as session:
                    saved = stock_import.save(session, checked, who="U03", now=NOW)
                timings[run] = {
                    "read_check_s": read_s,
                    "total_s": time.perf_counter() - started,
                    "saved": saved,
                }
        finally:
            engine.dispose()
    return {"rows": rows, "bytes": len(data), "problems": len(checked.problems), **timings}


def run(rows: int = 10_000) -> Outcome:
    outcome = Outcome("stock_import")
    figures = measure(rows)
    outcome.figures.update(figures)
    first, again = figures["first"], figures["again"]
    read_s, total_s = first["read_check_s"], first["total_s"]
    outcome.lines.append(
        f"{rows} rows ({figures['bytes'] / 1024:.0f} KiB .xlsx): read and checked in {read_s:.2f} s,"
        f" saved in {total_s - read_s:.2f} s; the same file again {again['total_s']:.2f} s"
    )
    outcome.bar(
        f"a {rows}-row .xlsx imported in under {BAR_SECONDS:.0f} s",
        first["total_s"] < BAR_SECONDS and first["saved"] == rows and figures["problems"] == 0,
        f"{first['total_s']:.2f} s, {first['saved']} rows saved",
    )
    outcome.bar(
        "importing the same file twice changes nothing",
        again["saved"] == 0,
        f"{again['saved']} rows saved the second time",
    )
    return outcome
