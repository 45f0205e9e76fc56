"""Modal submissions: validate inline (response_action=errors), ack, save, then deliver."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlmodel import Session

from bot.directory import CachedDirectory, NotCached
from bot.ids import INPUT_ACTION, Field, View
from bot.services import Services
from storage.models import Order
from workflows import inputs, notices, orders
from workflows.context import Context
from workflows.permissions import Refusal, require_can_register

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


Parse = Callable[[Context, dict], tuple[object, dict]]
Precheck = Callable[[Session, Context, str, dict], None]
Apply = Callable[[Session, Context, str, object, dict], Order]


@dataclass(frozen=True)
class Submission:
    """One modal's handling: parse the input (pure), check state (read-only), then apply."""

    callback: View
    error_field: Field  # where a refusal found before the ack is shown
    parse: Parse
    precheck: Precheck
    apply: Apply


def register(app: App, svc: Services) -> None:
    for submission in SUBMISSIONS:
        app.view(submission.callback)(_listener(svc, submission))


def _listener(svc: Services, submission: Submission) -> Callable:
    def submit(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        # Before the ack only fast, local work: validation and a read-only state check (no write
        # lock, no Slack call), so a busy database or a slow Slack never delays the answer.
        ctx, user, meta = svc.context(), body["user"]["id"], metadata(view)
        parsed, errors = submission.parse(ctx, field_values(view))
        if not errors:
            try:
                with svc.session(read_only=True) as session:
                    submission.precheck(
                        session, replace(ctx, directory=CachedDirectory(svc.directory)), user, meta
                    )
            except Refusal as refusal:
                errors = {submission.error_field: plain(str(refusal))}
            except NotCached:
                pass  # group members unknown without Slack: the check after the ack decides
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
        try:
            with svc.session() as session:
                stream = notices.stream(submission.apply(session, ctx, user, parsed, meta))
        except Refusal as refusal:  # lost a race, or no permission: the form is closed, so say it directly
            client.chat_postMessage(channel=user, text=f":no_entry_sign: Nothing was saved: {refusal}")
            return
        svc.deliver_for([stream], user=user)

    return submit


def plain(text: str) -> str:
    """Modal errors are plain text: show mentions as @id rather than raw <@U…> markup."""
    return re.sub(r"<@([A-Z0-9]+)>", r"@\1", text)[:1000]


def _order_fields(ctx: Context, values: dict) -> tuple[inputs.OrderFields | None, dict]:
    return inputs.order_fields(
        customer=values.get(Field.CUSTOMER),
        product=values.get(Field.PRODUCT),
        quantity=values.get(Field.QUANTITY),
        requested_date=values.get(Field.REQUESTED_DATE),
        specification=values.get(Field.SPECIFICATION),
        today=ctx.today,
    )


def _register_precheck(session: Session, ctx: Context, user: str, meta: dict) -> None:
    require_can_register(ctx.config, ctx.directory, user)


def _register(session: Session, ctx: Context, user: str, fields, meta: dict) -> Order:  # noqa: ANN001
    return orders.register_order(session, ctx, actor=user, fields=fields)


def _revise_precheck(session: Session, ctx: Context, user: str, meta: dict) -> None:
    order = orders.check_can_change(
        session, ctx, actor=user, order_id=_int(meta, "order_id"), doing="revise the order"
    )
    if order.revision != _int(meta, "revision"):
        raise Refusal(f"{order.number} was already revised (now revision {order.revision}).")


def _revise(session: Session, ctx: Context, user: str, fields, meta: dict) -> Order:  # noqa: ANN001
    return orders.revise_order(
        session,
        ctx,
        actor=user,
        order_id=_int(meta, "order_id"),
        revision=_int(meta, "revision"),
        fields=fields,
    )


def _production_answer(ctx: Context, values: dict) -> tuple[object, dict]:
    return inputs.production_answer(
        can_do=values.get(Field.CAN_DO),
        lead_time_days=values.get(Field.LEAD_TIME_DAYS),
        notes=values.get(Field.NOTES),
    )


def _supply_answer(ctx: Context, values: dict) -> tuple[object, dict]:
    return inputs.supply_answer(
        can_do=values.get(Field.CAN_DO),
        material_date=values.get(Field.MATERIAL_DATE),
        notes=values.get(Field.NOTES),
        today=ctx.today,
    )


def _answer_precheck(team: str) -> Precheck:
    def precheck(session: Session, ctx: Context, user: str, meta: dict) -> None:
        request, _ = orders.check_can_answer(session, ctx, actor=user, request_id=_int(meta, "request_id"))
        if request.team != team:
            raise Refusal("That answer does not match the request.")

    return precheck


def _answer(session: Session, ctx: Context, user: str, answer, meta: dict) -> Order:  # noqa: ANN001
    return orders.answer_request(session, ctx, actor=user, request_id=_int(meta, "request_id"), answer=answer)


def _commitment(ctx: Context, values: dict) -> tuple[object, dict]:
    return inputs.commitment(
        committed_date=values.get(Field.COMMITTED_DATE), notes=values.get(Field.NOTES), today=ctx.today
    )


def _commit_precheck(session: Session, ctx: Context, user: str, meta: dict) -> None:
    orders.check_can_commit(
        session,
        ctx,
        actor=user,
        order_id=_int(meta, "order_id"),
        revision=_int(meta, "revision"),
    )


def _commit(session: Session, ctx: Context, user: str, result, meta: dict) -> Order:  # noqa: ANN001
    committed, notes = result
    return orders.commit_order(
        session,
        ctx,
        actor=user,
        order_id=_int(meta, "order_id"),
        revision=_int(meta, "revision"),
        committed=committed,
        notes=notes,
    )


SUBMISSIONS = (
    Submission(View.NEW_ORDER, Field.CUSTOMER, _order_fields, _register_precheck, _register),
    Submission(View.REVISE_ORDER, Field.CUSTOMER, _order_fields, _revise_precheck, _revise),
    Submission(
        View.PRODUCTION_ANSWER, Field.CAN_DO, _production_answer, _answer_precheck("production"), _answer
    ),
    Submission(View.SUPPLY_ANSWER, Field.CAN_DO, _supply_answer, _answer_precheck("supply"), _answer),
    Submission(View.COMMIT, Field.COMMITTED_DATE, _commitment, _commit_precheck, _commit),
)
