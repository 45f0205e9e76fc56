"""Renderers of an order's card, its thread messages and the confirmation clock's messages."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from bot.links import thread_link
from bot.messages import NothingToRender, renders
from bot.orders import blocks as ob
from bot.orders import reminders as cb
from storage import repo
from storage.models import Order
from workflows import atp, orders
from workflows.config import Config
from workflows.enums import MessageKind as K
from workflows.permissions import Refusal


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


@renders(K.COMMIT_PROMPT)
def _commit_prompt(session: Session, params: dict, config: Config, now: datetime) -> dict:
    order = order_of(session, params)
    feasible = date.fromisoformat(params["feasible"]) if params.get("feasible") else None
    reasoning = (
        ob.plan_reasoning(params.get("line"), ob.steps_of(params.get("steps") or []), feasible)
        if feasible
        else None
    )
    return ob.commit_prompt(order, params.get("revision", order.revision), feasible, reasoning=reasoning)


@renders(K.DECLINED_PROMPT)
def _declined_prompt(session: Session, params: dict, config: Config, now: datetime) -> dict:
    order = order_of(session, params)
    return ob.declined_prompt(order, *_revision_requests(session, order, params))


@renders(K.CANCELLED)
def _cancelled(session: Session, params: dict, config: Config, now: datetime) -> dict:
    order = order_of(session, params)
    return ob.cancelled_notice(order, repo.cancel_reason(session, order))


def _proposal(session: Session, request) -> dict:  # noqa: ANN001
    try:
        return orders.approval_proposal(session, request)
    except Refusal as gone:
        raise NothingToRender(f"the proposal of request {request.id}") from gone


@renders(K.REQUEST)
def _request_message(session: Session, params: dict, config: Config, now: datetime) -> dict:
    order, request = order_of(session, params), _request(session, params)
    if request.team == orders.APPROVERS:
        return ob.approval_message(order, request, _proposal(session, request), config)
    return ob.request_message(order, request, config)


@renders(K.ANSWER_ECHO)
def _answer_echo(session: Session, params: dict, config: Config, now: datetime) -> dict:
    order, request = order_of(session, params), _request(session, params)
    if request.team == orders.APPROVERS:
        return ob.approval_echo(order, request, _proposal(session, request))
    month = atp.month_key(order.requested_date)
    found = atp.availability(session, order.line, month, exclude_order_id=order.id) if order.line else None
    return ob.answer_echo(order, request, available=ob.month_available(order.line, found))


@renders(K.ANSWER_CORRECTED)
def _answer_corrected(session: Session, params: dict, config: Config, now: datetime) -> dict:
    order, request = order_of(session, params), _request(session, params)
    month = atp.month_key(order.requested_date)
    found = atp.availability(session, order.line, month, exclude_order_id=order.id) if order.line else None
    return ob.answer_corrected(order, request, params, available=ob.month_available(order.line, found))


@renders(K.COMMITTED)
def _committed(session: Session, params: dict, config: Config, now: datetime) -> dict:
    return ob.committed_notice(order_of(session, params), config)


@renders(K.REVISED)
def _revised(session: Session, params: dict, config: Config, now: datetime) -> dict:
    return ob.revised_notice(order_of(session, params), params["before"], params["after"])


@renders(K.REMINDER)
def _reminder(session: Session, params: dict, config: Config, now: datetime) -> dict:
    return cb.reminder(order_of(session, params), _request(session, params), config)


@renders(K.REMINDER_DM)
def _reminder_dm(session: Session, params: dict, config: Config, now: datetime) -> dict:
    order = order_of(session, params)
    return cb.reminder_dm(order, _request(session, params), thread_link(session, order))


@renders(K.ESCALATION)
def _escalation(session: Session, params: dict, config: Config, now: datetime) -> dict:
    return cb.escalation(order_of(session, params), _request(session, params), config)
