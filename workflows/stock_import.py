"""A stock spreadsheet from upload to saved rows: read, check every row, then save all or nothing.

`preview` is pure (what the Slack preview shows: rows read, rows to import, each bad row with its
row number as the spreadsheet shows it); `save` stores a preview without errors under the file's
source, so importing the same file twice changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from storage import stock_repo
from workflows import spreadsheet
from workflows.stock_inputs import CountRow, Item, RowError, check_counts


@dataclass(frozen=True)
class RowProblem:
    row: int  # the row number the spreadsheet shows (the header is row 1)
    field: str | None
    code: str
    data: dict


@dataclass(frozen=True)
class Preview:
    source: str  # "file:<hash>"
    rows_read: int
    clean: list[CountRow]
    problems: list[RowProblem]

    @property
    def importable(self) -> bool:
        return not self.problems and bool(self.clean)


def preview(
    data: bytes, filename: str, items: Sequence[Item], *, today: date
) -> Preview | spreadsheet.SheetError:
    sheet = spreadsheet.read(data, filename)
    if isinstance(sheet, spreadsheet.SheetError):
        return sheet
    clean, errors = check_counts(sheet.values, items, today=today, loose=True)
    numbers = sheet.numbers
    problems = [_at(numbers, error) for error in errors]
    return Preview(stock_repo.file_source(sheet.digest), len(sheet.rows), clean, problems)


def _at(numbers: list[int], error: RowError) -> RowProblem:
    data = dict(error.data)
    if error.code == "duplicate":
        data["first"] = numbers[data["first"]]  # the first row's number, not its index
    return RowProblem(numbers[error.index], error.field, error.code, data)


def save(session: Session, checked: Preview, *, who: str, now: datetime) -> int:
    """Store every row of a preview without problems; returns how many changed the record."""
    if checked.problems:
        raise ValueError("a spreadsheet with bad rows is not imported")
    return stock_repo.save_counts(session, checked.clean, source=checked.source, who=who, now=now)
