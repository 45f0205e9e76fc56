"""What people do in the monthly demand review: submit numbers, confirm attendance, approve the plan.

Each function changes state and queues the messages it causes (agenda edits, minutes) in the
same transaction; refusals say what the person may not do and why.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from storage import review_repo
from storage.review_models import ReviewAttendance, ReviewPlan, ReviewSubmission
from workflows import notices
from workflows.context import Context
from workflows.permissions import Refusal, is_member
from workflows.review import DEPARTMENTS, PARTICIPANTS, agenda_key, draft_rows, stream
from workflows.review_plan import PlanRow, adjusted_row
from workflows.review_schedule import month_label, next_month_key, review_in_window


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
        raise Refusal(
            "Only sales, production and supply submit numbers for the demand review, and you are not "
            "listed in any of them in orderloop.toml. Managers approve the plan after the meeting."
        )
    if asked:
        if asked not in mine:
            raise Refusal(f"You can submit for {' or '.join(mine)}, not for {asked[:20]}.")
        return asked
    if len(mine) > 1:
        raise Refusal(f"You are in {' and '.join(mine)}: say which, e.g. `/review submit {mine[0]}`.")
    return mine[0]


def check_can_submit(session: Session, ctx: Context, *, actor: str, team: str, month: str) -> None:
    if team not in departments_of(ctx, actor):
        raise Refusal(f"Only the {team} team can submit its numbers.")
    approved = review_repo.plan(session, month)
    if approved is not None:
        raise Refusal(f"The plan for {month_label(month)} is already approved; numbers can no longer change.")
    upcoming = upcoming_month(session, ctx)
    if month != upcoming:
        raise Refusal(
            f"Numbers can only be submitted for the coming review, which plans {month_label(upcoming)}, "
            f"not {month_label(month)}. Close this form and run `/review submit` again."
        )


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
        raise Refusal("Only sales, production, supply and managers take part in the demand review.")
    review_repo.lock_month(session, month)
    if review_repo.agenda(session, month) is None:
        # attendance is confirmed on the posted agenda; a button for another month is forged or stale
        raise Refusal(
            f"The review of {month_label(month)} has no agenda posted, so there is nothing to attend "
            "yet. Press *I'm attending* on the agenda once it is posted in the review channel."
        )
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
        raise Refusal("Only managers can approve the demand plan.")
    existing = review_repo.plan(session, month)
    if existing is not None:
        raise Refusal(f"The plan for {month_label(month)} was already approved by <@{existing.approved_by}>.")
    if review_repo.agenda(session, month) is None:
        raise Refusal(f"The review of {month_label(month)} has not started yet (no agenda posted).")
    present = {a.team for a in review_repo.attendance(session, month)}
    absent = [team for team in DEPARTMENTS if team not in present]
    if absent:
        raise Refusal(
            f"Nobody from {', '.join(absent)} confirmed attendance. All three departments must be at the "
            "review before its plan is approved."
        )
    return draft_rows(session, ctx.config, month)


def plan_rows(
    session: Session, ctx: Context, *, actor: str, month: str, agreed: dict[str, int] | None = None
) -> list[PlanRow]:
    """The rows `actor` may approve for the month (the draft, or with managers' agreed quantities);
    a Refusal says what stands in the way. Reads only."""
    rows = check_can_approve(session, ctx, actor=actor, month=month)
    review = ctx.config.review
    if agreed is not None:
        missing_rows = [r.product for r in rows if r.product not in agreed]
        if missing_rows:
            raise Refusal("The list of core products changed; open Adjust plan again.")
        rows = [
            adjusted_row(
                r,
                agreed[r.product],
                capacity_buffer=review.capacity_buffer,
                material_buffer=review.material_buffer,
            )
            for r in rows
        ]
    incomplete = [f"{r.product}: {', '.join(r.missing)}" for r in rows if r.missing]
    if incomplete:
        raise Refusal(
            "The draft is incomplete (" + "; ".join(incomplete[:5]) + "). Use *Adjust plan* to enter the "
            "agreed quantities, or wait for the missing submissions."
        )
    return rows


def approve(
    session: Session,
    ctx: Context,
    *,
    actor: str,
    month: str,
    agreed: dict[str, int] | None = None,
    note: str = "",
) -> ReviewPlan:
    """Store the month's plan (the draft, or the draft with managers' agreed quantities)."""
    review_repo.lock_month(session, month)
    rows = plan_rows(session, ctx, actor=actor, month=month, agreed=agreed)
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
        kind="review_minutes",
        params={"month": month},
        now=ctx.now,
    )
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
        kind="review_agenda",
        params={"month": month},
        now=now,
    )
