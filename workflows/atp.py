"""Available to promise (ATP) from the approved monthly plan, and the capacity-aware earliest date.

For a line (a core product) and a month whose plan managers approved:

    available = agreed − Σ quantity of the line's orders committed (or delivered) for delivery
                in that month

The buffer between agreed and the capacity target (900 → 950) is not available by default: it is
the reserve a manager can release (`release_buffer=True`: available = capacity target − taken).

A month with no approved plan, or whose plan has no agreed quantity for the line, does not
constrain: its step carries agreed=None and available=None.

Earliest feasible date: the later of today and the material date, plus production's lead time
(`workflows.orders.earliest_feasible`); then, if that month's plan has less available than the
order's quantity, the first day of the first later month whose plan has enough (or that has no
plan). The reasoning comes back as data (`Earliest.steps`), for bot/ to put into words.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session

from storage import atp_repo
from storage.models import ConfirmationRequest, Order
from storage.review_models import ReviewPlan
from workflows import orders
from workflows.context import Context


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def first_day(month: str) -> date:
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, 1)


def next_month(month: str) -> str:
    day = first_day(month)
    return month_key(date(day.year + day.month // 12, day.month % 12 + 1, 1))


def last_day(month: str) -> date:
    return first_day(next_month(month)) - timedelta(days=1)


@dataclass(frozen=True)
class Availability:
    """One line in one month: what the plan agreed and what orders already took."""

    line: str
    month: str  # "YYYY-MM"
    agreed: int | None  # None: no approved plan (or no agreed quantity for the line): unconstrained
    capacity_target: int | None  # agreed plus the buffer production prepares
    taken: int  # quantities committed or delivered for the month, the excluded order left out
    buffer_released: bool = False

    @property
    def planned(self) -> bool:
        return self.agreed is not None

    @property
    def reserve(self) -> int | None:
        """The buffer a manager can release (capacity target − agreed)."""
        if self.agreed is None or self.capacity_target is None:
            return None
        return max(self.capacity_target - self.agreed, 0)

    @property
    def ceiling(self) -> int | None:
        """What may be promised in all: agreed, or the capacity target once the buffer is released."""
        if self.agreed is None:
            return None
        if self.buffer_released and self.capacity_target is not None:
            return max(self.capacity_target, self.agreed)
        return self.agreed

    @property
    def available(self) -> int | None:
        """ceiling − taken (negative when the month is already promised beyond it); None: no plan."""
        return None if self.ceiling is None else self.ceiling - self.taken

    def fits(self, quantity: int) -> bool:
        return self.available is None or self.available >= quantity


@dataclass(frozen=True)
class Step:
    """One month looked at on the way to the earliest date."""

    month: str
    agreed: int | None  # None: no approved plan for the line that month (it does not constrain)
    available: int | None


@dataclass(frozen=True)
class Earliest:
    date: date  # the capacity-aware earliest feasible date
    start: date  # max(today, material date) + lead time, before the plan is looked at
    line: str | None  # None: the product is planned by no review; the plan never moves the date
    quantity: int
    steps: tuple[Step, ...]

    @property
    def moved_by_plan(self) -> bool:
        return self.date > self.start


def _row_for(plan: ReviewPlan | None, line: str) -> dict | None:
    if plan is None:
        return None
    return next((row for row in plan.rows if row.get("product") == line), None)


def _availability(
    session: Session,
    line: str,
    month: str,
    plan: ReviewPlan | None,
    *,
    exclude_order_id: int | None,
    release_buffer: bool,
) -> Availability:
    row = _row_for(plan, line)
    agreed = None if row is None else row.get("agreed")
    target = None if row is None else row.get("capacity_target")
    taken = (
        0
        if agreed is None
        else atp_repo.committed_quantity(
            session, line, first_day(month), last_day(month), exclude_order_id=exclude_order_id
        )
    )
    return Availability(
        line=line,
        month=month,
        agreed=agreed,
        capacity_target=target,
        taken=taken,
        buffer_released=release_buffer,
    )


def availability(
    session: Session,
    line: str,
    month: str,
    *,
    exclude_order_id: int | None = None,
    release_buffer: bool = False,
) -> Availability:
    """ATP of `line` in `month` ("YYYY-MM"): one plan look-up and one index-range sum."""
    plan = atp_repo.plans(session, [month]).get(month)
    return _availability(
        session, line, month, plan, exclude_order_id=exclude_order_id, release_buffer=release_buffer
    )


def earliest_date(
    session: Session,
    *,
    line: str | None,
    quantity: int,
    start: date,
    exclude_order_id: int | None = None,
    release_buffer: bool = False,
) -> Earliest:
    """`start` if its month can take `quantity`; else the 1st of the first later month that can.

    Months are looked at in order from start's month and the search stops at the first month that
    fits or has no plan, so it ends (plans are approved for finitely many months)."""
    if line is None:
        return Earliest(date=start, start=start, line=None, quantity=quantity, steps=())
    month = month_key(start)
    plans = atp_repo.plans(session, atp_repo.plan_months_from(session, month))
    steps: list[Step] = []
    while True:
        found = _availability(
            session,
            line,
            month,
            plans.get(month),
            exclude_order_id=exclude_order_id,
            release_buffer=release_buffer,
        )
        steps.append(Step(month=month, agreed=found.agreed, available=found.available))
        if found.fits(quantity):
            day = start if month == month_key(start) else first_day(month)
            return Earliest(date=day, start=start, line=line, quantity=quantity, steps=tuple(steps))
        month = next_month(month)


def capacity_aware_earliest(
    session: Session,
    ctx: Context,
    order: Order,
    requests: dict[str, ConfirmationRequest],
    *,
    quantity: int | None = None,
    exclude_order_id: int | None = None,
    release_buffer: bool = False,
) -> Earliest | None:
    """The earliest date for `order` (or for `quantity` of it, for a change) from both teams' answers
    and its line's plan; None until production and supply both said yes."""
    start = orders.earliest_feasible(ctx, requests)
    if start is None:
        return None
    return earliest_date(
        session,
        line=order.line,
        quantity=order.quantity if quantity is None else quantity,
        start=start,
        exclude_order_id=exclude_order_id,
        release_buffer=release_buffer,
    )


@dataclass(frozen=True)
class PromiseCheck:
    """What is wrong with promising `quantity` on `day` (empty: nothing); a manager must approve any."""

    day: date
    quantity: int
    earliest: date | None
    month: Availability | None  # None: the product is on no line

    @property
    def before_earliest(self) -> bool:
        return self.earliest is not None and self.day < self.earliest

    @property
    def beyond_plan(self) -> bool:
        """More than the month's plan has available (the buffer not counted)."""
        return self.month is not None and not self.month.fits(self.quantity)

    @property
    def beyond_capacity_target(self) -> bool:
        """More than even the released buffer covers: the card and the agenda flag it as over plan."""
        if self.month is None or self.month.agreed is None:
            return False
        target = self.month.capacity_target if self.month.capacity_target is not None else self.month.agreed
        return self.month.taken + self.quantity > max(target, self.month.agreed)

    @property
    def needs_manager(self) -> bool:
        return self.before_earliest or self.beyond_plan


def check_promise(
    session: Session,
    *,
    line: str | None,
    quantity: int,
    day: date,
    earliest: date | None,
    exclude_order_id: int | None = None,
) -> PromiseCheck:
    """Whether committing (or changing an order to) `quantity` on `day` stays within what can be made."""
    month = (
        None
        if line is None
        else availability(session, line, month_key(day), exclude_order_id=exclude_order_id)
    )
    return PromiseCheck(day=day, quantity=quantity, earliest=earliest, month=month)
