"""What people do in the monthly demand review: submit numbers, confirm attendance, approve the plan.

Each function changes state and queues the messages it causes (agenda edits, minutes) in the
same transaction; refusals are codes with the data bot/review/refusals.py words.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from storage import review_repo
from storage.review_models import ReviewAttendance, ReviewPlan, ReviewSubmission
from workflows import followups, notices
from workflows.context import Context
from workflows.enums import MessageKind
from workflows.permissions import Refusal, is_member
from workflows.review import DEPARTMENTS, PARTICIPANTS, agenda_key, draft_rows, stream
from workflows.review_plan import PlanRow, adjusted_row
from workflows.review_schedule import next_month_key, review_in_window


def departments_of(ctx: Context, user: str) -> list[str]:
    return [team for team in DEPARTMENTS if is_member(ctx.config, ctx.directory, user, team)]


def upcoming_month(session: Session, ctx: Context) -> str:
    """The plan month submissions go to: the coming (or running) review, unless already approved."""
    month = review_in_window(ctx.config, ctx.now)
    return next_month_key(month) if review_repo.plan(session, month) else month


def submission_team(ctx: Context, user: str, asked: str | None) -> str:
    """Which department's form `user` opens: theirs, or the one they name if they are in several."""
    mine = departments_of(ctx, user)
    if not mine:
        raise Refusal("review_not_a_department")
    if asked:
        if asked not in mine:
            raise Refusal("review_not_that_department", teams=mine, asked=asked[:20])
        return asked
    if len(mine) > 1:
        raise Refusal("review_several_departments", teams=mine)
    return mine[0]


def check_can_submit(session: Session, ctx: Context, *, actor: str, team: str, month: str) -> None:
    if team not in departments_of(ctx, actor):
        raise Refusal("review_not_in_department", team=team)
    approved = review_repo.plan(session, month)
    if approved is not None:
        raise Refusal("review_plan_approved_no_numbers", month=month)
    upcoming = upcoming_month(session, ctx)
    if month != upcoming:
        raise Refusal("review_not_the_coming_review", upcoming=upcoming, month=month)


def submit(
    session: Session, ctx: Context, *, actor: str, team: str, month: str, rows: dict[str, dict], note: str
) -> ReviewSubmission:
    review_repo.lock_month(session, month)
    check_can_submit(session, ctx, actor=actor, team=team, month=month)
    submission = review_repo.add_submission(
        session,
        ReviewSubmission(
            month=month, team=team, submitted_by=actor, submitted_at=ctx.now, rows=rows, note=note
        ),
    )
    update_agenda(session, month, ctx.now)
    return submission


def attend(session: Session, ctx: Context, *, actor: str, month: str) -> bool:
    """Record that `actor` attends; False if they already had. Non-participants are refused."""
    teams = [t for t in PARTICIPANTS if is_member(ctx.config, ctx.directory, actor, t)]
    if not teams:
        raise Refusal("review_not_a_participant")
    review_repo.lock_month(session, month)
    if review_repo.agenda(session, month) is None:
        # attendance is confirmed on the posted agenda; a button for another month is forged or stale
        raise Refusal("review_no_agenda_to_attend", month=month)
    if review_repo.has_attended(session, month, actor):
        return False
    review_repo.add_attendance(
        session, ReviewAttendance(month=month, user=actor, team=teams[0], confirmed_at=ctx.now)
    )
    update_agenda(session, month, ctx.now)
    return True


def check_can_approve(session: Session, ctx: Context, *, actor: str, month: str) -> list[PlanRow]:
    """The draft rows a manager may approve or adjust; refusals say exactly what is missing."""
    if not is_member(ctx.config, ctx.directory, actor, "managers"):
        raise Refusal("review_not_a_manager")
    existing = review_repo.plan(session, month)
    if existing is not None:
        raise Refusal("review_plan_already_approved", month=month, by=existing.approved_by)
    if review_repo.agenda(session, month) is None:
        raise Refusal("review_not_started", month=month)
    present = {a.team for a in review_repo.attendance(session, month)}
    absent = [team for team in DEPARTMENTS if team not in present]
    if absent:
        raise Refusal("review_departments_absent", teams=absent)
    return draft_rows(session, ctx.config, month)


def plan_rows(
    session: Session,
    ctx: Context,
    *,
    actor: str,
    month: str,
    agreed: dict[str, int] | None = None,
    note: str = "",
) -> list[PlanRow]:
    """The rows `actor` may approve for the month (the draft, or with managers' agreed quantities);
    a Refusal says what stands in the way. An agreed quantity above production's achievable
    capacity or supply's securable materials needs a reason (`note`). Reads only."""
    rows = check_can_approve(session, ctx, actor=actor, month=month)
    review = ctx.config.review
    if agreed is not None:
        missing_rows = [r.product for r in rows if r.product not in agreed]
        if missing_rows:
            raise Refusal("review_products_changed", form="adjust")
        rows = [
            adjusted_row(
                r,
                agreed[r.product],
                capacity_buffer=review.capacity_buffer,
                material_buffer=review.material_buffer,
            )
            for r in rows
        ]
    incomplete = [[r.product, list(r.missing)] for r in rows if r.missing]
    if incomplete:
        raise Refusal("review_draft_incomplete", rows=incomplete[:5])
    above = [[r.product, name, by] for r in rows for name, by in r.above]
    if above and not note.strip():
        raise Refusal("review_above_plan_needs_reason", rows=above[:5], more=max(len(above) - 5, 0))
    return rows


def approve(
    session: Session,
    ctx: Context,
    *,
    actor: str,
    month: str,
    agreed: dict[str, int] | None = None,
    note: str = "",
    follow_ups: list[followups.Draft] | None = None,
) -> ReviewPlan:
    """Store the month's plan (the draft, or the draft with managers' agreed quantities) and its
    follow-ups: those the approval form kept, or (`follow_ups` None) those the plan calls for."""
    review_repo.lock_month(session, month)
    rows = plan_rows(session, ctx, actor=actor, month=month, agreed=agreed, note=note)
    if follow_ups is None:
        follow_ups = [
            d if d.owner else followups.with_owner(d, actor)  # nobody to suggest: the approver owns it
            for d in followups.proposed(session, ctx, month, rows)
        ]
    if followups.problems(ctx, list(follow_ups)):
        raise Refusal("followup_invalid")
    follow_ups = followups.refreshed(list(follow_ups), rows)
    approved = review_repo.add_plan(
        session,
        ReviewPlan(
            month=month,
            rows=[r.as_dict() for r in rows],
            adjusted=agreed is not None and any("adjusted" in r.binding for r in rows),
            note=note,
            approved_by=actor,
            approved_at=ctx.now,
        ),
    )
    update_agenda(session, month, ctx.now)
    key = f"review:{month}:minutes"
    notices.enqueue(
        session,
        stream=stream(month),
        op="post",
        thread_key=agenda_key(month),
        target_key=key,
        kind=MessageKind.REVIEW_MINUTES,
        params={"month": month},
        now=ctx.now,
    )
    followups.create(session, ctx, month=month, actor=actor, drafts=follow_ups)
    return approved


def update_agenda(session: Session, month: str, now: datetime) -> None:
    """Queue an edit of the posted agenda (rendered from the state at delivery), if it was posted."""
    if review_repo.agenda(session, month) is None:
        return
    key = agenda_key(month)
    notices.enqueue(
        session,
        stream=stream(month),
        op="update",
        target_key=key,
        kind=MessageKind.REVIEW_AGENDA,
        params={"month": month},
        now=now,
    )


def followup_done(session: Session, ctx: Context, *, actor: str, followup_id: int) -> bool:
    """Mark a follow-up done (the owner or a manager); False when it already was."""
    return followups.mark_done(session, ctx, actor=actor, followup_id=followup_id)
