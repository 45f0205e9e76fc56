"""Changes to committed orders: sales changes quantity or delivery date, production and supply acknowledge.

The seed's classic failure is a date changed by sales that production never hears about. So a
change is recorded with its before/after values, both teams are told in the thread and must
acknowledge it on the same 24-hour clock as a confirmation (reminder, then escalation to the
managers and a recorded breach), and the card shows the change until both have acknowledged.

One pending change at a time: while a change is unacknowledged a further change is refused
with who still owes the acknowledgement. Superseding it instead would let a second change slip
past a team that never saw the first; the teams acknowledge in one click, so the wait is short.
A delivered order is final and cannot be changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from storage import after_commit_repo as store
from storage import due as due_items
from storage import repo
from storage.models import ChangeAck, DueItem, Order, OrderChange, OrderStatus
from workflows import after_commit, notices
from workflows.clock import add_sla_hours, confirmation_deadline
from workflows.context import Context
from workflows.enums import ANSWERING_TEAMS, Act
from workflows.inputs import MAX_NOTES, MAX_QUANTITY, InputErrors, future_date, text_field, whole_number
from workflows.permissions import Refusal, require_member, require_sales

REMIND = "change.remind"
ESCALATE = "change.escalate"


@dataclass(frozen=True)
class Edit:
    quantity: int
    delivery_date: date
    reason: str


def change_key(change: OrderChange) -> str:
    return f"order:{change.order_id}:change:{change.id}"


def edit_input(
    *, quantity: str | None, delivery_date: date | None, reason: str | None, today: date
) -> tuple[Edit | None, InputErrors]:
    errors: InputErrors = {}
    edit = Edit(
        quantity=whole_number(
            errors, "quantity", quantity, low=1, high=MAX_QUANTITY, what="quantity", counts="pieces"
        )
        or 0,
        delivery_date=future_date(errors, "delivery_date", delivery_date, today=today, what="delivery_date")
        or today,
        reason=text_field(errors, "reason", reason, required=True, limit=MAX_NOTES, what="change_reason"),
    )
    return (None, errors) if errors else (edit, {})


def waiting_teams(acks: dict[str, ChangeAck]) -> list[str]:
    return [team for team, ack in acks.items() if ack.acked_at is None]


def check_can_edit(session: Session, ctx: Context, *, actor: str, order_id: int) -> Order:
    order = repo.get_order(session, order_id, for_update=True)
    if order is None:
        raise Refusal("order_gone")
    require_sales(ctx.config, ctx.directory, actor, order.salesperson, Act.CHANGE_ORDER)
    if order.status == OrderStatus.DELIVERED:
        raise Refusal(
            "delivered_cannot_change", order=order.number, delivered=order.delivered_date.isoformat()
        )
    if order.status != OrderStatus.COMMITTED:
        raise Refusal("not_committed_cannot_change", order=order.number, status=order.status)
    pending = store.pending_change(session, order.id)
    if pending is not None:
        raise Refusal(
            "change_pending",
            order=order.number,
            teams=tuple(waiting_teams(store.acks_of(session, pending.id))),
            user=pending.requested_by,
            at=ctx.stamp(pending.requested_at),
        )
    return order


def snapshot(order: Order) -> dict:
    return {"quantity": order.quantity, "committed_date": order.committed_date.isoformat()}


def wanted(edit: Edit) -> dict:
    return {"quantity": edit.quantity, "committed_date": edit.delivery_date.isoformat()}


def check_changes_something(order: Order, edit: Edit) -> None:
    if wanted(edit) == snapshot(order):
        raise Refusal("nothing_to_change")


def change_order(session: Session, ctx: Context, *, actor: str, order_id: int, edit: Edit) -> Order:
    order = check_can_edit(session, ctx, actor=actor, order_id=order_id)
    check_changes_something(order, edit)
    before, after = snapshot(order), wanted(edit)
    change = OrderChange(
        order_id=order.id,
        requested_by=actor,
        requested_at=ctx.now,
        before=before,
        after=after,
        reason=edit.reason,
    )
    store.add(session, change)
    order.quantity, order.committed_date, order.updated_at = edit.quantity, edit.delivery_date, ctx.now
    session.add(order)
    repo.record_event(
        session,
        order,
        kind="changed",
        actor=actor,
        at=ctx.now,
        data={"change_id": change.id, "before": before, "after": after, "reason": edit.reason},
    )
    due_at = confirmation_deadline(ctx.config, ctx.now)
    for team in ANSWERING_TEAMS:
        ack = ChangeAck(change_id=change.id, order_id=order.id, team=team, due_at=due_at)
        store.add(session, ack)
        _schedule_clock(session, ctx, ack)
    notices.in_thread(session, order, "change", ctx.now, key=change_key(change), change_id=change.id)
    after_commit.refresh(session, ctx, order)
    return order


def _schedule_clock(session: Session, ctx: Context, ack: ChangeAck) -> None:
    sla = ctx.config.sla
    if sla.remind_before_hours > 0:
        remind_at = add_sla_hours(ctx.config, ctx.now, sla.confirm_within_hours - sla.remind_before_hours)
        due_items.schedule(session, key=f"ack:{ack.id}:remind", kind=REMIND, due_at=remind_at, ref_id=ack.id)
    due_items.schedule(session, key=f"ack:{ack.id}:escalate", kind=ESCALATE, due_at=ack.due_at, ref_id=ack.id)


def acknowledge(session: Session, ctx: Context, *, actor: str, ack_id: int) -> Order:
    ack = store.get_ack(session, ack_id)
    if ack is None:
        raise Refusal("change_gone")
    require_member(ctx.config, ctx.directory, actor, ack.team, Act.ACKNOWLEDGE_CHANGE)
    order = repo.get_order(session, ack.order_id, for_update=True)
    session.refresh(ack)  # re-read under the order's lock: a concurrent acknowledgement must be seen
    if ack.acked_at is not None:
        raise Refusal(
            "change_already_acknowledged", user=ack.acked_by, team=ack.team, at=ctx.stamp(ack.acked_at)
        )
    ack.acked_at, ack.acked_by, ack.late = ctx.now, actor, ctx.now > ack.due_at
    session.add(ack)
    repo.record_event(
        session,
        order,
        kind="change_acknowledged",
        actor=actor,
        at=ctx.now,
        data={"change_id": ack.change_id, "team": ack.team, "late": ack.late},
    )
    change = store.get_change(session, ack.change_id)
    notices.update(session, order, change_key(change), "change", ctx.now, change_id=change.id)
    after_commit.refresh(session, ctx, order)
    return order


# -- the acknowledgement clock -----------------------------------------------------------------


def _open_ack(session: Session, item: DueItem) -> tuple[ChangeAck | None, Order | None, str]:
    ack = store.get_ack(session, item.ref_id)
    if ack is None:
        return None, None, "skipped: change gone"
    if ack.acked_at is not None:
        return None, None, "skipped: acknowledged"
    order = repo.get_order(session, ack.order_id)
    if order.status != OrderStatus.COMMITTED:
        return None, None, f"skipped: order {order.status}"
    return ack, order, ""


def _remind(session: Session, ctx: Context, item: DueItem, team_members: dict[str, set[str]]) -> str:
    ack, order, skipped = _open_ack(session, item)
    if ack is None:
        return skipped
    if ctx.now >= ack.due_at:
        return "skipped: the deadline passed too; the escalation covers it"
    ack.reminded_at = ctx.now
    session.add(ack)
    return notices.remind_team(
        session,
        order,
        ctx.now,
        members=team_members.get(ack.team, set()),
        kind="change_reminder",
        subject="ack",
        subject_id=ack.id,
    )


def _escalate(session: Session, ctx: Context, item: DueItem, team_members: dict[str, set[str]]) -> str:
    ack, order, skipped = _open_ack(session, item)
    if ack is None:
        return skipped
    ack.escalated_at = ctx.now
    session.add(ack)
    repo.record_event(
        session,
        order,
        kind="change_breached",
        actor=None,
        at=ctx.now,
        data={
            "change_id": ack.change_id,
            "ack_id": ack.id,
            "team": ack.team,
            "due_at": ack.due_at.isoformat(),
        },
    )
    notices.in_thread(
        session,
        order,
        "change_escalation",
        ctx.now,
        key=f"order:{order.id}:ack:{ack.id}:escalation",
        ack_id=ack.id,
    )
    change = store.get_change(session, ack.change_id)
    notices.update(session, order, change_key(change), "change", ctx.now, change_id=change.id)
    after_commit.refresh(session, ctx, order)
    return "sent: escalated to managers"


HANDLERS = {REMIND: _remind, ESCALATE: _escalate}
