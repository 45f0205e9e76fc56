"""The stock's action_id, callback_id and block_id values (their own section beside bot/ids.py)."""

from enum import StrEnum


class Stock(StrEnum):
    """Buttons (A_*), modals (V_*) and input block ids (F_*; an input's action_id is `value`)."""

    A_PAGE = "stock.page"  # value: the page number (from 0)
    A_RECORD_COUNTS = "stock.record.counts"
    A_RECORD_OUTPUT = "stock.record.output"
    A_RECORD_SHIPMENTS = "stock.record.shipments"
    A_IMPORT = "stock.import"  # value: "<file id>:<source>"
    A_CANCEL = "stock.import.cancel"  # value: "<file id>:<source>"
    V_COUNTS = "stock.counts.form"
    V_OUTPUT = "stock.output.form"
    V_SHIPMENTS = "stock.shipments.form"
    F_DATE = "stock_date"
    F_NOTE = "stock_note"  # the form's first block: where a refusal found on submit is shown


ITEM_FIELD = "item:"  # an item's input block id is ITEM_FIELD + its code


def item_field(code: str) -> str:
    return f"{ITEM_FIELD}{code}"
