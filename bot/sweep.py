"""The one mechanism for time: do everything that is due at `now`, once, then deliver."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from bot import forms
from bot.after_commit.listeners import FORMS
from bot.orders.views import SUBMISSIONS
from bot.services import Services
from storage import events, views
from workflows import due
from workflows.context import Context
from workflows.enums import TEAMS
from workflows.permissions import team_members

log = logging.getLogger(__name__)

# the forms saved before their ack and applied after it (bot.forms, Submission.after_ack)
AFTER_ACK = tuple(s for s in (*SUBMISSIONS, *FORMS) if s.after_ack)


@dataclass(frozen=True)
class SweepResult:
    outcomes: list[str] = field(default_factory=list)
    delivered: int = 0


def run_due(svc: Services, now: datetime) -> SweepResult:
    """Apply forms saved but not applied yet, act on due reminders and escalations (exactly
    once), then deliver queued messages."""
    applied = forms.apply_pending(svc, AFTER_ACK)
    ctx = Context(config=svc.config, directory=svc.directory, now=now)
    with svc.session(settle_groups=False) as session:  # an idle tick asks Slack nothing
        due.plan_recurring(session, ctx)
        events.forget_old(session, now=now)
        views.forget_old(session, now=now)
        anything_due = due.anything_due(session, now)
    # Resolve user groups before the transaction (no Slack call while holding the write lock),
    # and only when something is due: an idle cron tick costs no Slack call.
    members = {team: team_members(svc.config, svc.directory, team) for team in TEAMS} if anything_due else {}
    outcomes: list[str] = [f"applied {applied} saved form(s)"] if applied else []
    unreadable = svc.directory.unknown(svc.group_ids()) if anything_due else []
    if unreadable:
        # Acting now would send reminders and digests to nobody in those teams, and mark them
        # done: wait for Slack instead (the next sweep tries again). Delivery still goes on.
        log.error(
            "cannot read the members of user group(s) %s from Slack (see the error above); reminders, "
            "escalations and digests wait for the next sweep",
            ", ".join(unreadable),
        )
        outcomes.append(f"waiting: members of {', '.join(unreadable)} could not be read from Slack")
        anything_due = False
    while anything_due:
        with svc.session() as session:
            batch = due.run_due(session, ctx, team_members=members)
        outcomes += batch
        if not batch:
            break
    for line in outcomes:
        log.info("due: %s", line)
    return SweepResult(outcomes=outcomes, delivered=svc.deliverer.deliver(now=now))
