"""Words many messages share: the teams' names and the confirmation window."""

from __future__ import annotations

from bot.text import n_, p_
from workflows.config import Config


def team_name(team: str) -> str:
    """A team as a sentence names it ("the production team")."""
    names = {
        "sales": p_("team", "the sales team"),
        "production": p_("team", "the production team"),
        "supply": p_("team", "the supply team"),
        "managers": p_("team", "the managers"),
    }
    return names.get(team, team)


def team_label(team: str) -> str:
    """A team as a label or a button names it ("Production")."""
    labels = {
        "sales": p_("team label", "Sales"),
        "production": p_("team label", "Production"),
        "supply": p_("team label", "Supply"),
        "managers": p_("team label", "Managers"),
    }
    return labels.get(team, team)


def confirm_window(config: Config) -> str:
    """The confirmation window as messages name it: "24 working hours" when the clock counts only
    working hours, "24 hours" otherwise."""
    hours = config.sla.confirm_within_hours
    shown = int(hours) if float(hours).is_integer() else hours
    if config.sla.working_hours:
        return n_("{n} working hour", "{n} working hours", shown)
    return n_("{n} hour", "{n} hours", shown)


def order_status(status: str) -> str:
    """An order's status as a list or a detail line names it ("awaiting confirmation")."""
    words = {
        "awaiting_confirmation": p_("order status", "awaiting confirmation"),
        "awaiting_commitment": p_("order status", "awaiting commitment"),
        "declined": p_("order status", "declined"),
        "committed": p_("order status", "committed"),
        "delivered": p_("order status", "delivered"),
        "cancelled": p_("order status", "cancelled"),
    }
    return words.get(status, status)
