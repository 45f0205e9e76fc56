"""Who records what in the stock record, and the checks of what a person types or uploads.

Supply records materials (their counts); production records finished goods (their counts) and
output; sales records shipments; managers record anything. Reading the stock needs team
membership like every other read (workflows.permissions.can_read). Refusals are codes with data:
- `stock_cannot_record` (what: "counts" | "output" | "shipments"): the person records none of it;
- `stock_not_reader`: not a member of any team (nor a viewer), so no stock, no upload;
- `stock_stale_form`: a form or a button that no longer matches (an item list that changed).
Row errors of an upload for an item the person may not record: code `not_yours` (field `item`,
data `team`: the team that records it).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date

from workflows.inventory import stock_items
from workflows.materials_config import line_codes
from workflows.permissions import Directory, Refusal, can_read, is_member
from workflows.stock_inputs import (
    CountRow,
    Item,
    LineRow,
    RowError,
    check_counts,
    check_lines,
)

COUNTS, OUTPUT, SHIPMENTS = "counts", "output", "shipments"
WHAT = (COUNTS, OUTPUT, SHIPMENTS)
# which team records each kind of item's counts
COUNTED_BY = {"material": "supply", "product": "production"}
LINE_TEAMS = {OUTPUT: "production", SHIPMENTS: "sales"}


def _member(config, directory: Directory, user: str, team: str) -> bool:  # noqa: ANN001
    return is_member(config, directory, user, team)


def countable(config, directory: Directory, user: str) -> list[Item]:  # noqa: ANN001
    """The stock items whose counts this person may record, in the stock's order."""
    items = stock_items(config)
    if _member(config, directory, user, "managers"):
        return items
    teams = {team for team in set(COUNTED_BY.values()) if _member(config, directory, user, team)}
    return [item for item in items if COUNTED_BY[item.kind] in teams]


def may_record(config, directory: Directory, user: str, what: str) -> bool:  # noqa: ANN001
    if what == COUNTS:
        return bool(countable(config, directory, user))
    if what not in LINE_TEAMS:
        return False
    return _member(config, directory, user, "managers") or _member(config, directory, user, LINE_TEAMS[what])


def require_can_record(config, directory: Directory, user: str, what: str) -> None:  # noqa: ANN001
    if not may_record(config, directory, user, what):
        raise Refusal("stock_cannot_record", what=what if what in WHAT else COUNTS)


def require_reader(config, directory: Directory, user: str) -> None:  # noqa: ANN001
    if not can_read(config, directory, user):
        raise Refusal("stock_not_reader")


def lines(config) -> list[Item]:  # noqa: ANN001
    """The lines output and shipments are recorded for (the core products), as stock items."""
    codes = set(line_codes(config))
    return [item for item in stock_items(config) if item.code in codes]


def typed(value: object) -> object:
    """What a person typed in a form: full-width digits and the Chinese comma read as numbers."""
    if not isinstance(value, str):
        return value
    text = unicodedata.normalize("NFKC", value).replace("，", ",").replace("、", ",").strip()
    return text or None


def check_count_form(
    values: Mapping[str, object], items: Sequence[Item], day: date | None, *, today: date
) -> tuple[list[CountRow], list[RowError]]:
    """A counts form: {item code: typed quantity}; an empty field is not counted. Errors carry
    the index of the item in `items`."""
    codes = [item.code for item in items]
    rows = [{"item": code, "date": day, "quantity": typed(values.get(code))} for code in codes]
    kept = [(index, row) for index, row in enumerate(rows) if row["quantity"] is not None]
    clean, errors = check_counts([row for _, row in kept], items, today=today, loose=True)
    return clean, [_reindexed(error, kept) for error in errors]


def check_line_form(
    values: Mapping[str, object], products: Sequence[Item], day: date | None, *, today: date
) -> tuple[list[LineRow], list[RowError]]:
    """An output or shipments form: {line code: typed units}; an empty field is not recorded."""
    rows = [{"line": p.code, "date": day, "quantity": typed(values.get(p.code))} for p in products]
    kept = [(index, row) for index, row in enumerate(rows) if row["quantity"] is not None]
    clean, errors = check_lines([row for _, row in kept], products, today=today, loose=True)
    return clean, [_reindexed(error, kept) for error in errors]


def _reindexed(error: RowError, kept: list[tuple[int, dict]]) -> RowError:
    return RowError(kept[error.index][0], error.field, error.code, error.data)


def not_yours(problems: Sequence, items: Sequence[Item]) -> list:
    """An upload checked against the items the person may record (workflows.stock_import.preview):
    a row naming another team's item is `not_yours` (with the team that records it), not unknown."""
    known = {item.code.casefold(): item for item in items}
    result = []
    for problem in problems:
        item = known.get(str(problem.data.get("value", "")).strip().casefold())
        if problem.code == "unknown_item" and item is not None:
            data = {"value": item.code, "team": COUNTED_BY[item.kind]}
            problem = replace(problem, code="not_yours", data=data)
        result.append(problem)
    return result
