"""Builds the payload of a queued message from the current state, by the message's kind."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from bot.blocks import clock as cb
from bot.blocks import order as ob
from bot.links import thread_link
from storage import repo
from storage.models import OutboxMessage
from workflows.config import Config


class NothingToRender(Exception):
    """The thing the message is about is gone; the message is dropped."""


def render(session: Session, message: OutboxMessage, config: Config, now: datetime) -> dict:
    params = message.params
    order = repo.get_order(session, params["order_id"]) if "order_id" in params else None
    if order is None:
        raise NothingToRender(message.key)
    revision = params.get("revision", order.revision)
    kind = message.kind
    if kind == "order_card":
        return ob.order_card(order, repo.current_requests(session, order))
    if kind in ("request", "answer_echo"):
        request = repo.get_request(session, params["request_id"])
        if kind == "request":
            return ob.request_message(order, request, config)
        return ob.answer_echo(order, request)
    if kind == "commit_prompt":
        feasible = date.fromisoformat(params["feasible"]) if params.get("feasible") else None
        return ob.commit_prompt(order, revision, feasible)
    if kind == "declined_prompt":
        requests = {r.team: r for r in repo.requests_for(session, order, revision=revision)}
        return ob.declined_prompt(order, revision, requests)
    if kind == "committed":
        return ob.committed_notice(order, config)
    if kind == "revised":
        return ob.revised_notice(order, params["before"], params["after"])
    if kind in ("reminder", "reminder_dm", "escalation"):
        request = repo.get_request(session, params["request_id"])
        if kind == "reminder":
            return cb.reminder(order, request, config)
        if kind == "escalation":
            return cb.escalation(order, request, config)
        return cb.reminder_dm(order, request, thread_link(session, order))
    if kind == "cancelled":
        return ob.cancelled_notice(order)
    raise ValueError(f"no renderer for message kind {kind!r}")
