"""The order modals: new order, revision, production's and supply's answers, the commitment."""

from __future__ import annotations

import logging

from slack_bolt import App
from sqlmodel import Session

from bot.forms import Precheck, Submission, meta_int, submission_listener
from bot.ids import Field, View
from bot.orders import corrections, preview
from bot.orders.modals import (
    CORRECT_PRODUCTION,
    CORRECT_SUPPLY,
    OVERRIDE_REASON,
    PRODUCT_CODE,
    PRODUCT_SEARCH,
    REJECT_PROMISE_FORM,
)
from bot.orders.refusals import input_errors
from bot.services import Services
from storage.models import Order
from workflows import inputs, orders
from workflows.catalogue import catalogue
from workflows.context import Context
from workflows.enums import Act
from workflows.permissions import Refusal, require_can_register

log = logging.getLogger(__name__)


def register(app: App, svc: Services) -> None:
    preview.register(app, svc)
    corrections.register(app, svc)
    for submission in SUBMISSIONS:
        app.view(submission.callback)(submission_listener(svc, submission))


def _worded(result: tuple[object, inputs.InputErrors]) -> tuple[object, dict[str, str]]:
    """The parsed value, or the errors in the reader's language (the request's language)."""
    parsed, errors = result
    return parsed, input_errors(errors)


def _order_fields(ctx: Context, values: dict) -> tuple[object, dict[str, str]]:
    parsed, errors = _worded(
        inputs.order_fields(
            customer=values.get(Field.CUSTOMER),
            product=values.get(Field.PRODUCT),
            product_code=values.get(PRODUCT_CODE, values.get(PRODUCT_SEARCH)),
            catalogue=catalogue(ctx.config),
            quantity=values.get(Field.QUANTITY),
            requested_date=values.get(Field.REQUESTED_DATE),
            specification=values.get(Field.SPECIFICATION),
            today=ctx.today,
        )
    )
    if PRODUCT_SEARCH in values and PRODUCT_CODE in errors:  # the type-ahead form: its own block
        errors[PRODUCT_SEARCH] = errors.pop(PRODUCT_CODE)
    return parsed, errors


def _register_precheck(session: Session, ctx: Context, user: str, parsed: object, meta: dict) -> None:
    require_can_register(ctx.config, ctx.directory, user)


def _register(session: Session, ctx: Context, user: str, fields, meta: dict) -> Order:  # noqa: ANN001
    return orders.register_order(session, ctx, actor=user, fields=fields)


def _revise_precheck(session: Session, ctx: Context, user: str, parsed: object, meta: dict) -> None:
    order = orders.check_can_change(
        session, ctx, actor=user, order_id=meta_int(meta, "order_id"), doing=Act.REVISE
    )
    if order.revision != meta_int(meta, "revision"):
        raise Refusal("already_revised", order=order.number, revision=order.revision)


def _revise(session: Session, ctx: Context, user: str, fields, meta: dict) -> Order:  # noqa: ANN001
    return orders.revise_order(
        session,
        ctx,
        actor=user,
        order_id=meta_int(meta, "order_id"),
        revision=meta_int(meta, "revision"),
        fields=fields,
    )


def _production_answer(ctx: Context, values: dict) -> tuple[object, dict]:
    return _worded(
        inputs.production_answer(
            can_do=values.get(Field.CAN_DO),
            lead_time_days=values.get(Field.LEAD_TIME_DAYS),
            notes=values.get(Field.NOTES),
        )
    )


def _supply_answer(ctx: Context, values: dict) -> tuple[object, dict]:
    return _worded(
        inputs.supply_answer(
            can_do=values.get(Field.CAN_DO),
            material_date=values.get(Field.MATERIAL_DATE),
            notes=values.get(Field.NOTES),
            today=ctx.today,
        )
    )


def _answer_precheck(team: str) -> Precheck:
    def precheck(session: Session, ctx: Context, user: str, parsed: object, meta: dict) -> None:
        request, _ = orders.check_can_answer(
            session, ctx, actor=user, request_id=meta_int(meta, "request_id")
        )
        if request.team != team:
            raise Refusal("answer_mismatch", team=request.team)

    return precheck


def _answer(session: Session, ctx: Context, user: str, answer, meta: dict) -> Order:  # noqa: ANN001
    return orders.answer_request(
        session, ctx, actor=user, request_id=meta_int(meta, "request_id"), answer=answer
    )


def _correct_precheck(team: str) -> Precheck:
    def precheck(session: Session, ctx: Context, user: str, parsed: object, meta: dict) -> None:
        request, _ = orders.check_can_correct(
            session, ctx, actor=user, request_id=meta_int(meta, "request_id")
        )
        if request.team != team:
            raise Refusal("answer_mismatch", team=request.team)

    return precheck


def _correct(session: Session, ctx: Context, user: str, answer, meta: dict) -> Order:  # noqa: ANN001
    return orders.correct_answer(
        session, ctx, actor=user, request_id=meta_int(meta, "request_id"), answer=answer
    )


def _commitment(ctx: Context, values: dict) -> tuple[object, dict]:
    parsed, errors = inputs.commitment(
        committed_date=values.get(Field.COMMITTED_DATE), notes=values.get(Field.NOTES), today=ctx.today
    )
    reason, reason_errors = inputs.override_reason(values.get(OVERRIDE_REASON))
    errors = {**errors, **reason_errors}
    return _worded((None, errors) if errors else ((*parsed, reason), {}))


def _commit_precheck(session: Session, ctx: Context, user: str, parsed, meta: dict) -> None:  # noqa: ANN001
    order = orders.check_can_commit(
        session,
        ctx,
        actor=user,
        order_id=meta_int(meta, "order_id"),
        revision=meta_int(meta, "revision"),
    )
    committed, _notes, reason = parsed
    orders.check_promise_allowed(session, ctx, order, committed, reason)  # inline: what is wrong


def _commit(session: Session, ctx: Context, user: str, result, meta: dict) -> Order:  # noqa: ANN001
    committed, notes, reason = result
    return orders.commit_order(
        session,
        ctx,
        actor=user,
        order_id=meta_int(meta, "order_id"),
        revision=meta_int(meta, "revision"),
        committed=committed,
        notes=notes,
        override_reason=reason,
    )


def _reject_reason(ctx: Context, values: dict) -> tuple[object, dict]:
    return _worded(orders.cancel_reason(values.get(Field.REASON)))


def _reject_precheck(session: Session, ctx: Context, user: str, parsed: object, meta: dict) -> None:
    orders.check_can_decide(session, ctx, actor=user, request_id=meta_int(meta, "request_id"))


def _reject(session: Session, ctx: Context, user: str, reason, meta: dict) -> Order:  # noqa: ANN001
    return orders.reject_promise(
        session, ctx, actor=user, request_id=meta_int(meta, "request_id"), reason=reason
    )


def _cancel_reason(ctx: Context, values: dict) -> tuple[object, dict]:
    return _worded(orders.cancel_reason(values.get(Field.REASON)))


def _cancel_precheck(session: Session, ctx: Context, user: str, parsed: object, meta: dict) -> None:
    orders.check_can_cancel(
        session, ctx, actor=user, order_id=meta_int(meta, "order_id"), revision=meta_int(meta, "revision")
    )


def _cancel(session: Session, ctx: Context, user: str, reason, meta: dict) -> Order:  # noqa: ANN001
    return orders.cancel_order(
        session,
        ctx,
        actor=user,
        order_id=meta_int(meta, "order_id"),
        revision=meta_int(meta, "revision"),
        reason=reason,
    )


SUBMISSIONS = (
    # after its ack: a new order's precheck (may this person register orders?) decides its write
    Submission(View.NEW_ORDER, Field.CUSTOMER, _order_fields, _register_precheck, _register, after_ack=True),
    Submission(View.REVISE_ORDER, Field.CUSTOMER, _order_fields, _revise_precheck, _revise),
    Submission(
        View.PRODUCTION_ANSWER, Field.CAN_DO, _production_answer, _answer_precheck("production"), _answer
    ),
    Submission(View.SUPPLY_ANSWER, Field.CAN_DO, _supply_answer, _answer_precheck("supply"), _answer),
    Submission(
        CORRECT_PRODUCTION, Field.CAN_DO, _production_answer, _correct_precheck("production"), _correct
    ),
    Submission(CORRECT_SUPPLY, Field.CAN_DO, _supply_answer, _correct_precheck("supply"), _correct),
    Submission(View.COMMIT, Field.COMMITTED_DATE, _commitment, _commit_precheck, _commit),
    Submission(View.CANCEL_ORDER, Field.REASON, _cancel_reason, _cancel_precheck, _cancel),
    Submission(REJECT_PROMISE_FORM, Field.REASON, _reject_reason, _reject_precheck, _reject),
)
