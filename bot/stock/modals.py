"""The stock's forms: record counts (the items the person may count, prefilled with the last
count), record output and record shipments (units per line for a day)."""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from datetime import date

from bot.ids import INPUT_ACTION
from bot.kit import context
from bot.mrkdwn import clip
from bot.stock.blocks import typed_quantity
from bot.stock.ids import Stock, item_field
from bot.text import _, n_, p_
from workflows.stock import OUTPUT, SHIPMENTS
from workflows.stock_inputs import Item

MAX_FORM_ITEMS = 95  # a modal holds 100 blocks: the note, the date and the items
FIELD_CHARS = 20


def _plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def _modal(callback: Stock, title: str, blocks: list[dict], metadata: dict) -> dict:
    return {
        "type": "modal",
        "callback_id": callback,
        "title": _plain(clip(title, 24)),
        "submit": _plain(clip(p_("button", "Save"), 24)),
        "close": _plain(clip(p_("button", "Cancel"), 24)),
        "blocks": blocks,
        "private_metadata": json.dumps(metadata),
        "notify_on_close": False,
    }


def _label(item: Item) -> str:
    name = item.code if item.name == item.code else f"{item.code} · {item.name}"
    return clip(f"{name} ({item.unit})" if item.unit else name, 2000)


def _date_block(label: str, today: date) -> dict:
    return {
        "type": "input",
        "block_id": Stock.F_DATE,
        "label": _plain(label),
        "element": {"type": "datepicker", "initial_date": today.isoformat(), "action_id": INPUT_ACTION},
    }


def _number_block(item: Item, initial: str, placeholder: str) -> dict:
    element = {"type": "plain_text_input", "action_id": INPUT_ACTION, "max_length": FIELD_CHARS}
    if initial:
        element["initial_value"] = initial
    if placeholder:
        element["placeholder"] = _plain(clip(placeholder, 150))
    return {
        "type": "input",
        "block_id": item_field(item.code),
        "label": _plain(_label(item)),
        "element": element,
        "optional": True,
    }


def counts_modal(items: Sequence[Item], last: Mapping[str, float], today: date) -> dict:
    """`last`: each item's newest count on or before today (the field is prefilled with it)."""
    listed = list(items)[:MAX_FORM_ITEMS]
    note = _(
        "Type what is on hand for each item you counted; leave the others empty. "
        "Each field shows the last count."
    )
    if len(items) > len(listed):
        note += " " + n_(
            "The first {n} item is listed; upload a spreadsheet for the others (`/stock import`).",
            "The first {n} items are listed; upload a spreadsheet for the others (`/stock import`).",
            len(listed),
        )
    blocks = [context(note), _date_block(_("Counted on"), today)]
    blocks += [
        _number_block(
            item, typed_quantity(last.get(item.code)), "" if item.code in last else _("not counted yet")
        )
        for item in listed
    ]
    return _modal(Stock.V_COUNTS, _("Record stock counts"), blocks, {"what": "counts"})


def lines_modal(what: str, lines: Sequence[Item], today: date) -> dict:
    """Output (production) or shipments (sales) per line for one day."""
    if what == OUTPUT:
        title, label, callback = _("Record output"), _("Produced on"), Stock.V_OUTPUT
        note = _(
            "Units produced on each line that day; leave a line empty to record nothing for it. "
            "A new figure for the same line and day replaces the one recorded in Slack before."
        )
    else:
        title, label, callback = _("Record shipments"), _("Shipped on"), Stock.V_SHIPMENTS
        note = _(
            "Units shipped from each line that day (standard orders; delivered custom orders count by "
            "themselves); leave a line empty to record nothing for it."
        )
    blocks = [context(note), _date_block(label, today)]
    blocks += [_number_block(line, "", "") for line in list(lines)[:MAX_FORM_ITEMS]]
    return _modal(callback, title, blocks, {"what": what if what in (OUTPUT, SHIPMENTS) else OUTPUT})
