"""After-commitment rules without Slack: materials, delivery, problems and the late-material check."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlmodel import Session

from storage import after_commit_repo as store
from storage import repo
from storage.models import DueItem, Order, OrderEvent, OrderStatus
from tests.conftest import MANAGER, OUTSIDER, PRODUCTION_A, PRODUCTION_B, SALES, SUPPLY
from tests.unit.test_orders import NOW, awaiting_commitment, ctx, outbox, session  # noqa: F401
from workflows import after_commit, due, orders
from workflows.enums import Act
from workflows.permissions import Refusal

PROMISED = date(2026, 12, 5)  # supply's material date in awaiting_commitment()
FLAG_AT = datetime(2026, 12, 6, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai the day after the promise
MEMBERS = {"production": {PRODUCTION_A, PRODUCTION_B}, "supply": {SUPPLY}, "managers": {MANAGER}}


def committed(session: Session) -> Order:  # noqa: F811
    order = awaiting_commitment(session)
    return orders.commit_order(
        session, ctx(), actor=SALES, order_id=order.id, revision=1, committed=date(2026, 12, 16), notes=""
    )


def events(session: Session, kind: str) -> list[OrderEvent]:  # noqa: F811
    return list(session.execute(select(OrderEvent).where(OrderEvent.kind == kind)).scalars())


def sweep(session: Session, now: datetime) -> list[str]:  # noqa: F811
    lines = due.run_due(session, ctx(now), team_members=MEMBERS)
    return [line for line in lines if ":materials-late:" in line]


def days_later(days: int) -> datetime:
    return NOW + timedelta(days=days)


@contextmanager
def refused(code: str, **data: object) -> Iterator[None]:
    """The rules refuse with `code` and exactly this data (bot/ words it)."""
    with pytest.raises(Refusal) as caught:
        yield
    assert (caught.value.code, caught.value.data) == (code, data)


# -- commitment ---------------------------------------------------------------------------------


def test_committing_posts_the_after_commitment_message_and_schedules_the_material_check(session) -> None:  # noqa: ANN001, F811
    order = committed(session)
    assert ("post", "after_commit", "order:1:after") in outbox(session)
    item = session.execute(select(DueItem).where(DueItem.kind == after_commit.MATERIALS_LATE)).scalar_one()
    assert (item.key, item.due_at, item.ref_id) == ("order:1:materials-late:2026-12-05", FLAG_AT, order.id)


# -- materials arrived --------------------------------------------------------------------------


def test_recording_materials_compares_with_the_promised_date(session) -> None:  # noqa: ANN001, F811
    order = committed(session)
    after_commit.record_materials(
        session, ctx(days_later(13)), actor=SUPPLY, order_id=order.id, arrived=date(2026, 12, 7), notes="x"
    )
    assert (order.materials_arrived_date, order.materials_recorded_by) == (date(2026, 12, 7), SUPPLY)
    [event] = events(session, "materials_arrived")
    assert event.data == {"date": "2026-12-07", "promised": "2026-12-05", "late": True, "notes": "x"}


def test_materials_are_recorded_once_and_the_second_try_names_who_and_when(session) -> None:  # noqa: ANN001, F811
    order = committed(session)
    after_commit.record_materials(
        session, ctx(), actor=SUPPLY, order_id=order.id, arrived=NOW.date(), notes=""
    )
    with refused(
        "materials_already_recorded",
        user="U03",
        order="CO-0001",
        arrived="2026-11-25",
        at="2026-11-25 09:00 Asia/Shanghai",
    ):
        after_commit.record_materials(
            session, ctx(), actor=SUPPLY, order_id=order.id, arrived=NOW.date(), notes=""
        )
    assert len(events(session, "materials_arrived")) == 1


@pytest.mark.parametrize("user", [SALES, PRODUCTION_A, MANAGER, OUTSIDER])
def test_only_supply_records_materials(session, user) -> None:  # noqa: ANN001, F811
    order = committed(session)
    with refused("not_in_team", team="supply", act=Act.RECORD_MATERIALS, by_group=False):
        after_commit.check_can_record_materials(session, ctx(), actor=user, order_id=order.id)


def test_nothing_is_recorded_before_commitment(session) -> None:  # noqa: ANN001, F811
    order = awaiting_commitment(session)
    with refused("not_committed_yet", order="CO-0001", act=Act.RECORD_MATERIALS):
        after_commit.check_can_record_materials(session, ctx(), actor=SUPPLY, order_id=order.id)


@pytest.mark.parametrize(
    ("arrived", "error"),
    [
        (None, ("date_missing", {})),
        (date(2026, 11, 26), ("date_in_future", {"today": "2026-11-25"})),
        (date(2025, 11, 23), ("date_too_old", {})),
    ],
)
def test_arrival_dates_must_be_plausible(arrived, error) -> None:  # noqa: ANN001
    value, errors = after_commit.arrival_input(arrived=arrived, notes="", today=NOW.date())
    assert value is None and errors == {"arrived_date": error}


# -- delivered ----------------------------------------------------------------------------------


def test_delivery_closes_the_order_and_records_lateness(session) -> None:  # noqa: ANN001, F811
    order = committed(session)
    after_commit.record_delivery(
        session, ctx(days_later(25)), actor=SALES, order_id=order.id, delivered=date(2026, 12, 18)
    )
    assert (order.status, order.delivered_date, order.delivered_by) == (
        OrderStatus.DELIVERED,
        date(2026, 12, 18),
        SALES,
    )
    assert events(session, "delivered")[0].data == {
        "date": "2026-12-18",
        "committed": "2026-12-16",
        "late": True,
    }


def test_a_delivered_order_cannot_be_delivered_revised_or_cancelled_again(session) -> None:  # noqa: ANN001, F811
    order = committed(session)
    after_commit.record_delivery(session, ctx(), actor=SALES, order_id=order.id, delivered=NOW.date())
    with refused(
        "already_delivered",
        user="U01",
        order="CO-0001",
        delivered="2026-11-25",
        at="2026-11-25 09:00 Asia/Shanghai",
    ):
        after_commit.check_can_deliver(session, ctx(), actor=SALES, order_id=order.id)
    with refused("order_closed", order="CO-0001", status=OrderStatus.DELIVERED, act=Act.CANCEL):
        orders.check_can_change(session, ctx(), actor=SALES, order_id=order.id, doing=Act.CANCEL)


@pytest.mark.parametrize("user", [PRODUCTION_A, SUPPLY, OUTSIDER])
def test_only_sales_records_the_delivery(session, user) -> None:  # noqa: ANN001, F811
    order = committed(session)
    with refused("not_sales", act=Act.RECORD_DELIVERY):
        after_commit.record_delivery(session, ctx(), actor=user, order_id=order.id, delivered=NOW.date())
    assert order.status == OrderStatus.COMMITTED


# -- problems -----------------------------------------------------------------------------------


def test_a_problem_stays_open_until_the_owning_team_resolves_it(session) -> None:  # noqa: ANN001, F811
    order = committed(session)
    problem = after_commit.raise_problem(
        session, ctx(), actor=SALES, order_id=order.id, description="Paint", team="production"
    )
    assert store.count_open_problems(session, order.id) == 1
    assert ("post", "problem", f"order:1:problem:{problem.id}") in outbox(session)
    with refused("not_in_team", team="production", act=Act.RESOLVE_PROBLEM, by_group=True):
        after_commit.resolve_problem(session, ctx(), actor=SALES, problem_id=problem.id)
    after_commit.resolve_problem(session, ctx(days_later(1)), actor=PRODUCTION_B, problem_id=problem.id)
    assert (problem.resolved_by, problem.resolved_at) == (PRODUCTION_B, days_later(1))
    assert store.count_open_problems(session, order.id) == 0
    with refused("problem_already_resolved", user="U06", at="2026-11-26 09:00 Asia/Shanghai"):
        after_commit.resolve_problem(session, ctx(), actor=PRODUCTION_A, problem_id=problem.id)
    assert [len(events(session, k)) for k in ("problem_raised", "problem_resolved")] == [1, 1]


@pytest.mark.parametrize("user", [MANAGER, OUTSIDER])
def test_only_the_three_teams_raise_problems(session, user) -> None:  # noqa: ANN001, F811
    order = committed(session)
    with refused("cannot_raise_problem"):
        after_commit.raise_problem(
            session, ctx(), actor=user, order_id=order.id, description="x", team="supply"
        )


def test_a_problem_needs_a_description_and_one_of_the_three_teams() -> None:
    assert after_commit.problem_input(description="Late paint", team="supply") == (
        ("Late paint", "supply"),
        {},
    )
    value, errors = after_commit.problem_input(description="  ", team="managers")
    assert value is None and set(errors) == {"problem", "team"}
    assert errors["team"] == ("choose_team", {})


# -- the late-material check --------------------------------------------------------------------


def test_no_arrival_by_the_morning_after_the_promise_is_flagged_once(session) -> None:  # noqa: ANN001, F811
    committed(session)
    assert sweep(session, FLAG_AT - timedelta(seconds=1)) == []
    assert sweep(session, FLAG_AT) == ["order:1:materials-late:2026-12-05: sent: late material flag"]
    assert ("post", "materials_late", "order:1:materials-late:2026-12-05") in outbox(session)
    assert [e.data for e in events(session, "materials_late")] == [{"promised": "2026-12-05"}]
    assert sweep(session, FLAG_AT + timedelta(days=5)) == []


def test_a_recorded_arrival_or_a_delivery_skips_the_flag(session) -> None:  # noqa: ANN001, F811
    order = committed(session)
    after_commit.record_materials(
        session, ctx(), actor=SUPPLY, order_id=order.id, arrived=NOW.date(), notes=""
    )
    assert sweep(session, FLAG_AT) == ["order:1:materials-late:2026-12-05: skipped: materials arrived"]
    assert events(session, "materials_late") == []


def test_a_later_promise_moves_the_check(session) -> None:  # noqa: ANN001, F811
    order = committed(session)
    store.supply_request(session, order).material_date = date(2026, 12, 9)
    assert sweep(session, FLAG_AT) == [
        "order:1:materials-late:2026-12-05: skipped: promise moved to 2026-12-09; checked then"
    ]
    moved = datetime(2026, 12, 10, 1, 0, tzinfo=UTC)
    assert sweep(session, moved) == ["order:1:materials-late:2026-12-09: sent: late material flag"]


def test_delivered_orders_are_never_flagged(session) -> None:  # noqa: ANN001, F811
    order = committed(session)
    after_commit.record_delivery(session, ctx(), actor=SALES, order_id=order.id, delivered=NOW.date())
    assert sweep(session, FLAG_AT) == ["order:1:materials-late:2026-12-05: skipped: order delivered"]
    assert repo.get_order(session, order.id).status == OrderStatus.DELIVERED


def test_the_digest_lists_late_materials_only_once_supply_can_record_the_arrival(session: Session) -> None:  # noqa: F811
    from workflows import digest

    order = awaiting_commitment(session)  # materials promised for PROMISED; sales has not committed
    later = NOW + timedelta(days=(PROMISED - NOW.date()).days + 3)
    with pytest.raises(Refusal):  # arrival is recorded after commitment
        after_commit.record_materials(
            session, ctx(later), actor=SUPPLY, order_id=order.id, arrived=PROMISED, notes=""
        )
    assert [s for s in digest.build(session, ctx().config, later).sections if s.key == "materials"] == []


# -- "materials late": one rule for the card, the flag and the digest's SQL -----------------------

SHANGHAI_MORNING = [  # (moment, promised days late then, by hand: late from 09:00 local the day after)
    (datetime(2026, 12, 5, 15, 59, tzinfo=UTC), {date(2026, 12, 4)}),  # Sat 5 Dec 23:59 local
    (datetime(2026, 12, 6, 0, 59, tzinfo=UTC), {date(2026, 12, 4)}),  # Sun 6 Dec 08:59 local
    (datetime(2026, 12, 6, 1, 0, tzinfo=UTC), {date(2026, 12, 4), date(2026, 12, 5)}),  # Sun 09:00 local
    (datetime(2026, 12, 6, 15, 59, tzinfo=UTC), {date(2026, 12, 4), date(2026, 12, 5)}),  # Sun 23:59 local
    (datetime(2026, 12, 6, 16, 0, tzinfo=UTC), {date(2026, 12, 4), date(2026, 12, 5)}),  # Mon 00:00 local
]


@pytest.mark.parametrize(("moment", "late"), SHANGHAI_MORNING)
@pytest.mark.parametrize("promised", [date(2026, 12, 4), date(2026, 12, 5), date(2026, 12, 6)])
def test_card_flag_and_digest_sql_agree_on_the_boundary_days(session, moment, late, promised) -> None:  # noqa: ANN001, F811
    from bot.after_commit.renderers import facts
    from storage import digest_repo

    order = committed(session)
    store.supply_request(session, order).material_date = promised
    session.flush()
    config = ctx().config
    expected = promised in late
    python = after_commit.materials_late(order, promised, config=config, now=moment)
    cutoff = after_commit.late_if_promised_before(config, moment)
    rows, total = digest_repo.late_materials(session, late_before=cutoff, limit=10)
    card = facts(session, order, config, moment).late
    flag_due = after_commit.material_check_moment(config, promised) <= moment
    assert (python, bool(total), card, flag_due) == (expected, expected, expected, expected)
    assert [row[0].id for row in rows] == ([order.id] if expected else [])


def test_the_flag_is_raised_exactly_when_the_card_starts_saying_late(session) -> None:  # noqa: ANN001, F811
    from bot.after_commit.renderers import facts

    order = committed(session)
    config = ctx().config
    assert not facts(session, order, config, FLAG_AT - timedelta(seconds=1)).late
    assert sweep(session, FLAG_AT - timedelta(seconds=1)) == []
    assert facts(session, order, config, FLAG_AT).late
    assert sweep(session, FLAG_AT) == ["order:1:materials-late:2026-12-05: sent: late material flag"]


def test_materials_are_not_late_once_they_arrived_or_the_order_is_closed(session) -> None:  # noqa: ANN001, F811
    order = committed(session)
    config, later = ctx().config, FLAG_AT + timedelta(days=3)
    assert after_commit.materials_late(order, PROMISED, config=config, now=later)
    assert not after_commit.materials_late(order, None, config=config, now=later)
    order.materials_arrived_date = PROMISED
    assert not after_commit.materials_late(order, PROMISED, config=config, now=later)
    order.materials_arrived_date, order.status = None, OrderStatus.DELIVERED
    assert not after_commit.materials_late(order, PROMISED, config=config, now=later)


def test_the_after_commitment_forms_errors_are_worded_in_the_readers_language() -> None:
    from datetime import date as day

    from bot.after_commit.refusals import field_errors
    from bot.text import language
    from workflows import changes as change_rules

    _, problem = after_commit.problem_input(description="  ", team="supply")
    _, edit = change_rules.edit_input(quantity="many", delivery_date=None, reason="", today=day(2026, 11, 25))
    with language("zh_CN"):
        assert field_errors(problem) == {"problem": "请填写问题。"}
        worded = field_errors(edit)
    assert worded["delivery_date"] == "请选择交货日期。" and worded["reason"] == "请填写变更原因。"
    assert "250" in worded["quantity"] and not any(c.isascii() and c.isalpha() for c in worded["quantity"])
    with language("en"):
        assert field_errors(edit)["reason"] == "Enter the reason for the change."
