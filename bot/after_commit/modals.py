"""Modals after commitment: materials arrived, delivered, raise a problem, change the order."""

from __future__ import annotations

from datetime import date

from bot.ids import AfterCommit
from bot.kit import context
from bot.mrkdwn import day, esc_name, number
from bot.orders.modals import _date_input, _input, _modal, _text_input
from bot.phrases import confirm_window, team_label
from bot.text import _, p_
from storage.models import Order
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


def change_modal(order: Order, config: Config) -> dict:
    blocks = [
        _summary(order, _committed_for(order)),
        _input(
            AfterCommit.F_QUANTITY,
            _("Quantity"),
            _text_input(str(order.quantity), max_length=12),
            hint=_("A positive whole number"),
        ),
        _input(AfterCommit.F_DELIVERY_DATE, _("Delivery date"), _date_input(order.committed_date)),
        _input(
            AfterCommit.F_REASON,
            _("Reason for the change"),
            _text_input(
                multiline=True, max_length=MAX_NOTES, placeholder=_("e.g. the customer moved the date")
            ),
        ),
        context(
            _(
                "Production and supply are told in the thread and must acknowledge it within {window} "
                "(reminders, then escalation).",
                window=confirm_window(config),
            )
        ),
    ]
    return _modal(
        AfterCommit.V_CHANGE,
        _("Change {order}", order=order.number),
        p_("button", "Send change"),
        blocks,
        {"order_id": order.id},
    )
