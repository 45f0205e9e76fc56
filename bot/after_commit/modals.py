"""Modals after commitment: materials arrived, delivered, raise a problem, change the order."""

from __future__ import annotations

import json
from datetime import date

from bot.ids import AfterCommit
from bot.kit import context
from bot.mrkdwn import day, esc_name, number
from bot.orders.modals import (
    _date_input,
    _input,
    _modal,
    _text_input,
    production_modal,
    reject_promise_modal,
    supply_modal,
)
from bot.phrases import confirm_window, team_label
from bot.text import _, p_
from storage.models import ChangeAck, ChangeOrigin, Order, OrderChange
from workflows.after_commit import ACTING_TEAMS, MAX_PROBLEM
from workflows.config import Config
from workflows.inputs import MAX_NOTES


def _summary(order: Order, line: str) -> dict:
    return context(
        _(
            "*{order}* · {quantity} × {product} for {customer} · {line}",
            order=order.number,
            quantity=number(order.quantity),
            product=esc_name(order.product),
            customer=esc_name(order.customer),
            line=line,
        )
    )


def _committed_for(order: Order) -> str:
    return _("committed for {day}", day=day(order.committed_date))


def materials_modal(order: Order, promised: date | None, today: date) -> dict:
    blocks = [
        _summary(order, _("supply promised the materials for {day}", day=day(promised))),
        _input(AfterCommit.F_ARRIVED_DATE, _("Actual arrival date"), _date_input(today)),
        _input(
            AfterCommit.F_NOTES, _("Notes"), _text_input(multiline=True, max_length=MAX_NOTES), optional=True
        ),
    ]
    return _modal(
        AfterCommit.V_MATERIALS,
        _("Materials · {order}", order=order.number),
        p_("button", "Record arrival"),
        blocks,
        {"order_id": order.id},
    )


def delivered_modal(order: Order, today: date) -> dict:
    blocks = [
        _summary(order, _committed_for(order)),
        _input(AfterCommit.F_DELIVERED_DATE, _("Actual delivery date"), _date_input(today)),
    ]
    return _modal(
        AfterCommit.V_DELIVERED,
        _("Delivered · {order}", order=order.number),
        p_("button", "Record delivery"),
        blocks,
        {"order_id": order.id},
    )


def problem_modal(order: Order) -> dict:
    radio = {
        "type": "radio_buttons",
        "options": [
            {"text": {"type": "plain_text", "text": team_label(team)}, "value": team} for team in ACTING_TEAMS
        ],
    }
    blocks = [
        _summary(order, _committed_for(order)),
        _input(
            AfterCommit.F_PROBLEM,
            _("What is wrong?"),
            _text_input(multiline=True, max_length=MAX_PROBLEM),
        ),
        _input(AfterCommit.F_TEAM, _("Which team must act?"), radio),
    ]
    return _modal(
        AfterCommit.V_PROBLEM,
        _("Problem · {order}", order=order.number),
        p_("button", "Raise problem"),
        blocks,
        {"order_id": order.id},
    )


def _origin_radio(initial: str | None) -> dict:
    from bot.after_commit.blocks import origin_word

    options = [
        {"text": {"type": "plain_text", "text": origin_word(origin)}, "value": origin}
        for origin in ChangeOrigin.ALL
    ]
    radio = {"type": "radio_buttons", "options": options}
    chosen = next((o for o in options if o["value"] == initial), None)
    if chosen:
        radio["initial_option"] = chosen
    return radio


def change_modal(
    order: Order,
    config: Config,
    *,
    revises: OrderChange | None = None,
    feasibility: str | None = None,
) -> dict:
    """Ask a change (or revise a returned one: `revises`, prefilled with what it asked)."""
    quantity = revises.after["quantity"] if revises else order.quantity
    wanted = date.fromisoformat(revises.after["committed_date"]) if revises else order.committed_date
    blocks = [
        _summary(order, _committed_for(order)),
        _input(
            AfterCommit.F_QUANTITY,
            _("Quantity"),
            _text_input(str(quantity), max_length=12),
            hint=_("A positive whole number"),
        ),
        _input(AfterCommit.F_DELIVERY_DATE, _("Delivery date"), _date_input(wanted)),
        _input(
            AfterCommit.F_ORIGIN,
            _("Who asked for the change?"),
            _origin_radio(revises.origin if revises else None),
        ),
        _input(
            AfterCommit.F_REASON,
            _("Reason for the change"),
            _text_input(
                revises.reason if revises else None,
                multiline=True,
                max_length=MAX_NOTES,
                placeholder=_("e.g. the customer moved the date"),
            ),
        ),
        _input(
            AfterCommit.F_OVERRIDE,
            _("Override reason"),
            _text_input(multiline=True, max_length=MAX_NOTES),
            optional=True,
            hint=_(
                "Needed only when the change is before the earliest feasible date or beyond the month's "
                "plan: a manager must then approve it"
            ),
        ),
    ]
    if feasibility:
        blocks.append(context(feasibility))
    blocks.append(
        context(
            _(
                "Production and supply answer the change in the thread within {window} (reminders, then "
                "escalation). The current commitment stays in force until both agree.",
                window=confirm_window(config),
            )
        )
    )
    meta = {"order_id": order.id}
    if revises:
        meta["revises"] = revises.id
    return _modal(
        AfterCommit.V_CHANGE,
        _("Change {order}", order=order.number),
        p_("button", "Send change"),
        blocks,
        meta,
    )


def _retarget(view: dict, callback: str, metadata: dict, summary: dict) -> dict:
    """An order form reused for a change: its own callback, metadata and summary block."""
    view = {**view, "callback_id": callback, "private_metadata": json.dumps(metadata)}
    view["blocks"] = [summary, *view["blocks"][1:]]
    return view


def change_answer_modal(order: Order, change: OrderChange, ack: ChangeAck) -> dict:
    """Production or supply answers a change like the original request (the same fields and rules)."""
    from bot.after_commit.blocks import describe_change

    summary = _summary(order, _("change asked: {change}", change=describe_change(change)))
    if ack.team == "production":
        view = production_modal(order, ack.id)
        return _retarget(view, AfterCommit.V_CHANGE_PRODUCTION, {"ack_id": ack.id}, summary)
    view = supply_modal(order, ack.id)
    return _retarget(view, AfterCommit.V_CHANGE_SUPPLY, {"ack_id": ack.id}, summary)


def reject_change_modal(order: Order, ack_id: int) -> dict:
    view = reject_promise_modal(order, ack_id)
    return {
        **view,
        "callback_id": AfterCommit.V_REJECT_CHANGE,
        "private_metadata": json.dumps({"ack_id": ack_id}),
    }


def slip_modal(order: Order, promised: date | None) -> dict:
    blocks = [
        _summary(order, _("supply promised the materials for {day}", day=day(promised))),
        _input(AfterCommit.F_MATERIAL_DATE, _("New material arrival date"), _date_input(None)),
        _input(
            AfterCommit.F_REASON,
            _("Why does the date move?"),
            _text_input(multiline=True, max_length=MAX_NOTES),
        ),
    ]
    return _modal(
        AfterCommit.V_SLIP,
        _("Material date · {order}", order=order.number),
        p_("button", "Record date"),
        blocks,
        {"order_id": order.id},
    )
