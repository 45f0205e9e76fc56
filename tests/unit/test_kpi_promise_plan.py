"""The KPIs that cannot be moved by moving the target, on hand-made rows with hand-computed figures:
on-time to the promise in force (customer vs internal changes), internal date moves, promises
beyond the plan, and each line's plan attainment for the month."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import event

from bot.kpi.blocks import attainment_line, attainment_sections, kpi_lines, kpi_reply
from storage import kpi_repo
from storage.models import ChangeOrigin, OrderChange, OrderEvent, OrderStatus
from storage.review_models import ReviewPlan
from tests.conftest import MANAGER, SALES, make_config
from tests.unit.test_digest import add_order, session  # noqa: F401  (fixture)
from workflows import kpi

CONFIG = make_config()  # Asia/Shanghai, UTC+8
NOW = datetime(2026, 12, 10, 4, 0, tzinfo=UTC)
NOV = (2026, 11)
IN_NOV = datetime(2026, 11, 5, 2, 0, tzinfo=UTC)  # 5 Nov 10:00 in Shanghai
S = OrderStatus


def add_change(session, order, before: date, after: date, origin: str, at: datetime = IN_NOV) -> None:  # noqa: ANN001, F811
    session.add(
        OrderChange(
            order_id=order.id,
            requested_by=SALES,
            requested_at=at,
            origin=origin,
            before={"quantity": order.quantity, "committed_date": before.isoformat()},
            after={"quantity": order.quantity, "committed_date": after.isoformat()},
        )
    )
    session.flush()


def delivered(session, committed: date, on: date, **fields):  # noqa: ANN001, ANN201, F811
    return add_order(session, S.DELIVERED, committed_date=committed, delivered_date=on, **fields)


# -- on time to the promise in force --------------------------------------------------------------


def test_on_time_to_the_promise_does_not_follow_internal_moves(session) -> None:  # noqa: ANN001, F811
    d = date
    # A: committed 10 Nov, no change, delivered 10 Nov            -> on time (both measures)
    delivered(session, d(2026, 11, 10), d(2026, 11, 10))
    # B: committed 10 Nov, moved to 20 Nov internally, delivered 20 Nov
    #    committed date now 20 Nov -> "on time" by the old measure; promise still 10 Nov -> late
    b = delivered(session, d(2026, 11, 20), d(2026, 11, 20))
    add_change(session, b, d(2026, 11, 10), d(2026, 11, 20), ChangeOrigin.INTERNAL)
    # C: committed 10 Nov, the customer moved it to 25 Nov, delivered 24 Nov -> on time (promise 25 Nov)
    c = delivered(session, d(2026, 11, 25), d(2026, 11, 24))
    add_change(session, c, d(2026, 11, 10), d(2026, 11, 25), ChangeOrigin.CUSTOMER)
    # D: committed 12 Nov, customer moved to 18 Nov, then internal to 28 Nov; delivered 28 Nov
    #    promise 18 Nov -> late; committed date 28 Nov -> on time by the old measure
    e = delivered(session, d(2026, 11, 28), d(2026, 11, 28))
    add_change(session, e, d(2026, 11, 12), d(2026, 11, 18), ChangeOrigin.CUSTOMER, IN_NOV)
    add_change(
        session, e, d(2026, 11, 18), d(2026, 11, 28), ChangeOrigin.INTERNAL, IN_NOV + timedelta(days=1)
    )
    # an internal change that only changed the quantity moves no date (not counted as a date move)
    q = add_order(session, S.COMMITTED, committed_date=d(2026, 12, 1))
    session.add(
        OrderChange(
            order_id=q.id,
            requested_by=SALES,
            requested_at=IN_NOV,
            origin=ChangeOrigin.INTERNAL,
            before={"quantity": 250, "committed_date": "2026-12-01"},
            after={"quantity": 200, "committed_date": "2026-12-01"},
        )
    )
    # delivered in December: not November's
    delivered(session, d(2026, 11, 30), d(2026, 12, 1))
    session.flush()

    month = kpi.month_kpis(session, CONFIG, NOV, NOW)
    assert (month.delivery.hits, month.delivery.total) == (4, 4)  # A, B, C, D all "on time" to the moved date
    assert (month.promise.hits, month.promise.total) == (2, 4)  # A and C only
    assert month.internal_moves == 2  # B's and D's second change; the quantity-only change is not one
    assert month.changes == 5  # every change requested in November, as before

    lines = dict(kpi_lines(month))
    assert lines["On-time delivery"] == "100% (4 of 4)"
    assert lines["On-time to the promise"] == "50% (2 of 4)"
    assert lines["Internal date moves"] == "2"


def test_the_changes_of_all_delivered_orders_are_loaded_in_one_query(session) -> None:  # noqa: ANN001, F811
    for n in range(30):
        order = delivered(session, date(2026, 11, 10), date(2026, 11, 12 + n % 3))
        add_change(session, order, date(2026, 11, 5), date(2026, 11, 10), ChangeOrigin.INTERNAL)
    statements: list[str] = []

    def seen(conn, cursor, statement, *args) -> None:  # noqa: ANN001
        if "orderchange" in statement.lower():
            statements.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", seen)
    try:
        pairs = kpi_repo.delivered_with_changes(session, first=date(2026, 11, 1), last=date(2026, 11, 30))
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(pairs) == 30 and all(len(changes) == 1 for _order, changes in pairs)
    assert len(statements) == 1  # one query for the changes of all 30 orders, not one each
    # every one was promised for 5 Nov (the internal move to the 10th does not count): all late
    assert kpi.promise_rate(pairs) == kpi.Rate(0, 30)


def test_the_changes_that_count_are_chosen_in_one_place(session, monkeypatch) -> None:  # noqa: ANN001, F811
    # late by the promise (5 Nov) only because of its change: with no change applied it is on time
    order = delivered(session, date(2026, 11, 10), date(2026, 11, 10))
    add_change(session, order, date(2026, 11, 5), date(2026, 11, 10), ChangeOrigin.INTERNAL)
    month = kpi.month_kpis(session, CONFIG, NOV, NOW)
    assert (month.promise.hits, month.internal_moves) == (0, 1)
    monkeypatch.setattr(kpi_repo, "applied", lambda stmt: stmt.where(OrderChange.id < 0))  # none applied
    month = kpi.month_kpis(session, CONFIG, NOV, NOW)
    assert (month.promise.hits, month.promise.total, month.internal_moves) == (1, 1, 0)


# -- promises beyond the plan ---------------------------------------------------------------------


def test_overrides_requested_approved_and_rejected_in_the_month(session) -> None:  # noqa: ANN001, F811
    order = add_order(session)
    kinds = [
        ("approval_requested", IN_NOV),
        ("approval_requested", IN_NOV + timedelta(days=1)),
        ("approval_requested", IN_NOV + timedelta(days=2)),
        ("approval_approved", IN_NOV + timedelta(days=1)),
        ("approval_rejected", IN_NOV + timedelta(days=3)),
        ("approval_requested", datetime(2026, 10, 31, 15, 59, tzinfo=UTC)),  # 31 Oct 23:59 local: October
        ("approval_approved", datetime(2026, 11, 30, 16, 0, tzinfo=UTC)),  # 1 Dec 00:00 local: December
        ("committed", IN_NOV),  # not an override
    ]
    for kind, at in kinds:
        session.add(OrderEvent(order_id=order.id, at=at, actor=MANAGER, kind=kind, data={}))
    session.flush()
    month = kpi.month_kpis(session, CONFIG, NOV, NOW)
    assert month.overrides == kpi.Overrides(requested=3, approved=1, rejected=1)
    assert dict(kpi_lines(month))["Promises beyond the plan"] == "3 requested · 1 approved · 1 rejected"
    assert kpi.month_kpis(session, CONFIG, (2026, 10), NOW).overrides == kpi.Overrides(1, 0, 0)
    assert kpi.month_kpis(session, CONFIG, (2026, 12), NOW).overrides == kpi.Overrides(0, 1, 0)


# -- plan attainment per line ---------------------------------------------------------------------


def approve_plan(session, month: str, *rows: tuple[str, int | None, int | None]) -> None:  # noqa: ANN001, F811
    plan_rows = [{"product": p, "agreed": agreed, "capacity_target": target} for p, agreed, target in rows]
    session.add(ReviewPlan(month=month, rows=plan_rows, approved_by=MANAGER, approved_at=NOW))
    session.flush()


def test_plan_attainment_per_line_for_the_month(session) -> None:  # noqa: ANN001, F811
    approve_plan(session, "2026-12", ("GBX-100", 900, 950), ("GBX-200", 400, 420), ("GBX-300", None, None))
    d = date

    def line_order(line: str, quantity: int, status: str, committed: date, on: date | None = None):  # noqa: ANN202
        return add_order(
            session, status, line=line, quantity=quantity, committed_date=committed, delivered_date=on
        )

    # GBX-100: committed for December 500 + 300 (delivered 2 Dec) = 800; delivered in Dec: 300
    line_order("GBX-100", 500, S.COMMITTED, d(2026, 12, 20))
    line_order("GBX-100", 300, S.DELIVERED, d(2026, 12, 3), d(2026, 12, 2))
    # committed for November but delivered on 1 Dec: delivered in December (100), not committed for it
    line_order("GBX-100", 100, S.DELIVERED, d(2026, 11, 30), d(2026, 12, 1))
    # committed for January, awaiting, cancelled: none of December's
    line_order("GBX-100", 250, S.COMMITTED, d(2027, 1, 4))
    line_order("GBX-100", 70, S.AWAITING_COMMITMENT, d(2026, 12, 10))
    line_order("GBX-100", 60, S.CANCELLED, d(2026, 12, 10))
    # GBX-200: nothing committed or delivered
    rows = kpi.plan_attainment(session, "2026-12")
    assert rows == [
        kpi.Attainment(line="GBX-100", agreed=900, committed=800, delivered=400),
        kpi.Attainment(line="GBX-200", agreed=400, committed=0, delivered=0),
    ]  # GBX-300 has no agreed quantity: not planned, not listed
    assert (rows[0].committed_percent, rows[0].delivered_percent) == (89, 44)  # 800/900, 400/900
    assert attainment_line(rows[0]) == ("• GBX-100 · agreed 900 · committed 800 (89%) · delivered 400 (44%)")
    assert attainment_line(rows[1]) == "• GBX-200 · agreed 400 · committed 0 (0%) · delivered 0 (0%)"
    assert kpi.plan_attainment(session, "2027-01") == []  # no approved plan: nothing to attain


def test_a_line_agreed_at_zero_has_no_percentage() -> None:
    row = kpi.Attainment(line="GBX-100", agreed=0, committed=5, delivered=0)
    assert row.committed_percent is None
    assert attainment_line(row) == "• GBX-100 · agreed 0 · committed 5 · delivered 0"


def test_kpi_reply_shows_attainment_only_when_a_plan_was_approved(session) -> None:  # noqa: ANN001, F811
    month = kpi.month_kpis(session, CONFIG, NOV, NOW)
    before = kpi.month_kpis(session, CONFIG, (2026, 10), NOW)
    plain = kpi_reply(month, before)
    rows = [kpi.Attainment("GBX-100", 900, 450, 90)]
    shown = kpi_reply(month, before, attainment=rows)
    assert len(shown["blocks"]) == len(plain["blocks"]) + 1
    text = shown["blocks"][1]["text"]["text"]
    assert text.startswith("*Plan attainment · November 2026*")
    assert "• GBX-100 · agreed 900 · committed 450 (50%) · delivered 90 (10%)" in text
    many = [kpi.Attainment(f"L{n}", 10, 1, 1) for n in range(25)]
    assert len(attainment_sections(many, "November 2026")) == 3  # 10 lines a section
