"""Messages of the confirmation clock: reminders (thread and direct) and escalations.

Each names the confirmation window as configured (bot.phrases.confirm_window: "24 working hours"
with working hours, "24 hours" without), and each team has its own whole sentences.
"""

from __future__ import annotations

from bot.kit import actions, section
from bot.mrkdwn import esc_name, mention_all, number, when
from bot.orders.blocks import answer_button, approval_buttons
from bot.phrases import confirm_window
from bot.text import _
from storage.models import ConfirmationRequest, Order
from workflows.config import Config


def _buttons(request: ConfirmationRequest) -> dict:
    return approval_buttons(request) if request.team == "managers" else actions(answer_button(request))


def _fallback(order: Order, request: ConfirmationRequest) -> str:
    if request.team == "managers":
        return _("Reminder: {order} needs a manager's decision on a promise", order=order.number)
    if request.team == "supply":
        return _("Reminder: {order} needs supply's answer", order=order.number)
    return _("Reminder: {order} needs production's answer", order=order.number)


def reminder(order: Order, request: ConfirmationRequest, config: Config) -> dict:
    data = {
        "who": mention_all(getattr(config.teams, request.team)),
        "order": order.number,
        "deadline": when(request.due_at),
        "window": confirm_window(config),
    }
    if request.team == "managers":
        text = _(
            ":alarm_clock: {who} reminder: {order} still needs a manager to approve or reject a promise "
            "beyond the plan. Due *{deadline}*, {window} after the request.",
            **data,
        )
    elif request.team == "supply":
        text = _(
            ":alarm_clock: {who} reminder: {order} still needs supply's answer (can supply source the "
            "materials?). Due *{deadline}*, {window} after the request.",
            **data,
        )
    else:
        text = _(
            ":alarm_clock: {who} reminder: {order} still needs production's answer (can production make "
            "it?). Due *{deadline}*, {window} after the request.",
            **data,
        )
    return {
        "text": _fallback(order, request),
        "blocks": [section(text), _buttons(request)],
    }


def reminder_dm(order: Order, request: ConfirmationRequest, link: str | None) -> dict:
    data = {
        "order": order.number,
        "customer": esc_name(order.customer),
        "quantity": number(order.quantity),
        "product": esc_name(order.product),
        "deadline": when(request.due_at),
    }
    if link:
        thread = _("<{link}|thread>", link=link)
        order_words = f"{order.number} ({thread})"
    else:
        order_words = order.number
    data["order"] = order_words
    if request.team == "managers":
        text = _(
            ":alarm_clock: {order} for {customer}: {quantity} × {product} is waiting for a manager to "
            "approve or reject a promise beyond the plan. Due *{deadline}*.",
            **data,
        )
    elif request.team == "supply":
        text = _(
            ":alarm_clock: {order} for {customer}: {quantity} × {product} is waiting for supply's "
            "answer: can supply source the materials? Due *{deadline}*.",
            **data,
        )
    else:
        text = _(
            ":alarm_clock: {order} for {customer}: {quantity} × {product} is waiting for production's "
            "answer: can production make it? Due *{deadline}*.",
            **data,
        )
    return {
        "text": _fallback(order, request),
        "blocks": [section(text), _buttons(request)],
    }


def escalation(order: Order, request: ConfirmationRequest, config: Config) -> dict:
    data = {
        "managers": mention_all(config.teams.managers),
        "order": order.number,
        "team": mention_all(getattr(config.teams, request.team)),
        "deadline": when(request.due_at),
        "window": confirm_window(config),
    }
    if request.team == "managers":
        text = _(
            ":rotating_light: {managers} {order} is *overdue*: no manager approved or rejected the "
            "promise beyond the plan by {deadline}. Sales is waiting to tell the customer.",
            **data,
        )
        fallback = _("Overdue: {order} has no manager's decision", order=order.number)
    elif request.team == "supply":
        text = _(
            ":rotating_light: {managers} {order} is *overdue*: {team} did not answer (can supply source "
            "the materials?) by {deadline}. This counts against supply's rate of answers within "
            "{window}. A late answer is still accepted.",
            **data,
        )
        fallback = _("Overdue: {order} has no answer from supply", order=order.number)
    else:
        text = _(
            ":rotating_light: {managers} {order} is *overdue*: {team} did not answer (can production "
            "make it?) by {deadline}. This counts against production's rate of answers within "
            "{window}. A late answer is still accepted.",
            **data,
        )
        fallback = _("Overdue: {order} has no answer from production", order=order.number)
    return {"text": fallback, "blocks": [section(text), _buttons(request)]}
