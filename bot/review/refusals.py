"""The words of the review refusals and of its forms' inline errors (see bot/refusals.py)."""

from __future__ import annotations

from bot.mrkdwn import mention, month, number
from bot.phrases import team_name
from bot.refusals import says
from bot.review.blocks import both, department, either, field_label, listing, missing_input
from bot.text import _, n_, p_
from workflows.review_inputs import NOTE_BLOCK, Problem


@says("review_not_a_department")
def not_a_department() -> str:
    return _(
        "Only sales, production and supply submit numbers for the demand review, and you are not listed "
        "in any of them in orderloop.toml. Managers approve the plan after the meeting."
    )


@says("review_not_that_department")
def not_that_department(*, teams: list[str], asked: str) -> str:
    return _("You can submit for {teams}, not for {asked}.", teams=either(teams), asked=asked)


@says("review_several_departments")
def several_departments(*, teams: list[str]) -> str:
    return _("You are in {teams}: say which, e.g. `/review submit {team}`.", teams=both(teams), team=teams[0])


@says("review_not_in_department")
def not_in_department(*, team: str) -> str:
    return _("Only {team} can submit its numbers.", team=team_name(team))


@says("review_plan_approved_no_numbers")
def plan_approved_no_numbers(*, month: str) -> str:
    return _("The plan for {month} is already approved; numbers can no longer change.", month=_month(month))


@says("review_not_the_coming_review")
def not_the_coming_review(*, upcoming: str, month: str) -> str:
    return _(
        "Numbers can only be submitted for the coming review, which plans {upcoming}, not {month}. "
        "Close this form and run `/review submit` again.",
        upcoming=_month(upcoming),
        month=_month(month),
    )


@says("review_not_a_participant")
def not_a_participant() -> str:
    return _("Only sales, production, supply and managers take part in the demand review.")


@says("review_no_agenda_to_attend")
def no_agenda_to_attend(*, month: str) -> str:
    return _(
        "The review of {month} has no agenda posted, so there is nothing to attend yet. Press *I'm "
        "attending* on the agenda once it is posted in the review channel.",
        month=_month(month),
    )


@says("review_not_a_manager")
def not_a_manager() -> str:
    return _("Only managers can approve the demand plan.")


@says("review_plan_already_approved")
def plan_already_approved(*, month: str, by: str) -> str:
    return _(
        "The plan for {month} was already approved by {person}.", month=_month(month), person=mention(by)
    )


@says("review_not_started")
def not_started(*, month: str) -> str:
    return _("The review of {month} has not started yet (no agenda posted).", month=_month(month))


@says("review_departments_absent")
def departments_absent(*, teams: list[str]) -> str:
    return _(
        "Nobody from {teams} confirmed attendance. All three departments must be at the review before "
        "its plan is approved.",
        teams=listing(department(t) for t in teams),
    )


@says("review_products_changed")
def products_changed(*, form: str) -> str:
    if form == "submit":
        return _("The list of core products changed; close this form and run `/review submit` again.")
    if form == "adjust_form":
        return _("The list of core products changed; close this form and open Adjust plan again.")
    return _("The list of core products changed; open Adjust plan again.")


@says("review_draft_incomplete")
def draft_incomplete(*, rows: list[list]) -> str:
    lacking = [
        _("{product}: {missing}", product=product, missing=listing(missing_input(k) for k in keys))
        for product, keys in rows
    ]
    return _(
        "The draft is incomplete ({rows}). Use *Adjust plan* to enter the agreed quantities, or wait for "
        "the missing submissions.",
        # TRANSLATORS: between the incomplete rows of a plan, e.g. "GBX-100: …; MTR-7: …".
        rows=p_("rows separator", "; ").join(lacking),
    )


@says("review_above_plan_needs_reason")
def above_plan_needs_reason(*, rows: list[list], more: int = 0) -> str:
    above = [_above(product, name, by) for product, name, by in rows]
    if more:
        above.append(n_("{n} more", "{n} more", more))
    return _(
        "An agreed quantity above what can be made or secured needs a reason ({rows}). Say why in "
        "*Why it was adjusted*, or lower the quantity.",
        rows=p_("rows separator", "; ").join(above),
    )


def _above(product: str, name: str, by: int) -> str:
    if name == "materials":
        return _("{product} is above materials by {n}", product=product, n=number(by))
    return _("{product} is above capacity by {n}", product=product, n=number(by))


@says("followup_gone")
def followup_gone() -> str:
    return _("That follow-up no longer exists.")


@says("followup_not_yours")
def followup_not_yours(*, owner: str) -> str:
    return _("Only {owner}, who owns this follow-up, or a manager can mark it done.", owner=mention(owner))


@says("followup_invalid")
def followup_invalid() -> str:
    return _("A follow-up needs an owner and a due date that is not in the past.")


@says("review_stale_form")
def stale_form() -> str:
    return _("That button or form is not valid any more.")


@says("review_no_core_products")
def no_core_products() -> str:
    return _("No core products are configured (`[review] core_products` in orderloop.toml).")


@says("review_too_many_products")
def too_many_products(*, count: int) -> str:
    return n_(
        "{n} core product does not fit in one Slack form; ask an admin to shorten the list.",
        "{n} core products do not fit in one Slack form; ask an admin to shorten the list.",
        count,
    )


def _month(key: str) -> str:
    return month(key)


# -- the forms' inline errors (workflows.review_inputs.Problem) ------------------------------------


def problem(found: Problem) -> str:
    """The sentence shown next to a field of a review form."""
    data = found.data
    key, product = data.get("field"), data.get("product")
    if found.code == "achievable_above_maximum":
        return _(
            "The achievable quantity for {product} cannot exceed its maximum capacity ({maximum}).",
            product=product,
            maximum=number(data["maximum"]),
        )
    if key == NOTE_BLOCK and product is None:  # the form's one note
        note = {
            "text_too_long": lambda: _(
                "Keep the note within {limit} characters (it has {length}).",
                limit=number(data["limit"]),
                length=number(data["length"]),
            ),
            "control_characters": lambda: _("The note contains control characters; please retype it."),
            "direction_characters": lambda: _(
                "The note contains invisible text-direction characters; please retype it."
            ),
        }
        return note[found.code]()
    values = {"field": field_label(key), "product": product}
    words = {
        "field_missing": lambda: _("Enter the {field} for {product}.", **values),
        "not_whole_number": lambda: _(
            "The {field} for {product} must be a whole number, like 900.", **values
        ),
        "number_too_big": lambda: _(
            "The {field} for {product} must be at most {high}.", high=number(data["high"]), **values
        ),
        "text_too_long": lambda: _(
            "Keep the {field} for {product} within {limit} characters (it has {length}).",
            limit=number(data["limit"]),
            length=number(data["length"]),
            **values,
        ),
        "control_characters": lambda: _(
            "The {field} for {product} contains control characters; please retype it.", **values
        ),
        "direction_characters": lambda: _(
            "The {field} for {product} contains invisible text-direction characters; please retype it.",
            **values,
        ),
    }
    return words[found.code]()


def problems(errors: dict[str, Problem]) -> dict[str, str]:
    """Every inline error of a form, worded, by block id."""
    return {where: problem(found) for where, found in errors.items()}
