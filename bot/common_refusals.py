"""The words of refusals shared by every feature: team membership, reading, registering orders."""

from __future__ import annotations

from bot.phrases import team_name
from bot.refusals import says
from bot.text import _, p_
from workflows.enums import Act


def _only_team_can(team: str, act: str) -> str:
    words = {
        Act.ANSWER: {
            "production": _("Only the production team can answer production's request."),
            "supply": _("Only the supply team can answer supply's request."),
        }.get(team),
        Act.RECORD_MATERIALS: _("Only {team} can record that materials arrived.", team=team_name(team)),
        Act.RESOLVE_PROBLEM: _("Only {team} can resolve this problem.", team=team_name(team)),
        Act.ACKNOWLEDGE_CHANGE: _("Only {team} can answer this change.", team=team_name(team)),
    }
    return words.get(act) or _("Only {team} can do this.", team=team_name(team))


@says("not_in_team")
def not_in_team(*, team: str, act: str, by_group: bool) -> str:
    if by_group:
        where = _("You are not in {team}'s Slack user group; an admin can add you.", team=team_name(team))
    else:
        where = _("You are not in the {key} list in orderloop.toml; an admin can add you.", key=team)
    # TRANSLATORS: two whole sentences one after the other (Chinese puts no space between them)
    return p_("sentences", "{first} {second}", first=_only_team_can(team, act), second=where)


@says("not_sales")
def not_sales(*, act: str) -> str:
    words = {
        Act.COMMIT: _("Only the order's salesperson or the sales team can commit a delivery date."),
        Act.REVISE: _("Only the order's salesperson or the sales team can revise the order."),
        Act.CANCEL: _("Only the order's salesperson or the sales team can cancel the order."),
        Act.RECORD_DELIVERY: _("Only the order's salesperson or the sales team can record the delivery."),
        Act.CHANGE_ORDER: _("Only the order's salesperson or the sales team can change a committed order."),
    }
    return words.get(act) or _("Only the order's salesperson or the sales team can do this.")


@says("cannot_register")
def cannot_register() -> str:
    return _("Only the sales team (or a manager) can register custom orders.")


@says("cannot_read")
def cannot_read() -> str:
    return _(
        "Orders, plans and KPIs are shown only to the sales, production, supply and managers teams. "
        "To get access, ask an admin to add you to one of those teams, or to `teams.viewers` in "
        "orderloop.toml to read without acting."
    )


@says("form_not_opened")
def form_not_opened() -> str:
    return _("This form was not opened by OrderLoop, or is too old; close it and start again.")


@says("form_not_yours")
def form_not_yours() -> str:
    return _("This form was opened for someone else; close it and open your own.")


@says("form_out_of_date")
def form_out_of_date() -> str:
    return _("This form is out of date; close it and start again.")
