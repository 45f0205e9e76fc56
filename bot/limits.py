"""Whether the forms and messages that grow with the configuration fit in Slack.

The answer comes from building them: the builders are the one rule of what they contain, so a
change to a form changes its maximum here too. Checked at start-up (bot/settings.py), so a list
too long fails there with one line, not later as a click that silently does nothing.
"""

from __future__ import annotations

from collections.abc import Callable

from bot.mrkdwn import mention_all
from bot.review import blocks as review
from workflows.config import Config
from workflows.enums import TEAMS
from workflows.review import DEPARTMENTS
from workflows.review_inputs import form_fields
from workflows.review_plan import PlanRow

MAX_VIEW_BLOCKS = 100
# Mentions of one team: a message naming two teams keeps 2,000 of a section's 3,000 characters.
MAX_TEAM_MENTIONS = 500
_MONTH = "2026-01"


def _review_forms(products: list[str]) -> dict[str, dict | None]:
    """Every form a configured product list shapes; None when a team's form cannot hold it."""
    rows = [PlanRow(p, None, None, None, False) for p in products]
    forms: dict[str, dict | None] = {"the Adjust plan form": review.adjust_modal(_MONTH, rows)}
    for team in DEPARTMENTS:
        fits = form_fields(team, len(products)) is not None
        form = review.submit_modal(team, _MONTH, products, "Mon 05 Jan", None) if fits else None
        forms[f"the {team} submission form"] = form
    return forms


def _too_big(products: list[str]) -> str | None:
    for name, view in _review_forms(products).items():
        if view is None or len(view["blocks"]) > MAX_VIEW_BLOCKS:
            return name
    return None


def max_core_products(fits: Callable[[list[str]], str | None] = _too_big) -> int:
    """The longest product list every review form holds (names at their longest: 60 characters)."""
    count = 0
    while count < 1000 and fits(["P" * 60] * (count + 1)) is None:
        count += 1
    return count


def config_problem(config: Config) -> str | None:
    """One line naming the setting whose value Slack could not show, or None."""
    products = list(config.review.core_products)
    if products and (form := _too_big(products)):
        return (
            f"review.core_products: {len(products)} products do not fit in {form} (Slack allows "
            f"{MAX_VIEW_BLOCKS} blocks a form); list at most {max_core_products()}"
        )
    for team in TEAMS:
        members = getattr(config.teams, team)
        if len(mention_all(members)) > MAX_TEAM_MENTIONS:
            return (
                f"teams.{team}: {len(members)} members are too many to mention in one message; "
                "use a Slack user group (S…) for the team instead"
            )
    return None
