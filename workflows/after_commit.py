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
from workflows.clock import local_today
from workflows.config import Config
from workflows.context import Context
from workflows.enums import DEPARTMENTS, Act
from workflows.inputs import MAX_NOTES, InputError, text_field
from workflows.permissions import Refusal, is_member, require_member, require_sales

# a field's error: (code, data) of this module's dates and team, or the shared helpers' InputError
FormErrors = dict[str, tuple[str, dict] | InputError]

ACTING_TEAMS = DEPARTMENTS  # who may raise a problem, and who may own one
MATERIALS_LATE = "materials.late"
RAISE_PROBLEM = "raise_problem"  # an act only this feature refuses (beside workflows.enums.Act)
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
        raise Refusal("order_gone")
    return order


def _require_after_commit(order: Order, act: Act) -> None:
    if order.status not in (OrderStatus.COMMITTED, OrderStatus.DELIVERED):
        raise Refusal("not_committed_yet", order=order.number, act=act)


# -- commitment --------------------------------------------------------------------------------


def start(session: Session, ctx: Context, order: Order) -> None:
    """Called by commit_order: post the after-commitment message and watch the material date."""
    notices.in_thread(session, order, "after_commit", ctx.now, key=after_key(order))
    schedule_material_check(session, ctx, order)


def promised_material_date(session: Session, order: Order) -> date | None:
    request = store.supply_request(session, order)
    return request.material_date if request and request.can_do else None


# -- "materials late": the one rule ----------------------------------------------------------------
# The card, the after-commitment message, the late-material flag and the digest's SQL
# (storage.digest_repo.late_materials) all ask these two functions; nothing else decides it.


def material_check_moment(config: Config, promised: date) -> datetime:
    """When materials promised for `promised` become late: the morning after that day, at digest
    time in the factory's zone (when the flag is raised and the digest lists them)."""
    at = time.fromisoformat(config.schedule.digest_time)
    return datetime.combine(promised + timedelta(days=1), at, config.tz).astimezone(UTC)


def late_if_promised_before(config: Config, now: datetime) -> date:
    """Materials promised for a day before the returned one are late at `now`: today in the
    factory's zone once today's digest time has passed, yesterday before it. The same instant
    as `material_check_moment`, expressed as a day so SQL can compare `material_date < it`."""
    today = local_today(config, now)
    yesterday = today - timedelta(days=1)
    return today if now >= material_check_moment(config, yesterday) else yesterday


def materials_late(order: Order, promised: date | None, *, config: Config, now: datetime) -> bool:
    """THE rule: a committed order whose materials have no recorded arrival, and supply's promised
    day (`promised_material_date`) is over by the factory's morning after it."""
    return (
        order.status == OrderStatus.COMMITTED
        and order.materials_arrived_date is None
        and promised is not None
        and promised < late_if_promised_before(config, now)
    )


def schedule_material_check(session: Session, ctx: Context, order: Order) -> None:
    promised = promised_material_date(session, order)
    if promised is None:
        return
    # keyed by the promised date: a new promise gets its own check, the old one skips itself
    due_items.schedule(
        session,
        key=f"order:{order.id}:materials-late:{promised.isoformat()}",
        kind=MATERIALS_LATE,
        due_at=material_check_moment(ctx.config, promised),
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
    if not materials_late(order, promised, config=ctx.config, now=ctx.now):
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


def actual_date(errors: FormErrors, field: str, value: date | None, *, today: date) -> date | None:
    """A date something already happened: not in the future, and not a year or more ago.

    An error is `(code, data)` for the field, or an InputError from workflows.inputs;
    bot/after_commit/refusals.py words either per field."""
    earliest = today - timedelta(days=MAX_DAYS_AGO)
    if value is None:
        errors[field] = ("date_missing", {})
    elif value > today:
        errors[field] = ("date_in_future", {"today": today.isoformat()})
    elif value < earliest:
        errors[field] = ("date_too_old", {})
    return value


def arrival_input(
    *, arrived: date | None, notes: str | None, today: date
) -> tuple[tuple[date, str] | None, FormErrors]:
    errors: FormErrors = {}
    day = actual_date(errors, "arrived_date", arrived, today=today)
    text = text_field(errors, "notes", notes, required=False, limit=MAX_NOTES, what="notes")
    return (None, errors) if errors else ((day, text), {})


def delivery_input(*, delivered: date | None, today: date) -> tuple[date | None, FormErrors]:
    errors: FormErrors = {}
    day = actual_date(errors, "delivered_date", delivered, today=today)
    return (None, errors) if errors else (day, {})


def problem_input(*, description: str | None, team: str | None) -> tuple[tuple[str, str] | None, FormErrors]:
    errors: FormErrors = {}
    text = text_field(errors, "problem", description, required=True, limit=MAX_PROBLEM, what="problem")
    if team not in ACTING_TEAMS:
        errors["team"] = ("choose_team", {})
    return (None, errors) if errors else ((text, team), {})


# -- materials arrived -------------------------------------------------------------------------


def check_can_record_materials(session: Session, ctx: Context, *, actor: str, order_id: int) -> Order:
    require_member(ctx.config, ctx.directory, actor, "supply", Act.RECORD_MATERIALS)
    order = _order(session, order_id)
    _require_after_commit(order, Act.RECORD_MATERIALS)
    if order.status == OrderStatus.DELIVERED and order.materials_arrived_date is None:
        raise Refusal("delivered_no_materials", order=order.number)
    if order.materials_arrived_date is not None:
        event = store.last_event(session, order.id, "materials_arrived")
        raise Refusal(
            "materials_already_recorded",
            user=order.materials_recorded_by,
            order=order.number,
            arrived=order.materials_arrived_date.isoformat(),
            at=ctx.stamp(event.at) if event else None,
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
        raise Refusal(
            "already_delivered",
            user=order.delivered_by,
            order=order.number,
            delivered=order.delivered_date.isoformat(),
            at=ctx.stamp(event.at) if event else None,
        )
    _require_after_commit(order, Act.RECORD_DELIVERY)
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
    from workflows import changes  # late: changes imports this module

    changes.close_on_delivery(session, ctx, order, actor=actor)
    notices.in_thread(session, order, "delivered", ctx.now)
    refresh(session, ctx, order)
    return order


# -- problems ----------------------------------------------------------------------------------


def check_can_raise(session: Session, ctx: Context, *, actor: str, order_id: int) -> Order:
    if not any(is_member(ctx.config, ctx.directory, actor, team) for team in ACTING_TEAMS):
        raise Refusal("cannot_raise_problem")
    order = _order(session, order_id)
    _require_after_commit(order, RAISE_PROBLEM)
    return order


def raise_problem(
    session: Session, ctx: Context, *, actor: str, order_id: int, description: str, team: str
) -> Problem:
    order = check_can_raise(session, ctx, actor=actor, order_id=order_id)
    if team not in ACTING_TEAMS:
        raise Refusal("choose_team")
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
        raise Refusal("problem_gone")
    require_member(ctx.config, ctx.directory, actor, problem.team, Act.RESOLVE_PROBLEM)
    order = _order(session, problem.order_id)
    session.refresh(problem)  # re-read under the order's lock: a concurrent resolve must be seen
    if problem.resolved_at is not None:
        raise Refusal("problem_already_resolved", user=problem.resolved_by, at=ctx.stamp(problem.resolved_at))
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
