"""The words of the after-commitment refusals and form errors (see bot/refusals.py).

Each (code, act/status/team) has its whole sentence in the catalog: no sentence is glued from
translated fragments. "order_gone" (the order was deleted meanwhile) is shared with the order
loop and worded once, in bot/orders/refusals.py.
"""

from __future__ import annotations

from bot.orders.refusals import input_error
from bot.refusals import says
from bot.text import _
from storage.models import OrderStatus
from workflows.after_commit import RAISE_PROBLEM
from workflows.enums import Act
from workflows.inputs import InputError


@says("which_order_to_edit")
def which_order_to_edit() -> str:
    return _("Which order? For example `/order edit CO-0042`; `/order list` shows the open ones.")


@says("no_such_order_to_edit")
def no_such_order_to_edit(*, text: str) -> str:
    return _("I can't find an order `{text}`. Order numbers look like `CO-0042`.", text=text)


@says("not_committed_yet")
def not_committed_yet(*, order: str, act: str) -> str:
    if act == Act.RECORD_MATERIALS:
        return _(
            "{order} has no committed delivery date, so you cannot record the materials' arrival yet.",
            order=order,
        )
    if act == Act.RECORD_DELIVERY:
        return _(
            "{order} has no committed delivery date, so you cannot record its delivery yet.", order=order
        )
    if act == RAISE_PROBLEM:
        return _(
            "{order} has no committed delivery date, so you cannot raise a problem here yet.", order=order
        )
    return _("{order} has no committed delivery date yet.", order=order)


@says("delivered_no_materials")
def delivered_no_materials(*, order: str) -> str:
    return _("{order} is already delivered; its materials' arrival can no longer be recorded.", order=order)


@says("materials_already_recorded")
def materials_already_recorded(*, user: str, order: str, arrived: str, at: str | None) -> str:
    if at:
        return _(
            "<@{user}> already recorded that the materials for {order} arrived on {arrived} on {at}.",
            user=user,
            order=order,
            arrived=arrived,
            at=at,
        )
    return _(
        "<@{user}> already recorded that the materials for {order} arrived on {arrived}.",
        user=user,
        order=order,
        arrived=arrived,
    )


@says("already_delivered")
def already_delivered(*, user: str, order: str, delivered: str, at: str | None) -> str:
    if at:
        return _(
            "<@{user}> already recorded {order} as delivered on {delivered} on {at}.",
            user=user,
            order=order,
            delivered=delivered,
            at=at,
        )
    return _(
        "<@{user}> already recorded {order} as delivered on {delivered}.",
        user=user,
        order=order,
        delivered=delivered,
    )


@says("cannot_raise_problem")
def cannot_raise_problem() -> str:
    return _("Only the sales, production and supply teams can raise a problem on an order.")


@says("choose_team")
def choose_team() -> str:
    return _("Choose the team that must act.")


@says("problem_gone")
def problem_gone() -> str:
    return _("That problem no longer exists.")


@says("problem_already_resolved")
def problem_already_resolved(*, user: str, at: str) -> str:
    return _("<@{user}> already resolved this problem on {at}.", user=user, at=at)


# -- changes -----------------------------------------------------------------------------------


@says("delivered_cannot_change")
def delivered_cannot_change(*, order: str, delivered: str) -> str:
    return _(
        "{order} was delivered on {delivered}; it can no longer be changed.", order=order, delivered=delivered
    )


@says("not_committed_cannot_change")
def not_committed_cannot_change(*, order: str, status: str) -> str:
    words = {
        OrderStatus.AWAITING_CONFIRMATION: _(
            "{order} is waiting for production and supply, not committed. Before commitment, change it "
            "with *Revise order* in its thread (both teams are asked again).",
            order=order,
        ),
        OrderStatus.AWAITING_COMMITMENT: _(
            "{order} is waiting for sales to commit a date, not committed. Before commitment, change it "
            "with *Revise order* in its thread (both teams are asked again).",
            order=order,
        ),
        OrderStatus.DECLINED: _(
            "{order} is declined, not committed. Before commitment, change it "
            "with *Revise order* in its thread (both teams are asked again).",
            order=order,
        ),
        OrderStatus.CANCELLED: _(
            "{order} is cancelled, not committed; it can no longer be changed.", order=order
        ),
    }
    return words.get(status) or _("{order} is not committed, so it cannot be changed here.", order=order)


@says("change_pending")
def change_pending(*, order: str, teams: tuple[str, ...], user: str, at: str) -> str:
    data = {"order": order, "user": user, "at": at}
    if set(teams) == {"production"}:
        return _(
            "{order} already has a change waiting for production's answer (asked by <@{user}> "
            "on {at}). Once it is settled you can change the order again.",
            **data,
        )
    if set(teams) == {"supply"}:
        return _(
            "{order} already has a change waiting for supply's answer (asked by <@{user}> "
            "on {at}). Once it is settled you can change the order again.",
            **data,
        )
    return _(
        "{order} already has a change waiting for production's and supply's answers (asked by "
        "<@{user}> on {at}). Once it is settled you can change the order again.",
        **data,
    )


@says("change_returned_pending")
def change_returned_pending(*, order: str) -> str:
    return _(
        "{order} has a change that came back to sales: revise it or withdraw it in the thread first.",
        order=order,
    )


@says("change_awaits_manager")
def change_awaits_manager(*, order: str) -> str:
    return _(
        "{order} has a change waiting for a manager's decision; once it is decided you can change the "
        "order again.",
        order=order,
    )


@says("change_not_returned")
def change_not_returned(*, order: str) -> str:
    return _(
        "This change to {order} is no longer waiting for sales; nothing to revise or withdraw.", order=order
    )


@says("change_not_asked")
def change_not_asked(*, order: str) -> str:
    return _("This change to {order} is no longer waiting for answers; nothing to answer.", order=order)


@says("change_already_answered")
def change_already_answered(*, user: str, team: str, at: str) -> str:
    if team == "production":
        return _("<@{user}> already answered this change for production on {at}.", user=user, at=at)
    if team == "supply":
        return _("<@{user}> already answered this change for supply on {at}.", user=user, at=at)
    return _("<@{user}> already answered this change on {at}.", user=user, at=at)


@says("nothing_to_change")
def nothing_to_change() -> str:
    return _("Nothing to change: the quantity and delivery date are the ones already committed.")


@says("change_gone")
def change_gone() -> str:
    return _("That change no longer exists.")


@says("change_already_acknowledged")
def change_already_acknowledged(*, user: str, team: str, at: str) -> str:
    if team == "production":
        return _("<@{user}> already answered this change for production on {at}.", user=user, at=at)
    if team == "supply":
        return _("<@{user}> already answered this change for supply on {at}.", user=user, at=at)
    return _("<@{user}> already answered this change on {at}.", user=user, at=at)


# -- form errors: (code, data) from workflows.after_commit's inputs, worded per field ---------------


def field_error(field: str, error: object) -> str:
    """The sentence shown next to `field`: an InputError of workflows/inputs.py's shared helpers
    is worded like every form's (bot/orders/refusals.py); this feature's dates and team choice
    are `(code, data)`."""
    if isinstance(error, InputError):
        if error.code == "choose_origin":
            return _("Choose who asked for the change: the customer or internal.")
        return input_error(error)
    code, data = error
    arrival = field == "arrived_date"
    if code == "date_missing":
        return _("Pick the arrival date.") if arrival else _("Pick the delivery date.")
    if code == "date_in_future":
        if arrival:
            return _("The arrival date cannot be in the future (today is {today}).", **data)
        return _("The delivery date cannot be in the future (today is {today}).", **data)
    if code == "date_too_old":
        if arrival:
            return _("The arrival date is more than a year ago; check the year.")
        return _("The delivery date is more than a year ago; check the year.")
    if code == "choose_team":
        return choose_team()
    return _("Check this field.")


def field_errors(errors: dict) -> dict[str, str]:
    return {field: field_error(field, error) for field, error in errors.items()}
