"""After commitment: the buttons on an order's after-commitment message, their modals, and
`/order edit` (wired by the /order router through `open_edit`)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient
from sqlmodel import Session

from bot.after_commit import modals
from bot.after_commit.refusals import field_errors
from bot.forms import Submission, meta_int, open_modal, submission_listener, words
from bot.ids import ACKNOWLEDGE_ACTIONS, AfterCommit, Field
from bot.orders import blocks as ob
from bot.orders import views as order_views
from bot.orders.actions import parse_id, refuse
from bot.services import PERSON_WAITS, Services
from storage import repo
from storage.models import Order
from workflows import after_commit, changes, notices
from workflows.context import Context
from workflows.permissions import Refusal

log = logging.getLogger(__name__)

# (session, ctx, actor, id from the button) -> the modal to open, or Refusal
Opener = Callable[[Session, Context, str, int], dict]


def register(app: App, svc: Services) -> None:
    def opens_modal(action_id: AfterCommit | re.Pattern, opener: Opener) -> None:
        @app.action(action_id)
        def _open(ack: Ack, body: dict, action: dict, client: WebClient, respond: Respond) -> None:
            ack()
            try:
                target = parse_id(action.get("value") or "")
                with svc.session(read_only=True) as session:  # only reads: no wait for the write lock
                    view = opener(session, svc.context(), body["user"]["id"], target)
            except Refusal as refusal:
                refuse(respond, refusal, svc)
                return
            user = body["user"]["id"]
            open_modal(svc, client, respond, user=user, trigger_id=body["trigger_id"], view=view)

    def acts_at_once(
        action_id: AfterCommit | re.Pattern, act: Callable[[Session, Context, str, int], Order]
    ) -> None:
        @app.action(action_id)
        def _act(ack: Ack, body: dict, action: dict, respond: Respond) -> None:
            ack()
            try:
                target = parse_id(action.get("value") or "")
                with svc.session(budget=PERSON_WAITS) as session:
                    stream = notices.stream(act(session, svc.context(), body["user"]["id"], target))
            except Refusal as refusal:
                refuse(respond, refusal, svc)
                return
            svc.deliver_for([stream], user=body["user"]["id"], respond=respond)

    opens_modal(AfterCommit.A_MATERIALS, _open_materials)
    opens_modal(AfterCommit.A_DELIVERED, _open_delivered)
    opens_modal(AfterCommit.A_RAISE, _open_problem)
    opens_modal(AfterCommit.A_CHANGE, _open_change)
    opens_modal(ACKNOWLEDGE_ACTIONS, _open_answer)  # the teams' "Answer" buttons (and older Acknowledge ones)
    opens_modal(AfterCommit.A_REVISE_CHANGE, _open_revise)
    opens_modal(AfterCommit.A_SLIP, _open_slip)
    acts_at_once(AfterCommit.A_RESOLVE, _resolve)
    acts_at_once(AfterCommit.A_WITHDRAW_CHANGE, _withdraw)
    for form in FORMS:
        app.view(form.callback)(submission_listener(svc, form))


def open_edit(
    svc: Services, client: WebClient, respond: Respond, *, user: str, trigger_id: str, number_text: str
) -> None:
    """`/order edit CO-0042`: open the change form for a committed order, or say why not (ephemeral).

    The caller acks the command first (a modal needs the trigger_id within 3 seconds).
    """
    try:
        with svc.session(read_only=True) as session:
            order = repo.find_order(session, number_text) if number_text.strip() else None
            if order is None:
                raise (
                    Refusal("which_order_to_edit")
                    if not number_text.strip()
                    else Refusal("no_such_order_to_edit", text=_plain(number_text))
                )
            view = _open_change(session, svc.context(), user, order.id)
    except Refusal as refusal:
        respond(text=f":no_entry_sign: {words(svc, refusal)}", response_type="ephemeral")
        return
    open_modal(svc, client, respond, user=user, trigger_id=trigger_id, view=view)


def _plain(text: str) -> str:
    return text.strip()[:40].replace("<", "").replace(">", "").replace("&", "").replace("`", "")


# -- openers: check before showing a form (the submit checks again) ---------------------------


def _open_materials(session, ctx: Context, user: str, order_id: int) -> dict:  # noqa: ANN001
    order = after_commit.check_can_record_materials(session, ctx, actor=user, order_id=order_id)
    return modals.materials_modal(order, after_commit.promised_material_date(session, order), ctx.today)


def _open_delivered(session, ctx: Context, user: str, order_id: int) -> dict:  # noqa: ANN001
    order = after_commit.check_can_deliver(session, ctx, actor=user, order_id=order_id)
    return modals.delivered_modal(order, ctx.today)


def _open_problem(session, ctx: Context, user: str, order_id: int) -> dict:  # noqa: ANN001
    return modals.problem_modal(after_commit.check_can_raise(session, ctx, actor=user, order_id=order_id))


def _open_change(session, ctx: Context, user: str, order_id: int) -> dict:  # noqa: ANN001
    order = changes.check_can_edit(session, ctx, actor=user, order_id=order_id)
    return modals.change_modal(order, ctx.config, feasibility=_feasibility_note(session, ctx, order))


def _feasibility_note(session, ctx: Context, order: Order) -> str | None:  # noqa: ANN001
    """What the current answers allow, shown in the change form before anything is saved."""
    from workflows import atp

    earliest = atp.capacity_aware_earliest(
        session, ctx, order, repo.current_requests(session, order), exclude_order_id=order.id
    )
    if earliest is None:
        return None
    return ob.plan_reasoning(earliest.line, earliest.steps, earliest.date)


def _open_revise(session, ctx: Context, user: str, change_id: int) -> dict:  # noqa: ANN001
    change, order = changes.check_can_settle(session, ctx, actor=user, change_id=change_id)
    changes.check_can_edit(session, ctx, actor=user, order_id=order.id, revises=change.id)
    return modals.change_modal(
        order, ctx.config, revises=change, feasibility=_feasibility_note(session, ctx, order)
    )


def _open_answer(session, ctx: Context, user: str, ack_id: int) -> dict:  # noqa: ANN001
    ack, change, order = changes.check_can_answer(session, ctx, actor=user, ack_id=ack_id)
    return modals.change_answer_modal(order, change, ack)


def _open_slip(session, ctx: Context, user: str, order_id: int) -> dict:  # noqa: ANN001
    order = changes.check_can_slip(session, ctx, actor=user, order_id=order_id)
    return modals.slip_modal(order, after_commit.promised_material_date(session, order))


def open_reject_change(session, ctx: Context, user: str, ack_id: int) -> dict:  # noqa: ANN001
    """A manager's Reject on a change beyond the plan (bot/orders/actions.py routes it here)."""
    _ack, _change, order = changes.check_can_decide(session, ctx, actor=user, ack_id=ack_id)
    return modals.reject_change_modal(order, ack_id)


# -- buttons that act at once -------------------------------------------------------------------


def _resolve(session, ctx: Context, user: str, problem_id: int):  # noqa: ANN001, ANN202
    return after_commit.resolve_problem(session, ctx, actor=user, problem_id=problem_id)


def _withdraw(session, ctx: Context, user: str, change_id: int):  # noqa: ANN001, ANN202
    return changes.withdraw_change(session, ctx, actor=user, change_id=change_id)


# -- submissions: parse (pure), precheck (read-only, before the ack), apply (after the ack) ----------


def _order_id(meta: dict) -> int:
    return meta_int(meta, "order_id")


def _worded(parsed: tuple[object, dict]) -> tuple[object, dict]:
    """The form errors in the reader's words (the rules give codes and data)."""
    value, errors = parsed
    return value, field_errors(errors)


def _parse_materials(ctx: Context, values: dict) -> tuple[object, dict]:
    return _worded(
        after_commit.arrival_input(
            arrived=values.get(AfterCommit.F_ARRIVED_DATE),
            notes=values.get(AfterCommit.F_NOTES),
            today=ctx.today,
        )
    )


def _materials_precheck(session, ctx: Context, user: str, parsed, meta: dict) -> None:  # noqa: ANN001
    after_commit.check_can_record_materials(session, ctx, actor=user, order_id=_order_id(meta))


def _apply_materials(session, ctx: Context, user: str, parsed, meta: dict) -> Order:  # noqa: ANN001
    arrived, notes = parsed
    return after_commit.record_materials(
        session, ctx, actor=user, order_id=_order_id(meta), arrived=arrived, notes=notes
    )


def _parse_delivery(ctx: Context, values: dict) -> tuple[object, dict]:
    return _worded(
        after_commit.delivery_input(delivered=values.get(AfterCommit.F_DELIVERED_DATE), today=ctx.today)
    )


def _delivery_precheck(session, ctx: Context, user: str, parsed, meta: dict) -> None:  # noqa: ANN001
    after_commit.check_can_deliver(session, ctx, actor=user, order_id=_order_id(meta))


def _apply_delivery(session, ctx: Context, user: str, delivered, meta: dict) -> Order:  # noqa: ANN001
    return after_commit.record_delivery(
        session, ctx, actor=user, order_id=_order_id(meta), delivered=delivered
    )


def _parse_problem(ctx: Context, values: dict) -> tuple[object, dict]:
    return _worded(
        after_commit.problem_input(
            description=values.get(AfterCommit.F_PROBLEM), team=values.get(AfterCommit.F_TEAM)
        )
    )


def _problem_precheck(session, ctx: Context, user: str, parsed, meta: dict) -> None:  # noqa: ANN001
    after_commit.check_can_raise(session, ctx, actor=user, order_id=_order_id(meta))


def _apply_problem(session, ctx: Context, user: str, parsed, meta: dict) -> Order:  # noqa: ANN001
    description, team = parsed
    problem = after_commit.raise_problem(
        session, ctx, actor=user, order_id=_order_id(meta), description=description, team=team
    )
    return repo.get_order(session, problem.order_id)


def _parse_change(ctx: Context, values: dict) -> tuple[object, dict]:
    return _worded(
        changes.edit_input(
            quantity=values.get(AfterCommit.F_QUANTITY),
            delivery_date=values.get(AfterCommit.F_DELIVERY_DATE),
            reason=values.get(AfterCommit.F_REASON),
            origin=values.get(AfterCommit.F_ORIGIN),
            override_reason=values.get(AfterCommit.F_OVERRIDE),
            today=ctx.today,
        )
    )


def _revises(meta: dict) -> int | None:
    return meta_int(meta, "revises") if "revises" in meta else None


def _change_precheck(session, ctx: Context, user: str, edit, meta: dict) -> None:  # noqa: ANN001
    order = changes.check_can_edit(session, ctx, actor=user, order_id=_order_id(meta), revises=_revises(meta))
    changes.check_changes_something(order, edit)
    changes.check_change_allowed(session, ctx, order, edit)  # inline: what is wrong, override needed


def _apply_change(session, ctx: Context, user: str, edit, meta: dict) -> Order:  # noqa: ANN001
    return changes.change_order(
        session, ctx, actor=user, order_id=_order_id(meta), edit=edit, revises=_revises(meta)
    )


def _answer_precheck(team: str):  # noqa: ANN202
    def precheck(session, ctx: Context, user: str, parsed, meta: dict) -> None:  # noqa: ANN001
        ack, _change, _order = changes.check_can_answer(
            session, ctx, actor=user, ack_id=meta_int(meta, "ack_id")
        )
        if ack.team != team:
            raise Refusal("answer_mismatch", team=ack.team)

    return precheck


def _apply_answer(session, ctx: Context, user: str, answer, meta: dict) -> Order:  # noqa: ANN001
    return changes.answer_change(session, ctx, actor=user, ack_id=meta_int(meta, "ack_id"), answer=answer)


def _parse_reject(ctx: Context, values: dict) -> tuple[object, dict]:
    return order_views._reject_reason(ctx, values)


def _reject_precheck(session, ctx: Context, user: str, parsed, meta: dict) -> None:  # noqa: ANN001
    changes.check_can_decide(session, ctx, actor=user, ack_id=meta_int(meta, "ack_id"))


def _apply_reject(session, ctx: Context, user: str, reason, meta: dict) -> Order:  # noqa: ANN001
    return changes.reject_change(session, ctx, actor=user, ack_id=meta_int(meta, "ack_id"), reason=reason)


def _parse_slip(ctx: Context, values: dict) -> tuple[object, dict]:
    return _worded(
        changes.slip_input(
            material_date=values.get(AfterCommit.F_MATERIAL_DATE),
            reason=values.get(AfterCommit.F_REASON),
            today=ctx.today,
        )
    )


def _slip_precheck(session, ctx: Context, user: str, parsed, meta: dict) -> None:  # noqa: ANN001
    changes.check_can_slip(session, ctx, actor=user, order_id=_order_id(meta))


def _apply_slip(session, ctx: Context, user: str, parsed, meta: dict) -> Order:  # noqa: ANN001
    material_date, reason = parsed
    return changes.record_slip(
        session, ctx, actor=user, order_id=_order_id(meta), material_date=material_date, reason=reason
    )


FORMS = (
    Submission(
        AfterCommit.V_MATERIALS,
        AfterCommit.F_ARRIVED_DATE,
        _parse_materials,
        _materials_precheck,
        _apply_materials,
    ),
    Submission(
        AfterCommit.V_DELIVERED,
        AfterCommit.F_DELIVERED_DATE,
        _parse_delivery,
        _delivery_precheck,
        _apply_delivery,
    ),
    Submission(
        AfterCommit.V_PROBLEM, AfterCommit.F_PROBLEM, _parse_problem, _problem_precheck, _apply_problem
    ),
    Submission(AfterCommit.V_CHANGE, AfterCommit.F_QUANTITY, _parse_change, _change_precheck, _apply_change),
    Submission(
        AfterCommit.V_CHANGE_PRODUCTION,
        Field.CAN_DO,
        order_views._production_answer,
        _answer_precheck("production"),
        _apply_answer,
    ),
    Submission(
        AfterCommit.V_CHANGE_SUPPLY,
        Field.CAN_DO,
        order_views._supply_answer,
        _answer_precheck("supply"),
        _apply_answer,
    ),
    Submission(AfterCommit.V_REJECT_CHANGE, Field.REASON, _parse_reject, _reject_precheck, _apply_reject),
    Submission(AfterCommit.V_SLIP, AfterCommit.F_MATERIAL_DATE, _parse_slip, _slip_precheck, _apply_slip),
)
