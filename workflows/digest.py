"""The daily digest: what is waiting on whom, what is late, and what changed since the last one.

`plan` keeps a due item "digest:YYYY-MM-DD" at `schedule.digest_time` (configured zone) for today
and tomorrow; the handler queues the channel post and one direct message per person with
something waiting on them. Both are rendered at delivery from `build`, so they show current
state. A digest missed by more than CATCH_UP (the bot was down) is skipped, never sent late in
a pile: the next one covers everything since the last digest that went out.

Once the factory keeps its stock in OrderLoop (any count recorded), the digest also lists the
stock that needs a look (workflows/stock_report.py): items below safety stock, materials short of
the month's approved target and stale counts; a personal digest lists the items its reader's
teams look after (supply the materials, production the products).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session

from storage import digest_repo as repo
from storage import due as due_items
from storage.models import ChangeAck, ConfirmationRequest, DueItem, Order, OrderChange, Problem
from workflows import after_commit, notices, stock_report
from workflows.clock import local_today, working_calendar
from workflows.config import Config
from workflows.context import Context
from workflows.enums import ANSWERING_TEAMS, DEPARTMENTS, MessageKind

KIND = "digest.daily"
APPROVERS = "managers"  # workflows.orders.APPROVERS: who approves a promise beyond the plan
STREAM = "digest"
CATCH_UP = timedelta(hours=6)  # a digest later than this would mislead ("good morning" at night)
URGENT = 5  # items per section in the channel digest; the rest are counted
DELIVERY_DAYS = 7
OWNING_TEAMS = DEPARTMENTS  # teams a problem can be assigned to
CHANGE_KINDS = ("registered", "committed", "delivered", "cancelled")  # order events worth a line
STOCK_OWNERS = {"material": "supply", "product": "production"}  # who looks after a stock item
STOCK_LISTS = ("below_safety", "short_of_target", "stale")


@dataclass(frozen=True)
class Item:
    order: Order
    due_at: datetime | None = None  # the deadline of a request or an acknowledgement
    day: date | None = None  # committed delivery date, or supply's promised material date
    team: str | None = None
    text: str = ""  # a problem's description, as its author typed it
    raised_at: datetime | None = None  # when a problem was raised
    ref_id: int | None = None  # the request, acknowledgement or problem the item is about
    change: OrderChange | None = None  # the change an acknowledgement is about (bot/ words it)


@dataclass(frozen=True)
class Section:
    key: str  # overdue, production, supply, approvals, commit, acks, materials, problems, deliveries
    items: list[Item]
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass(frozen=True)
class StockList:
    key: str  # below_safety, short_of_target, stale (STOCK_LISTS)
    items: list  # Health (below_safety, stale) or Coverage (short_of_target), the first `limit`
    total: int

    @property
    def more(self) -> int:
        return self.total - len(self.items)


@dataclass(frozen=True)
class Stock:
    """The stock that needs a look: only the non-empty lists, in STOCK_LISTS order."""

    lists: list[StockList]
    items: dict  # item code -> workflows.stock_inputs.Item (names and units to show)
    month: str  # the month whose approved plan the targets come from

    @property
    def total(self) -> int:
        return sum(part.total for part in self.lists)


@dataclass(frozen=True)
class Scope:
    """One person's view: the teams they belong to, and themselves as a salesperson."""

    teams: tuple[str, ...]
    user: str


@dataclass(frozen=True)
class Digest:
    day: date
    now: datetime
    since: datetime | None
    sections: list[Section]  # only the non-empty ones, most urgent first
    changes: dict[str, list[Order]] = field(default_factory=dict)  # event kind -> orders
    stock: Stock | None = None  # None: no stock kept in OrderLoop, or nothing flagged in scope

    @property
    def waiting(self) -> int:
        """Orders waiting (the stock is counted apart: `stock.total`)."""
        return sum(s.total for s in self.sections if s.key != "deliveries")


# -- content -------------------------------------------------------------------------------


def build(
    session: Session,
    config: Config,
    now: datetime,
    *,
    limit: int = URGENT,
    window: tuple[datetime, datetime] | None = None,
    scope: Scope | None = None,
    overview: stock_report.Overview | None = None,
) -> Digest:
    """The digest's content at `now`; `scope` narrows it to what waits on one person.

    `window` (since, until) asks for the orders registered, committed, delivered or cancelled in it.
    `overview`: the stock overview of today when the caller has it already (else it is read).
    """
    today = local_today(config, now)
    answering = [t for t in ANSWERING_TEAMS if scope is None or t in scope.teams]
    owning = [t for t in OWNING_TEAMS if scope is None or t in scope.teams]
    sections: list[Section] = []

    def add(key: str, page: tuple[list, int], make: Callable[..., Item]) -> None:
        rows, total = page
        if total:
            sections.append(Section(key, [make(*row) for row in rows], total))

    add(
        "overdue",
        repo.waiting_requests(session, now=now, overdue=True, teams=answering, limit=limit),
        _request,
    )
    for team in answering:
        add(team, repo.waiting_requests(session, now=now, overdue=False, teams=[team], limit=limit), _request)
    if scope is None or APPROVERS in scope.teams:
        add("approvals", repo.waiting_approvals(session, team=APPROVERS, limit=limit), _request)
    if scope is None or scope.user:
        salesperson = scope.user if scope else None
        add("commit", repo.awaiting_commitment(session, salesperson=salesperson, limit=limit), _to_commit)
    add("acks", repo.pending_acks(session, teams=answering, limit=limit), _ack)
    if "supply" in answering:
        add(
            "materials",
            repo.late_materials(
                session, late_before=after_commit.late_if_promised_before(config, now), limit=limit
            ),
            _late_material,
        )
    add("problems", repo.open_problems(session, teams=owning, limit=limit), _problem)
    if scope is None:
        until = today + timedelta(days=DELIVERY_DAYS)
        add("deliveries", repo.deliveries_due(session, until=until, salesperson=None, limit=limit), _delivery)
    changes = _changes(session, *window) if scope is None and window is not None else {}
    since = window[0] if window else None
    if overview is None:
        overview = stock_report.overview(session, config, today)
    stock = stock_part(overview, None if scope is None else scope.teams, limit)
    return Digest(day=today, now=now, since=since, sections=sections, changes=changes, stock=stock)


def stock_part(overview: stock_report.Overview, teams: tuple[str, ...] | None, limit: int) -> Stock | None:
    """The flagged stock `teams` look after (None: every team), `limit` items per list.

    None when no item was ever counted (the factory keeps its stock elsewhere: an empty record
    is not a shortage) or when nothing in scope is flagged."""
    if all(h.counted_on is None for h in overview.health):
        return None
    kinds = {kind for kind, team in STOCK_OWNERS.items() if teams is None or team in teams}
    mine = [h for h in overview.health if h.item.kind in kinds]
    below = [h for h in mine if "below_safety" in h.flags]
    # the least cover first (an item with no use to measure cover by last)
    below.sort(key=lambda h: (h.days_of_cover is None, h.days_of_cover or 0))
    short = [c for c in overview.short_of_target if "material" in kinds]
    short.sort(key=lambda c: -(c.short or 0) / (c.target or 1))  # the largest share missing first
    stale = [h for h in mine if "stale" in h.flags]
    stale.sort(key=lambda h: (h.counted_on is not None, h.counted_on or date.min))  # never, then oldest
    lists = [
        StockList(key, found[:limit], len(found))
        for key, found in zip(STOCK_LISTS, (below, short, stale), strict=True)
        if found
    ]
    if not lists:
        return None
    items = {h.item.code: h.item for h in overview.health}
    return Stock(lists, items, overview.month)


def _request(request: ConfirmationRequest, order: Order) -> Item:
    return Item(order, due_at=request.due_at, team=request.team, ref_id=request.id)


def _to_commit(order: Order) -> Item:
    return Item(order, day=order.requested_date)


def _ack(ack: ChangeAck, change: OrderChange, order: Order) -> Item:
    return Item(order, due_at=ack.due_at, team=ack.team, change=change, ref_id=ack.id)


def _late_material(order: Order, request: ConfirmationRequest) -> Item:
    return Item(order, day=request.material_date, team="supply")


def _problem(problem: Problem, order: Order) -> Item:
    return Item(
        order, team=problem.team, text=problem.description, raised_at=problem.raised_at, ref_id=problem.id
    )


def _delivery(order: Order) -> Item:
    return Item(order, day=order.committed_date)


def changed_fields(change: OrderChange) -> list[tuple[str, object, object]]:
    """(field, before, after) for each field the change alters, in the order it lists them."""
    return [
        (name, change.before.get(name), value)
        for name, value in change.after.items()
        if change.before.get(name) != value
    ]


def _changes(session: Session, since: datetime, until: datetime) -> dict[str, list[Order]]:
    found: dict[str, dict[int, Order]] = {kind: {} for kind in CHANGE_KINDS}
    for kind, order in repo.events_between(session, since=since, until=until, kinds=CHANGE_KINDS):
        found[kind].setdefault(order.id, order)
    return {kind: list(orders.values()) for kind, orders in found.items() if orders}


def is_overdue_delivery(item: Item, today: date) -> bool:
    return item.day is not None and item.day < today


# -- when ----------------------------------------------------------------------------------


def digest_moment(config: Config, day: date) -> datetime:
    local = datetime.combine(day, time.fromisoformat(config.schedule.digest_time), config.tz)
    return local.astimezone(UTC)


def is_digest_day(config: Config, day: date) -> bool:
    calendar = working_calendar(config)
    return calendar is None or calendar.is_working_day(day)


def digest_key(day: date) -> str:
    return f"digest:{day.isoformat()}"


def plan(session: Session, ctx: Context) -> None:
    """Today's digest (unless it is long past) and tomorrow's, on digest days only."""
    for offset in (0, 1):
        day = ctx.today + timedelta(days=offset)
        moment = digest_moment(ctx.config, day)
        if ctx.now - moment > CATCH_UP or not is_digest_day(ctx.config, day):
            continue
        due_items.schedule(session, key=digest_key(day), kind=KIND, due_at=moment)


# -- acting --------------------------------------------------------------------------------


def people_with_work(
    session: Session, ctx: Context, team_members: dict[str, set[str]]
) -> dict[str, list[str]]:
    """Each person something waits on → the teams they belong to (their digest's scope).
    Stock a team looks after that needs a look counts as something waiting on its members."""
    people: set[str] = set(repo.salespeople_awaiting_commitment(session))
    overview = stock_report.overview(session, ctx.config, local_today(ctx.config, ctx.now))
    for team in OWNING_TEAMS:
        scope = Scope(teams=(team,), user="")
        found = build(session, ctx.config, ctx.now, limit=0, scope=scope, overview=overview)
        if found.waiting or found.stock is not None:
            people |= team_members.get(team, set())
    if repo.waiting_approvals(session, team=APPROVERS, limit=0)[1]:
        people |= team_members.get(APPROVERS, set())  # promises waiting for a manager
    teams = (*OWNING_TEAMS, APPROVERS)
    return {user: [t for t in teams if user in team_members.get(t, set())] for user in sorted(people)}


def _send(session: Session, ctx: Context, item: DueItem, team_members: dict[str, set[str]]) -> str:
    day = date.fromisoformat(item.key.split(":", 1)[1])
    if ctx.now - item.due_at > CATCH_UP:
        return "skipped: too late (the bot was down); the next digest covers it"
    if not is_digest_day(ctx.config, day):
        return "skipped: not a working day"
    previous = repo.last_run(session, kind=KIND, before=item.due_at)
    since = previous.done_at if previous else ctx.now - timedelta(days=1)
    params = {"day": day.isoformat(), "since": since.isoformat(), "until": ctx.now.isoformat()}
    key = digest_key(day)
    notices.enqueue(
        session,
        stream=STREAM,
        op="post",
        channel=ctx.config.orders_channel,
        target_key=f"{key}:channel",
        kind=MessageKind.DIGEST,
        params=params,
        now=ctx.now,
    )
    people = people_with_work(session, ctx, team_members) if ctx.config.schedule.personal_digest else {}
    for user, teams in people.items():
        notices.direct(
            session,
            user,
            MessageKind.DIGEST_DM,
            ctx.now,
            key=f"{key}:dm:{user}",
            person=user,
            teams=teams,
            **params,
        )
    return f"sent: channel digest and {len(people)} direct message(s)"


HANDLERS = {KIND: _send}
