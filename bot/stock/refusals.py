"""The stock's refusals, a spreadsheet's whole-file refusals and each bad row's reason, worded from
their codes (workflows/stock.py, workflows/stock_inputs.py, workflows/spreadsheet.py)."""

from __future__ import annotations

from bot.mrkdwn import esc, number
from bot.phrases import team_name
from bot.refusals import says
from bot.text import _
from workflows.spreadsheet import SheetError


@says("stock_cannot_record")
def cannot_record(*, what: str) -> str:
    if what == "output":
        return _("Only the production team (or a manager) can record production output.")
    if what == "shipments":
        return _("Only the sales team (or a manager) can record shipments.")
    return _(
        "Only the supply team (materials), the production team (finished goods) or a manager "
        "can record stock counts."
    )


@says("stock_not_reader")
def not_reader() -> str:
    return _(
        "The stock is shown only to the sales, production, supply and managers teams. "
        "To get access, ask an admin to add you to one of those teams, or to `teams.viewers` in "
        "orderloop.toml to read without acting."
    )


@says("stock_stale_form")
def stale_form() -> str:
    return _("This form or button is out of date; run `/stock` again.")


@says("stock_file_unavailable")
def file_unavailable() -> str:
    return _("Slack did not let me read that file just now; please upload it again in a moment.")


@says("stock_file_changed")
def file_changed() -> str:
    return _("That file is not the one this preview was made from; upload it again to import it.")


@says("stock_not_importable")
def not_importable() -> str:
    return _("This spreadsheet has rows that cannot be imported; fix them and upload the file again.")


def sheet_error(error: SheetError) -> str:
    """Why a whole spreadsheet is refused."""
    data = error.data
    if error.code == "too_large" and data.get("unpacked"):
        return _(
            "This .xlsx file would unpack to more than {limit} MB, so it is not read. "
            "Save it again from Excel, or split it into smaller files.",
            limit=number(int(data.get("limit", 0)) // (1024 * 1024)),
        )
    if error.code == "too_large":
        return _(
            "This file is larger than {limit} MB, so it is not read. Split it into smaller files.",
            limit=number(int(data.get("limit", 0)) // (1024 * 1024)),
        )
    if error.code == "too_many_rows":
        return _(
            "This spreadsheet has more than {limit} rows, so it is not read. Split it into smaller files.",
            limit=number(data.get("limit")),
        )
    if error.code == "unsupported_format":
        return _(
            "I can read only .xlsx and .csv files; save the spreadsheet as one of those and upload it again."
        )
    if error.code == "empty":
        return _("This spreadsheet is empty: its first row must name the columns item, date and quantity.")
    if error.code == "missing_column":
        return {
            "item": _("This spreadsheet has no `item` (编码) column; its first row must name it."),
            "date": _("This spreadsheet has no `date` (日期) column; its first row must name it."),
            "quantity": _("This spreadsheet has no `quantity` (数量) column; its first row must name it."),
        }.get(str(data.get("column")), _("This spreadsheet is missing a column its first row must name."))
    if error.code == "duplicate_column":
        return _(
            "This spreadsheet names the column `{column}` twice; keep one and upload it again.",
            column=str(data.get("column")),
        )
    return _("I could not read this file as a spreadsheet; save it again as .xlsx or .csv and upload it.")


def reason(field: str | None, code: str, data: dict) -> str:
    """One bad value's reason, a whole sentence (a spreadsheet row or a form field)."""
    value = esc(str(data.get("value", ""))[:60]).replace("`", "'")  # typed by a person: never markup
    if code == "required":
        return {
            "item": _("The item code is missing."),
            "line": _("The line is missing."),
            "date": _("The date is missing."),
        }.get(field or "", _("The quantity is missing."))
    if code == "not_a_number":
        if field == "unit_cost":
            return _("The unit cost `{value}` is not a number.", value=value)
        return _("The quantity `{value}` is not a number.", value=value)
    if code == "negative":
        if field == "unit_cost":
            return _("The unit cost must not be negative.")
        return _("The quantity must not be negative.")
    if code == "too_large":
        if field == "unit_cost":
            return _("The unit cost is larger than {limit}.", limit=number(data.get("limit")))
        return _("The quantity is larger than {limit}.", limit=number(data.get("limit")))
    if code == "not_whole":
        return _("The quantity must be a whole number of units.")
    if code == "not_a_date":
        return _("`{value}` is not a date like 2026-11-30.", value=value)
    if code == "before_2000":
        return _("The date {value} is before the year 2000.", value=value)
    if code == "future_date":
        return _("The date {value} is after today ({today}).", value=value, today=str(data.get("today")))
    if code == "unknown_item":
        return _("`{value}` is not an item code of the stock.", value=value)
    if code == "unknown_line":
        return _("`{value}` is not a production line.", value=value)
    if code == "unit_mismatch":
        return _(
            "The unit `{value}` does not match the item's unit ({expected}).",
            value=value,
            expected=str(data.get("expected")),
        )
    if code == "duplicate":
        return _("This item and date are in row {first} already.", first=data.get("first"))
    if code == "not_yours":
        return _(
            "You may not record `{value}`: {team} records its counts.",
            value=value,
            team=team_name(str(data.get("team"))),
        )
    return _("This value cannot be read.")


def row_problem(row: int, field: str | None, code: str, data: dict) -> str:
    return _("Row {row}: {reason}", row=row, reason=reason(field, code, data))
