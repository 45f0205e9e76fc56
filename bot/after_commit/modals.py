"""Modals after commitment: materials arrived, delivered, raise a problem, change the order."""

from __future__ import annotations

from datetime import date

from bot.ids import AfterCommit
from bot.mrkdwn import day, esc_name
from bot.orders.blocks import context
from bot.orders.modals import _date_input, _input, _modal, _text_input
from storage.models import Order
from workflows.after_commit import ACTING_TEAMS, MAX_PROBLEM
from workflows.inputs import MAX_NOTES

TEAM_CHOICES = {"sales": "Sales", "production": "Production", "supply": "Supply"}


def _summary(order: Order, line: str) -> dict:
    return context(
        f"*{order.number}* · {order.quantity:,} × {esc_name(order.product)} for "
        f"{esc_name(order.customer)} · {line}"
    )


def materials_modal(order: Order, promised: date | None, today: date) -> dict:
    blocks = [
        _summary(order, f"supply promised the materials for {day(promised)}"),
        _input(AfterCommit.F_ARRIVED_DATE, "Actual arrival date", _date_input(today)),
        _input(
            AfterCommit.F_NOTES, "Notes", _text_input(multiline=True, max_length=MAX_NOTES), optional=True
        ),
    ]
    return _modal(
        AfterCommit.V_MATERIALS,
        f"Materials · {order.number}",
        "Record arrival",
        blocks,
        {"order_id": order.id},
    )


def delivered_modal(order: Order, today: date) -> dict:
    blocks = [
        _summary(order, f"committed for {day(order.committed_date)}"),
        _input(AfterCommit.F_DELIVERED_DATE, "Actual delivery date", _date_input(today)),
    ]
    return _modal(
        AfterCommit.V_DELIVERED,
        f"Delivered · {order.number}",
        "Record delivery",
        blocks,
        {"order_id": order.id},
    )


def problem_modal(order: Order) -> dict:
    radio = {
        "type": "radio_buttons",
        "options": [
            {"text": {"type": "plain_text", "text": TEAM_CHOICES[team]}, "value": team}
            for team in ACTING_TEAMS
        ],
    }
    blocks = [
        _summary(order, f"committed for {day(order.committed_date)}"),
        _input(
            AfterCommit.F_PROBLEM,
            "What is wrong?",
            _text_input(multiline=True, max_length=MAX_PROBLEM),
        ),
        _input(AfterCommit.F_TEAM, "Which team must act?", radio),
    ]
    return _modal(
        AfterCommit.V_PROBLEM, f"Problem · {order.number}", "Raise problem", blocks, {"order_id": order.id}
    )


def change_modal(order: Order) -> dict:
    blocks = [
        _summary(order, f"committed for {day(order.committed_date)}"),
        _input(
            AfterCommit.F_QUANTITY,
            "Quantity",
            _text_input(str(order.quantity), max_length=12),
            hint="A positive whole number",
        ),
        _input(AfterCommit.F_DELIVERY_DATE, "Delivery date", _date_input(order.committed_date)),
        _input(
            AfterCommit.F_REASON,
            "Reason for the change",
            _text_input(multiline=True, max_length=MAX_NOTES, placeholder="e.g. the customer moved the date"),
        ),
        context(
            "Production and supply are told in the thread and must acknowledge it by the confirmation "
            "deadline (reminders, then escalation)."
        ),
    ]
    return _modal(
        AfterCommit.V_CHANGE, f"Change {order.number}", "Send change", blocks, {"order_id": order.id}
    )
