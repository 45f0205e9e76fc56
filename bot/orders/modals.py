"""Modal views: registering or revising an order, answering a request, committing a date."""

from __future__ import annotations

import json
from datetime import date

from bot.ids import INPUT_ACTION, Field, View
from bot.mrkdwn import clip, esc_clip, esc_name, number
from bot.orders.blocks import context, section
from bot.text import _
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
        "submit": _plain(clip(submit, 24)),
        "close": _plain(clip(_("Cancel"), 24)),
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
        "label": _plain(clip(label, 2000)),
        "element": {**element, "action_id": INPUT_ACTION},
        "optional": optional,
    }
    if hint:
        block["hint"] = _plain(clip(hint, 2000))
    return block


def _text_input(
    initial: str | None = None, *, multiline: bool = False, max_length: int, placeholder: str = ""
) -> dict:
    element = {"type": "plain_text_input", "multiline": multiline, "max_length": max_length}
    if initial:
        element["initial_value"] = initial[:max_length]
    if placeholder:
        element["placeholder"] = _plain(clip(placeholder, 150))
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
            {"text": _plain(clip(question_yes, 75)), "value": "yes"},
            {"text": _plain(clip(question_no, 75)), "value": "no"},
        ],
    }


def order_modal(order: Order | None = None) -> dict:
    """New order, or the edit form of a revision (prefilled, with its id and revision)."""
    blocks = [
        _input(Field.CUSTOMER, _("Customer"), _text_input(order and order.customer, max_length=MAX_NAME)),
        _input(
            Field.PRODUCT,
            _("Product"),
            _text_input(order and order.product, max_length=MAX_NAME, placeholder=_("e.g. GBX-100")),
        ),
        _input(
            Field.QUANTITY,
            _("Quantity"),
            _text_input(order and str(order.quantity), max_length=12),
            hint=_("A positive whole number"),
        ),
        _input(
            Field.REQUESTED_DATE, _("Requested delivery date"), _date_input(order and order.requested_date)
        ),
        _input(
            Field.SPECIFICATION,
            _("Specification"),
            _text_input(
                order and order.specification,
                multiline=True,
                max_length=MAX_SPEC,
                placeholder=_("The custom requirements: sizes, materials, finish, tolerances…"),
            ),
        ),
    ]
    if order is None:
        return _modal(View.NEW_ORDER, _("New custom order"), _("Register"), blocks, {})
    blocks.insert(
        0,
        context(
            _(
                "Revising {order}: production and supply will be asked again, with a fresh deadline.",
                order=order.number,
            )
        ),
    )
    return _modal(
        View.REVISE_ORDER,
        _("Revise {order}", order=order.number),
        _("Send for confirmation"),
        blocks,
        {"order_id": order.id, "revision": order.revision},
    )


def _order_summary(order: Order) -> dict:
    head = _(
        "*{order}* · {quantity} × {product} for {customer}",
        order=order.number,
        quantity=number(order.quantity),
        product=esc_name(order.product),
        customer=esc_name(order.customer),
    )
    requested = _("Requested delivery: {date}", date=order.requested_date.isoformat())
    return section(f"{head}\n{requested}\n>{esc_clip(order.specification, 1200)}")


def production_modal(order: Order, request_id: int) -> dict:
    blocks = [
        _order_summary(order),
        _input(
            Field.CAN_DO,
            _("Can production make it?"),
            _yes_no(_("Yes, we can make it"), _("No, we cannot")),
        ),
        _input(
            Field.LEAD_TIME_DAYS,
            _("Production lead time (days)"),
            _text_input(max_length=12),
            optional=True,
            hint=_("Needed when the answer is yes: whole days, 0 to {max}", max=MAX_LEAD_DAYS),
        ),
        _input(
            Field.NOTES,
            _("Notes"),
            _text_input(multiline=True, max_length=MAX_NOTES),
            optional=True,
            hint=_("Required when the answer is no: sales needs the reason"),
        ),
    ]
    return _modal(
        View.PRODUCTION_ANSWER,
        _("Production · {order}", order=order.number),
        _("Send answer"),
        blocks,
        {"request_id": request_id},
    )


def supply_modal(order: Order, request_id: int) -> dict:
    blocks = [
        _order_summary(order),
        _input(
            Field.CAN_DO,
            _("Can supply source the materials?"),
            _yes_no(_("Yes, we can source them"), _("No, we cannot")),
        ),
        _input(
            Field.MATERIAL_DATE,
            _("Material arrival date"),
            _date_input(None),
            optional=True,
            hint=_("Needed when the answer is yes"),
        ),
        _input(
            Field.NOTES,
            _("Notes"),
            _text_input(multiline=True, max_length=MAX_NOTES),
            optional=True,
            hint=_("Required when the answer is no: sales needs the reason"),
        ),
    ]
    return _modal(
        View.SUPPLY_ANSWER,
        _("Supply · {order}", order=order.number),
        _("Send answer"),
        blocks,
        {"request_id": request_id},
    )


def commit_modal(order: Order, suggested: date, feasible: date | None) -> dict:
    requested = order.requested_date.isoformat()
    note = (
        _(
            "Earliest feasible: {feasible} · requested by the customer: {requested}",
            feasible=feasible.isoformat(),
            requested=requested,
        )
        if feasible
        else _("Earliest feasible date unknown · requested by the customer: {requested}", requested=requested)
    )
    blocks = [
        _order_summary(order),
        context(note),
        _input(Field.COMMITTED_DATE, _("Committed delivery date"), _date_input(suggested)),
        _input(Field.NOTES, _("Notes"), _text_input(multiline=True, max_length=MAX_NOTES), optional=True),
    ]
    return _modal(
        View.COMMIT,
        _("Commit {order}", order=order.number),
        _("Commit date"),
        blocks,
        {"order_id": order.id, "revision": order.revision},
    )


def cancel_modal(order: Order) -> dict:
    blocks = [
        _order_summary(order),
        context(_("Production and supply will be told to stop. The reason shows on the card.")),
        _input(
            Field.REASON,
            _("Why is it cancelled?"),
            _text_input(multiline=True, max_length=MAX_CANCEL_REASON, placeholder=_("The customer withdrew")),
        ),
    ]
    view = _modal(
        View.CANCEL_ORDER,
        _("Cancel {order}", order=order.number),
        _("Cancel the order"),
        blocks,
        {"order_id": order.id, "revision": order.revision},
    )
    return {
        **view,
        "close": _plain(clip(_("Keep the order"), 24)),
    }  # "Cancel" would read as the opposite here
