"""The stock figures gathered from the database: health, coverage against the month's approved
plan, turnover with delivered orders, and plan against actual, on both backends."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from storage import stock_repo
from storage.db import session_scope
from storage.models import Order, OrderStatus
from storage.review_models import ReviewPlan
from tests.conftest import make_config
from workflows import stock_report
from workflows.inventory import NotEnoughCounts
from workflows.stock_inputs import CountRow, LineRow

NOW = datetime(2026, 11, 25, 2, 0, tzinfo=UTC)
TODAY = date(2026, 11, 25)
CONFIG = make_config(
    materials=[
        {
            "code": "ALLOY-A",
            "name": "Alloy A",
            "unit": "kg",
            "safety_stock": 2500,
            "per_unit": {"GBX-100": 2.5},
        }
    ]
)


def seed(engine, *, plan: bool) -> None:  # noqa: ANN001
    with session_scope(engine) as session:
        stock_repo.save_counts(
            session,
            [
                CountRow("ALLOY-A", date(2026, 11, 24), 2050),
                CountRow("GBX-100", date(2026, 10, 31), 400),
                CountRow("GBX-100", date(2026, 11, 10), 600),
                CountRow("GBX-100", date(2026, 11, 15), 200),
                CountRow("MTR-7", date(2026, 11, 10), 50),
            ],
            source="api",
            who="api",
            now=NOW,
        )
        days = [TODAY - timedelta(days=n) for n in range(30)]
        stock_repo.save_output(
            session, [LineRow("GBX-100", d, 20) for d in days], source="api", who="api", now=NOW
        )
        stock_repo.save_shipments(
            session, [LineRow("GBX-100", date(2026, 11, 12), 950)], source="api", who="api", now=NOW
        )
        session.add(
            Order(
                customer="ACME",
                product="GBX-100",
                quantity=250,
                requested_date=date(2026, 11, 10),
                salesperson="U01",
                status=OrderStatus.DELIVERED,
                created_at=NOW,
                updated_at=NOW,
                delivered_date=date(2026, 11, 20),
            )
        )
        if plan:
            session.add(
                ReviewPlan(
                    month="2026-11",
                    rows=[{"product": "GBX-100", "agreed": 900, "material_target": 1000}],
                    approved_by="U04",
                    approved_at=NOW - timedelta(days=20),
                )
            )


def test_overview_flags_and_coverage_against_the_months_plan(engine):  # noqa: ANN001
    seed(engine, plan=True)
    with session_scope(engine) as session:
        result = stock_report.overview(session, CONFIG, TODAY)
    by_code = {h.item.code: h for h in result.health}
    alloy = by_code["ALLOY-A"]
    assert alloy.daily_use == 50  # 20 GBX-100 a day × 2.5 kg
    assert alloy.days_of_cover == 41  # 2,050 kg ÷ 50 kg a day
    assert alloy.flags == ("below_safety",)
    # GBX-100: shipped 950 + the delivered order's 250 = 1,200 in 30 days: 40 a day; 200 on hand = 5 days
    assert by_code["GBX-100"].days_of_cover == 5 and by_code["GBX-100"].flags == (
        "stale",
    )  # counted the 15th
    assert by_code["MTR-7"].flags == ("stale", "no_use")
    assert result.has_plan and result.month == "2026-11"
    (coverage,) = result.coverage
    assert (coverage.line, coverage.covers, coverage.target, coverage.short) == ("GBX-100", 820, 1000, 180)
    assert result.short_of_target == [coverage]


def test_without_an_approved_plan_coverage_has_no_target(engine):  # noqa: ANN001
    seed(engine, plan=False)
    with session_scope(engine) as session:
        result = stock_report.overview(session, CONFIG, TODAY)
    assert not result.has_plan and result.coverage[0].target is None and result.short_of_target == []


def test_turnover_and_plan_against_actual_of_the_month(engine):  # noqa: ANN001
    seed(engine, plan=True)
    with session_scope(engine) as session:
        november = {t.line: t for t in stock_report.turnover(session, CONFIG, "2026-11")}
        october = stock_report.turnover(session, CONFIG, "2026-10")
        actual = stock_report.plan_against_actual(session, CONFIG, "2026-11")
    gbx = november["GBX-100"]
    # counts 400 (31 Oct), 600, 200: mean 400; shipped 950 + 250 = 1,200: 3 times, 30 / 3 = 10 days
    assert (gbx.shipped, gbx.average_on_hand, gbx.turnover, gbx.days_of_inventory) == (1200, 400, 3, 10)
    assert november["MTR-7"] == NotEnoughCounts("MTR-7", "2026-11", ("count_before",))
    assert all(isinstance(t, NotEnoughCounts) for t in october)
    gbx_actual, mtr_actual = actual
    assert (gbx_actual.agreed, gbx_actual.produced, gbx_actual.shipped) == (900, 500, 1200)
    assert (gbx_actual.produced_difference, gbx_actual.shipped_difference) == (-400, 300)
    assert mtr_actual.agreed is None
