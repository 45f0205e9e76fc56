"""Reminders and escalation for confirmation requests.

`schedule_request_clock` runs when a request is created; workflows.due claims what is due
and calls the handlers here in the same transaction. A request answered, superseded or
cancelled in between is skipped, never reminded.
"""

from __future__ import annotations

from sqlmodel import Session

from storage import due as due_items
from storage import repo
from storage.models import ConfirmationRequest, DueItem, OrderStatus
from workflows import notices
from workflows.clock import add_sla_hours
from workflows.context import Context

REMIND = "request.remind"
ESCALATE = "request.escalate"


def schedule_request_clock(session: Session, ctx: Context, request: ConfirmationRequest) -> None:
    sla = ctx.config.sla
    if sla.remind_before_hours > 0:
        remind_at = add_sla_hours(
            ctx.config, request.requested_at, sla.confirm_within_hours - sla.remind_before_hours
        )
        due_items.schedule(
            session, key=f"request:{request.id}:remind", kind=REMIND, due_at=remind_at, ref_id=request.id
        )
    due_items.schedule(
        session, key=f"request:{request.id}:escalate", kind=ESCALATE, due_at=request.due_at, ref_id=request.id
    )


def _open_request(session: Session, item: DueItem) -> tuple[ConfirmationRequest | None, str]:
    request = repo.get_request(session, item.ref_id)
    if request is None:
        return None, "skipped: request gone"
    order = repo.get_order(session, request.order_id)
    if request.answered_at is not None:
        return None, "skipped: answered"
    if request.superseded or order.revision != request.revision:
        return None, "skipped: superseded"
    if order.status == OrderStatus.CANCELLED:
        return None, "skipped: cancelled"
    return request, ""


def _remind(session: Session, ctx: Context, item: DueItem, team_members: dict[str, set[str]]) -> str:
    request, skipped = _open_request(session, item)
    if request is None:
        return skipped
    if ctx.now >= request.due_at:
        return "skipped: the deadline passed too; the escalation covers it"
    order = repo.get_order(session, request.order_id)
    request.reminded_at = ctx.now
    session.add(request)
    return notices.remind_team(
        session,
        order,
        ctx.now,
        members=team_members.get(request.team, set()),
        kind="reminder",
        subject="request",
        subject_id=request.id,
    )


def _escalate(session: Session, ctx: Context, item: DueItem, team_members: dict[str, set[str]]) -> str:
    request, skipped = _open_request(session, item)
    if request is None:
        return skipped
    order = repo.get_order(session, request.order_id)
    request.escalated_at = ctx.now
    session.add(request)
    repo.record_event(
        session,
        order,
        kind=f"{request.team}_breached",
        actor=None,
        at=ctx.now,
        data={"request_id": request.id, "due_at": request.due_at.isoformat()},
    )
    notices.in_thread(
        session,
        order,
        "escalation",
        ctx.now,
        key=f"order:{order.id}:request:{request.id}:escalation",
        request_id=request.id,
    )
    notices.update_request(session, order, request, ctx.now)
    notices.update_card(session, order, ctx.now)
    return "sent: escalated to managers"


HANDLERS = {REMIND: _remind, ESCALATE: _escalate}
