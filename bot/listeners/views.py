"""Modal submissions: validate inline (response_action=errors), save, ack, then deliver."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable

from slack_bolt import Ack, App

from bot.ids import INPUT_ACTION, Field, View
from bot.services import Services
from workflows import inputs, notices, orders
from workflows.context import Context
from workflows.permissions import Refusal

log = logging.getLogger(__name__)


def field_values(view: dict) -> dict[str, object]:
    """The submitted value of each input block, whatever its element type; missing → None."""
    values: dict[str, object] = {}
    for block_id, actions in (view.get("state", {}).get("values") or {}).items():
        element = actions.get(INPUT_ACTION) or {}
        if "selected_option" in element:
            values[block_id] = (element["selected_option"] or {}).get("value")
        elif "selected_date" in element:
            values[block_id] = inputs.parse_date(element["selected_date"])
        else:
            values[block_id] = element.get("value")
    return values


def metadata(view: dict) -> dict:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


MAX_ID = 2**63 - 1  # a larger number would overflow the database driver


def _int(data: dict, key: str) -> int:
    value = data.get(key)
    # bool is an int subclass: `true` must not pass for id 1
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ID:
        raise Refusal("This form is out of date; close it and start again.")
    return value


Handler = Callable[[Context, str, dict, dict], tuple[object, dict]]


def register(app: App, svc: Services) -> None:
    def submission(callback: View, error_field: Field, handler: Handler) -> None:
        """Wire one modal: run `handler` in a transaction; errors go inline next to a field."""

        @app.view(callback)
        def _submit(ack: Ack, body: dict, view: dict) -> None:
            ctx = svc.context()
            try:
                with svc.session() as session:
                    order, errors = handler(
                        ctx, body["user"]["id"], field_values(view), metadata(view), session
                    )
                    if errors:
                        raise _Invalid(errors)
                    stream = notices.stream(order)
            except _Invalid as invalid:
                ack(response_action="errors", errors=invalid.errors)
                return
            except Refusal as refusal:
                ack(response_action="errors", errors={error_field: str(refusal)[:1000]})
                return
            ack()
            svc.deliverer.deliver(streams=[stream])

    submission(View.NEW_ORDER, Field.CUSTOMER, _new_order)
    submission(View.REVISE_ORDER, Field.CUSTOMER, _revise_order)
    submission(View.PRODUCTION_ANSWER, Field.CAN_DO, _production_answer)
    submission(View.SUPPLY_ANSWER, Field.CAN_DO, _supply_answer)
    submission(View.COMMIT, Field.COMMITTED_DATE, _commit)


class _Invalid(Exception):
    def __init__(self, errors: dict) -> None:
        self.errors = errors


def _order_fields(ctx: Context, values: dict) -> tuple[inputs.OrderFields | None, dict]:
    return inputs.order_fields(
        customer=values.get(Field.CUSTOMER),
        product=values.get(Field.PRODUCT),
        quantity=values.get(Field.QUANTITY),
        requested_date=values.get(Field.REQUESTED_DATE),
        specification=values.get(Field.SPECIFICATION),
        today=ctx.today,
    )


def _new_order(ctx, user, values, meta, session):  # noqa: ANN001, ANN202
    fields, errors = _order_fields(ctx, values)
    if errors:
        return None, errors
    return orders.register_order(session, ctx, actor=user, fields=fields), {}


def _revise_order(ctx, user, values, meta, session):  # noqa: ANN001, ANN202
    fields, errors = _order_fields(ctx, values)
    if errors:
        return None, errors
    order = orders.revise_order(
        session,
        ctx,
        actor=user,
        order_id=_int(meta, "order_id"),
        revision=_int(meta, "revision"),
        fields=fields,
    )
    return order, {}


def _production_answer(ctx, user, values, meta, session):  # noqa: ANN001, ANN202
    answer, errors = inputs.production_answer(
        can_do=values.get(Field.CAN_DO),
        lead_time_days=values.get(Field.LEAD_TIME_DAYS),
        notes=values.get(Field.NOTES),
    )
    if errors:
        return None, errors
    return orders.answer_request(
        session, ctx, actor=user, request_id=_int(meta, "request_id"), answer=answer
    ), {}


def _supply_answer(ctx, user, values, meta, session):  # noqa: ANN001, ANN202
    answer, errors = inputs.supply_answer(
        can_do=values.get(Field.CAN_DO),
        material_date=values.get(Field.MATERIAL_DATE),
        notes=values.get(Field.NOTES),
        today=ctx.today,
    )
    if errors:
        return None, errors
    return orders.answer_request(
        session, ctx, actor=user, request_id=_int(meta, "request_id"), answer=answer
    ), {}


def _commit(ctx, user, values, meta, session):  # noqa: ANN001, ANN202
    result, errors = inputs.commitment(
        committed_date=values.get(Field.COMMITTED_DATE), notes=values.get(Field.NOTES), today=ctx.today
    )
    if errors:
        return None, errors
    committed, notes = result
    order = orders.commit_order(
        session,
        ctx,
        actor=user,
        order_id=_int(meta, "order_id"),
        revision=_int(meta, "revision"),
        committed=committed,
        notes=notes,
    )
    return order, {}
