"""Renderers for the messages of an order's life after commitment, built from the state at delivery.

The order card is rendered here too, once for every status: after commitment it gains the
lines of this feature (materials, delivery, open problems, pending change).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel import Session

from bot.after_commit import blocks as ab
from bot.links import thread_link
from bot.messages import NothingToRender, renders
from bot.orders import blocks as ob
from storage import after_commit_repo as store
from storage import repo
from storage.models import Order, OrderEvent, OrderStatus
from workflows import after_commit, orders
from workflows.config import Config
from workflows.enums import MessageKind as K


def _order(session: Session, params: dict) -> Order:
    order = repo.get_order(session, params["order_id"]) if "order_id" in params else None
    if order is None:
        raise NothingToRender(f"order {params.get('order_id')}")
    return order


def facts(session: Session, order: Order, config: Config, now: datetime) -> ab.AfterFacts:
    change = store.pending_change(session, order.id)
    promised = after_commit.promised_material_date(session, order)
    return ab.AfterFacts(
        order=order,
        promised=promised,
        late=after_commit.materials_late(order, promised, config=config, now=now),
        open_problems=store.problems_of(session, order.id, open_only=True),
        change=change,
        acks=store.acks_of(session, change.id) if change else {},
        slip=_slip(session, order),
    )


def _slip(session: Session, order: Order) -> dict | None:
    """Supply's last new material date, while the materials have not arrived."""
    if order.materials_arrived_date is not None:
        return None
    event = store.last_event(session, order.id, "material_date_slipped")
    return event.data if event else None


@renders(K.ORDER_CARD)
def _card(session: Session, params: dict, config: Config, now: datetime) -> dict:
    order = _order(session, params)
    committed = order.status in (OrderStatus.COMMITTED, OrderStatus.DELIVERED)
    extra = ab.card_blocks(facts(session, order, config, now)) if committed else None
    reason = repo.cancel_reason(session, order) if order.status == OrderStatus.CANCELLED else ""
    requests = repo.current_requests(session, order)
    over = orders.over_plan(session, order)
    return ob.order_card(order, requests, extra, cancel_reason=reason, config=config, over_plan=over)


@renders(K.AFTER_COMMIT)
def _after(session: Session, params: dict, config: Config, now: datetime) -> dict:
    return ab.after_message(facts(session, _order(session, params), config, now))


@renders(K.MATERIALS_ARRIVED)
def _materials(session: Session, params: dict, config: Config, now: datetime) -> dict:
    order = _order(session, params)
    promised = after_commit.promised_material_date(session, order)
    return ab.materials_note(order, promised, params.get("notes") or "")


@renders(K.MATERIALS_LATE)
def _late(session: Session, params: dict, config: Config, now: datetime) -> dict:
    return ab.late_flag(_order(session, params), date.fromisoformat(params["promised"]), config)


@renders(K.PROBLEM)
def _problem(session: Session, params: dict, config: Config, now: datetime) -> dict:
    problem = store.get_problem(session, params["problem_id"])
    if problem is None:
        raise NothingToRender(f"problem {params['problem_id']}")
    return ab.problem_message(_order(session, params), problem, config)


@renders(K.CHANGE)
def _change(session: Session, params: dict, config: Config, now: datetime) -> dict:
    change = store.get_change(session, params["change_id"])
    if change is None:
        raise NothingToRender(f"change {params['change_id']}")
    return ab.change_message(_order(session, params), change, store.acks_of(session, change.id), config)


def _ack(session: Session, params: dict):  # noqa: ANN202
    ack = store.get_ack(session, params["ack_id"])
    change = store.get_change(session, ack.change_id) if ack else None
    if ack is None or change is None:
        raise NothingToRender(f"change acknowledgement {params['ack_id']}")
    return change, ack


def _still_waiting(session: Session, params: dict):  # noqa: ANN202
    """A reminder about an answer given meanwhile is dropped rather than sent stale."""
    change, ack = _ack(session, params)
    if ack.acked_at is not None:
        raise NothingToRender(f"change answer {ack.id}: answered meanwhile")
    return change, ack


@renders(K.DELIVERED)
def _delivered(session: Session, params: dict, config: Config, now: datetime) -> dict:
    return ab.delivered_note(_order(session, params))


@renders(K.CHANGE_REMINDER)
def _change_reminder(session: Session, params: dict, config: Config, now: datetime) -> dict:
    return ab.change_reminder(_order(session, params), *_still_waiting(session, params), config)


@renders(K.CHANGE_REMINDER_DM)
def _change_reminder_dm(session: Session, params: dict, config: Config, now: datetime) -> dict:
    order = _order(session, params)
    return ab.change_reminder_dm(order, *_still_waiting(session, params), thread_link(session, order), config)


@renders(K.CHANGE_ESCALATION)
def _change_escalation(session: Session, params: dict, config: Config, now: datetime) -> dict:
    return ab.change_escalation(_order(session, params), *_ack(session, params), config)


def _change_of(session: Session, params: dict):  # noqa: ANN202
    change = store.get_change(session, params["change_id"])
    if change is None:
        raise NothingToRender(f"change {params['change_id']}")
    return change


@renders(K.CHANGE_RETURNED)
def _change_returned(session: Session, params: dict, config: Config, now: datetime) -> dict:
    change = _change_of(session, params)
    return ab.change_returned(_order(session, params), change, store.acks_of(session, change.id))


@renders(K.CHANGE_APPLIED)
def _change_applied(session: Session, params: dict, config: Config, now: datetime) -> dict:
    return ab.change_applied(_order(session, params), _change_of(session, params))


@renders(K.CHANGE_APPROVAL)
def _change_approval(session: Session, params: dict, config: Config, now: datetime) -> dict:
    change, ack = _ack(session, params)
    order = _order(session, params)
    proposal = next(
        (
            e.data
            for e in store.events_of(session, order.id, "approval_requested")
            if e.data.get("ack_id") == ack.id
        ),
        {},
    )
    return ab.change_approval(order, change, ack, proposal, config)


@renders(K.CHANGE_REJECTED)
def _change_rejected(session: Session, params: dict, config: Config, now: datetime) -> dict:
    change, ack = _ack(session, params)
    return ab.change_rejected(_order(session, params), change, ack)


@renders(K.MATERIAL_SLIP)
def _material_slip(session: Session, params: dict, config: Config, now: datetime) -> dict:
    event = session.get(OrderEvent, params["event_id"])
    if event is None:
        raise NothingToRender(f"event {params['event_id']}")
    return ab.material_slip(_order(session, params), event.actor, event.data, config)
