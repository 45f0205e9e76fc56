"""The custom-order loop: register, confirm (production and supply), commit, revise, cancel.

Each function takes a session and plain values, changes state, and queues what must be
said about it in the same transaction. It raises `Refusal` when the actor may not act or
the action no longer applies; nothing is changed then.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import Session, select

from storage import outbox, repo
from storage.models import ConfirmationRequest, Order, OrderEvent, OrderStatus
from workflows import after_commit, notices, reminders
from workflows.clock import confirmation_deadline
from workflows.context import Context
from workflows.enums import ANSWERING_TEAMS, Act
from workflows.inputs import InputErrors, OrderFields, ProductionAnswer, SupplyAnswer, text_field
from workflows.permissions import (
    Refusal,
    require_can_register,
    require_member,
    require_sales,
)

MAX_CANCEL_REASON = 500


def register_order(session: Session, ctx: Context, *, actor: str, fields: OrderFields) -> Order:
    require_can_register(ctx.config, ctx.directory, actor)
    order = repo.add_order(
        session,
        Order(
            customer=fields.customer,
            product=fields.product,
            product_code=fields.product_code,
            line=fields.line,
            quantity=fields.quantity,
            requested_date=fields.requested_date,
            specification=fields.specification,
            salesperson=actor,
            created_at=ctx.now,
            updated_at=ctx.now,
        ),
    )
    repo.record_event(session, order, kind="registered", actor=actor, at=ctx.now)
    notices.post_card(session, order, ctx.config.orders_channel, ctx.now)
    _ask_teams(session, ctx, order)
    return order


def _ask_teams(session: Session, ctx: Context, order: Order) -> None:
    due_at = confirmation_deadline(ctx.config, ctx.now)
    for team in ANSWERING_TEAMS:
        request = ConfirmationRequest(
            order_id=order.id, team=team, revision=order.revision, requested_at=ctx.now, due_at=due_at
        )
        session.add(request)
        session.flush()
        notices.post_request(session, order, request, ctx.now)
        reminders.schedule_request_clock(session, ctx, request)


def _locked_order(session: Session, order_id: int) -> Order:
    order = repo.get_order(session, order_id, for_update=True)
    if order is None:
        raise Refusal("order_gone")
    return order


def check_can_answer(
    session: Session,
    ctx: Context,
    *,
    actor: str,
    request_id: int,
    lock: bool = False,
    permission: bool = True,
) -> tuple[ConfirmationRequest, Order]:
    """Whether `actor` may answer this request now; used before opening the modal and on submit.

    `permission=False` checks only the request's state (no Slack look-up of user groups).
    """
    request = repo.get_request(session, request_id)
    if request is None:
        raise Refusal("request_gone")
    if request.team not in ANSWERING_TEAMS:  # a managers' approval is decided with its own buttons
        raise Refusal("answer_mismatch", team=request.team)
    if permission:
        require_member(ctx.config, ctx.directory, actor, request.team, Act.ANSWER)
    if lock:
        order = _locked_order(session, request.order_id)
        session.refresh(request)  # re-read under the lock: a concurrent answer must be seen
    else:
        order = repo.get_order(session, request.order_id)
    if request.answered_at is not None:
        raise Refusal(
            "already_answered",
            by=request.answered_by,
            team=request.team,
            at=ctx.stamp(request.answered_at),  # local time and zone, the same in every language
        )
    if request.superseded and order.status == OrderStatus.DECLINED and order.revision == request.revision:
        raise Refusal("declined_by_other_team", order=order.number, team=request.team)
    if request.superseded or order.revision != request.revision:
        raise Refusal("request_superseded", order=order.number, revision=order.revision)
    if order.status == OrderStatus.CANCELLED:
        raise Refusal("nothing_to_answer", order=order.number)
    return request, order


def answer_request(
    session: Session, ctx: Context, *, actor: str, request_id: int, answer: ProductionAnswer | SupplyAnswer
) -> Order:
    request, order = check_can_answer(session, ctx, actor=actor, request_id=request_id, lock=True)
    expected = ProductionAnswer if request.team == "production" else SupplyAnswer
    if not isinstance(answer, expected):
        raise Refusal("answer_mismatch", team=request.team)

    request.answered_at, request.answered_by = ctx.now, actor
    request.can_do, request.notes = answer.can_do, answer.notes
    request.late = ctx.now > request.due_at
    if isinstance(answer, ProductionAnswer):
        request.lead_time_days = answer.lead_time_days
    else:
        request.material_date = answer.material_date
    session.add(request)
    repo.record_event(
        session,
        order,
        kind=f"{request.team}_answered",
        actor=actor,
        at=ctx.now,
        data={"can_do": answer.can_do, "late": request.late, "revision": request.revision},
    )
    notices.update_request(session, order, request, ctx.now)
    notices.in_thread(
        session, order, "answer_echo", ctx.now, key=echo_key(order.id, request), request_id=request.id
    )
    _after_answer(session, ctx, order)
    order.updated_at = ctx.now
    session.add(order)
    notices.update_card(session, order, ctx.now)
    return order


def _after_answer(session: Session, ctx: Context, order: Order) -> None:
    requests = repo.current_requests(session, order)
    if any(r.can_do is False for r in requests.values()):
        order.status = OrderStatus.DECLINED
        _close_open_requests(session, ctx, order, requests.values())
        notices.in_thread(
            session, order, "declined_prompt", ctx.now, key=notices.prompt_key(order, "declined")
        )
    elif all(r.can_do for r in requests.values()):
        order.status = OrderStatus.AWAITING_COMMITMENT
        earliest = capacity_aware_earliest(session, ctx, order, requests)
        notices.in_thread(
            session,
            order,
            "commit_prompt",
            ctx.now,
            key=notices.prompt_key(order, "commit"),
            revision=order.revision,
            feasible=earliest.date.isoformat() if earliest else None,
            **(earliest_params(earliest) if earliest else {}),
        )


def _close_open_requests(session: Session, ctx: Context, order: Order, requests) -> None:  # noqa: ANN001
    """Requests nobody needs an answer to any more stop asking (and stop being reminded)."""
    for request in requests:
        if request.answered_at is None and not request.superseded:
            request.superseded = True
            session.add(request)
            notices.update_request(session, order, request, ctx.now)


def earliest_feasible(ctx: Context, requests: dict[str, ConfirmationRequest]) -> date | None:
    """max(today, material arrival) + production lead time, once both teams said yes."""
    production, supply = requests.get("production"), requests.get("supply")
    if not (production and supply and production.can_do and supply.can_do):
        return None
    start = max(ctx.today, supply.material_date or ctx.today)
    return start + timedelta(days=production.lead_time_days or 0)


def capacity_aware_earliest(session: Session, ctx: Context, order: Order, requests: dict):  # noqa: ANN201
    """workflows.atp.capacity_aware_earliest (imported here: atp reads this module's rule)."""
    from workflows import atp

    return atp.capacity_aware_earliest(session, ctx, order, requests)


def earliest_params(earliest) -> dict:  # noqa: ANN001
    """An `atp.Earliest` as a message's plain data: the date before the plan moved it, the line
    and each month looked at (bot/ words the reasoning from them)."""
    return {
        "start": earliest.start.isoformat(),
        "line": earliest.line,
        "steps": [{"month": s.month, "agreed": s.agreed, "available": s.available} for s in earliest.steps],
    }


def suggested_commit_date(
    ctx: Context, order: Order, requests: dict[str, ConfirmationRequest], earliest: date | None = None
) -> date:
    """The later of the customer's date and the earliest feasible one (`earliest`: the
    capacity-aware date when the caller has it; else from the answers alone)."""
    feasible = earliest or earliest_feasible(ctx, requests) or ctx.today
    return max(order.requested_date, feasible)


def _sales_order(
    session: Session, ctx: Context, *, actor: str, order_id: int, doing: Act, permission: bool = True
) -> Order:
    order = _locked_order(session, order_id)
    if permission:
        require_sales(ctx.config, ctx.directory, actor, order.salesperson, doing)
    return order


def check_can_commit(
    session: Session, ctx: Context, *, actor: str, order_id: int, revision: int, permission: bool = True
) -> Order:
    order = _sales_order(
        session, ctx, actor=actor, order_id=order_id, doing=Act.COMMIT, permission=permission
    )
    if order.status == OrderStatus.COMMITTED:
        raise Refusal(
            "already_committed",
            order=order.number,
            date=order.committed_date.isoformat(),
            by=order.committed_by,
        )
    if order.status != OrderStatus.AWAITING_COMMITMENT or order.revision != revision:
        raise Refusal("not_awaiting_commitment", order=order.number, status=order.status)
    return order


def promise_check(session: Session, ctx: Context, order: Order, day: date, *, release_buffer: bool = False):  # noqa: ANN201
    """What is wrong with promising `order` on `day` (atp.PromiseCheck), with the current figures."""
    from workflows import atp

    requests = repo.current_requests(session, order)
    earliest = atp.capacity_aware_earliest(session, ctx, order, requests, release_buffer=release_buffer)
    check = atp.check_promise(
        session,
        line=order.line,
        quantity=order.quantity,
        day=day,
        earliest=earliest.date if earliest else None,
        exclude_order_id=order.id,
    )
    if release_buffer and check.month is not None:
        check = atp.PromiseCheck(
            day=day,
            quantity=order.quantity,
            earliest=check.earliest,
            month=atp.availability(
                session, order.line, atp.month_key(day), exclude_order_id=order.id, release_buffer=True
            ),
        )
    return check


def check_promise_allowed(session: Session, ctx: Context, order: Order, day: date, reason: str):  # noqa: ANN201
    """The promise's check; a promise beyond what can be made needs an override reason (then a
    manager decides), refused with what is wrong as data so the form can say it inline."""
    check = promise_check(session, ctx, order, day)
    decided = repo.current_requests(session, order).get(APPROVERS) if check.needs_manager else None
    if decided is not None and decided.answered_at is not None:
        # one manager's decision per revision: after a rejection, a date within what can be made,
        # or a revision (production and supply are asked again)
        raise Refusal("promise_rejected_before", order=order.number, by=decided.answered_by)
    if check.needs_manager and not reason:
        month = check.month
        raise Refusal(
            "promise_needs_manager",
            order=order.number,
            date=day.isoformat(),
            earliest=check.earliest.isoformat() if check.before_earliest else None,
            beyond_plan=check.beyond_plan,
            line=order.line,
            month=month.month if month else None,
            available=max(month.available or 0, 0) if month and month.available is not None else None,
            quantity=order.quantity,
        )
    return check


def commit_order(
    session: Session,
    ctx: Context,
    *,
    actor: str,
    order_id: int,
    revision: int,
    committed: date,
    notes: str,
    override_reason: str = "",
) -> Order:
    """Commit the date; a promise beyond what can be made (with its override reason) waits for a
    manager instead (status AWAITING_APPROVAL)."""
    order = check_can_commit(session, ctx, actor=actor, order_id=order_id, revision=revision)
    check = check_promise_allowed(session, ctx, order, committed, override_reason)
    if check.needs_manager:
        return request_approval(
            session,
            ctx,
            order,
            actor=actor,
            committed=committed,
            notes=notes,
            reason=override_reason,
            check=check,
        )
    return _commit(session, ctx, order, actor=actor, committed=committed, notes=notes)


def _commit(
    session: Session, ctx: Context, order: Order, *, actor: str, committed: date, notes: str
) -> Order:
    order.status = OrderStatus.COMMITTED
    order.committed_date, order.committed_by, order.committed_at = committed, actor, ctx.now
    order.commit_notes, order.updated_at = notes, ctx.now
    session.add(order)
    repo.record_event(
        session, order, kind="committed", actor=actor, at=ctx.now, data={"date": committed.isoformat()}
    )
    notices.update(session, order, notices.prompt_key(order, "commit"), "commit_prompt", ctx.now)
    notices.in_thread(session, order, "committed", ctx.now)
    refresh_echoes(session, ctx, order, order.revision)  # no "Correct answer" once committed
    after_commit.start(session, ctx, order)
    notices.update_card(session, order, ctx.now)
    return order


APPROVERS = "managers"  # who approves a promise beyond what can be made, on the confirmation clock


def request_approval(
    session: Session,
    ctx: Context,
    order: Order,
    *,
    actor: str,
    committed: date,
    notes: str,
    reason: str,
    check,  # noqa: ANN001  (atp.PromiseCheck)
) -> Order:
    """The promise waits for a manager: a request to the managers on the same clock as the teams'
    (reminders, escalation), its proposal kept in the event history."""
    order.status, order.updated_at = OrderStatus.AWAITING_APPROVAL, ctx.now
    session.add(order)
    request = ConfirmationRequest(
        order_id=order.id,
        team=APPROVERS,
        revision=order.revision,
        requested_at=ctx.now,
        due_at=confirmation_deadline(ctx.config, ctx.now),
    )
    session.add(request)
    session.flush()
    month = check.month
    repo.record_event(
        session,
        order,
        kind="approval_requested",
        actor=actor,
        at=ctx.now,
        data={
            "request_id": request.id,
            "date": committed.isoformat(),
            "notes": notes,
            "reason": reason,
            "earliest": check.earliest.isoformat() if check.before_earliest else None,
            "beyond_plan": check.beyond_plan,
            "month": month.month if month else None,
            "available": month.available if month else None,
            "agreed": month.agreed if month else None,
        },
    )
    notices.post_request(session, order, request, ctx.now)
    reminders.schedule_request_clock(session, ctx, request)
    notices.update(session, order, notices.prompt_key(order, "commit"), "commit_prompt", ctx.now)
    refresh_echoes(session, ctx, order, order.revision)
    notices.update_card(session, order, ctx.now)
    return order


def approval_proposal(session: Session, request: ConfirmationRequest) -> dict:
    """The promise a managers' request is about: the "approval_requested" event's data and who asked."""
    stmt = select(OrderEvent).where(
        OrderEvent.order_id == request.order_id, OrderEvent.kind == "approval_requested"
    )
    event = next((e for e in session.execute(stmt).scalars() if e.data.get("request_id") == request.id), None)
    if event is None:
        raise Refusal("request_gone")
    return {**event.data, "by": event.actor}


def _open_approval(
    session: Session, ctx: Context, actor: str, request_id: int, *, lock: bool = True
) -> tuple:
    require_member(ctx.config, ctx.directory, actor, APPROVERS, Act.COMMIT)
    request = repo.get_request(session, request_id)
    if request is None or request.team != APPROVERS:
        raise Refusal("request_gone")
    if lock:
        order = _locked_order(session, request.order_id)
        session.refresh(request)  # under the order's lock: a second manager sees the first's decision
    else:
        order = repo.get_order(session, request.order_id)
    if request.answered_at is not None:
        raise Refusal(
            "promise_decided", order=order.number, by=request.answered_by, approved=bool(request.can_do)
        )
    if (
        request.superseded
        or order.status != OrderStatus.AWAITING_APPROVAL
        or order.revision != request.revision
    ):
        raise Refusal("nothing_to_approve", order=order.number, status=order.status)
    return request, order


def check_can_decide(session: Session, ctx: Context, *, actor: str, request_id: int) -> Order:
    """Whether `actor` may approve or reject this promise now (before the reject form opens)."""
    return _open_approval(session, ctx, actor, request_id, lock=False)[1]


def _decide(
    session: Session, ctx: Context, request: ConfirmationRequest, actor: str, yes: bool, notes: str
) -> None:
    request.answered_at, request.answered_by = ctx.now, actor
    request.can_do, request.notes, request.late = yes, notes, ctx.now > request.due_at
    session.add(request)


def approve_promise(session: Session, ctx: Context, *, actor: str, request_id: int) -> Order:
    """A manager approves: the buffer is released for it and the order is committed as proposed."""
    request, order = _open_approval(session, ctx, actor, request_id)
    proposal = approval_proposal(session, request)
    day = date.fromisoformat(proposal["date"])
    check = promise_check(session, ctx, order, day, release_buffer=True)
    _decide(session, ctx, request, actor, True, "")
    repo.record_event(
        session,
        order,
        kind="approval_approved",
        actor=actor,
        at=ctx.now,
        data={"request_id": request.id, "over_capacity_target": check.beyond_capacity_target},
    )
    notices.update_request(session, order, request, ctx.now)
    notices.in_thread(session, order, "answer_echo", ctx.now, request_id=request.id)
    return _commit(session, ctx, order, actor=proposal["by"], committed=day, notes=proposal.get("notes", ""))


def reject_promise(session: Session, ctx: Context, *, actor: str, request_id: int, reason: str) -> Order:
    """A manager rejects: the order goes back to sales, with the reason, to commit another date."""
    request, order = _open_approval(session, ctx, actor, request_id)
    _decide(session, ctx, request, actor, False, reason)
    order.status, order.updated_at = OrderStatus.AWAITING_COMMITMENT, ctx.now
    session.add(order)
    repo.record_event(
        session,
        order,
        kind="approval_rejected",
        actor=actor,
        at=ctx.now,
        data={"request_id": request.id, "reason": reason},
    )
    notices.update_request(session, order, request, ctx.now)
    notices.in_thread(session, order, "answer_echo", ctx.now, request_id=request.id)
    notices.update(session, order, notices.prompt_key(order, "commit"), "commit_prompt", ctx.now)
    refresh_echoes(session, ctx, order, order.revision)
    notices.update_card(session, order, ctx.now)
    return order


def check_can_change(
    session: Session, ctx: Context, *, actor: str, order_id: int, doing: Act, permission: bool = True
) -> Order:
    order = _sales_order(session, ctx, actor=actor, order_id=order_id, doing=doing, permission=permission)
    if order.status in (OrderStatus.CANCELLED, OrderStatus.COMMITTED, OrderStatus.DELIVERED):
        raise Refusal("order_closed", order=order.number, status=order.status, act=doing)
    return order


def revise_order(
    session: Session, ctx: Context, *, actor: str, order_id: int, revision: int, fields: OrderFields
) -> Order:
    order = check_can_change(session, ctx, actor=actor, order_id=order_id, doing=Act.REVISE)
    if order.revision != revision:
        raise Refusal("already_revised", order=order.number, revision=order.revision)
    before = _snapshot(order)
    old_prompts = (notices.prompt_key(order, "declined"), notices.prompt_key(order, "commit"))
    _close_open_requests(session, ctx, order, repo.current_requests(session, order).values())
    order.customer, order.product, order.quantity = fields.customer, fields.product, fields.quantity
    order.product_code, order.line = fields.product_code, fields.line
    order.requested_date, order.specification = fields.requested_date, fields.specification
    order.revision += 1
    order.status, order.updated_at = OrderStatus.AWAITING_CONFIRMATION, ctx.now
    session.add(order)
    repo.record_event(
        session,
        order,
        kind="revised",
        actor=actor,
        at=ctx.now,
        data={"before": before, "after": _snapshot(order)},
    )
    for key in old_prompts:
        if outbox.known_target(session, key):
            notices.update(
                session, order, key, key.rsplit(":", 1)[1] + "_prompt", ctx.now, revision=order.revision - 1
            )
    notices.in_thread(session, order, "revised", ctx.now, before=before, after=_snapshot(order))
    refresh_echoes(session, ctx, order, order.revision - 1)  # the old revision's answers: no correction
    _ask_teams(session, ctx, order)
    notices.update_card(session, order, ctx.now)
    return order


def cancel_reason(text: str | None) -> tuple[str | None, InputErrors]:
    """Why the order is cancelled: required, so the card and the salesperson can say why."""
    errors: InputErrors = {}
    reason = text_field(errors, "reason", text, required=True, limit=MAX_CANCEL_REASON, what="reason")
    return (None, errors) if errors else (reason, {})


def check_can_cancel(
    session: Session, ctx: Context, *, actor: str, order_id: int, revision: int, permission: bool = True
) -> Order:
    order = check_can_change(
        session, ctx, actor=actor, order_id=order_id, doing=Act.CANCEL, permission=permission
    )
    if order.revision != revision:
        raise Refusal("revised_since", order=order.number, revision=order.revision)
    return order


def cancel_order(
    session: Session, ctx: Context, *, actor: str, order_id: int, revision: int, reason: str = ""
) -> Order:
    order = check_can_cancel(session, ctx, actor=actor, order_id=order_id, revision=revision)
    _close_open_requests(session, ctx, order, repo.current_requests(session, order).values())
    order.status, order.cancelled_by, order.updated_at = OrderStatus.CANCELLED, actor, ctx.now
    session.add(order)
    # the reason lives in the event history; the card reads the one "cancelled" event
    repo.record_event(session, order, kind="cancelled", actor=actor, at=ctx.now, data={"reason": reason})
    for what in ("declined", "commit"):
        key = notices.prompt_key(order, what)
        if outbox.known_target(session, key):
            notices.update(session, order, key, f"{what}_prompt", ctx.now, revision=order.revision)
    notices.in_thread(session, order, "cancelled", ctx.now)
    refresh_echoes(session, ctx, order, order.revision)
    notices.update_card(session, order, ctx.now)
    return order


def _snapshot(order: Order) -> dict:
    return {
        "customer": order.customer,
        "product": order.product,
        "quantity": order.quantity,
        "requested_date": order.requested_date.isoformat(),
        "specification": order.specification,
    }


def describe_status(order: Order) -> str:
    """The order's status as data (an `OrderStatus` value); bot.orders.blocks.status_words says it
    in the reader's language."""
    return order.status


def over_plan(session: Session, order: Order) -> bool:
    """Whether the order's commitment came from a manager's approval beyond even the capacity
    target (atp.PromiseCheck.beyond_capacity_target): the card and the agenda flag it."""
    if order.status not in (OrderStatus.COMMITTED, OrderStatus.DELIVERED):
        return False
    stmt = (
        select(OrderEvent)
        .where(OrderEvent.order_id == order.id, OrderEvent.kind == "approval_approved")
        .order_by(OrderEvent.id.desc())
        .limit(1)
    )
    latest = session.execute(stmt).scalars().first()
    return bool(latest and latest.data.get("over_capacity_target"))


# -- correcting an answer before sales commits (issue 12 §4) ------------------------------------

CORRECTABLE = (OrderStatus.AWAITING_CONFIRMATION, OrderStatus.AWAITING_COMMITMENT, OrderStatus.DECLINED)
PROMISED = (OrderStatus.AWAITING_APPROVAL, OrderStatus.COMMITTED, OrderStatus.DELIVERED)


def answer_data(request: ConfirmationRequest) -> dict:
    """A team's answer as plain data (the correction event's old and new values)."""
    data: dict = {"can_do": request.can_do, "notes": request.notes or ""}
    if request.team == "production":
        data["lead_time_days"] = request.lead_time_days
    else:
        data["material_date"] = request.material_date.isoformat() if request.material_date else None
    return data


def check_can_correct(
    session: Session, ctx: Context, *, actor: str, request_id: int, lock: bool = False
) -> tuple[ConfirmationRequest, Order]:
    """Whether `actor` may correct the team's answer to this request now: a member of the team
    that answered, before sales committed a date (a promise waiting for a manager counts)."""
    request = repo.get_request(session, request_id)
    if request is None:
        raise Refusal("request_gone")
    if request.team not in ANSWERING_TEAMS:
        raise Refusal("answer_mismatch", team=request.team)
    require_member(ctx.config, ctx.directory, actor, request.team, Act.ANSWER)
    if lock:
        order = _locked_order(session, request.order_id)
        session.refresh(request)
    else:
        order = repo.get_order(session, request.order_id)
    if order.status in PROMISED:
        raise Refusal("correction_after_commitment", order=order.number, status=order.status)
    if order.status == OrderStatus.CANCELLED:
        raise Refusal("nothing_to_answer", order=order.number)
    if order.revision != request.revision or (request.superseded and request.answered_at is None):
        raise Refusal("request_superseded", order=order.number, revision=order.revision)
    if request.answered_at is None:
        raise Refusal("correction_unanswered", order=order.number, team=request.team)
    return request, order


def correct_answer(
    session: Session, ctx: Context, *, actor: str, request_id: int, answer: ProductionAnswer | SupplyAnswer
) -> Order:
    """The team that answered corrects its answer before sales commits. The correction is kept
    (who, when, old and new), said in the thread, and the earliest date recomputed: the commit
    prompt and the card are updated. A yes turned into a no (or a no into a yes) goes on as a
    fresh answer would: the order is declined (or goes ahead). The time of the first answer
    stays the answer's time (the 24-hour confirmation KPI)."""
    request, order = check_can_correct(session, ctx, actor=actor, request_id=request_id, lock=True)
    expected = ProductionAnswer if request.team == "production" else SupplyAnswer
    if not isinstance(answer, expected):
        raise Refusal("answer_mismatch", team=request.team)
    before = answer_data(request)
    request.can_do, request.notes = answer.can_do, answer.notes
    if isinstance(answer, ProductionAnswer):
        request.lead_time_days = answer.lead_time_days
    else:
        request.material_date = answer.material_date
    after = answer_data(request)
    if after == before:
        return order  # nothing changed: nothing to record or say
    session.add(request)
    repo.record_event(
        session,
        order,
        kind="answer_corrected",
        actor=actor,
        at=ctx.now,
        data={
            "request_id": request.id,
            "team": request.team,
            "revision": request.revision,
            "before": before,
            "after": after,
        },
    )
    notices.update_request(session, order, request, ctx.now)
    was = order.status
    if before["can_do"] != after["can_do"] and after["can_do"]:
        _reopen_other_requests(session, ctx, order, request)
        order.status = OrderStatus.AWAITING_CONFIRMATION
    if before["can_do"] != after["can_do"] or was == OrderStatus.AWAITING_COMMITMENT:
        if was == OrderStatus.AWAITING_COMMITMENT:
            order.status = OrderStatus.AWAITING_CONFIRMATION  # decided again from both answers
        _after_answer(session, ctx, order)
    feasible = None
    if order.status == OrderStatus.AWAITING_COMMITMENT:
        earliest = capacity_aware_earliest(session, ctx, order, repo.current_requests(session, order))
        feasible = earliest.date.isoformat() if earliest else None
        notices.update(
            session,
            order,
            notices.prompt_key(order, "commit"),
            "commit_prompt",
            ctx.now,
            revision=order.revision,
            feasible=feasible,
            **(earliest_params(earliest) if earliest else {}),
        )
    elif was == OrderStatus.AWAITING_COMMITMENT:
        notices.update(session, order, notices.prompt_key(order, "commit"), "commit_prompt", ctx.now)
    if was != order.status and OrderStatus.DECLINED in (was, order.status):
        # declined anew, or going ahead again: the prompt posted at an earlier "no" is redone
        notices.update(
            session,
            order,
            notices.prompt_key(order, "declined"),
            "declined_prompt",
            ctx.now,
            revision=order.revision,
        )
    refresh_echoes(session, ctx, order, order.revision)  # the answer as corrected, with its button
    notices.in_thread(
        session,
        order,
        "answer_corrected",
        ctx.now,
        request_id=request.id,
        by=actor,
        before=before,
        after=after,
        feasible=feasible,
    )
    order.updated_at = ctx.now
    session.add(order)
    notices.update_card(session, order, ctx.now)
    return order


def _reopen_other_requests(
    session: Session, ctx: Context, order: Order, corrected: ConfirmationRequest
) -> None:
    """A no turned into a yes: the other team's request the no had closed unanswered is open
    again, on its own clock (its reminder and escalation run if still due)."""
    for request in repo.current_requests(session, order).values():
        if request.id != corrected.id and request.superseded and request.answered_at is None:
            request.superseded = False
            session.add(request)
            notices.update_request(session, order, request, ctx.now)


def echo_key(order_id: int, request: ConfirmationRequest) -> str:
    """The thread message that echoes a team's answer: edited as the answer is corrected, and
    when the order leaves the states in which it may be (its "Correct answer" button goes)."""
    return f"order:{order_id}:note:r{request.revision}:{request.team}:echo"


def refresh_echoes(session: Session, ctx: Context, order: Order, revision: int) -> None:
    for request in repo.requests_for(session, order, revision=revision):
        key = echo_key(order.id, request)
        if request.team in ANSWERING_TEAMS and outbox.known_target(session, key):
            notices.update(session, order, key, "answer_echo", ctx.now, request_id=request.id)
