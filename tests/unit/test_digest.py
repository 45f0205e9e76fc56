"""The digest's content (workflows.digest.build and its Block Kit) and its planning, on hand-made rows."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from bot.digest.blocks import digest_message, personal_message
from storage import due as due_items
from storage import repo
from storage.db import session_scope
from storage.models import (
    ChangeAck,
    ConfirmationRequest,
    DueItem,
    Order,
    OrderChange,
    OrderEvent,
    OrderStatus,
    PostedMessage,
    Problem,
)
from tests.conftest import ORDERS, PRODUCTION_A, SALES, SUPPLY, make_config
from workflows import digest
from workflows.context import Context

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # Wed 25 Nov 2026, 09:00 in Asia/Shanghai
TODAY = date(2026, 11, 25)
S = OrderStatus


# -- hand-made rows (also used by the end-to-end digest tests) ---------------------------------


def add_order(session, status: str = S.AWAITING_CONFIRMATION, **fields) -> Order:  # noqa: ANN001
    values = {
        "customer": "ACME Gears",
        "product": "GBX-100",
        "quantity": 250,
        "requested_date": date(2026, 12, 20),
        "salesperson": SALES,
        "created_at": NOW - timedelta(days=2),
        "updated_at": NOW - timedelta(days=2),
        **fields,
    }
    return repo.add_order(session, Order(status=status, **values))


def add_request(session, order: Order, team: str, due_at: datetime, **fields) -> ConfirmationRequest:  # noqa: ANN001
    values = {"revision": order.revision, "requested_at": due_at - timedelta(hours=24), **fields}
    request = ConfirmationRequest(order_id=order.id, team=team, due_at=due_at, **values)
    session.add(request)
    session.flush()
    return request


def waiting_order(session, due_at: datetime, **fields) -> Order:  # noqa: ANN001
    """An order both teams still owe an answer to, by `due_at`."""
    order = add_order(session, **fields)
    add_request(session, order, "production", due_at)
    add_request(session, order, "supply", due_at)
    return order


def post_card(session, order: Order) -> str:  # noqa: ANN001
    """Pretend the order's card was posted, so links to its thread can be built."""
    ts = f"1764032400.{order.id:06d}"
    session.add(PostedMessage(key=f"order:{order.id}:card", channel=ORDERS, ts=ts))
    session.flush()
    return f"https://slack.com/archives/{ORDERS}/p{ts.replace('.', '')}"


def add_event(session, order: Order, kind: str, at: datetime) -> None:  # noqa: ANN001
    session.add(OrderEvent(order_id=order.id, at=at, kind=kind, data={}))
    session.flush()


@pytest.fixture
def session(engine):  # noqa: ANN001, ANN201
    with session_scope(engine) as session:
        yield session


CONFIG = make_config()


def build(session, now: datetime = NOW, **kw) -> digest.Digest:  # noqa: ANN001
    return digest.build(session, CONFIG, now, **kw)


def section(found: digest.Digest, key: str) -> digest.Section:
    matches = [s for s in found.sections if s.key == key]
    assert matches, f"no {key} section in {[s.key for s in found.sections]}"
    return matches[0]


def numbers(part: digest.Section) -> list[str]:
    return [item.order.number for item in part.items]


def text_of(message: dict) -> str:
    return "\n".join(
        b.get("text", {}).get("text", "") or " ".join(e.get("text", "") for e in b.get("elements", []))
        for b in message["blocks"]
    )


# -- content -------------------------------------------------------------------------------------


def test_requests_waiting_per_team_soonest_deadline_first_with_time_left(session) -> None:  # noqa: ANN001
    later = waiting_order(session, NOW + timedelta(hours=20))
    sooner = waiting_order(session, NOW + timedelta(hours=3, minutes=30))
    found = build(session)
    assert numbers(section(found, "production")) == [sooner.number, later.number]
    assert numbers(section(found, "supply")) == [sooner.number, later.number]
    text = text_of(digest_message(found, {}))
    assert "3h 30m left" in text and "20h 0m left" in text


def test_overdue_requests_listed_oldest_first_and_not_as_waiting(session) -> None:  # noqa: ANN001
    newer = add_order(session)
    add_request(session, newer, "supply", NOW - timedelta(hours=2))
    older = add_order(session)
    add_request(session, older, "production", NOW - timedelta(days=1, hours=3))
    found = build(session)
    assert numbers(section(found, "overdue")) == [older.number, newer.number]
    assert [s.key for s in found.sections if s.key in ("production", "supply")] == []
    assert "overdue by 1d 3h" in text_of(digest_message(found, {}))


def test_answered_superseded_old_revision_and_cancelled_requests_wait_on_nobody(session) -> None:  # noqa: ANN001
    due = NOW + timedelta(hours=5)
    add_request(session, add_order(session), "production", due, answered_at=NOW, can_do=True)
    add_request(session, add_order(session), "production", due, superseded=True)
    add_request(session, add_order(session, revision=2), "production", due, revision=1)
    add_request(session, add_order(session, S.CANCELLED), "production", due)
    assert build(session).sections == []


def test_orders_waiting_for_sales_to_commit_longest_waiting_first(session) -> None:  # noqa: ANN001
    recent = add_order(session, S.AWAITING_COMMITMENT, updated_at=NOW - timedelta(hours=1))
    waiting_long = add_order(session, S.AWAITING_COMMITMENT, updated_at=NOW - timedelta(days=3))
    found = build(session)
    assert numbers(section(found, "commit")) == [waiting_long.number, recent.number]
    assert f"<@{SALES}>" in text_of(digest_message(found, {}))


def add_change(session, order: Order, acked: dict[str, datetime | None], due_at: datetime) -> None:  # noqa: ANN001
    change = OrderChange(
        order_id=order.id,
        requested_by=SALES,
        requested_at=due_at - timedelta(hours=24),
        before={"quantity": 250, "committed_date": "2026-12-16"},
        after={"quantity": 300, "committed_date": "2026-12-16"},
    )
    session.add(change)
    session.flush()
    for team, acked_at in acked.items():
        session.add(
            ChangeAck(change_id=change.id, order_id=order.id, team=team, due_at=due_at, acked_at=acked_at)
        )
    session.flush()


def test_pending_changes_list_each_team_that_has_not_acknowledged(session) -> None:  # noqa: ANN001
    order = add_order(session, S.COMMITTED, committed_date=date(2026, 12, 16))
    add_change(
        session, order, {"production": NOW - timedelta(hours=1), "supply": None}, NOW + timedelta(hours=6)
    )
    part = section(build(session), "acks")
    assert [(i.order.number, i.team) for i in part.items] == [(order.number, "supply")]
    text = text_of(digest_message(build(session), {}))
    assert "quantity 250 → 300" in text and "committed date" not in text and "6h 0m left" in text


def test_deliveries_due_within_seven_days_including_undelivered_past_ones(session) -> None:  # noqa: ANN001
    def committed(day: date, **fields) -> Order:  # noqa: ANN003
        return add_order(session, S.COMMITTED, committed_date=day, **fields)

    past = committed(TODAY - timedelta(days=1))
    today = committed(TODAY)
    in_seven = committed(TODAY + timedelta(days=7))
    committed(TODAY + timedelta(days=8))
    add_order(session, S.DELIVERED, committed_date=TODAY, delivered_date=TODAY)
    found = build(session)
    assert numbers(section(found, "deliveries")) == [past.number, today.number, in_seven.number]
    lines = text_of(digest_message(found, {})).splitlines()
    assert "not delivered yet" in next(line for line in lines if past.number in line)
    assert "not delivered yet" not in next(line for line in lines if f"{today.number} " in line)


def test_late_material_arrivals_are_promised_dates_passed_without_an_arrival(session) -> None:  # noqa: ANN001
    def promised(day: date, **fields) -> Order:  # noqa: ANN003
        order = add_order(session, S.COMMITTED, committed_date=date(2026, 12, 16), **fields)
        add_request(
            session, order, "supply", NOW - timedelta(days=5), answered_at=NOW, can_do=True, material_date=day
        )
        return order

    late = promised(TODAY - timedelta(days=3))
    promised(TODAY)  # due today: not late yet
    promised(TODAY - timedelta(days=3), materials_arrived_date=TODAY - timedelta(days=1))
    found = build(session)
    assert numbers(section(found, "materials")) == [late.number]
    assert "3 days late" in text_of(digest_message(found, {}))


def test_open_problems_name_their_team_until_resolved(session) -> None:  # noqa: ANN001
    order = add_order(session, S.COMMITTED, committed_date=date(2026, 12, 16))
    raised = {"order_id": order.id, "raised_by": SALES, "raised_at": NOW - timedelta(days=1)}
    session.add(Problem(team="supply", description="Steel <b> grade", **raised))
    session.add(Problem(team="production", description="Fixed", resolved_at=NOW, resolved_by="U05", **raised))
    session.flush()
    found = build(session)
    assert [(i.team, i.text) for i in section(found, "problems").items] == [("supply", "Steel <b> grade")]
    assert "*Supply* must act: Steel &lt;b&gt; grade" in text_of(digest_message(found, {}))


def test_what_changed_covers_exactly_the_window_by_kind(session) -> None:  # noqa: ANN001
    since = NOW - timedelta(days=1)
    new, committed, delivered, cancelled, before = (add_order(session) for _ in range(5))
    add_event(session, new, "registered", since)
    add_event(session, committed, "committed", NOW - timedelta(hours=1))
    add_event(session, delivered, "delivered", NOW - timedelta(hours=2))
    add_event(session, cancelled, "cancelled", NOW - timedelta(hours=3))
    add_event(session, before, "registered", since - timedelta(seconds=1))
    add_event(session, new, "production_answered", NOW - timedelta(hours=1))  # not a headline change
    found = build(session, window=(since, NOW))
    assert {k: [o.number for o in v] for k, v in found.changes.items()} == {
        "registered": [new.number],
        "committed": [committed.number],
        "delivered": [delivered.number],
        "cancelled": [cancelled.number],
    }
    text = text_of(digest_message(found, {}))
    assert "New (1)" in text and "Delivered (1)" in text and before.number not in text


def test_every_item_links_to_its_order_thread(session) -> None:  # noqa: ANN001
    order = waiting_order(session, NOW + timedelta(hours=5))
    add_event(session, order, "registered", NOW - timedelta(hours=1))
    link = post_card(session, order)
    found = build(session, window=(NOW - timedelta(days=1), NOW))
    text = text_of(digest_message(found, {order.id: link}))
    assert text.count(f"<{link}|{order.number}>") == 3  # production, supply, and "new"


def test_a_section_shows_the_most_urgent_few_and_counts_the_rest(session) -> None:  # noqa: ANN001
    orders = [waiting_order(session, NOW + timedelta(hours=1 + i)) for i in range(12)]
    found = build(session)
    part = section(found, "production")
    assert part.total == 12 and numbers(part) == [o.number for o in orders[: digest.URGENT]]
    assert f"{12 - digest.URGENT} more not shown. `/order list`" in text_of(digest_message(found, {}))


def test_personal_scope_shows_only_the_persons_teams_and_own_orders(session) -> None:  # noqa: ANN001
    waiting_order(session, NOW + timedelta(hours=5))
    mine = add_order(session, S.AWAITING_COMMITMENT)
    add_order(session, S.AWAITING_COMMITMENT, salesperson="U77")
    production = build(session, scope=digest.Scope(teams=("production",), user=PRODUCTION_A))
    assert [s.key for s in production.sections] == ["production"]
    sales = build(session, scope=digest.Scope(teams=("sales",), user=SALES))
    assert [(s.key, numbers(s)) for s in sales.sections] == [("commit", [mine.number])]
    assert (
        "<@U05> 1 item waits on you"
        in personal_message(production, PRODUCTION_A, {})["blocks"][0]["text"]["text"]
    )


def test_people_with_work_are_the_teams_owing_answers_and_salespeople_owing_dates(session) -> None:  # noqa: ANN001
    order = add_order(session)
    add_request(session, order, "supply", NOW + timedelta(hours=5))
    add_order(session, S.AWAITING_COMMITMENT, salesperson="U77")
    members = {"sales": {SALES}, "production": {PRODUCTION_A}, "supply": {SUPPLY}, "managers": {"U04"}}
    ctx = Context(config=CONFIG, directory=None, now=NOW)
    assert digest.people_with_work(session, ctx, members) == {SUPPLY: ["supply"], "U77": []}


# -- when --------------------------------------------------------------------------------------


def planned(session) -> list[tuple[str, datetime]]:  # noqa: ANN001
    return [(i.key, i.due_at) for i in session.exec(select(DueItem).order_by(DueItem.due_at))]


def test_plan_schedules_today_and_tomorrow_at_digest_time_in_the_configured_zone(session) -> None:  # noqa: ANN001
    digest.plan(session, Context(config=CONFIG, directory=None, now=NOW - timedelta(hours=3)))
    assert planned(session) == [
        ("digest:2026-11-25", datetime(2026, 11, 25, 1, 0, tzinfo=UTC)),
        ("digest:2026-11-26", datetime(2026, 11, 26, 1, 0, tzinfo=UTC)),
    ]


def test_plan_does_not_schedule_a_digest_passed_by_more_than_the_catch_up_window(session) -> None:  # noqa: ANN001
    digest.plan(
        session, Context(config=CONFIG, directory=None, now=NOW + digest.CATCH_UP + timedelta(minutes=1))
    )
    assert [key for key, _ in planned(session)] == ["digest:2026-11-26"]


def test_plan_skips_non_working_days_when_a_working_calendar_is_set(session) -> None:  # noqa: ANN001
    config = make_config(sla={"working_hours": "09:00-18:00", "holidays": ["2026-11-30"]})
    friday = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
    for days in range(4):  # Fri, Sat, Sun, Mon (a holiday); on Monday, Tuesday's is planned
        digest.plan(session, Context(config=config, directory=None, now=friday + timedelta(days=days)))
    assert [key for key, _ in planned(session)] == ["digest:2026-11-27", "digest:2026-12-01"]


def test_without_a_working_calendar_every_day_has_a_digest(session) -> None:  # noqa: ANN001
    saturday = datetime(2026, 11, 28, 0, 0, tzinfo=UTC)
    digest.plan(session, Context(config=CONFIG, directory=None, now=saturday))
    assert [key for key, _ in planned(session)] == ["digest:2026-11-28", "digest:2026-11-29"]


def test_a_stale_digest_item_is_skipped_not_sent(session) -> None:  # noqa: ANN001
    due_items.schedule(session, key="digest:2026-11-23", kind=digest.KIND, due_at=NOW - timedelta(days=2))
    ctx = Context(config=CONFIG, directory=None, now=NOW)
    [item] = due_items.claim_due(session, now=NOW)
    assert digest.HANDLERS[digest.KIND](session, ctx, item, {}).startswith("skipped: too late")


def test_a_digest_planned_before_a_day_became_a_holiday_is_skipped(session) -> None:  # noqa: ANN001
    due_items.schedule(session, key="digest:2026-11-25", kind=digest.KIND, due_at=NOW)
    config = make_config(sla={"working_hours": "09:00-18:00", "holidays": ["2026-11-25"]})
    [item] = due_items.claim_due(session, now=NOW)
    outcome = digest.HANDLERS[digest.KIND](session, Context(config=config, directory=None, now=NOW), item, {})
    assert outcome == "skipped: not a working day"


def test_a_cn_make_up_saturday_has_a_digest_and_spring_festival_has_none(session) -> None:  # noqa: ANN001
    config = make_config(sla={"working_hours": "09:00-18:00", "holidays": "CN"})
    friday = datetime(2026, 2, 13, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai
    for days in range(4):  # Fri 13, Sat 14 (make-up working day), Sun 15, Mon 16 (Spring Festival)
        digest.plan(session, Context(config=config, directory=None, now=friday + timedelta(days=days)))
    assert [key for key, _ in planned(session)] == ["digest:2026-02-13", "digest:2026-02-14"]
