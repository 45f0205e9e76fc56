"""On-time delivery to the promise in force: the first committed date, moved only by the customer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from alembic import command
from sqlalchemy import text

from storage.db import alembic_config, make_engine
from storage.models import ChangeOrigin, Order, OrderChange, OrderStatus
from tests.conftest import SALES
from workflows.promise import first_committed_date, internal_date_moves, on_time, promise_in_force

AT = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)
CUSTOMER, INTERNAL = ChangeOrigin.CUSTOMER, ChangeOrigin.INTERNAL


def delivered(committed: date, on: date | None) -> Order:
    return Order(
        customer="Acme",
        product="GBX-100",
        quantity=100,
        requested_date=committed,
        salesperson=SALES,
        status=OrderStatus.DELIVERED if on else OrderStatus.COMMITTED,
        committed_date=committed,
        delivered_date=on,
    )


def change(
    n: int, before: date, after: date, origin: str, *, quantity: tuple[int, int] = (100, 100)
) -> OrderChange:
    return OrderChange(
        id=n,
        order_id=1,
        requested_by=SALES,
        requested_at=AT + timedelta(days=n),
        before={"quantity": quantity[0], "committed_date": before.isoformat()},
        after={"quantity": quantity[1], "committed_date": after.isoformat()},
        origin=origin,
    )


D10, D15, D20, D25 = (date(2026, 12, d) for d in (10, 15, 20, 25))


def test_without_changes_the_promise_is_the_committed_date() -> None:
    assert promise_in_force(delivered(D10, D10), []) == D10
    assert on_time(delivered(D10, D10), []) is True
    assert on_time(delivered(D10, D15), []) is False


def test_an_internal_move_does_not_move_the_target() -> None:
    # committed for the 10th; moved to the 20th because production slipped; delivered on the 20th: late
    order = delivered(D20, D20)
    changes = [change(1, D10, D20, INTERNAL)]
    assert first_committed_date(order, changes) == D10
    assert promise_in_force(order, changes) == D10
    assert on_time(order, changes) is False
    assert internal_date_moves(changes) == 1


def test_a_customer_move_moves_the_target() -> None:
    order = delivered(D20, D20)
    changes = [change(1, D10, D20, CUSTOMER)]
    assert promise_in_force(order, changes) == D20
    assert on_time(order, changes) is True
    assert internal_date_moves(changes) == 0


def test_across_customer_and_internal_changes_only_the_customers_dates_count() -> None:
    # 10th → (customer) 15th → (internal) 20th → (customer, quantity only) → (internal) 25th
    changes = [
        change(1, D10, D15, CUSTOMER),
        change(2, D15, D20, INTERNAL),
        change(3, D20, D20, CUSTOMER, quantity=(100, 120)),  # the customer asked more, not a new date
        change(4, D20, D25, INTERNAL),
    ]
    order = delivered(D25, D15)
    assert promise_in_force(order, changes) == D15
    assert on_time(order, changes) is True  # delivered on the 15th: the customer's date
    assert on_time(delivered(D25, D20), changes) is False  # the 20th was an internal move
    assert on_time(delivered(D25, D25), changes) is False
    assert internal_date_moves(changes) == 2


def test_a_later_customer_date_replaces_an_internal_one() -> None:
    changes = [change(1, D10, D20, INTERNAL), change(2, D20, D25, CUSTOMER)]
    assert promise_in_force(delivered(D25, D25), changes) == D25
    assert on_time(delivered(D25, D25), changes) is True


def test_changes_are_taken_oldest_first_whatever_order_they_come_in() -> None:
    changes = [change(2, D15, D20, INTERNAL), change(1, D10, D15, CUSTOMER)]
    assert promise_in_force(delivered(D20, D20), changes) == D15


def test_an_earlier_customer_date_tightens_the_promise() -> None:
    changes = [change(1, D20, D10, CUSTOMER)]
    assert promise_in_force(delivered(D10, D15), changes) == D10
    assert on_time(delivered(D10, D15), changes) is False


def test_undelivered_or_never_committed_is_not_counted() -> None:
    assert on_time(delivered(D10, None), []) is None
    never = Order(customer="A", product="P", quantity=1, requested_date=D10, salesperson=SALES)
    assert promise_in_force(never, []) is None and on_time(never, []) is None


def test_existing_changes_become_the_customers_and_existing_orders_keep_their_free_text(
    blank_database_url: str,
) -> None:
    """Upgrading a database with orders and changes from before: origin 'customer', no code or line."""
    engine = make_engine(blank_database_url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "b7d1f0a2c3e4")
            conn.execute(
                text(
                    "INSERT INTO orders (id, customer, product, quantity, requested_date, specification,"
                    " salesperson, status, revision, created_at, updated_at, commit_notes)"
                    " VALUES (1, 'Acme', 'gearbox, blue', 5, '2026-12-20', '', 'U01', 'committed', 1,"
                    " '2026-12-01 00:00:00', '2026-12-01 00:00:00', '')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO orderchange (id, order_id, requested_by, requested_at, before, after,"
                    " reason) VALUES (1, 1, 'U01', '2026-12-02 00:00:00', '{}', '{}', 'asked')"
                )
            )
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), "head")
        with engine.connect() as conn:
            assert conn.execute(text("SELECT origin FROM orderchange")).scalar_one() == "customer"
            row = conn.execute(text("SELECT product, product_code, line FROM orders")).one()
            assert tuple(row) == ("gearbox, blue", None, None)
    finally:
        engine.dispose()
