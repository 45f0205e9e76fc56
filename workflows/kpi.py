"""Shared KPIs, per calendar month in the configured time zone, from the recorded facts only.

Definitions (each shown to people in `/kpi`, so keep them in words they can check):
- Confirmation rate within the configured window (e.g. 24 hours), per team: of the confirmation
  requests whose deadline fell in the month, the share answered by the deadline. An unanswered
  request whose deadline passed is a breach and counts against; a request made obsolete
  (superseded) before anyone answered is left out, and so is one whose deadline is still ahead.
- On-time delivery rate: of the orders delivered in the month, the share delivered on or before
  the committed date.
- On-time to the promise: the same orders against the promise in force (workflows/promise.py: the
  first committed date, moved only by changes the customer asked for), so moving the date for an
  internal reason cannot make a late delivery on time. Next to it, the internal date moves: changes
  requested in the month for an internal reason that moved the date. Only applied changes count
  (storage/kpi_repo.applied).
- Promises beyond the plan: managers' approvals of an over-plan (or earlier than feasible) promise
  requested, approved and rejected in the month (from the order events).
- Plan attainment per line (`plan_attainment`): for each core product with an approved plan for the
  month, agreed, committed (orders committed, or delivered, for delivery in the month, as ATP counts
  them), delivered (units delivered in the month), and both as a share of agreed.
- On-time material arrival rate: of the orders whose materials arrived in the month, the share that
  arrived on or before the date supply promised (orders without a promised date are left out).
- Median time to commitment: registration → delivery date committed, over orders committed in the
  month.
- Changes to committed orders: changes requested in the month.
- Inventory turnover per line (production's): units shipped in the month ÷ average units on hand
  (the mean of the last count before the month and every count in it); days of inventory = days
  in the month ÷ turnover; by value too when every count used has a unit cost. A line without
  those counts has no figure (workflows/inventory.py: NotEnoughCounts), never a made-up 0.
"""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session

from storage import atp_repo, kpi_repo
from storage.models import ConfirmationRequest, Order, OrderChange
from workflows import atp, promise, stock_report
from workflows.config import Config, Sla
from workflows.enums import ANSWERING_TEAMS
from workflows.inventory import NotEnoughCounts, Turnover

Month = tuple[int, int]  # (year, month)


@dataclass(frozen=True)
class Rate:
    hits: int
    total: int

    @property
    def value(self) -> float | None:
        """hits / total, or None when nothing was counted (a 0 % would be a false alarm)."""
        return self.hits / self.total if self.total else None


@dataclass(frozen=True)
class Overrides:
    """Promises beyond the plan in a month: managers' approvals requested, approved, rejected."""

    requested: int = 0
    approved: int = 0
    rejected: int = 0


@dataclass(frozen=True)
class Attainment:
    """One line's plan for a month against what was committed and delivered for it."""

    line: str
    agreed: int
    committed: int  # units committed (or delivered) for delivery in the month
    delivered: int  # units delivered in the month

    @staticmethod
    def _percent(value: int, agreed: int) -> int | None:
        return round(100 * value / agreed) if agreed > 0 else None

    @property
    def committed_percent(self) -> int | None:
        """committed as a whole percentage of agreed; None when nothing was agreed (no share of 0)."""
        return self._percent(self.committed, self.agreed)

    @property
    def delivered_percent(self) -> int | None:
        return self._percent(self.delivered, self.agreed)


@dataclass(frozen=True)
class MonthKpis:
    month: Month
    confirmation: dict[str, Rate]  # team -> rate
    delivery: Rate
    materials: Rate
    median_to_commit: timedelta | None
    committed: int  # orders the median is taken over
    changes: int
    sla: Sla = field(default_factory=Sla)  # the confirmation window the rate is measured against
    promise: Rate = Rate(0, 0)  # on time to the promise in force
    internal_moves: int = 0  # changes for an internal reason that moved the date
    overrides: Overrides = Overrides()

    @property
    def sla_hours(self) -> float:
        return self.sla.confirm_within_hours


# -- formulas (pure) -------------------------------------------------------------------------


def confirmation_rate(requests: Iterable[ConfirmationRequest], now: datetime) -> Rate:
    hits = total = 0
    for request in requests:
        answered = request.answered_at is not None
        if request.superseded and not answered and request.escalated_at is None:
            continue  # closed (declined, revised, cancelled) before its deadline was breached
        if not answered and request.due_at > now:
            continue  # the clock is still running
        total += 1
        hits += int(answered and request.answered_at <= request.due_at)
    return Rate(hits, total)


def on_time_rate(pairs: Iterable[tuple[date, date | None]]) -> Rate:
    """(actual, promised) dates; on time when actual <= promised. Pairs without a promise are skipped."""
    counted = [(actual, promised) for actual, promised in pairs if promised is not None]
    return Rate(sum(actual <= promised for actual, promised in counted), len(counted))


def promise_rate(delivered: Iterable[tuple[Order, Iterable[OrderChange]]]) -> Rate:
    """Of the delivered orders (each with its applied changes), the share on time to the promise in
    force; an order never committed has no promise and is left out."""
    verdicts = [promise.on_time(order, changes) for order, changes in delivered]
    counted = [v for v in verdicts if v is not None]
    return Rate(sum(counted), len(counted))


def median_duration(spans: Iterable[tuple[datetime, datetime]]) -> timedelta | None:
    seconds = [(end - start).total_seconds() for start, end in spans]
    return timedelta(seconds=statistics.median(seconds)) if seconds else None


# -- months ----------------------------------------------------------------------------------


def shift(month: Month, by: int) -> Month:
    index = month[0] * 12 + month[1] - 1 + by
    return index // 12, index % 12 + 1


def month_of(config: Config, now: datetime) -> Month:
    local = now.astimezone(config.tz)
    return local.year, local.month


def month_key(month: Month) -> str:
    return f"{month[0]:04d}-{month[1]:02d}"


def month_days(month: Month) -> tuple[date, date]:
    first = date(*month, 1)
    return first, date(*shift(month, 1), 1) - timedelta(days=1)


def month_span(config: Config, month: Month) -> tuple[datetime, datetime]:
    """[start, end) of the month in the configured zone, as aware UTC."""
    start = datetime(*month, 1, tzinfo=config.tz)
    end = datetime(*shift(month, 1), 1, tzinfo=config.tz)
    return start.astimezone(UTC), end.astimezone(UTC)


# -- from the database -----------------------------------------------------------------------


def month_kpis(session: Session, config: Config, month: Month, now: datetime) -> MonthKpis:
    start, end = month_span(config, month)
    first, last = month_days(month)
    requests = kpi_repo.requests_due_between(session, start=start, end=end)
    committed = kpi_repo.committed_between(session, start=start, end=end)
    return MonthKpis(
        month=month,
        confirmation={
            team: confirmation_rate([r for r in requests if r.team == team], now) for team in ANSWERING_TEAMS
        },
        delivery=on_time_rate(kpi_repo.delivered_between(session, first=first, last=last)),
        materials=on_time_rate(kpi_repo.materials_arrived_between(session, first=first, last=last)),
        median_to_commit=median_duration(committed),
        committed=len(committed),
        changes=kpi_repo.changes_between(session, start=start, end=end),
        sla=config.sla,
        promise=promise_rate(kpi_repo.delivered_with_changes(session, first=first, last=last)),
        internal_moves=promise.internal_date_moves(
            kpi_repo.applied_changes_between(session, start=start, end=end)
        ),
        overrides=Overrides(**kpi_repo.override_counts(session, start=start, end=end)),
    )


def plan_attainment(session: Session, month: str) -> list[Attainment]:
    """Each core product with an approved plan (an agreed quantity) for `month` ("YYYY-MM"), in the
    plan's order: agreed, committed for the month (ATP's own sum) and delivered in the month.
    Empty when no plan was approved for the month."""
    plan = atp_repo.plans(session, [month]).get(month)
    if plan is None:
        return []
    first, last = atp.first_day(month), atp.last_day(month)
    rows = [(row["product"], row["agreed"]) for row in plan.rows if row.get("agreed") is not None]
    delivered = kpi_repo.delivered_quantity_by_line(
        session, [line for line, _ in rows], first=first, last=last
    )
    return [
        Attainment(
            line=line,
            agreed=int(agreed),
            committed=atp_repo.committed_quantity(session, line, first, last),
            delivered=delivered.get(line, 0),
        )
        for line, agreed in rows
    ]


def inventory_turnover(session: Session, config: Config, month: Month) -> list[Turnover | NotEnoughCounts]:
    """Production's inventory turnover of each line (core product) in the month."""
    return stock_report.turnover(session, config, month_key(month))


def turnover_pair(
    session: Session, config: Config, month: Month
) -> tuple[list[Turnover | NotEnoughCounts], list[Turnover | NotEnoughCounts]]:
    """The month's turnover and the month before's; both empty when no line was counted by the end
    of the month (the factory keeps its stock elsewhere: no figure to show, nor to miss)."""
    current = inventory_turnover(session, config, month)
    previous = inventory_turnover(session, config, shift(month, -1))
    never = ("count_before", "count_in_month")
    if all(isinstance(f, NotEnoughCounts) and f.missing == never for f in current):
        return [], []
    return current, previous
