"""Changes to committed orders: sales asks a change, production and supply answer it again.

The seed's classic failure is a date changed by sales that production never hears about, and
its twin: a change to a date production cannot make. So a change is asked like the original
request: each team answers the new quantity and date (yes with lead time / material date, or no
with a reason) on the same 24-hour clock as a confirmation (reminder, then escalation to the
managers and a recorded breach). The previous commitment stays in force until the new one is
agreed: the order's quantity and committed date move only when the change is applied.

- both yes, and within what can be made (the capacity-aware earliest date from their answers,
  the month's plan): the change is applied;
- both yes, beyond what can be made: it waits for a manager, like an over-plan promise
  (workflows/orders.py); approval applies it, a rejection keeps the old commitment;
- a no: the change goes back to sales, who revises it (both teams are asked again) or
  withdraws it (the old commitment stays).

One pending change at a time (ChangeStatus.PENDING); a delivered order is final. After
commitment supply may also record a new material date (a slip): if it makes the committed date
infeasible, sales and the managers are told at once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from storage import after_commit_repo as store
from storage import due as due_items
from storage import repo
from storage.models import ChangeAck, ChangeOrigin, ChangeStatus, DueItem, Order, OrderChange, OrderStatus
from workflows import after_commit, notices
from workflows.clock import add_sla_hours, confirmation_deadline, working_calendar
from workflows.context import Context
from workflows.enums import ANSWERING_TEAMS, Act
from workflows.inputs import (
    MAX_NOTES,
    MAX_QUANTITY,
    InputError,
    InputErrors,
    ProductionAnswer,
    SupplyAnswer,
    future_date,
    text_field,
    whole_number,
)
from workflows.permissions import Refusal, require_member, require_sales

REMIND = "change.remind"
ESCALATE = "change.escalate"
APPROVERS = "managers"  # workflows.orders.APPROVERS: who decides a change beyond what can be made


@dataclass(frozen=True)
class Edit:
    quantity: int
    delivery_date: date
    reason: str
    origin: str = ChangeOrigin.CUSTOMER
    override_reason: str = ""


def change_key(change: OrderChange) -> str:
    return f"order:{change.order_id}:change:{change.id}"


def returned_key(change: OrderChange) -> str:
    return f"order:{change.order_id}:change:{change.id}:returned"


def approval_key(change: OrderChange) -> str:
    return f"order:{change.order_id}:change:{change.id}:approval"


def edit_input(
    *,
    quantity: str | None,
    delivery_date: date | None,
    reason: str | None,
    today: date,
    origin: str | None = ChangeOrigin.CUSTOMER,
    override_reason: str | None = None,
) -> tuple[Edit | None, InputErrors]:
    errors: InputErrors = {}
    if origin not in ChangeOrigin.ALL:
        errors["origin"] = InputError("choose_origin", "origin")
    edit = Edit(
        quantity=whole_number(
            errors, "quantity", quantity, low=1, high=MAX_QUANTITY, what="quantity", counts="pieces"
        )
        or 0,
        delivery_date=future_date(errors, "delivery_date", delivery_date, today=today, what="delivery_date")
        or today,
        reason=text_field(errors, "reason", reason, required=True, limit=MAX_NOTES, what="change_reason"),
        origin=origin if origin in ChangeOrigin.ALL else ChangeOrigin.CUSTOMER,
        override_reason=text_field(
            errors, "override_reason", override_reason, required=False, limit=MAX_NOTES, what="reason"
        ),
    )
    return (None, errors) if errors else (edit, {})


def waiting_teams(acks: dict[str, ChangeAck]) -> list[str]:
    return [team for team, ack in acks.items() if ack.acked_at is None and team in ANSWERING_TEAMS]


def _pending_refusal(session: Session, ctx: Context, order: Order, pending: OrderChange) -> Refusal:
    if pending.status == ChangeStatus.RETURNED:
        return Refusal("change_returned_pending", order=order.number)
    if pending.status == ChangeStatus.AWAITING_APPROVAL:
        return Refusal("change_awaits_manager", order=order.number)
    return Refusal(
        "change_pending",
        order=order.number,
        teams=tuple(waiting_teams(store.acks_of(session, pending.id))),
        user=pending.requested_by,
        at=ctx.stamp(pending.requested_at),
    )


def check_can_edit(
    session: Session, ctx: Context, *, actor: str, order_id: int, revises: int | None = None
) -> Order:
    """Whether `actor` may ask a change now (`revises`: the returned change it replaces)."""
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
    if revises is not None:
        if pending is None or pending.id != revises or pending.status != ChangeStatus.RETURNED:
            raise Refusal("change_not_returned", order=order.number)
    elif pending is not None:
        raise _pending_refusal(session, ctx, order, pending)
    return order


def snapshot(order: Order) -> dict:
    return {"quantity": order.quantity, "committed_date": order.committed_date.isoformat()}


def wanted(edit: Edit) -> dict:
    return {"quantity": edit.quantity, "committed_date": edit.delivery_date.isoformat()}


def check_changes_something(order: Order, edit: Edit) -> None:
    if wanted(edit) == snapshot(order):
        raise Refusal("nothing_to_change")


# -- what can be made (§3 of the issue, for changes) ------------------------------------------------


def feasibility(session: Session, ctx: Context, order: Order, quantity: int, day: date, answers=None):  # noqa: ANN001, ANN201
    """atp.PromiseCheck of changing `order` to `quantity` on `day`: the earliest date from the
    change's answers when both teams gave them, else from the order's own confirmation answers;
    the month's availability leaves the order's current quantity out (it is being replaced)."""
    from workflows import atp

    basis = answers if answers else repo.current_requests(session, order)
    earliest = atp.capacity_aware_earliest(
        session, ctx, order, basis, quantity=quantity, exclude_order_id=order.id
    )
    return atp.check_promise(
        session,
        line=order.line,
        quantity=quantity,
        day=day,
        earliest=earliest.date if earliest else None,
        exclude_order_id=order.id,
    )


def _needs_manager_refusal(order: Order, check, quantity: int) -> Refusal:  # noqa: ANN001
    month = check.month
    return Refusal(
        "promise_needs_manager",
        order=order.number,
        date=check.day.isoformat(),
        earliest=check.earliest.isoformat() if check.before_earliest else None,
        beyond_plan=check.beyond_plan,
        line=order.line,
        month=month.month if month else None,
        available=max(month.available or 0, 0) if month and month.available is not None else None,
        quantity=quantity,
    )


def check_change_allowed(session: Session, ctx: Context, order: Order, edit: Edit) -> None:
    """At the form, with the current answers: a change beyond what can be made needs an override
    reason (a manager then decides), refused with what is wrong so the form says it inline."""
    check = feasibility(session, ctx, order, edit.quantity, edit.delivery_date)
    if check.needs_manager and not edit.override_reason:
        raise _needs_manager_refusal(order, check, edit.quantity)


# -- asking ----------------------------------------------------------------------------------------


def change_order(
    session: Session, ctx: Context, *, actor: str, order_id: int, edit: Edit, revises: int | None = None
) -> Order:
    """Ask production and supply the change; the order keeps its commitment until it is agreed."""
    order = check_can_edit(session, ctx, actor=actor, order_id=order_id, revises=revises)
    check_changes_something(order, edit)
    check_change_allowed(session, ctx, order, edit)
    if revises is not None:
        old = store.get_change(session, revises)
        old.status = ChangeStatus.REVISED
        session.add(old)
        notices.update(session, order, returned_key(old), "change_returned", ctx.now, change_id=old.id)
    before, after = snapshot(order), wanted(edit)
    change = OrderChange(
        order_id=order.id,
        requested_by=actor,
        requested_at=ctx.now,
        before=before,
        after=after,
        reason=edit.reason,
        origin=edit.origin,
        override_reason=edit.override_reason,
        status=ChangeStatus.ASKED,
    )
    store.add(session, change)
    order.updated_at = ctx.now
    session.add(order)
    repo.record_event(
        session,
        order,
        kind="changed",
        actor=actor,
        at=ctx.now,
        data={
            "change_id": change.id,
            "before": before,
            "after": after,
            "reason": edit.reason,
            "origin": edit.origin,
            "override_reason": edit.override_reason,
            "revises": revises,
        },
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


# -- answering -------------------------------------------------------------------------------------


def check_can_answer(
    session: Session, ctx: Context, *, actor: str, ack_id: int, lock: bool = False
) -> tuple[ChangeAck, OrderChange, Order]:
    """Whether `actor` may answer this change for the team now (before the form opens and on submit)."""
    ack = store.get_ack(session, ack_id)
    if ack is None:
        raise Refusal("change_gone")
    if ack.team not in ANSWERING_TEAMS:
        raise Refusal("answer_mismatch", team=ack.team)
    require_member(ctx.config, ctx.directory, actor, ack.team, Act.ACKNOWLEDGE_CHANGE)
    order = repo.get_order(session, ack.order_id, for_update=lock)
    if lock:
        session.refresh(ack)  # re-read under the order's lock: a concurrent answer must be seen
    if ack.acked_at is not None:
        raise Refusal("change_already_answered", user=ack.acked_by, team=ack.team, at=ctx.stamp(ack.acked_at))
    change = store.get_change(session, ack.change_id)
    if change.status != ChangeStatus.ASKED or order.status != OrderStatus.COMMITTED:
        raise Refusal("change_not_asked", order=order.number)
    return ack, change, order


def answer_change(
    session: Session, ctx: Context, *, actor: str, ack_id: int, answer: ProductionAnswer | SupplyAnswer
) -> Order:
    ack, change, order = check_can_answer(session, ctx, actor=actor, ack_id=ack_id, lock=True)
    expected = ProductionAnswer if ack.team == "production" else SupplyAnswer
    if not isinstance(answer, expected):
        raise Refusal("answer_mismatch", team=ack.team)
    ack.acked_at, ack.acked_by, ack.late = ctx.now, actor, ctx.now > ack.due_at
    ack.can_do, ack.notes = answer.can_do, answer.notes
    if isinstance(answer, ProductionAnswer):
        ack.lead_time_days = answer.lead_time_days
    else:
        ack.material_date = answer.material_date
    session.add(ack)
    repo.record_event(
        session,
        order,
        kind="change_answered",
        actor=actor,
        at=ctx.now,
        data={"change_id": change.id, "team": ack.team, "can_do": answer.can_do, "late": ack.late},
    )
    _after_answers(session, ctx, order, change)
    notices.update(session, order, change_key(change), "change", ctx.now, change_id=change.id)
    after_commit.refresh(session, ctx, order)
    return order


def _after_answers(session: Session, ctx: Context, order: Order, change: OrderChange) -> None:
    acks = store.acks_of(session, change.id)
    answers = {team: acks[team] for team in ANSWERING_TEAMS if team in acks}
    if any(a.can_do is False for a in answers.values()):
        change.status = ChangeStatus.RETURNED
        session.add(change)
        repo.record_event(
            session, order, kind="change_returned", actor=None, at=ctx.now, data={"change_id": change.id}
        )
        notices.in_thread(
            session, order, "change_returned", ctx.now, key=returned_key(change), change_id=change.id
        )
        return
    if not all(a.can_do for a in answers.values()):
        return  # the other team has not answered yet
    after = change.after
    check = feasibility(
        session, ctx, order, after["quantity"], date.fromisoformat(after["committed_date"]), answers
    )
    if check.needs_manager:
        _request_approval(session, ctx, order, change, check)
    else:
        _apply(session, ctx, order, change, actor=change.requested_by)


def _request_approval(session: Session, ctx: Context, order: Order, change: OrderChange, check) -> None:  # noqa: ANN001
    """Both teams said yes, but it is beyond what can be made: a manager decides, on the same clock."""
    change.status = ChangeStatus.AWAITING_APPROVAL
    session.add(change)
    ack = ChangeAck(
        change_id=change.id,
        order_id=order.id,
        team=APPROVERS,
        due_at=confirmation_deadline(ctx.config, ctx.now),
    )
    store.add(session, ack)
    _schedule_clock(session, ctx, ack)
    month = check.month
    repo.record_event(
        session,
        order,
        kind="approval_requested",
        actor=change.requested_by,
        at=ctx.now,
        data={
            "change_id": change.id,
            "ack_id": ack.id,
            "date": change.after["committed_date"],
            "quantity": change.after["quantity"],
            "reason": change.override_reason,
            "earliest": check.earliest.isoformat() if check.before_earliest else None,
            "beyond_plan": check.beyond_plan,
            "month": month.month if month else None,
            "available": month.available if month else None,
            "agreed": month.agreed if month else None,
        },
    )
    notices.in_thread(session, order, "change_approval", ctx.now, key=approval_key(change), ack_id=ack.id)


def _apply(session: Session, ctx: Context, order: Order, change: OrderChange, *, actor: str) -> None:
    """The new commitment is agreed: only now the order's quantity and date move."""
    change.status = ChangeStatus.APPLIED
    session.add(change)
    order.quantity = change.after["quantity"]
    order.committed_date = date.fromisoformat(change.after["committed_date"])
    order.updated_at = ctx.now
    session.add(order)
    repo.record_event(
        session,
        order,
        kind="change_applied",
        actor=actor,
        at=ctx.now,
        data={
            "change_id": change.id,
            "before": change.before,
            "after": change.after,
            "origin": change.origin,
        },
    )
    notices.in_thread(
        session, order, "change_applied", ctx.now, key=f"{change_key(change)}:applied", change_id=change.id
    )


# -- back at sales: revise or withdraw --------------------------------------------------------------


def check_can_settle(session: Session, ctx: Context, *, actor: str, change_id: int, lock: bool = False):  # noqa: ANN201
    """Whether `actor` may revise or withdraw this returned change now."""
    change = store.get_change(session, change_id)
    if change is None:
        raise Refusal("change_gone")
    order = repo.get_order(session, change.order_id, for_update=lock)
    require_sales(ctx.config, ctx.directory, actor, order.salesperson, Act.CHANGE_ORDER)
    if lock:
        session.refresh(change)
    if change.status != ChangeStatus.RETURNED or order.status != OrderStatus.COMMITTED:
        raise Refusal("change_not_returned", order=order.number)
    return change, order


def withdraw_change(session: Session, ctx: Context, *, actor: str, change_id: int) -> Order:
    change, order = check_can_settle(session, ctx, actor=actor, change_id=change_id, lock=True)
    change.status = ChangeStatus.WITHDRAWN
    session.add(change)
    repo.record_event(
        session, order, kind="change_withdrawn", actor=actor, at=ctx.now, data={"change_id": change.id}
    )
    notices.update(session, order, returned_key(change), "change_returned", ctx.now, change_id=change.id)
    notices.update(session, order, change_key(change), "change", ctx.now, change_id=change.id)
    after_commit.refresh(session, ctx, order)
    return order


def close_on_delivery(session: Session, ctx: Context, order: Order, *, actor: str) -> None:
    """A change still pending when the order is delivered can no longer be made: it is closed as
    withdrawn, so no answer stays owed and its notices lose their buttons."""
    change = store.pending_change(session, order.id)
    if change is None:
        return
    was_returned = change.status == ChangeStatus.RETURNED
    change.status = ChangeStatus.WITHDRAWN
    session.add(change)
    repo.record_event(
        session,
        order,
        kind="change_withdrawn",
        actor=actor,
        at=ctx.now,
        data={"change_id": change.id, "delivered": True},
    )
    if was_returned:  # only a returned change has that notice to update
        notices.update(session, order, returned_key(change), "change_returned", ctx.now, change_id=change.id)
    notices.update(session, order, change_key(change), "change", ctx.now, change_id=change.id)


# -- a manager decides a change beyond what can be made --------------------------------------------


def check_can_decide(session: Session, ctx: Context, *, actor: str, ack_id: int, lock: bool = False):  # noqa: ANN201
    require_member(ctx.config, ctx.directory, actor, APPROVERS, Act.COMMIT)
    ack = store.get_ack(session, ack_id)
    if ack is None or ack.team != APPROVERS:
        raise Refusal("request_gone")
    order = repo.get_order(session, ack.order_id, for_update=lock)
    if lock:
        session.refresh(ack)  # under the order's lock: a second manager sees the first's decision
    if ack.acked_at is not None:
        raise Refusal("promise_decided", order=order.number, by=ack.acked_by, approved=bool(ack.can_do))
    change = store.get_change(session, ack.change_id)
    if change.status != ChangeStatus.AWAITING_APPROVAL or order.status != OrderStatus.COMMITTED:
        raise Refusal("nothing_to_approve", order=order.number, status=order.status)
    return ack, change, order


def _decide(session: Session, ctx: Context, ack: ChangeAck, actor: str, yes: bool, notes: str) -> None:
    ack.acked_at, ack.acked_by, ack.late = ctx.now, actor, ctx.now > ack.due_at
    ack.can_do, ack.notes = yes, notes
    session.add(ack)


def _over_capacity_target(session: Session, order: Order, change: OrderChange) -> bool:
    """Whether the approved change takes more than even the released buffer covers (as for a promise)."""
    from workflows import atp

    if order.line is None:
        return False
    day = date.fromisoformat(change.after["committed_date"])
    month = atp.availability(
        session, order.line, atp.month_key(day), exclude_order_id=order.id, release_buffer=True
    )
    check = atp.PromiseCheck(day=day, quantity=change.after["quantity"], earliest=None, month=month)
    return check.beyond_capacity_target


def approve_change(session: Session, ctx: Context, *, actor: str, ack_id: int) -> Order:
    ack, change, order = check_can_decide(session, ctx, actor=actor, ack_id=ack_id, lock=True)
    _decide(session, ctx, ack, actor, True, "")
    repo.record_event(
        session,
        order,
        kind="approval_approved",
        actor=actor,
        at=ctx.now,
        data={"change_id": change.id, "over_capacity_target": _over_capacity_target(session, order, change)},
    )
    _apply(session, ctx, order, change, actor=actor)
    notices.update(session, order, approval_key(change), "change_approval", ctx.now, ack_id=ack.id)
    notices.update(session, order, change_key(change), "change", ctx.now, change_id=change.id)
    after_commit.refresh(session, ctx, order)
    return order


def reject_change(session: Session, ctx: Context, *, actor: str, ack_id: int, reason: str) -> Order:
    ack, change, order = check_can_decide(session, ctx, actor=actor, ack_id=ack_id, lock=True)
    _decide(session, ctx, ack, actor, False, reason)
    change.status = ChangeStatus.REJECTED
    session.add(change)
    repo.record_event(
        session,
        order,
        kind="approval_rejected",
        actor=actor,
        at=ctx.now,
        data={"change_id": change.id, "reason": reason},
    )
    notices.update(session, order, approval_key(change), "change_approval", ctx.now, ack_id=ack.id)
    notices.in_thread(
        session, order, "change_rejected", ctx.now, key=f"{change_key(change)}:rejected", ack_id=ack.id
    )
    notices.update(session, order, change_key(change), "change", ctx.now, change_id=change.id)
    after_commit.refresh(session, ctx, order)
    return order


# -- supply slips after commitment --------------------------------------------------------------------


def slip_input(
    *, material_date: date | None, reason: str | None, today: date
) -> tuple[tuple | None, InputErrors]:
    errors: InputErrors = {}
    day = future_date(errors, "material_date", material_date, today=today, what="material_date")
    text = text_field(errors, "reason", reason, required=True, limit=MAX_NOTES, what="reason")
    return (None, errors) if errors else ((day, text), {})


def add_working_days(ctx: Context, start: date, days: int) -> date:
    """`days` working days after `start` on the company's calendar (calendar days without one)."""
    calendar = working_calendar(ctx.config)
    if calendar is None:
        return start + timedelta(days=days)
    day = start
    for _ in range(days):
        day += timedelta(days=1)
        while not calendar.is_working_day(day):
            day += timedelta(days=1)
    return day


def check_can_slip(session: Session, ctx: Context, *, actor: str, order_id: int, lock: bool = False) -> Order:
    order = repo.get_order(session, order_id, for_update=lock)
    if order is None:
        raise Refusal("order_gone")
    require_member(ctx.config, ctx.directory, actor, "supply", Act.RECORD_MATERIALS)
    if order.status != OrderStatus.COMMITTED:
        raise Refusal("not_committed_yet", order=order.number, act=Act.RECORD_MATERIALS)
    if order.materials_arrived_date is not None:
        raise Refusal(
            "materials_already_recorded",
            user=order.materials_recorded_by,
            order=order.number,
            arrived=order.materials_arrived_date.isoformat(),
            at=None,
        )
    return order


def record_slip(
    session: Session, ctx: Context, *, actor: str, order_id: int, material_date: date, reason: str
) -> Order:
    """Supply's new material date: recorded; if material date + lead time (working days) is after the
    committed date, sales and the managers are told at once with the new earliest date."""
    order = check_can_slip(session, ctx, actor=actor, order_id=order_id, lock=True)
    production = repo.current_requests(session, order).get("production")
    lead = (production.lead_time_days or 0) if production else 0
    earliest = add_working_days(ctx, max(material_date, ctx.today), lead)
    infeasible = earliest > order.committed_date
    repo.record_event(
        session,
        order,
        kind="material_date_slipped",
        actor=actor,
        at=ctx.now,
        data={
            "material_date": material_date.isoformat(),
            "reason": reason,
            "lead_time_days": lead,
            "earliest": earliest.isoformat(),
            "committed_date": order.committed_date.isoformat(),
            "infeasible": infeasible,
        },
    )
    event = store.last_event(session, order.id, "material_date_slipped")
    notices.in_thread(
        session, order, "material_slip", ctx.now, key=f"order:{order.id}:slip:{event.id}", event_id=event.id
    )
    after_commit.refresh(session, ctx, order)
    return order


# -- the answer clock ------------------------------------------------------------------------------


def _open_ack(session: Session, item: DueItem) -> tuple[ChangeAck | None, Order | None, str]:
    ack = store.get_ack(session, item.ref_id)
    if ack is None:
        return None, None, "skipped: change gone"
    if ack.acked_at is not None:
        return None, None, "skipped: answered"
    order = repo.get_order(session, ack.order_id)
    if order.status != OrderStatus.COMMITTED:
        return None, None, f"skipped: order {order.status}"
    change = store.get_change(session, ack.change_id)
    waiting_for = ChangeStatus.AWAITING_APPROVAL if ack.team == APPROVERS else ChangeStatus.ASKED
    if change.status != waiting_for:
        return None, None, f"skipped: change {change.status}"
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
