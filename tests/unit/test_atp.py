"""Available to promise and the capacity-aware earliest date, with figures worked out by hand.

The seed's line: GBX-100 agreed 900 a month, capacity target 950 (900 × 1.055 rounded up).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlmodel import Session

from storage.db import session_scope
from storage.models import ConfirmationRequest, Order, OrderStatus
from storage.review_models import ReviewPlan
from tests.conftest import MANAGER, SALES, make_config
from workflows import atp
from workflows.atp import Step
from workflows.context import Context

NOW = datetime(2027, 1, 4, 2, 0, tzinfo=UTC)  # 4 January 2027, 10:00 in Asia/Shanghai
LINE = "GBX-100"


def plan(session: Session, month: str, *rows: tuple[str, int | None, int | None]) -> None:
    session.add(
        ReviewPlan(
            month=month,
            rows=[{"product": p, "agreed": agreed, "capacity_target": target} for p, agreed, target in rows],
            approved_by=MANAGER,
            approved_at=NOW,
        )
    )


def order(
    session: Session,
    quantity: int,
    committed: date | None,
    *,
    line: str | None = LINE,
    status: str = OrderStatus.COMMITTED,
) -> int:
    row = Order(
        customer="Acme",
        product=line or "free text gearbox",
        product_code=line,
        line=line,
        quantity=quantity,
        requested_date=committed or date(2027, 1, 31),
        salesperson=SALES,
        status=status,
        created_at=NOW,
        updated_at=NOW,
        committed_date=committed,
    )
    session.add(row)
    session.flush()
    return row.id


def seed_january(session: Session) -> tuple[int, int]:
    """January: plan 900 (target 950), committed 500 + 300: 100 left. February: 900, nothing taken."""
    plan(session, "2027-01", (LINE, 900, 950), ("MTR-7", 400, 422))
    plan(session, "2027-02", (LINE, 900, 950))
    first = order(session, 500, date(2027, 1, 10))
    second = order(session, 300, date(2027, 1, 31))
    return first, second


def test_available_is_agreed_minus_what_is_committed_for_the_month(engine) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        seed_january(session)
        # none of these take January's GBX-100 quantity
        order(session, 40, date(2027, 1, 15), line="MTR-7")  # another line
        order(session, 40, date(2027, 2, 1))  # February
        order(session, 40, date(2026, 12, 31))  # December
        order(session, 40, date(2027, 1, 15), status=OrderStatus.CANCELLED)
        order(session, 40, None, status=OrderStatus.AWAITING_COMMITMENT)
        order(session, 40, date(2027, 1, 15), line=None)  # free text: on no line
    with session_scope(engine, read_only=True) as session:
        january = atp.availability(session, LINE, "2027-01")
        assert (january.agreed, january.taken, january.available) == (900, 800, 100)
        assert january.reserve == 50  # 950 − 900: not available unless a manager releases it
        assert january.fits(100) and not january.fits(101)
        assert atp.availability(session, LINE, "2027-02").available == 900 - 40
        assert atp.availability(session, "MTR-7", "2027-01").available == 400 - 40


def test_a_delivered_order_still_takes_its_quantity(engine) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        seed_january(session)
        order(session, 60, date(2027, 1, 20), status=OrderStatus.DELIVERED)
    with session_scope(engine, read_only=True) as session:
        assert atp.availability(session, LINE, "2027-01").available == 900 - 500 - 300 - 60


def test_the_released_buffer_adds_the_reserve(engine) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        seed_january(session)
    with session_scope(engine, read_only=True) as session:
        released = atp.availability(session, LINE, "2027-01", release_buffer=True)
        assert released.available == 950 - 800 == 150


def test_an_order_of_250_goes_to_next_month_when_only_100_are_left(engine) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        seed_january(session)
    with session_scope(engine, read_only=True) as session:
        found = atp.earliest_date(session, line=LINE, quantity=250, start=date(2027, 1, 14))
    assert found.date == date(2027, 2, 1)
    assert found.start == date(2027, 1, 14) and found.moved_by_plan
    assert found.steps == (Step("2027-01", 900, 100), Step("2027-02", 900, 900))


def test_an_order_that_fits_keeps_its_date(engine) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        seed_january(session)
    with session_scope(engine, read_only=True) as session:
        found = atp.earliest_date(session, line=LINE, quantity=100, start=date(2027, 1, 14))
    assert found.date == date(2027, 1, 14) and not found.moved_by_plan
    assert found.steps == (Step("2027-01", 900, 100),)


def test_a_month_without_a_plan_does_not_constrain(engine) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        plan(session, "2027-01", (LINE, 900, 950))
        order(session, 500, date(2027, 1, 10))
        order(session, 300, date(2027, 1, 31))
        plan(session, "2027-03", (LINE, 100, 106))  # after the gap: never looked at
    with session_scope(engine, read_only=True) as session:
        # January is short; February has no plan: it does not constrain, so 1 February
        found = atp.earliest_date(session, line=LINE, quantity=250, start=date(2027, 1, 14))
        assert found.date == date(2027, 2, 1)
        assert found.steps == (Step("2027-01", 900, 100), Step("2027-02", None, None))
        # starting in a month without a plan: the date stands, whatever the quantity
        found = atp.earliest_date(session, line=LINE, quantity=10_000, start=date(2027, 2, 9))
        assert found.date == date(2027, 2, 9) and found.steps == (Step("2027-02", None, None),)
        assert atp.availability(session, LINE, "2027-02").available is None


def test_a_plan_without_a_row_or_an_agreed_quantity_for_the_line_does_not_constrain(engine) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        plan(session, "2027-01", ("MTR-7", 10, 11))
        plan(session, "2027-02", (LINE, None, None))  # a row whose inputs were missing
    with session_scope(engine, read_only=True) as session:
        assert atp.earliest_date(session, line=LINE, quantity=999, start=date(2027, 1, 5)).date == date(
            2027, 1, 5
        )
        assert atp.earliest_date(session, line=LINE, quantity=999, start=date(2027, 2, 5)).date == date(
            2027, 2, 5
        )


def test_several_short_months_are_skipped_until_one_has_enough(engine) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        seed_january(session)
        order(session, 700, date(2027, 2, 14))  # February: 900 − 700 = 200 < 250
        plan(session, "2027-03", (LINE, 900, 950))
    with session_scope(engine, read_only=True) as session:
        found = atp.earliest_date(session, line=LINE, quantity=250, start=date(2027, 1, 14))
    assert found.date == date(2027, 3, 1)
    assert [(s.month, s.available) for s in found.steps] == [
        ("2027-01", 100),
        ("2027-02", 200),
        ("2027-03", 900),
    ]


def test_a_product_on_no_line_is_never_moved_by_a_plan(engine) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        seed_january(session)
    with session_scope(engine, read_only=True) as session:
        found = atp.earliest_date(session, line=None, quantity=5_000, start=date(2027, 1, 14))
    assert found.date == date(2027, 1, 14) and found.steps == ()


def test_a_change_frees_its_own_quantity(engine) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        _, second = seed_january(session)
    with session_scope(engine, read_only=True) as session:
        # the 300 order grows to 350: without its own 300, January has 900 − 500 = 400 left
        mine = atp.availability(session, LINE, "2027-01", exclude_order_id=second)
        assert mine.available == 400 and mine.fits(350)
        found = atp.earliest_date(
            session, line=LINE, quantity=350, start=date(2027, 1, 20), exclude_order_id=second
        )
        assert found.date == date(2027, 1, 20) and found.steps == (Step("2027-01", 900, 400),)
        # counted as a new order instead, 350 would not fit the 100 left
        assert atp.earliest_date(session, line=LINE, quantity=350, start=date(2027, 1, 20)).date == date(
            2027, 2, 1
        )


def test_a_change_that_takes_more_than_is_left_needs_a_manager(engine) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        _, second = seed_january(session)
    with session_scope(engine, read_only=True) as session:
        # 300 → 450 in January: only 400 are left once its own 300 are freed
        check = atp.check_promise(
            session,
            line=LINE,
            quantity=450,
            day=date(2027, 1, 31),
            earliest=date(2027, 1, 20),
            exclude_order_id=second,
        )
        assert check.month.available == 400
        assert check.beyond_plan and not check.before_earliest and check.needs_manager
        assert not check.beyond_capacity_target  # 500 + 450 = 950: the released buffer covers it
        check = atp.check_promise(
            session, line=LINE, quantity=451, day=date(2027, 1, 31), earliest=None, exclude_order_id=second
        )
        assert check.beyond_capacity_target  # 951 > 950: over plan even with the buffer
        # 300 → 400 frees nothing and takes nothing beyond: fine
        check = atp.check_promise(
            session, line=LINE, quantity=400, day=date(2027, 1, 31), earliest=None, exclude_order_id=second
        )
        assert not check.needs_manager


def test_a_date_before_the_earliest_needs_a_manager_even_within_the_plan(engine) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        seed_january(session)
    with session_scope(engine, read_only=True) as session:
        check = atp.check_promise(
            session, line=LINE, quantity=50, day=date(2027, 1, 12), earliest=date(2027, 1, 19)
        )
        assert check.before_earliest and not check.beyond_plan and check.needs_manager
        check = atp.check_promise(
            session, line=None, quantity=50, day=date(2027, 1, 19), earliest=date(2027, 1, 19)
        )
        assert check.month is None and not check.needs_manager


class Everyone:
    def expand(self, member_ids: list[str]) -> set[str]:
        return set(member_ids)


def answered(lead_time: int, material: date | None) -> dict[str, ConfirmationRequest]:
    common = dict(order_id=1, revision=1, requested_at=NOW, due_at=NOW, answered_at=NOW, can_do=True)
    return {
        "production": ConfirmationRequest(team="production", lead_time_days=lead_time, **common),
        "supply": ConfirmationRequest(team="supply", material_date=material, **common),
    }


def test_capacity_aware_earliest_starts_from_materials_and_lead_time(engine) -> None:  # noqa: ANN001
    ctx = Context(config=make_config(), directory=Everyone(), now=NOW)  # today: 4 January 2027
    with session_scope(engine) as session:
        seed_january(session)
        new = Order(
            customer="Beta", product=LINE, product_code=LINE, line=LINE, quantity=250,
            requested_date=date(2027, 1, 20), salesperson=SALES, created_at=NOW, updated_at=NOW,
        )  # fmt: skip
        # materials on 8 January + 10 days' lead time = 18 January; January has 100 left → 1 February
        found = atp.capacity_aware_earliest(session, ctx, new, answered(10, date(2027, 1, 8)))
        assert (found.start, found.date) == (date(2027, 1, 18), date(2027, 2, 1))
        # 80 of it fit January: the date stays the 18th
        found = atp.capacity_aware_earliest(session, ctx, new, answered(10, date(2027, 1, 8)), quantity=80)
        assert found.date == date(2027, 1, 18)
        # materials already there (no date): today + 10 days = 14 January
        assert atp.capacity_aware_earliest(session, ctx, new, answered(10, None), quantity=80).date == date(
            2027, 1, 14
        )
        # not both teams said yes: no earliest date yet
        requests = answered(10, None)
        requests["supply"].can_do = False
        assert atp.capacity_aware_earliest(session, ctx, new, requests) is None


def test_months_roll_over_the_year() -> None:
    assert atp.next_month("2026-12") == "2027-01"
    assert atp.last_day("2028-02") == date(2028, 2, 29)
    assert atp.month_key(date(2027, 1, 31)) == "2027-01"


def test_the_benchmark_counts_the_month_right_and_reads_an_index_range() -> None:
    """The benchmark on a tiny size (its timing bar is checked by `python -m benchmarks`)."""
    from benchmarks import atp as bench

    figures = bench.measure(orders=2_000, repeats=2)  # measure() itself checks the sum against the seed
    assert figures["taken"] > 0 and figures["in_range"] > 0
    assert bench.uses_index_range(figures["query_plan"]), figures["query_plan"]
    assert not bench.uses_index_range(["SCAN orders"])
