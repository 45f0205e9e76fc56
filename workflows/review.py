"""The monthly demand review: its moments (reminders, agenda), submissions, attendance, approval.

A review is named by its plan month: the review on the 5th of November plans December ("2026-12").
The review is planned only when `[review] core_products` is configured: without products there
is no plan to agree, and deployments that have not set the review up get no surprise messages.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel import Session

from storage import due as due_items
from storage import review_repo
from storage.models import ConfirmationRequest, DueItem, Order
from storage.review_models import FollowUp, ReviewAgenda, ReviewPlan, ReviewSubmission
from workflows import kpi, notices, stock_report
from workflows.config import Config
from workflows.context import Context
from workflows.enums import DEPARTMENTS, MessageKind
from workflows.inventory import PlanActual
from workflows.orders import over_plan as approved_over_plan
from workflows.review_plan import MISSING, PlanRow, plan_row
from workflows.review_schedule import (
    CATCH_UP,
    month_bounds,
    parse_month,
    reminder_moments,
    review_in_window,
    review_moment,
)

AGENDA = "review.agenda"
REMIND = "review.submit_reminder"
PARTICIPANTS = (*DEPARTMENTS, "managers")
AGENDA_LIST_LIMIT = 10  # orders listed per custom-order heading; the rest are counted


def stream(month: str) -> str:
    return f"review:{month}"


def agenda_key(month: str) -> str:
    return f"review:{month}:agenda"


def _month_of(item: DueItem) -> str:
    return item.key.split(":")[1]


# -- planning the moments -------------------------------------------------------------------------


def plan(session: Session, ctx: Context) -> None:
    """Make sure the due items of the coming review exist (idempotent by key).

    Only the review in its window is planned: a month whose review passed more than CATCH_UP
    ago (the bot was down) is skipped rather than announced weeks late.
    """
    if not ctx.config.review.core_products:
        return
    month = review_in_window(ctx.config, ctx.now)
    for label, moment in reminder_moments(ctx.config, month).items():
        due_items.schedule(session, key=f"review:{month}:{label}", kind=REMIND, due_at=moment)
    due_items.schedule(session, key=agenda_key(month), kind=AGENDA, due_at=review_moment(ctx.config, month))


def _post_agenda(session: Session, ctx: Context, item: DueItem, team_members: dict[str, set[str]]) -> str:
    month = _month_of(item)
    if ctx.now > item.due_at + CATCH_UP:
        return "skipped: too late to post this month's agenda"
    if review_repo.agenda(session, month) is not None:
        return "skipped: agenda already posted"
    key, channel = agenda_key(month), ctx.config.agenda_channel
    review_repo.add_agenda(
        session,
        ReviewAgenda(month=month, channel=channel, message_key=key, review_at=item.due_at, posted_at=ctx.now),
    )
    notices.enqueue(
        session,
        stream=stream(month),
        op="post",
        channel=channel,
        target_key=key,
        kind=MessageKind.REVIEW_AGENDA,
        params={"month": month},
        now=ctx.now,
    )
    return f"sent: agenda for {month}"


def missing_departments(session: Session, month: str) -> list[str]:
    submitted = review_repo.current_submissions(session, month)
    return [team for team in DEPARTMENTS if team not in submitted]


def _remind(session: Session, ctx: Context, item: DueItem, team_members: dict[str, set[str]]) -> str:
    month, label = _month_of(item), item.key.split(":")[2]
    if ctx.now >= review_moment(ctx.config, month):
        return "skipped: the review has started"
    later = reminder_moments(ctx.config, month).get("remind-last")
    if label == "remind-early" and later is not None and ctx.now >= later:
        return "skipped: the last reminder covers it"
    missing = missing_departments(session, month)
    if not missing:
        return "skipped: every department submitted"
    notices.enqueue(
        session,
        stream=stream(month),
        op="post",
        channel=ctx.config.agenda_channel,
        target_key=f"review:{month}:{label}",
        kind=MessageKind.REVIEW_REMINDER,
        params={"month": month, "teams": missing},
        now=ctx.now,
    )
    sent = 0
    for team in missing:
        for user in sorted(team_members.get(team, set())):
            key = f"dm:{user}:review:{month}:{label}:{team}"
            notices.direct(
                session, user, MessageKind.REVIEW_REMINDER_DM, ctx.now, key=key, month=month, team=team
            )
            sent += 1
    return f"sent: reminder for {', '.join(missing)} and {sent} direct message(s)"


HANDLERS = {AGENDA: _post_agenda, REMIND: _remind}


# -- what the agenda says ---------------------------------------------------------------------------


def draft_rows(session: Session, config: Config, month: str) -> list[PlanRow]:
    submitted = review_repo.current_submissions(session, month)

    def value(team: str, product: str, field: str):  # noqa: ANN202
        submission = submitted.get(team)
        if submission is None or product not in submission.rows:
            return MISSING
        return submission.rows[product].get(field)

    rows = []
    for product in config.review.core_products:
        forecast, achievable = value("sales", product, "forecast"), value("production", product, "achievable")
        rows.append(
            plan_row(
                product,
                forecast=MISSING if forecast is None else forecast,
                achievable=MISSING if achievable is None else achievable,
                securable=value("supply", product, "securable"),  # None: materials unconstrained
                capacity_buffer=config.review.capacity_buffer,
                material_buffer=config.review.material_buffer,
            )
        )
    return rows


def last_month(month: str) -> str:
    """The last full month before the review of plan month `month` (the review in M plans M+1)."""
    return kpi.month_key(kpi.shift(parse_month(month), -2))


def review_actual(session: Session, config: Config, month: str) -> list[PlanActual]:
    """Plan against actual of the last full month: per core product, agreed (the plan approved for
    that month, if any), produced and shipped."""
    return stock_report.plan_against_actual(session, config, last_month(month))


def review_kpis(session: Session, config: Config, month: str, now: datetime) -> kpi.MonthKpis | None:
    """The shared KPIs of the last full month before the review (the review in M plans M+1, so
    the KPIs are those of M-1), or None when nothing at all was recorded that month."""
    last_month = kpi.shift(parse_month(month), -2)
    result = kpi.month_kpis(session, config, last_month, now)
    nothing = all(r.total == 0 for r in result.confirmation.values()) and result.delivery.total == 0
    return None if nothing and result.committed == 0 and result.changes == 0 else result


@dataclass(frozen=True)
class Agenda:
    month: str
    review_at: datetime
    submissions: dict[str, ReviewSubmission]
    attendance: dict[str, list[str]]  # participant team -> users who confirmed
    rows: list[PlanRow]  # the approved plan's rows once approved, else the draft
    plan: ReviewPlan | None
    open_orders: list[Order]
    open_total: int
    overdue: list[tuple[Order, ConfirmationRequest]]
    committed: list[Order]
    kpis: kpi.MonthKpis | None
    actual_month: str = ""  # the last full month ("2026-10" for the review planning December)
    actual: list[PlanActual] = field(default_factory=list)  # per core product, of actual_month
    over_plan: frozenset[int] = frozenset()  # committed orders a manager approved beyond the plan
    attainment: list[kpi.Attainment] = field(default_factory=list)  # per planned line, of actual_month
    # follow-ups of earlier reviews still open (soonest due first), and how many in all
    open_followups: list[FollowUp] = field(default_factory=list)
    open_followups_total: int = 0
    local_review_day: date | None = None  # the review's day where the factory is (overdue as of it)


def agenda(session: Session, config: Config, month: str, now: datetime) -> Agenda:
    approved = review_repo.plan(session, month)
    people: dict[str, list[str]] = {team: [] for team in PARTICIPANTS}
    for row in review_repo.attendance(session, month):
        people.setdefault(row.team, []).append(row.user)
    orders, total = review_repo.open_orders(session, limit=AGENDA_LIST_LIMIT)
    first, last = month_bounds(month)
    posted = review_repo.agenda(session, month)
    committed = review_repo.committed_between(session, first, last, limit=AGENDA_LIST_LIMIT)
    earlier, earlier_total = review_repo.open_followups(session, before_month=month, limit=AGENDA_LIST_LIMIT)
    return Agenda(
        month=month,
        review_at=posted.review_at if posted else review_moment(config, month),
        submissions=review_repo.current_submissions(session, month),
        attendance=people,
        rows=[PlanRow.from_dict(r) for r in approved.rows]
        if approved
        else draft_rows(session, config, month),
        plan=approved,
        open_orders=orders,
        open_total=total,
        overdue=review_repo.overdue_confirmations(session, limit=AGENDA_LIST_LIMIT),
        committed=committed,
        kpis=review_kpis(session, config, month, now),
        actual_month=last_month(month),
        actual=review_actual(session, config, month),
        over_plan=frozenset(o.id for o in committed if approved_over_plan(session, o)),
        attainment=kpi.plan_attainment(session, last_month(month)),
        open_followups=earlier,
        open_followups_total=earlier_total,
        local_review_day=(posted.review_at if posted else review_moment(config, month))
        .astimezone(config.tz)
        .date(),
    )
