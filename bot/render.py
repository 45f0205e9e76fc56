"""Builds the payload of a queued message from the current state, by the message's kind.

Each renderer takes (session, params, config, now) and returns {"text", "blocks"}. Order
messages are registered here; other features add their own table to RENDERERS.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from sqlmodel import Session

from bot import after_commit_render, digest_render, review_render
from bot.blocks import clock as cb
from bot.blocks import order as ob
from bot.links import thread_link
from storage import repo
from storage.models import Order, OutboxMessage
from workflows.config import Config

Renderer = Callable[[Session, dict, Config, datetime], dict]


class NothingToRender(Exception):
    """The thing the message is about is gone; the message is dropped."""


def order_of(session: Session, params: dict) -> Order:
    order = repo.get_order(session, params["order_id"]) if "order_id" in params else None
    if order is None:
        raise NothingToRender(f"order {params.get('order_id')}")
    return order


def _request(session: Session, params: dict):  # noqa: ANN202
    request = repo.get_request(session, params["request_id"])
    if request is None:
        raise NothingToRender(f"request {params['request_id']}")
    return request


def _revision_requests(session: Session, order: Order, params: dict) -> tuple[int, dict]:
    revision = params.get("revision", order.revision)
    return revision, {r.team: r for r in repo.requests_for(session, order, revision=revision)}


def _commit_prompt(session: Session, params: dict, config: Config, now: datetime) -> dict:
    order = order_of(session, params)
    feasible = date.fromisoformat(params["feasible"]) if params.get("feasible") else None
    return ob.commit_prompt(order, params.get("revision", order.revision), feasible)


def _declined_prompt(session: Session, params: dict, config: Config, now: datetime) -> dict:
    order = order_of(session, params)
    return ob.declined_prompt(order, *_revision_requests(session, order, params))


def _card(session: Session, params: dict, config: Config, now: datetime) -> dict:
    order = order_of(session, params)
    reason = repo.cancel_reason(session, order)
    return ob.order_card(order, repo.current_requests(session, order), cancel_reason=reason)


def _cancelled(session: Session, params: dict) -> dict:
    order = order_of(session, params)
    return ob.cancelled_notice(order, repo.cancel_reason(session, order))


ORDER_RENDERERS: dict[str, Renderer] = {
    "order_card": _card,
    "request": lambda s, p, c, n: ob.request_message(order_of(s, p), _request(s, p), c),
    "answer_echo": lambda s, p, c, n: ob.answer_echo(order_of(s, p), _request(s, p)),
    "commit_prompt": _commit_prompt,
    "declined_prompt": _declined_prompt,
    "committed": lambda s, p, c, n: ob.committed_notice(order_of(s, p), c),
    "revised": lambda s, p, c, n: ob.revised_notice(order_of(s, p), p["before"], p["after"]),
    "cancelled": lambda s, p, c, n: _cancelled(s, p),
    "reminder": lambda s, p, c, n: cb.reminder(order_of(s, p), _request(s, p), c),
    "reminder_dm": lambda s, p, c, n: cb.reminder_dm(
        order_of(s, p), _request(s, p), thread_link(s, order_of(s, p))
    ),
    "escalation": lambda s, p, c, n: cb.escalation(order_of(s, p), _request(s, p), c),
}

RENDERERS: dict[str, Renderer] = {
    **ORDER_RENDERERS,
    **review_render.RENDERERS,
    **digest_render.RENDERERS,
    **after_commit_render.RENDERERS,  # last: its "order_card" adds the after-commitment lines
}


def render(session: Session, message: OutboxMessage, config: Config, now: datetime) -> dict:
    renderer = RENDERERS.get(message.kind)
    if renderer is None:
        raise ValueError(f"no renderer for message kind {message.kind!r}")
    return renderer(session, message.params, config, now)
