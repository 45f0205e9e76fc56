"""The new-order form says what the plan has left before anything is saved (issue 12 §2), and a
long catalogue's type-ahead (issue 12 §1).

The product select and the date picker dispatch each change (dispatch_action). The listener
acks first, then reads the plan and calls views.update with the view's hash: the blocks keep
their block_id and action_id, so Slack keeps what the person typed. A hash that no longer
matches means the person changed the form again meanwhile; that change brings its own update.
"""

from __future__ import annotations

import logging
from datetime import date

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from bot.forms import field_values, metadata
from bot.ids import INPUT_ACTION, Field, View
from bot.orders import blocks as ob
from bot.orders.modals import (
    PRODUCT_CODE,
    PRODUCT_SEARCH,
    form_catalogue,
    order_modal,
    planned,
    product_options,
)
from bot.services import Services
from storage import repo
from storage.models import Order
from workflows import atp
from workflows.catalogue import Catalogue, catalogue
from workflows.config import Config
from workflows.inputs import NOT_IN_CATALOGUE

log = logging.getLogger(__name__)
ORDER_FORMS = (View.NEW_ORDER, View.REVISE_ORDER)
DISPATCHING = (PRODUCT_CODE, PRODUCT_SEARCH, Field.REQUESTED_DATE)


def line_of(products: Catalogue | None, picked: object, typed: object) -> str | None:
    """The line of the product on the form: the one picked, else a catalogue code typed."""
    if products is None:
        return None
    if isinstance(picked, str) and picked and picked != NOT_IN_CATALOGUE:
        return products.line_of(picked)
    if picked is None and isinstance(typed, str) and typed.strip():
        return products.line_of(typed.strip())
    return None


def available_text(
    session: Session, line: str | None, requested: date | None, *, exclude_order_id: int | None = None
) -> str | None:
    """What the plan has left for `line` in the requested month, in words; None: nothing to say
    (a product outside the catalogue or on no line, or no date yet)."""
    if line is None or requested is None:
        return None
    found = atp.availability(session, line, atp.month_key(requested), exclude_order_id=exclude_order_id)
    return ob.month_available(line, found)


def order_form(session: Session, config: Config, order: Order | None = None) -> dict:
    """The new-order form, or a revision's form prefilled from `order` with its month's figures."""
    products = form_catalogue(config)
    available = None
    if order is not None:
        available = available_text(session, order.line, order.requested_date, exclude_order_id=order.id)
    return order_modal(order, catalogue=products, available=available, planned=planned(config))


def updated_form(session: Session, config: Config, view: dict) -> dict | None:
    """The form rebuilt with the figures for what the view holds now; None: not an order form."""
    if view.get("callback_id") not in ORDER_FORMS:
        return None
    order = None
    if view.get("callback_id") == View.REVISE_ORDER:
        order_id = metadata(view).get("order_id")
        order = repo.get_order(session, order_id) if isinstance(order_id, int) else None
        if order is None:
            return None
    values = field_values(view)
    picked = values.get(PRODUCT_CODE, values.get(PRODUCT_SEARCH))
    requested = values.get(Field.REQUESTED_DATE)
    # the whole catalogue (core products too), so a core code typed as the product finds its line
    line = line_of(catalogue(config), picked, values.get(Field.PRODUCT))
    available = available_text(
        session,
        line,
        requested if isinstance(requested, date) else None,
        exclude_order_id=order.id if order else None,
    )
    return order_modal(order, catalogue=form_catalogue(config), available=available, planned=planned(config))


def register(app: App, svc: Services) -> None:
    for block_id in DISPATCHING:
        app.action({"block_id": block_id, "action_id": INPUT_ACTION})(_changed(svc))

    @app.options(INPUT_ACTION)
    def suggest(ack: Ack, body: dict) -> None:
        products = form_catalogue(svc.config)
        if body.get("block_id") != PRODUCT_SEARCH or products is None:
            ack(options=[])
            return
        ack(options=product_options(products, str(body.get("value") or "")[:200]))


def _changed(svc: Services):  # noqa: ANN202
    def changed(ack: Ack, body: dict, client: WebClient) -> None:
        ack()  # first: the figures are read after Slack has its answer
        view = body.get("view") or {}
        if not view.get("id"):
            return
        try:
            with svc.session(read_only=True) as session:
                updated = updated_form(session, svc.config, view)
        except SQLAlchemyError:  # the form keeps working without the figures
            log.exception("could not read the plan for the order form")
            return
        if updated is None:
            return
        try:
            client.views_update(view_id=view["id"], hash=view.get("hash"), view=updated)
        except (SlackApiError, SlackClientError, OSError) as exc:
            # hash_conflict: the form changed again since; that change brings its own update
            log.info("views.update of the order form %s: %s", view["id"], exc)

    return changed
