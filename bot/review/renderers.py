"""Renderers for the review's queued messages (see bot/render.py), built from the state at delivery."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.messages import NothingToRender, renders
from bot.mrkdwn import mention_all
from bot.review import blocks as rb
from bot.review import followups
from storage import review_repo
from storage.review_models import FollowUpStatus
from workflows import review
from workflows.config import Config
from workflows.enums import MessageKind as K
from workflows.review_schedule import review_moment


@renders(K.REVIEW_AGENDA)
def _agenda(session: Session, params: dict, config: Config, now: datetime) -> dict:
    return rb.agenda_message(review.agenda(session, config, params["month"], now))


@renders(K.REVIEW_MINUTES)
def _minutes(session: Session, params: dict, config: Config, now: datetime) -> dict:
    month = params["month"]
    plan = review_repo.plan(session, month)
    if plan is None:
        raise NothingToRender(f"review plan {month}")
    return rb.minutes_message(plan, review.agenda(session, config, month, now))


def _still_missing(session: Session, params: dict, teams: list[str]) -> list[str]:
    """Only the teams that have still not submitted when the reminder goes out."""
    missing = set(review.missing_departments(session, params["month"]))
    still = [team for team in teams if team in missing]
    if not still:
        raise NothingToRender(f"review reminder {params['month']}: everyone submitted meanwhile")
    return still


@renders(K.REVIEW_REMINDER)
def _reminder(session: Session, params: dict, config: Config, now: datetime) -> dict:
    teams = _still_missing(session, params, list(params.get("teams") or []))
    mentions = mention_all([member for team in teams for member in getattr(config.teams, team)])
    month = params["month"]
    return rb.reminder_message(teams, mentions, month, review_moment(config, month))


@renders(K.REVIEW_REMINDER_DM)
def _reminder_dm(session: Session, params: dict, config: Config, now: datetime) -> dict:
    team = _still_missing(session, params, [params["team"]])[0]
    return rb.reminder_dm(team, params["month"], review_moment(config, params["month"]))


def _followup(session: Session, params: dict):  # noqa: ANN202
    followup = review_repo.get_followup(session, params.get("followup_id"))
    if followup is None:
        raise NothingToRender(f"follow-up {params.get('followup_id')}")
    return followup


def _today(config: Config, now: datetime):  # noqa: ANN202
    return now.astimezone(config.tz).date()


@renders(K.FOLLOWUP)
def _followup_message(session: Session, params: dict, config: Config, now: datetime) -> dict:
    return followups.followup_message(_followup(session, params), _today(config, now))


@renders(K.FOLLOWUP_REMINDER)
def _followup_reminder(session: Session, params: dict, config: Config, now: datetime) -> dict:
    found = _followup(session, params)
    if found.status != FollowUpStatus.OPEN:
        raise NothingToRender(f"follow-up {found.id} was done meanwhile")
    return followups.reminder_dm(found)


@renders(K.FOLLOWUP_ESCALATION)
def _followup_escalation(session: Session, params: dict, config: Config, now: datetime) -> dict:
    found = _followup(session, params)
    if found.status != FollowUpStatus.OPEN:
        raise NothingToRender(f"follow-up {found.id} was done meanwhile")
    return followups.escalation_message(found, list(config.teams.managers))


@renders(K.FOLLOWUP_ESCALATION_DM)
def _followup_escalation_dm(session: Session, params: dict, config: Config, now: datetime) -> dict:
    found = _followup(session, params)
    if found.status != FollowUpStatus.OPEN:
        raise NothingToRender(f"follow-up {found.id} was done meanwhile")
    return followups.escalation_dm(found)
