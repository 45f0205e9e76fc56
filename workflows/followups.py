"""Follow-ups from the monthly review: each with one owner, a due day and a text, chased until done.

Approving the plan creates them (prefilled from the plan, or as a manager edited them in the
approval form), posts each in the agenda's thread, and schedules a reminder to the owner on the
last working day before the due day and an escalation to managers on the first working day after
it (the due-item mechanism, on the working calendar when one is configured). Only the owner or a
manager marks one done, once.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from sqlmodel import Session

from storage import due as due_items
from storage import review_repo
from storage.models import DueItem
from storage.review_models import FollowUp, FollowUpStatus, ReviewSubmission
from workflows import notices
from workflows.clock import working_calendar
from workflows.config import Config
from workflows.context import Context
from workflows.enums import DEPARTMENTS, MessageKind
from workflows.permissions import Refusal, is_member
from workflows.review_inputs import Problem, character_problem
from workflows.review_plan import PlanRow

REMIND = "followup.remind"
ESCALATE = "followup.escalate"
KINDS = ("shortfall", "materials", "capacity", "other")
KIND_TEAM = {"shortfall": "sales", "materials": "supply", "capacity": "production"}
DEFAULT_WORKING_DAYS = 5  # a prefilled follow-up is due this many working days after the approval
MAX_TEXT = 500


@dataclass(frozen=True)
class Draft:
    """A follow-up before it is saved. `text` empty: the bot words `kind` with product and quantity."""

    kind: str
    product: str
    team: str
    owner: str | None
    due_on: date | None
    quantity: int | None = None
    text: str = ""


def stream(month: str) -> str:
    return f"review:{month}"


def message_key(followup: FollowUp) -> str:
    return f"review:{followup.month}:followup:{followup.id}"


# -- the working calendar ----------------------------------------------------------------------


def _working(config: Config, day: date) -> bool:
    calendar = working_calendar(config)
    return calendar.is_working_day(day) if calendar is not None else True


def add_working_days(config: Config, day: date, count: int) -> date:
    for _ in range(3660):
        if count <= 0 and _working(config, day):
            return day
        day += timedelta(days=1)
        if _working(config, day):
            count -= 1
    raise ValueError("the working calendar has no working day in the next ten years")


def _at_morning(config: Config, day: date) -> datetime:
    hour = time.fromisoformat(config.schedule.digest_time)
    return datetime.combine(day, hour, config.tz)


def reminder_moment(config: Config, due_on: date) -> datetime:
    """The morning of the last working day before the due day."""
    day = due_on - timedelta(days=1)
    while not _working(config, day):
        day -= timedelta(days=1)
    return _at_morning(config, day)


def escalation_moment(config: Config, due_on: date) -> datetime:
    """The morning of the first working day after the due day."""
    day = due_on + timedelta(days=1)
    while not _working(config, day):
        day += timedelta(days=1)
    return _at_morning(config, day)


# -- what the approval proposes ----------------------------------------------------------------


def _person(ids: list[str]) -> str | None:
    return next((i for i in ids if i[:1] in ("U", "W")), None)


def default_owner(config: Config, team: str, submissions: dict[str, ReviewSubmission]) -> str | None:
    """Who answered for the team in this review (its submitter), else its first listed person."""
    submission = submissions.get(team)
    if submission is not None:
        return submission.submitted_by
    return _person(list(getattr(config.teams, team)))


def proposed(session: Session, ctx: Context, month: str, rows: list[PlanRow]) -> list[Draft]:
    """The follow-ups the plan calls for: for each shortfall, sales follows up with key customers
    on the quantity short; for each material target, supply secures the materials; for each
    capacity target, production reserves the capacity."""
    submissions = review_repo.current_submissions(session, month)
    due = add_working_days(ctx.config, ctx.today, DEFAULT_WORKING_DAYS)
    drafts = []
    for row in rows:
        wanted = (
            ("shortfall", row.shortfall),
            ("materials", row.material_target),
            ("capacity", row.capacity_target),
        )
        for kind, quantity in wanted:
            if quantity:
                team = KIND_TEAM[kind]
                owner = default_owner(ctx.config, team, submissions)
                drafts.append(Draft(kind, row.product, team, owner, due, quantity))
    return drafts


def refreshed(drafts: list[Draft], rows: list[PlanRow]) -> list[Draft]:
    """Prefilled follow-ups whose words were kept take their quantity from the plan as approved
    (a manager who agreed 950 instead of 900 leaves 50 short, not 100); one whose quantity is
    gone (no shortfall any more) is dropped. Follow-ups with their own text stay as written."""
    by_product = {row.product: row for row in rows}
    kept = []
    for draft in drafts:
        row = by_product.get(draft.product)
        if draft.text or draft.kind not in KIND_TEAM or row is None:
            kept.append(draft)
            continue
        quantity = {
            "shortfall": row.shortfall,
            "materials": row.material_target,
            "capacity": row.capacity_target,
        }[draft.kind]
        if quantity:
            kept.append(replace(draft, quantity=quantity))
    return kept


def problems(ctx: Context, drafts: list[Draft | None]) -> dict[int, dict[str, Problem]]:
    """Inline errors per draft (by its index) and field ("text", "owner", "due"); None = dropped."""
    found: dict[int, dict[str, Problem]] = {}
    for index, draft in enumerate(drafts):
        if draft is None:
            continue
        errors: dict[str, Problem] = {}
        if not draft.owner:
            errors["owner"] = Problem("followup_no_owner")
        if draft.due_on is None:
            errors["due"] = Problem("followup_no_due")
        elif draft.due_on < ctx.today:
            errors["due"] = Problem("followup_due_past", {"today": ctx.today.isoformat()})
        if len(draft.text) > MAX_TEXT:
            errors["text"] = Problem("followup_text_too_long", {"limit": MAX_TEXT, "length": len(draft.text)})
        elif problem := character_problem(draft.text):
            errors["text"] = Problem(problem, {"field": "followup", "product": None})
        if errors:
            found[index] = errors
    return found


def team_of(ctx: Context, owner: str, suggested: str) -> str:
    """The owner's department for the follow-up: the suggested one if they are in it."""
    if is_member(ctx.config, ctx.directory, owner, suggested):
        return suggested
    for team in (*DEPARTMENTS, "managers"):
        if is_member(ctx.config, ctx.directory, owner, team):
            return team
    return suggested


# -- creating them ---------------------------------------------------------------------------------


def create(session: Session, ctx: Context, *, month: str, actor: str, drafts: list[Draft]) -> list[FollowUp]:
    """Store the approval's follow-ups, post each in the agenda's thread, schedule its chase.
    The caller checked them (`problems`); a draft without owner or due day here is a bug."""
    made = []
    for draft in drafts:
        if not draft.owner or draft.due_on is None:
            raise ValueError("a follow-up needs an owner and a due day")
        team = team_of(ctx, draft.owner, draft.team)
        followup = FollowUp(
            month=month,
            product=draft.product,
            kind=draft.kind if draft.kind in KINDS else "other",
            quantity=draft.quantity,
            owner=draft.owner,
            team=team,
            due_on=draft.due_on,
            text=draft.text.strip(),
            created_by=actor,
            created_at=ctx.now,
        )
        review_repo.add_followup(session, followup)
        made.append(followup)
        notices.enqueue(
            session,
            stream=stream(month),
            op="post",
            thread_key=f"review:{month}:agenda",
            target_key=message_key(followup),
            kind=MessageKind.FOLLOWUP,
            params={"followup_id": followup.id},
            now=ctx.now,
        )
        remind_at = reminder_moment(ctx.config, followup.due_on)
        if remind_at > ctx.now:
            due_items.schedule(
                session,
                key=f"followup:{followup.id}:remind",
                kind=REMIND,
                due_at=remind_at,
                ref_id=followup.id,
            )
        due_items.schedule(
            session,
            key=f"followup:{followup.id}:escalate",
            kind=ESCALATE,
            due_at=escalation_moment(ctx.config, followup.due_on),
            ref_id=followup.id,
        )
    return made


def with_owner(draft: Draft, owner: str | None) -> Draft:
    return replace(draft, owner=owner)


# -- done ---------------------------------------------------------------------------------------


def mark_done(session: Session, ctx: Context, *, actor: str, followup_id: int) -> bool:
    """Record that the follow-up is done; False when it already was (a second click changes nothing).
    Only its owner or a manager may; the decision is taken under the row's lock."""
    followup = review_repo.get_followup(session, followup_id, for_update=True)
    if followup is None:
        raise Refusal("followup_gone")
    if actor != followup.owner and not is_member(ctx.config, ctx.directory, actor, "managers"):
        raise Refusal("followup_not_yours", owner=followup.owner)
    if followup.status == FollowUpStatus.DONE:
        return False
    followup.status, followup.done_by, followup.done_at = FollowUpStatus.DONE, actor, ctx.now
    session.add(followup)
    session.flush()
    notices.enqueue(
        session,
        stream=stream(followup.month),
        op="update",
        target_key=message_key(followup),
        kind=MessageKind.FOLLOWUP,
        params={"followup_id": followup.id},
        now=ctx.now,
    )
    return True


# -- the chase ------------------------------------------------------------------------------------


def _open(session: Session, item: DueItem) -> tuple[FollowUp | None, str]:
    followup = review_repo.get_followup(session, item.ref_id)
    if followup is None:
        return None, "skipped: follow-up gone"
    if followup.status != FollowUpStatus.OPEN:
        return None, "skipped: done"
    return followup, ""


def _remind(session: Session, ctx: Context, item: DueItem, team_members: dict[str, set[str]]) -> str:
    followup, skipped = _open(session, item)
    if followup is None:
        return skipped
    notices.direct(
        session,
        followup.owner,
        MessageKind.FOLLOWUP_REMINDER,
        ctx.now,
        key=f"dm:{followup.owner}:followup:{followup.id}:reminder",
        followup_id=followup.id,
    )
    return f"sent: reminder to {followup.owner}"


def _escalate(session: Session, ctx: Context, item: DueItem, team_members: dict[str, set[str]]) -> str:
    followup, skipped = _open(session, item)
    if followup is None:
        return skipped
    notices.enqueue(
        session,
        stream=stream(followup.month),
        op="post",
        thread_key=f"review:{followup.month}:agenda",
        target_key=f"review:{followup.month}:followup:{followup.id}:escalation",
        kind=MessageKind.FOLLOWUP_ESCALATION,
        params={"followup_id": followup.id},
        now=ctx.now,
    )
    sent = 0
    for user in sorted(team_members.get("managers", set())):
        notices.direct(
            session,
            user,
            MessageKind.FOLLOWUP_ESCALATION_DM,
            ctx.now,
            key=f"dm:{user}:followup:{followup.id}:escalation",
            followup_id=followup.id,
        )
        sent += 1
    return f"sent: escalated to managers in the thread and {sent} direct message(s)"


HANDLERS = {REMIND: _remind, ESCALATE: _escalate}
