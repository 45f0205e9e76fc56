"""Modal views: registering or revising an order, answering a request, committing a date."""

from __future__ import annotations

import json
from datetime import date

from bot.ids import INPUT_ACTION, Field, View
from bot.mrkdwn import clip, esc_clip, esc_name
from bot.orders.blocks import context, section
from storage.models import Order
from workflows.inputs import MAX_LEAD_DAYS, MAX_NAME, MAX_NOTES, MAX_SPEC
from workflows.orders import MAX_CANCEL_REASON


def _plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def _modal(callback: View, title: str, submit: str, blocks: list[dict], metadata: dict) -> dict:
    return {
        "type": "modal",
        "callback_id": callback,
        "title": _plain(clip(title, 24)),
        "submit": _plain(submit),
        "close": _plain("Cancel"),
        "blocks": blocks,
        "private_metadata": json.dumps(metadata),
        "notify_on_close": False,
    }


def _input(
    field: Field, label: str, element: dict, *, optional: bool = False, hint: str | None = None
) -> dict:
    block = {
        "type": "input",
        "block_id": field,
        "label": _plain(label),
        "element": {**element, "action_id": INPUT_ACTION},
        "optional": optional,
    }
    if hint:
        block["hint"] = _plain(hint)
    return block


def _text_input(
    initial: str | None = None, *, multiline: bool = False, max_length: int, placeholder: str = ""
) -> dict:
    element = {"type": "plain_text_input", "multiline": multiline, "max_length": max_length}
    if initial:
        element["initial_value"] = initial[:max_length]
    if placeholder:
        element["placeholder"] = _plain(placeholder)
    return element


def _date_input(initial: date | None) -> dict:
    element = {"type": "datepicker"}
    if initial:
        element["initial_date"] = initial.isoformat()
    return element


def _yes_no(question_yes: str, question_no: str) -> dict:
    return {
        "type": "radio_buttons",
        "options": [
            {"text": _plain(question_yes), "value": "yes"},
            {"text": _plain(question_no), "value": "no"},
        ],
    }


def order_modal(order: Order | None = None) -> dict:
    """New order, or the edit form of a revision (prefilled, with its id and revision)."""
    blocks = [
        _input(Field.CUSTOMER, "Customer", _text_input(order and order.customer, max_length=MAX_NAME)),
        _input(
            Field.PRODUCT,
            "Product",
            _text_input(order and order.product, max_length=MAX_NAME, placeholder="e.g. GBX-100"),
        ),
        _input(
            Field.QUANTITY,
            "Quantity",
            _text_input(order and str(order.quantity), max_length=12),
            hint="A positive whole number",
        ),
        _input(Field.REQUESTED_DATE, "Requested delivery date", _date_input(order and order.requested_date)),
        _input(
            Field.SPECIFICATION,
            "Specification",
            _text_input(
                order and order.specification,
                multiline=True,
                max_length=MAX_SPEC,
                placeholder="The custom requirements: sizes, materials, finish, tolerances…",
            ),
        ),
    ]
    if order is None:
        return _modal(View.NEW_ORDER, "New custom order", "Register", blocks, {})
    blocks.insert(
        0,
        context(
            f"Revising {order.number}: production and supply will be asked again, with a fresh deadline."
        ),
    )
    return _modal(
        View.REVISE_ORDER,
        f"Revise {order.number}",
        "Send for confirmation",
        blocks,
        {"order_id": order.id, "revision": order.revision},
    )


def _order_summary(order: Order) -> dict:
    return section(
        f"*{order.number}* · {order.quantity:,} × {esc_name(order.product)} for {esc_name(order.customer)}\n"
        f"Requested delivery: {order.requested_date.isoformat()}\n"
        f">{esc_clip(order.specification, 1200)}"
    )


def production_modal(order: Order, request_id: int) -> dict:
    blocks = [
        _order_summary(order),
        _input(Field.CAN_DO, "Can production make it?", _yes_no("Yes, we can make it", "No, we cannot")),
        _input(
            Field.LEAD_TIME_DAYS,
            "Production lead time (days)",
            _text_input(max_length=5),
            optional=True,
            hint=f"Needed when the answer is yes: whole days, 0 to {MAX_LEAD_DAYS}",
        ),
        _input(
            Field.NOTES,
            "Notes",
            _text_input(multiline=True, max_length=MAX_NOTES),
            optional=True,
            hint="Required when the answer is no: sales needs the reason",
        ),
    ]
    return _modal(
        View.PRODUCTION_ANSWER,
        f"Production · {order.number}",
        "Send answer",
        blocks,
        {"request_id": request_id},
    )


def supply_modal(order: Order, request_id: int) -> dict:
    blocks = [
        _order_summary(order),
        _input(
            Field.CAN_DO,
            "Can supply source the materials?",
            _yes_no("Yes, we can source them", "No, we cannot"),
        ),
        _input(
            Field.MATERIAL_DATE,
            "Material arrival date",
            _date_input(None),
            optional=True,
            hint="Needed when the answer is yes",
        ),
        _input(
            Field.NOTES,
            "Notes",
            _text_input(multiline=True, max_length=MAX_NOTES),
            optional=True,
            hint="Required when the answer is no: sales needs the reason",
        ),
    ]
    return _modal(
        View.SUPPLY_ANSWER, f"Supply · {order.number}", "Send answer", blocks, {"request_id": request_id}
    )


def commit_modal(order: Order, suggested: date, feasible: date | None) -> dict:
    note = f"Earliest feasible: {feasible.isoformat()}" if feasible else "Earliest feasible date unknown"
    blocks = [
        _order_summary(order),
        context(f"{note} · requested by the customer: {order.requested_date.isoformat()}"),
        _input(Field.COMMITTED_DATE, "Committed delivery date", _date_input(suggested)),
        _input(Field.NOTES, "Notes", _text_input(multiline=True, max_length=MAX_NOTES), optional=True),
    ]
    return _modal(
        View.COMMIT,
        f"Commit {order.number}",
        "Commit date",
        blocks,
        {"order_id": order.id, "revision": order.revision},
    )


def cancel_modal(order: Order) -> dict:
    blocks = [
        _order_summary(order),
        context("Production and supply will be told to stop. The reason shows on the card."),
        _input(
            Field.REASON,
            "Why is it cancelled?",
            _text_input(multiline=True, max_length=MAX_CANCEL_REASON, placeholder="The customer withdrew"),
        ),
    ]
    view = _modal(
        View.CANCEL_ORDER,
        f"Cancel {order.number}",
        "Cancel the order",
        blocks,
        {"order_id": order.id, "revision": order.revision},
    )
    return {**view, "close": _plain("Keep the order")}  # "Cancel" would read as the opposite here
