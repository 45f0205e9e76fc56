"""Messages of the confirmation clock: reminders (thread and direct) and escalations."""

from __future__ import annotations

from bot.ids import Action
from bot.mrkdwn import esc_name, mention_all, when
from bot.orders.blocks import TEAM_LABEL, actions, button, section
from storage.models import ConfirmationRequest, Order
from workflows.config import Config


def _question(request: ConfirmationRequest) -> str:
    return "can production make it" if request.team == "production" else "can supply source the materials"


def reminder(order: Order, request: ConfirmationRequest, config: Config) -> dict:
    who = mention_all(getattr(config.teams, request.team))
    text = (
        f":alarm_clock: {who} reminder: {order.number} still needs {TEAM_LABEL[request.team].lower()}'s "
        f"answer ({_question(request)}?). Due *{when(request.due_at)}*."
    )
    return {
        "text": f"Reminder: {order.number} needs {request.team}'s answer",
        "blocks": [
            section(text),
            actions(button(f"Answer for {request.team}", Action.ANSWER, str(request.id), "primary")),
        ],
    }


def reminder_dm(order: Order, request: ConfirmationRequest, link: str | None) -> dict:
    thread = f" (<{link}|thread>)" if link else ""
    text = (
        f":alarm_clock: {order.number}{thread} for {esc_name(order.customer)}: {order.quantity:,} × "
        f"{esc_name(order.product)} is waiting for {request.team}'s answer: {_question(request)}? "
        f"Due *{when(request.due_at)}*."
    )
    return {
        "text": f"Reminder: {order.number} needs {request.team}'s answer",
        "blocks": [
            section(text),
            actions(button(f"Answer for {request.team}", Action.ANSWER, str(request.id), "primary")),
        ],
    }


def escalation(order: Order, request: ConfirmationRequest, config: Config) -> dict:
    managers = mention_all(config.teams.managers)
    team = mention_all(getattr(config.teams, request.team))
    text = (
        f":rotating_light: {managers} {order.number} is *overdue*: {team} did not answer "
        f"({_question(request)}?) by {when(request.due_at)}. This counts against {request.team}'s "
        f"{config.sla.confirm_within_hours:g}-hour confirmation rate. A late answer is still accepted."
    )
    return {
        "text": f"Overdue: {order.number} has no answer from {request.team}",
        "blocks": [
            section(text),
            actions(button(f"Answer for {request.team}", Action.ANSWER, str(request.id), "primary")),
        ],
    }
