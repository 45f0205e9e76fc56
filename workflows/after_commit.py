"""After commitment: materials arrived (supply), delivered (sales), problems any team raises.

What happened is compared with what was promised (supply's material date, the committed
delivery date) and recorded as facts and events the digest and KPIs read. One message in the
order's thread (`after_key`) shows the current state with the buttons; it is re-rendered from
the database whenever something here changes.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session

from storage import after_commit_repo as store
from storage import due as due_items
from storage import repo
from storage.models import DueItem, Order, OrderStatus, Problem
from workflows import notices
from workflows.context import Context
from workflows.enums import Act
from workflows.inputs import MAX_NOTES, Errors, _text
from workflows.permissions import Refusal, is_member, require_member, require_sales

ACTING_TEAMS = ("sales", "production", "supply")  # who may raise a problem, and who may own one
MATERIALS_LATE = "materials.late"
MAX_PROBLEM = 1000
# A date typed with the wrong year would corrupt the on-time rates; nothing is recorded a year late.
MAX_DAYS_AGO = 366


def after_key(order: Order) -> str:
    return f"order:{order.id}:after"


def problem_key(problem: Problem) -> str:
    return f"order:{problem.order_id}:problem:{problem.id}"


def refresh(session: Session, ctx: Context, order: Order) -> None:
    """Re-render the after-commitment message and the card from the current state."""
    notices.update(session, order, after_key(order), "after_commit", ctx.now)
    notices.update_card(session, order, ctx.now)


def _order(session: Session, order_id: int) -> Order:
    order = repo.get_order(session, order_id, for_update=True)
    if order is None:
        raise Refusal("That order no longer exists.")
    return order


def _require_after_commit(order: Order, doing: str) -> None:
    if order.status not in (OrderStatus.COMMITTED, OrderStatus.DELIVERED):
        raise Refusal(f"{order.number} has no committed delivery date, so you cannot {doing} yet.")


# -- commitment --------------------------------------------------------------------------------


def start(session: Session, ctx: Context, order: Order) -> None:
    """Called by commit_order: post the after-commitment message and watch the material date."""
    notices.in_thread(session, order, "after_commit", ctx.now, key=after_key(order))
    schedule_material_check(session, ctx, order)


def promised_material_date(session: Session, order: Order) -> date | None:
    request = store.supply_request(session, order)
    return request.material_date if request and request.can_do else None


def material_check_moment(ctx: Context, promised: date) -> datetime:
    """The morning after the promised day (at digest time, local): the materials are late by then."""
    at = time.fromisoformat(ctx.config.schedule.digest_time)
    return datetime.combine(promised + timedelta(days=1), at, ctx.config.tz).astimezone(UTC)


def schedule_material_check(session: Session, ctx: Context, order: Order) -> None:
    promised = promised_material_date(session, order)
    if promised is None:
        return
    # keyed by the promised date: a new promise gets its own check, the old one skips itself
    due_items.schedule(
        session,
        key=f"order:{order.id}:materials-late:{promised.isoformat()}",
        kind=MATERIALS_LATE,
        due_at=material_check_moment(ctx, promised),
        ref_id=order.id,
    )


def _materials_late(session: Session, ctx: Context, item: DueItem, team_members: dict[str, set[str]]) -> str:
    order = repo.get_order(session, item.ref_id)
    if order is None:
        return "skipped: order gone"
    if order.status != OrderStatus.COMMITTED:
        return f"skipped: order {order.status}"
    if order.materials_arrived_date is not None:
        return "skipped: materials arrived"
    promised = promised_material_date(session, order)
    if promised is None:
        return "skipped: no promised material date"
    if ctx.now < material_check_moment(ctx, promised):
        schedule_material_check(session, ctx, order)
        return f"skipped: promise moved to {promised.isoformat()}; checked then"
    repo.record_event(
        session, order, kind="materials_late", actor=None, at=ctx.now, data={"promised": promised.isoformat()}
    )
    notices.in_thread(
        session,
        order,
        "materials_late",
        ctx.now,
        key=f"order:{order.id}:materials-late:{promised.isoformat()}",
        promised=promised.isoformat(),
    )
    refresh(session, ctx, order)
    return "sent: late material flag"


HANDLERS = {MATERIALS_LATE: _materials_late}


# -- inputs ------------------------------------------------------------------------------------


def actual_date(errors: Errors, field: str, value: date | None, *, today: date, what: str) -> date | None:
    """A date something already happened: not in the future, and not a year or more ago."""
    earliest = today - timedelta(days=MAX_DAYS_AGO)
    if value is None:
        errors[field] = f"Pick the {what}."
    elif value > today:
        errors[field] = f"The {what} cannot be in the future (today is {today.isoformat()})."
    elif value < earliest:
        errors[field] = f"The {what} is more than a year ago; check the year."
    return value


def arrival_input(
    *, arrived: date | None, notes: str | None, today: date
) -> tuple[tuple[date, str] | None, Errors]:
    errors: Errors = {}
    day = actual_date(errors, "arrived_date", arrived, today=today, what="arrival date")
    text = _text(errors, "notes", notes, required=False, limit=MAX_NOTES, what="notes")
    return (None, errors) if errors else ((day, text), {})


def delivery_input(*, delivered: date | None, today: date) -> tuple[date | None, Errors]:
    errors: Errors = {}
    day = actual_date(errors, "delivered_date", delivered, today=today, what="delivery date")
    return (None, errors) if errors else (day, {})


def problem_input(*, description: str | None, team: str | None) -> tuple[tuple[str, str] | None, Errors]:
    errors: Errors = {}
    text = _text(errors, "problem", description, required=True, limit=MAX_PROBLEM, what="problem")
    if team not in ACTING_TEAMS:
        errors["team"] = "Choose the team that must act."
    return (None, errors) if errors else ((text, team), {})


# -- materials arrived -------------------------------------------------------------------------


def check_can_record_materials(session: Session, ctx: Context, *, actor: str, order_id: int) -> Order:
    require_member(ctx.config, ctx.directory, actor, "supply", Act.RECORD_MATERIALS)
    order = _order(session, order_id)
    _require_after_commit(order, "record the materials' arrival")
    if order.status == OrderStatus.DELIVERED and order.materials_arrived_date is None:
        raise Refusal(
            f"{order.number} is already delivered; its materials' arrival can no longer be recorded."
        )
    if order.materials_arrived_date is not None:
        event = store.last_event(session, order.id, "materials_arrived")
        at = f" on {ctx.stamp(event.at)}" if event else ""
        raise Refusal(
            f"<@{order.materials_recorded_by}> already recorded that the materials for {order.number} "
            f"arrived on {order.materials_arrived_date.isoformat()}{at}."
        )
    return order


def record_materials(
    session: Session, ctx: Context, *, actor: str, order_id: int, arrived: date, notes: str
) -> Order:
    order = check_can_record_materials(session, ctx, actor=actor, order_id=order_id)
    promised = promised_material_date(session, order)
    order.materials_arrived_date, order.materials_recorded_by, order.updated_at = arrived, actor, ctx.now
    session.add(order)
    days_late = (arrived - promised).days if promised else None
    repo.record_event(
        session,
        order,
        kind="materials_arrived",
        actor=actor,
        at=ctx.now,
        data={
            "date": arrived.isoformat(),
            "promised": promised.isoformat() if promised else None,
            "late": bool(days_late and days_late > 0),
            "notes": notes,
        },
    )
    notices.in_thread(session, order, "materials_arrived", ctx.now, notes=notes)
    refresh(session, ctx, order)
    return order


# -- delivered ---------------------------------------------------------------------------------


def check_can_deliver(session: Session, ctx: Context, *, actor: str, order_id: int) -> Order:
    order = _order(session, order_id)
    require_sales(ctx.config, ctx.directory, actor, order.salesperson, Act.RECORD_DELIVERY)
    if order.status == OrderStatus.DELIVERED:
        event = store.last_event(session, order.id, "delivered")
        at = f" on {ctx.stamp(event.at)}" if event else ""
        raise Refusal(
            f"<@{order.delivered_by}> already recorded {order.number} as delivered "
            f"on {order.delivered_date.isoformat()}{at}."
        )
    _require_after_commit(order, "record its delivery")
    return order


def record_delivery(session: Session, ctx: Context, *, actor: str, order_id: int, delivered: date) -> Order:
    order = check_can_deliver(session, ctx, actor=actor, order_id=order_id)
    order.status, order.delivered_date, order.delivered_by = OrderStatus.DELIVERED, delivered, actor
    order.updated_at = ctx.now
    session.add(order)
    repo.record_event(
        session,
        order,
        kind="delivered",
        actor=actor,
        at=ctx.now,
        data={
            "date": delivered.isoformat(),
            "committed": order.committed_date.isoformat(),
            "late": delivered > order.committed_date,
        },
    )
    notices.in_thread(session, order, "delivered", ctx.now)
    refresh(session, ctx, order)
    return order


# -- problems ----------------------------------------------------------------------------------


def check_can_raise(session: Session, ctx: Context, *, actor: str, order_id: int) -> Order:
    if not any(is_member(ctx.config, ctx.directory, actor, team) for team in ACTING_TEAMS):
        raise Refusal("Only the sales, production and supply teams can raise a problem on an order.")
    order = _order(session, order_id)
    _require_after_commit(order, "raise a problem here")
    return order


def raise_problem(
    session: Session, ctx: Context, *, actor: str, order_id: int, description: str, team: str
) -> Problem:
    order = check_can_raise(session, ctx, actor=actor, order_id=order_id)
    if team not in ACTING_TEAMS:
        raise Refusal("Choose the team that must act.")
    problem = Problem(
        order_id=order.id, team=team, description=description, raised_by=actor, raised_at=ctx.now
    )
    store.add(session, problem)
    repo.record_event(
        session,
        order,
        kind="problem_raised",
        actor=actor,
        at=ctx.now,
        data={"problem_id": problem.id, "team": team},
    )
    notices.in_thread(session, order, "problem", ctx.now, key=problem_key(problem), problem_id=problem.id)
    refresh(session, ctx, order)
    return problem


def resolve_problem(session: Session, ctx: Context, *, actor: str, problem_id: int) -> Order:
    problem = store.get_problem(session, problem_id)
    if problem is None:
        raise Refusal("That problem no longer exists.")
    require_member(ctx.config, ctx.directory, actor, problem.team, Act.RESOLVE_PROBLEM)
    order = _order(session, problem.order_id)
    session.refresh(problem)  # re-read under the order's lock: a concurrent resolve must be seen
    if problem.resolved_at is not None:
        raise Refusal(
            f"<@{problem.resolved_by}> already resolved this problem on {ctx.stamp(problem.resolved_at)}."
        )
    problem.resolved_at, problem.resolved_by = ctx.now, actor
    session.add(problem)
    repo.record_event(
        session,
        order,
        kind="problem_resolved",
        actor=actor,
        at=ctx.now,
        data={"problem_id": problem.id, "team": problem.team},
    )
    notices.update(session, order, problem_key(problem), "problem", ctx.now, problem_id=problem.id)
    refresh(session, ctx, order)
    return order
