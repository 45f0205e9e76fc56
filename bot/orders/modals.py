"""Modal views: registering or revising an order, answering a request, committing a date."""

from __future__ import annotations

import json
from datetime import date

from bot.ids import INPUT_ACTION, Field, View
from bot.kit import context, section
from bot.mrkdwn import clip, esc_clip, esc_name, number
from bot.text import _
from storage.models import ConfirmationRequest, Order
from workflows.catalogue import Catalogue, CatalogueProduct, catalogue
from workflows.config import Config
from workflows.inputs import MAX_LEAD_DAYS, MAX_NAME, MAX_NOTES, MAX_SPEC, NOT_IN_CATALOGUE
from workflows.orders import MAX_CANCEL_REASON

# The catalogue select's block id (its action_id is INPUT_ACTION, like every input); the free text
# keeps Field.PRODUCT, so a form without a catalogue is the same as before there was one.
PRODUCT_CODE = "product_code"
# Slack's static_select takes at most 100 options; one is "not in the catalogue". A longer
# catalogue gets the free-text field alone, where a typed code still finds its product.
MAX_SELECT_PRODUCTS = 99
PRODUCT_SEARCH = "product_search"  # the type-ahead select of a longer catalogue
MAX_OPTIONS = 100  # Slack's most options in one options response
# The new-order form's line under the product and the date: what the plan has left that month
AVAILABILITY = "availability"
# The type-ahead select asks for options once this many characters are typed
MIN_QUERY_LENGTH = 1
# The commit form's override reason, and the managers' form to reject a promise
OVERRIDE_REASON = "override_reason"
REJECT_PROMISE_FORM = "order.reject_promise.form"


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
    field: Field,
    label: str,
    element: dict,
    *,
    optional: bool = False,
    hint: str | None = None,
    dispatch: bool = False,
) -> dict:
    """`dispatch`: Slack sends a block_actions as soon as the value changes (dispatch_action),
    so the form can say what the plan has left before anything is submitted."""
    block = {
        "type": "input",
        "block_id": field,
        "label": _plain(clip(label, 2000)),
        "element": {**element, "action_id": INPUT_ACTION},
        "optional": optional,
    }
    if dispatch:
        block["dispatch_action"] = True
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


def planned(config: Config) -> bool:
    """Whether any line can have a plan: the review has core products."""
    return bool(config.review.core_products)


def form_catalogue(config: Config) -> Catalogue | None:
    """The catalogue the new-order form offers: only once `[[products]]` lists products. The core
    products alone keep the form as it was (free text; a typed core code still finds its line)."""
    return catalogue(config) if config.products else None


def _option(text: str, value: str) -> dict:
    return {"text": _plain(clip(text, 75)), "value": value}


def product_option_text(product: CatalogueProduct) -> str:
    """A catalogue product as the select lists it: code, name and unit (data, not words)."""
    if product.name and product.name != product.code:
        return f"{product.code} · {product.name} ({product.unit})"
    return f"{product.code} ({product.unit})"


def _product_blocks(order: Order | None, catalogue: Catalogue | None) -> list[dict]:
    """The product: without a catalogue, free text as always; with one, a select of it (Slack
    filters the options as one types) plus "not in the catalogue" and a free-text field for it.
    A catalogue longer than a static select takes gets a type-ahead select (options from the
    bot as one types, `PRODUCT_SEARCH`) beside the free text, where a typed code still finds its
    product. Both selects dispatch their choice so the form shows what the plan has left."""
    typed = order.product if order and not order.product_code else None
    if not catalogue:
        return [
            _input(
                Field.PRODUCT,
                _("Product"),
                _text_input(order and order.product, max_length=MAX_NAME, placeholder=_("e.g. GBX-100")),
            )
        ]
    if len(catalogue) > MAX_SELECT_PRODUCTS:
        search = {
            "type": "external_select",
            "placeholder": _plain(clip(_("Type a product code or name"), 150)),
            "min_query_length": MIN_QUERY_LENGTH,
        }
        known = order and catalogue.product(order.product_code)
        if known:
            search["initial_option"] = _option(product_option_text(known), known.code)
        return [
            _input(PRODUCT_SEARCH, _("Product"), search, optional=True, dispatch=True),
            _input(
                Field.PRODUCT,
                _("Product not in the catalogue"),
                _text_input(typed, max_length=MAX_NAME, placeholder=_("e.g. GBX-100")),
                optional=True,
                hint=_("A product code from the catalogue, or the product if it is not in the catalogue"),
            ),
        ]
    other = _option(_("Not in the catalogue (type it below)"), NOT_IN_CATALOGUE)
    options = [_option(product_option_text(p), p.code) for p in catalogue] + [other]
    select = {
        "type": "static_select",
        "placeholder": _plain(clip(_("Pick a product"), 150)),
        "options": options,
    }
    if order is not None:
        known = catalogue.product(order.product_code)
        initial = next((o for o in options if known and o["value"] == known.code), other)
        select["initial_option"] = initial
    return [
        _input(PRODUCT_CODE, _("Product"), select, dispatch=True),
        _input(
            Field.PRODUCT,
            _("Product not in the catalogue"),
            _text_input(typed, max_length=MAX_NAME),
            optional=True,
            hint=_("Only when the product is not in the catalogue"),
        ),
    ]


def product_options(catalogue: Catalogue, query: str) -> list[dict]:
    """The type-ahead's options for what was typed: products whose code or name contains it (any
    case), codes starting with it first, at most MAX_OPTIONS; "not in the catalogue" last."""
    wanted = " ".join(query.split()).casefold()
    found = [p for p in catalogue if wanted in p.code.casefold() or (p.name and wanted in p.name.casefold())]
    found.sort(key=lambda p: (not p.code.casefold().startswith(wanted), p.code))
    options = [_option(product_option_text(p), p.code) for p in found[: MAX_OPTIONS - 1]]
    return [*options, _option(_("Not in the catalogue (type it below)"), NOT_IN_CATALOGUE)]


def order_modal(
    order: Order | None = None,
    *,
    catalogue: Catalogue | None = None,
    available: str | None = None,
    planned: bool = False,
) -> dict:
    """New order, or the edit form of a revision (prefilled, with its id and revision).
    `available`: what the plan has left for the product's line in the requested month, shown
    under the date (bot.orders.blocks.month_available words it); the product select and the date
    dispatch their changes so the bot can update it (views.update keeps what was typed: the
    block and action ids stay the same). `planned`: some line has a plan (the review's core
    products), so the date dispatches even without a catalogue select: a core code typed as the
    product finds its line."""
    blocks = [
        _input(Field.CUSTOMER, _("Customer"), _text_input(order and order.customer, max_length=MAX_NAME)),
        *_product_blocks(order, catalogue),
        _input(
            Field.QUANTITY,
            _("Quantity"),
            _text_input(order and str(order.quantity), max_length=12),
            hint=_("A positive whole number"),
        ),
        _input(
            Field.REQUESTED_DATE,
            _("Requested delivery date"),
            _date_input(order and order.requested_date),
            dispatch=catalogue is not None or planned,
        ),
        *([{**context(available), "block_id": AVAILABILITY}] if available else []),
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


def _yes_no_initial(element: dict, can_do: bool | None) -> dict:
    """The radio buttons with the answer given before chosen (a correction's form)."""
    if can_do is None:
        return element
    chosen = next(o for o in element["options"] if o["value"] == ("yes" if can_do else "no"))
    return {**element, "initial_option": chosen}


CORRECT_PRODUCTION = "order.correct.production"  # the forms to correct an answer (issue 12 §4)
CORRECT_SUPPLY = "order.correct.supply"


def production_modal(order: Order, request_id: int, answered: ConfirmationRequest | None = None) -> dict:
    """Production's answer; `answered`: the answer given, prefilled, to correct it."""
    lead = answered.lead_time_days if answered and answered.lead_time_days is not None else None
    blocks = [
        _order_summary(order),
        _input(
            Field.CAN_DO,
            _("Can production make it?"),
            _yes_no_initial(
                _yes_no(_("Yes, we can make it"), _("No, we cannot")), answered and answered.can_do
            ),
        ),
        _input(
            Field.LEAD_TIME_DAYS,
            _("Production lead time (days)"),
            _text_input(None if lead is None else str(lead), max_length=12),
            optional=True,
            hint=_("Needed when the answer is yes: whole days, 0 to {max}", max=MAX_LEAD_DAYS),
        ),
        _input(
            Field.NOTES,
            _("Notes"),
            _text_input(answered and answered.notes, multiline=True, max_length=MAX_NOTES),
            optional=True,
            hint=_("Required when the answer is no: sales needs the reason"),
        ),
    ]
    if answered is not None:
        blocks.insert(1, context(_("Correcting production's answer: the thread shows the change.")))
        return _modal(
            CORRECT_PRODUCTION,
            _("Correct · {order}", order=order.number),
            _("Save correction"),
            blocks,
            {"request_id": request_id},
        )
    return _modal(
        View.PRODUCTION_ANSWER,
        _("Production · {order}", order=order.number),
        _("Send answer"),
        blocks,
        {"request_id": request_id},
    )


def supply_modal(order: Order, request_id: int, answered: ConfirmationRequest | None = None) -> dict:
    """Supply's answer; `answered`: the answer given, prefilled, to correct it."""
    blocks = [
        _order_summary(order),
        _input(
            Field.CAN_DO,
            _("Can supply source the materials?"),
            _yes_no_initial(
                _yes_no(_("Yes, we can source them"), _("No, we cannot")), answered and answered.can_do
            ),
        ),
        _input(
            Field.MATERIAL_DATE,
            _("Material arrival date"),
            _date_input(answered and answered.material_date),
            optional=True,
            hint=_("Needed when the answer is yes"),
        ),
        _input(
            Field.NOTES,
            _("Notes"),
            _text_input(answered and answered.notes, multiline=True, max_length=MAX_NOTES),
            optional=True,
            hint=_("Required when the answer is no: sales needs the reason"),
        ),
    ]
    if answered is not None:
        blocks.insert(1, context(_("Correcting supply's answer: the thread shows the change.")))
        return _modal(
            CORRECT_SUPPLY,
            _("Correct · {order}", order=order.number),
            _("Save correction"),
            blocks,
            {"request_id": request_id},
        )
    return _modal(
        View.SUPPLY_ANSWER,
        _("Supply · {order}", order=order.number),
        _("Send answer"),
        blocks,
        {"request_id": request_id},
    )


def commit_modal(
    order: Order,
    suggested: date,
    feasible: date | None,
    *,
    reasoning: str | None = None,
    available: str | None = None,
) -> dict:
    """`reasoning`: the plan's one line behind the earliest date; `available`: what the plan has
    left in the requested month for the order's line (bot.orders.blocks words both)."""
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
        *[context(line) for line in (reasoning, available) if line],
        _input(Field.COMMITTED_DATE, _("Committed delivery date"), _date_input(suggested)),
        _input(Field.NOTES, _("Notes"), _text_input(multiline=True, max_length=MAX_NOTES), optional=True),
        _input(
            OVERRIDE_REASON,
            _("Override reason"),
            _text_input(multiline=True, max_length=MAX_NOTES),
            optional=True,
            hint=_(
                "Only to promise before the earliest feasible date or beyond the month's plan: "
                "a manager must approve it"
            ),
        ),
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


def reject_promise_modal(order: Order, request_id: int) -> dict:
    """A manager rejects a promise beyond the plan: the reason goes back to sales."""
    blocks = [
        _order_summary(order),
        _input(
            Field.REASON,
            _("Why is the promise rejected?"),
            _text_input(multiline=True, max_length=MAX_NOTES, placeholder=_("Line 2 is full in January")),
        ),
    ]
    return _modal(
        REJECT_PROMISE_FORM,
        _("Reject · {order}", order=order.number),
        _("Reject promise"),
        blocks,
        {"request_id": request_id},
    )
