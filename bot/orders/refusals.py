"""The words of the order loop's refusals and of its forms' input errors (see bot/refusals.py).

Every sentence is whole in the catalog: a status, a team or an act picks a sentence, it is never
a fragment glued into one (Chinese word order differs from English).
"""

from __future__ import annotations

import datetime as dt

from bot.mrkdwn import day
from bot.mrkdwn import month as month_name
from bot.refusals import says
from bot.text import _
from storage.models import OrderStatus
from workflows.enums import Act
from workflows.inputs import InputError, InputErrors


def status_words(status: str) -> str:
    """An order's status as a short phrase, e.g. in parentheses after a sentence or on the card."""
    words = {
        OrderStatus.AWAITING_CONFIRMATION: _("waiting for production and supply"),
        OrderStatus.AWAITING_COMMITMENT: _("waiting for sales to commit a date"),
        OrderStatus.AWAITING_APPROVAL: _("awaiting manager approval"),
        OrderStatus.DECLINED: _("declined"),
        OrderStatus.COMMITTED: _("committed"),
        OrderStatus.DELIVERED: _("delivered"),
        OrderStatus.CANCELLED: _("cancelled"),
    }
    return words.get(status, status)


@says("order_gone")
def order_gone() -> str:
    return _("That order no longer exists.")


@says("request_gone")
def request_gone() -> str:
    return _("That request no longer exists.")


@says("button_invalid")
def button_invalid() -> str:
    return _("That button is not valid any more.")


@says("already_answered")
def already_answered(*, by: str, team: str, at: str) -> str:
    if team == "supply":
        return _("<@{user}> already answered this for supply on {when}.", user=by, when=at)
    return _("<@{user}> already answered this for production on {when}.", user=by, when=at)


@says("declined_by_other_team")
def declined_by_other_team(*, order: str, team: str) -> str:
    return _("{order} was declined by the other team; no answer is needed any more.", order=order)


@says("request_superseded")
def request_superseded(*, order: str, revision: int) -> str:
    return _("{order} was changed since this request; answer the newest request in its thread.", order=order)


@says("nothing_to_answer")
def nothing_to_answer(*, order: str) -> str:
    return _("{order} was cancelled; there is nothing to answer.", order=order)


@says("promise_needs_manager")
def promise_needs_manager(
    *,
    order: str,
    date: str,
    earliest: str | None,
    beyond_plan: bool,
    line: str | None,
    month: str | None,
    available: int | None,
    quantity: int,
) -> str:
    """The commit form's inline answer to a promise beyond what can be made (first submission)."""
    data = {
        "date": day(_iso(date)),
        "earliest": day(_iso(earliest)) if earliest else "",
        "line": line or "",
        "month": month_name(month) if month else "",
        "available": _count(available or 0),
        "quantity": _count(quantity),
    }
    if earliest and beyond_plan:
        return _(
            "{date} is before the earliest feasible date ({earliest}), and the {month} plan for {line} "
            "has only {available} left for {quantity}. To promise it anyway, give an override reason: "
            "a manager must approve it.",
            **data,
        )
    if earliest:
        return _(
            "{date} is before the earliest feasible date ({earliest}). To promise it anyway, give an "
            "override reason: a manager must approve it.",
            **data,
        )
    return _(
        "The {month} plan for {line} has only {available} left, less than {quantity}. To promise it "
        "anyway, give an override reason: a manager must approve it.",
        **data,
    )


def _iso(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


@says("promise_decided")
def promise_decided(*, order: str, by: str, approved: bool) -> str:
    if approved:
        return _("<@{user}> already approved this promise for {order}.", user=by, order=order)
    return _("<@{user}> already rejected this promise for {order}.", user=by, order=order)


@says("promise_rejected_before")
def promise_rejected_before(*, order: str, by: str) -> str:
    return _(
        "<@{user}> already rejected a promise beyond the plan for this revision of {order}. Commit a "
        "date within what can be made, or revise the order.",
        user=by,
        order=order,
    )


@says("nothing_to_approve")
def nothing_to_approve(*, order: str, status: str) -> str:
    return _(
        "{order} is not waiting for a manager's approval any more ({status}).",
        order=order,
        status=status_words(status),
    )


@says("answer_mismatch")
def answer_mismatch(*, team: str) -> str:
    return _("That answer does not match the request.")


@says("already_committed")
def already_committed(*, order: str, date: str, by: str) -> str:
    return _("{order} is already committed for {date} by <@{user}>.", order=order, date=date, user=by)


@says("not_awaiting_commitment")
def not_awaiting_commitment(*, order: str, status: str) -> str:
    return _(
        "{order} is not waiting for a delivery date any more ({status}).",
        order=order,
        status=status_words(status),
    )


@says("order_closed")
def order_closed(*, order: str, status: str, act: str) -> str:
    revise = {
        OrderStatus.COMMITTED: _("{order} is committed; you can no longer revise the order here."),
        OrderStatus.DELIVERED: _("{order} is delivered; you can no longer revise the order here."),
        OrderStatus.CANCELLED: _("{order} is cancelled; you can no longer revise the order here."),
    }
    cancel = {
        OrderStatus.COMMITTED: _("{order} is committed; you can no longer cancel the order here."),
        OrderStatus.DELIVERED: _("{order} is delivered; you can no longer cancel the order here."),
        OrderStatus.CANCELLED: _("{order} is cancelled; you can no longer cancel the order here."),
    }
    words = (cancel if act == Act.CANCEL else revise).get(status)
    if words is None:
        return _(
            "{order} can no longer be changed here ({status}).", order=order, status=status_words(status)
        )
    return words.format(order=order)


@says("already_revised")
def already_revised(*, order: str, revision: int) -> str:
    return _("{order} was already revised (now revision {revision}).", order=order, revision=revision)


@says("revised_since")
def revised_since(*, order: str, revision: int) -> str:
    return _(
        "{order} was revised since (now revision {revision}); use its newest message.",
        order=order,
        revision=revision,
    )


# ---- input errors: one whole sentence per (code, what the field holds) -------------------------


def _required(what: str) -> str | None:
    return {
        "customer": _("Enter the customer name."),
        "product": _("Enter the product."),
        "quantity": _("Enter the quantity."),
        "specification": _("Enter the specification."),
        "lead_time": _("Enter the production lead time."),
        "reason": _("Enter the reason."),
        "notes": _("Enter the notes."),
        "problem": _("Enter the problem."),
        "change_reason": _("Enter the reason for the change."),
    }.get(what)


def _too_long(what: str, limit: str, length: str) -> str | None:
    words = {
        "customer": _("Keep the customer name within {limit} characters (it has {length})."),
        "product": _("Keep the product within {limit} characters (it has {length})."),
        "specification": _("Keep the specification within {limit} characters (it has {length})."),
        "notes": _("Keep the notes within {limit} characters (it has {length})."),
        "reason": _("Keep the reason within {limit} characters (it has {length})."),
        "problem": _("Keep the problem within {limit} characters (it has {length})."),
        "change_reason": _("Keep the reason for the change within {limit} characters (it has {length})."),
    }.get(what)
    return words and words.format(limit=limit, length=length)


def _control(what: str) -> str | None:
    return {
        "customer": _("The customer name contains control characters; please retype it."),
        "product": _("The product contains control characters; please retype it."),
        "specification": _("The specification contains control characters; please retype it."),
        "notes": _("The notes contain control characters; please retype them."),
        "reason": _("The reason contains control characters; please retype it."),
        "problem": _("The problem contains control characters; please retype it."),
        "change_reason": _("The reason for the change contains control characters; please retype it."),
    }.get(what)


def _direction(what: str) -> str | None:
    return {
        "customer": _("The customer name contains invisible text-direction characters; please retype it."),
        "product": _("The product contains invisible text-direction characters; please retype it."),
        "specification": _(
            "The specification contains invisible text-direction characters; please retype it."
        ),
        "notes": _("The notes contain invisible text-direction characters; please retype them."),
        "reason": _("The reason contains invisible text-direction characters; please retype it."),
        "problem": _("The problem contains invisible text-direction characters; please retype it."),
        "change_reason": _(
            "The reason for the change contains invisible text-direction characters; please retype it."
        ),
    }.get(what)


def _number(code: str, what: str, data: dict) -> str | None:
    # TRANSLATORS: the examples show what the field takes; in Chinese, with a unit (250台, 10天).
    words = {
        ("not_whole_number", "quantity"): _("The quantity must be a whole number, like 250."),
        ("not_whole_number", "lead_time"): _("The production lead time must be a whole number, like 250."),
        ("wrong_unit", "quantity"): _(
            "The quantity counts pieces, so “{unit}” does not fit; type a whole number, like 250."
        ),
        ("wrong_unit", "lead_time"): _(
            "The production lead time counts days, so “{unit}” does not fit; type a whole number of "
            "days, like 10."
        ),
        ("too_small", "quantity"): _("The quantity must be at least {low}."),
        ("too_small", "lead_time"): _("The production lead time must be at least {low}."),
        ("too_large", "quantity"): _("The quantity must be at most {high}."),
        ("too_large", "lead_time"): _("The production lead time must be at most {high}."),
    }.get((code, what))
    return words and words.format(
        unit=data.get("unit", ""), low=_count(data.get("low")), high=_count(data.get("high"))
    )


def _count(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) else ""


def _date(code: str, what: str, data: dict) -> str | None:
    words = {
        ("not_picked", "requested_date"): _("Pick the requested delivery date."),
        ("not_picked", "material_date"): _("Pick the material arrival date."),
        ("not_picked", "committed_date"): _("Pick the committed delivery date."),
        ("not_picked", "delivery_date"): _("Pick the delivery date."),
        ("in_past", "delivery_date"): _("The delivery date cannot be in the past (today is {today})."),
        ("too_far", "delivery_date"): _("The delivery date is more than {years} years away; check the year."),
        ("in_past", "requested_date"): _(
            "The requested delivery date cannot be in the past (today is {today})."
        ),
        ("in_past", "material_date"): _(
            "The material arrival date cannot be in the past (today is {today})."
        ),
        ("in_past", "committed_date"): _(
            "The committed delivery date cannot be in the past (today is {today})."
        ),
        ("too_far", "requested_date"): _(
            "The requested delivery date is more than {years} years away; check the year."
        ),
        ("too_far", "material_date"): _(
            "The material arrival date is more than {years} years away; check the year."
        ),
        ("too_far", "committed_date"): _(
            "The committed delivery date is more than {years} years away; check the year."
        ),
    }.get((code, what))
    return words and words.format(today=data.get("today", ""), years=data.get("years", ""))


def input_error(error: InputError) -> str:
    """The sentence shown next to the field, in the reader's language."""
    code, what, data = error.code, error.what, error.data
    if code == "required":
        words = _required(what)
    elif code == "too_long":
        words = _too_long(what, _count(data.get("limit")), _count(data.get("length")))
    elif code == "control_characters":
        words = _control(what)
    elif code == "direction_characters":
        words = _direction(what)
    elif code in ("not_whole_number", "wrong_unit", "too_small", "too_large"):
        words = _number(code, what, data)
    elif code in ("not_picked", "in_past", "too_far"):
        words = _date(code, what, data)
    elif code == "choose_yes_no":
        words = _("Choose yes or no.")
    elif code == "not_in_catalogue":
        words = _(
            "{code} is not in the catalogue any more; pick another product or choose “Not in the catalogue”.",
            code=data.get("code", ""),
        )
    elif code == "picked_and_typed":
        words = _(
            "You picked {code} from the catalogue and also typed a product here: clear this field, "
            "or choose “Not in the catalogue”.",
            code=data.get("code", ""),
        )
    elif code == "reason_needed":
        words = (
            _("Say why the materials cannot be sourced: sales needs the reason to talk to the customer.")
            if data.get("team") == "supply"
            else _("Say why production cannot make it: sales needs the reason to talk to the customer.")
        )
    else:
        words = None
    return words or _("Check this field and try again.")


def input_errors(errors: InputErrors) -> dict[str, str]:
    """A form's errors as Slack shows them: block id → sentence."""
    return {field: input_error(error) for field, error in errors.items()}


@says("correction_after_commitment")
def correction_after_commitment(*, order: str, status: str) -> str:
    return _(
        "Sales has already promised {order} to the customer ({status}), so the answer can no longer "
        "be corrected. Raise a problem in the order's thread if something changed.",
        order=order,
        status=status_words(status),
    )


@says("correction_unanswered")
def correction_unanswered(*, order: str, team: str) -> str:
    if team == "supply":
        return _("Supply has not answered for {order} yet: answer it first.", order=order)
    return _("Production has not answered for {order} yet: answer it first.", order=order)
