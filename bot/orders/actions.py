"""Buttons in order threads. Each acks at once, re-checks permission in the database, then acts."""

from __future__ import annotations

import logging

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlmodel import Session

from bot.forms import open_modal, words
from bot.ids import Action
from bot.orders import blocks as ob
from bot.orders import preview
from bot.orders.modals import (
    cancel_modal,
    commit_modal,
    production_modal,
    reject_promise_modal,
    supply_modal,
)
from bot.refusals import say
from bot.services import PERSON_WAITS, Services
from storage import repo
from storage.models import Order
from workflows import atp, changes, notices, orders
from workflows.context import Context
from workflows.enums import Act
from workflows.permissions import Refusal

log = logging.getLogger(__name__)


MAX_ID_DIGITS = 18  # fits a 64-bit INTEGER column; a longer number would overflow the driver


def parse_id(text: str) -> int:
    """A database id from a button value: ASCII digits only, small enough for the database."""
    if not (text.isascii() and text.isdigit() and len(text) <= MAX_ID_DIGITS):
        raise Refusal("button_invalid")
    return int(text)


def parse_order_value(value: str) -> tuple[int, int]:
    """Button values are "<order id>:<revision>"; a mangled one is refused, never a crash."""
    parts = value.split(":")
    if len(parts) != 2:
        raise Refusal("button_invalid")
    return parse_id(parts[0]), parse_id(parts[1])


def parse_decision(value: str) -> tuple[bool, int]:
    """A manager's Approve promise / Reject value: a promise's request id, or "change:<answer id>"
    for a change beyond what can be made (workflows/changes.py)."""
    if value.startswith("change:"):
        return True, parse_id(value.removeprefix("change:"))
    return False, parse_id(value)


def refuse(respond: Respond, refusal: Refusal, svc: Services | None = None) -> None:
    said = say(refusal) if svc is None else words(svc, refusal)
    respond(text=f":no_entry_sign: {said}", response_type="ephemeral", replace_original=False)


def commit_form(session: Session, ctx: Context, order: Order) -> dict:
    """The commit form with the current figures: the capacity-aware earliest date, its reasoning
    and what the plan has left in the requested month for the order's line."""
    requests = repo.current_requests(session, order)
    earliest = atp.capacity_aware_earliest(session, ctx, order, requests)
    feasible = earliest.date if earliest else None
    requested = (
        atp.availability(session, order.line, atp.month_key(order.requested_date), exclude_order_id=order.id)
        if order.line
        else None
    )
    return commit_modal(
        order,
        orders.suggested_commit_date(ctx, order, requests, feasible),
        feasible,
        reasoning=ob.plan_reasoning(earliest.line, earliest.steps, earliest.date) if earliest else None,
        available=ob.month_available(order.line, requested),
    )


def register(app: App, svc: Services) -> None:
    @app.action(ob.APPROVE_PROMISE)
    def approve(ack: Ack, body: dict, action: dict, respond: Respond) -> None:
        ack()
        user = body["user"]["id"]
        try:
            change, request_id = parse_decision(action.get("value") or "")
            decide = changes.approve_change if change else orders.approve_promise
            target = {"ack_id": request_id} if change else {"request_id": request_id}
            with svc.session(budget=PERSON_WAITS) as session:  # the order's row lock: one decision
                order = decide(session, svc.context(), actor=user, **target)
                stream = notices.stream(order)
        except Refusal as refusal:
            refuse(respond, refusal, svc)
            return
        svc.deliver_for([stream], user=user, respond=respond)

    @app.action(ob.REJECT_PROMISE)
    def reject(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        try:
            change, request_id = parse_decision(action.get("value") or "")
            with svc.session(read_only=True) as session:
                if change:
                    from bot.after_commit.listeners import open_reject_change

                    view = open_reject_change(session, svc.context(), body["user"]["id"], request_id)
                else:
                    order = orders.check_can_decide(
                        session, svc.context(), actor=body["user"]["id"], request_id=request_id
                    )
                    view = reject_promise_modal(order, request_id)
        except Refusal as refusal:
            refuse(respond, refusal, svc)
            return
        open_modal(svc, client, respond, user=body["user"]["id"], trigger_id=body["trigger_id"], view=view)

    @app.action(Action.ANSWER)
    def answer(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        try:
            request_id = parse_id(action.get("value") or "")
            with svc.session(read_only=True) as session:
                request, order = orders.check_can_answer(
                    session, svc.context(), actor=body["user"]["id"], request_id=request_id
                )
                build = production_modal if request.team == "production" else supply_modal
                view = build(order, request.id)
        except Refusal as refusal:
            refuse(respond, refusal, svc)
            return
        open_modal(svc, client, respond, user=body["user"]["id"], trigger_id=body["trigger_id"], view=view)

    @app.action(Action.COMMIT)
    def commit(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        try:
            order_id, revision = parse_order_value(action.get("value", ""))
            ctx = svc.context()
            with svc.session(read_only=True) as session:
                order = orders.check_can_commit(
                    session, ctx, actor=body["user"]["id"], order_id=order_id, revision=revision
                )
                view = commit_form(session, ctx, order)
        except Refusal as refusal:
            refuse(respond, refusal, svc)
            return
        open_modal(svc, client, respond, user=body["user"]["id"], trigger_id=body["trigger_id"], view=view)

    @app.action(Action.REVISE)
    def revise(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        try:
            order_id, revision = parse_order_value(action.get("value", ""))
            with svc.session(read_only=True) as session:
                order = orders.check_can_change(
                    session,
                    svc.context(),
                    actor=body["user"]["id"],
                    order_id=order_id,
                    doing=Act.REVISE,
                )
                if order.revision != revision:
                    raise Refusal("already_revised", order=order.number, revision=order.revision)
                view = preview.order_form(session, svc.config, order)  # with the month's figures
        except Refusal as refusal:
            refuse(respond, refusal, svc)
            return
        open_modal(svc, client, respond, user=body["user"]["id"], trigger_id=body["trigger_id"], view=view)

    @app.action(Action.CANCEL)
    def cancel(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
        ack()
        try:
            order_id, revision = parse_order_value(action.get("value", ""))
            with svc.session(read_only=True) as session:
                order = orders.check_can_cancel(
                    session, svc.context(), actor=body["user"]["id"], order_id=order_id, revision=revision
                )
                view = cancel_modal(order)
        except Refusal as refusal:
            refuse(respond, refusal, svc)
            return
        open_modal(svc, client, respond, user=body["user"]["id"], trigger_id=body["trigger_id"], view=view)
