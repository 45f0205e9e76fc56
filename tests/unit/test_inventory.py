"""Inventory rules with figures worked out by hand: days of cover, flags, coverage, turnover."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import make_config
from workflows.inventory import (
    NotEnoughCounts,
    Turnover,
    coverage,
    health,
    plan_against_actual,
    previous_month,
    stock_items,
    turnover,
)
from workflows.stock_inputs import Item

TODAY = date(2026, 11, 25)
ALLOY = Item("ALLOY-A", "Alloy A", "kg", "material", 1500, {"GBX-100": 2.5, "MTR-7": 1.0})
GEARBOX = Item("GBX-100", "GBX-100", None, "product", 100)


def every_day(total_days: int, per_day: int, *, ending: date = TODAY) -> dict[date, int]:
    return {ending - timedelta(days=n): per_day for n in range(total_days)}


def test_stock_items_are_the_products_then_the_materials():
    config = make_config(
        materials=[{"code": "ALLOY-A", "name": "Alloy A", "unit": "kg", "per_unit": {"GBX-100": 2.5}}]
    )
    items = stock_items(config)
    assert [(i.code, i.kind) for i in items] == [
        ("GBX-100", "product"),
        ("MTR-7", "product"),
        ("ALLOY-A", "material"),
    ]
    assert items[2].per_unit == {"GBX-100": 2.5} and items[2].unit == "kg"


def test_material_days_of_cover_follow_output_times_per_unit():
    # 30 days: GBX-100 20 a day (600 → 1,500 kg) and MTR-7 10 a day (300 → 300 kg): 1,800 kg, 60 kg a day.
    produced = {"GBX-100": every_day(30, 20), "MTR-7": every_day(30, 10)}
    produced["GBX-100"][TODAY - timedelta(days=30)] = 10_000  # the 31st day back is outside the window
    result = health(ALLOY, {TODAY - timedelta(days=1): (2050, None)}, {}, produced, TODAY)
    assert result.on_hand == 2050 and result.daily_use == 60
    assert result.days_of_cover == pytest.approx(2050 / 60)  # 34.17 days
    assert result.flags == ()


def test_product_days_of_cover_follow_shipments_and_excess_is_over_90_days():
    shipped = {"GBX-100": every_day(30, 10)}  # 300 in 30 days: 10 a day
    at_90 = health(GEARBOX, {TODAY: (900, None)}, shipped, {}, TODAY)
    assert at_90.days_of_cover == 90 and "excess" not in at_90.flags
    over = health(GEARBOX, {TODAY: (910, None)}, shipped, {}, TODAY)
    assert over.days_of_cover == 91 and over.flags == ("excess",)


def test_below_safety_stock_is_strictly_below():
    shipped = {"GBX-100": every_day(30, 10)}
    assert health(GEARBOX, {TODAY: (100, None)}, shipped, {}, TODAY).flags == ()
    assert health(GEARBOX, {TODAY: (99, None)}, shipped, {}, TODAY).flags == ("below_safety",)


def test_a_count_seven_days_old_is_stale_and_six_days_old_is_not():
    shipped = {"GBX-100": every_day(30, 10)}
    six = health(GEARBOX, {TODAY - timedelta(days=6): (500, None)}, shipped, {}, TODAY)
    seven = health(GEARBOX, {TODAY - timedelta(days=7): (500, None)}, shipped, {}, TODAY)
    assert "stale" not in six.flags and seven.flags == ("stale",)
    assert seven.counted_on == TODAY - timedelta(days=7)


def test_never_counted_is_stale_without_a_number():
    result = health(ALLOY, {}, {}, {}, TODAY)
    assert result.on_hand is None and result.days_of_cover is None and result.flags == ("stale",)


def test_the_newest_count_on_or_before_today_is_on_hand():
    counts = {TODAY - timedelta(days=3): (800, None), TODAY - timedelta(days=1): (700, None)}
    counts[TODAY + timedelta(days=1)] = (5, None)  # not yet
    assert health(GEARBOX, counts, {}, {}, TODAY).on_hand == 700


def test_stock_without_use_has_no_days_of_cover_and_says_so():
    result = health(GEARBOX, {TODAY: (500, None)}, {}, {}, TODAY)
    assert result.days_of_cover is None and result.flags == ("no_use",)


def test_material_coverage_in_units_of_each_line_and_against_the_plan():
    plan = [{"product": "GBX-100", "agreed": 900, "material_target": 1000}]
    rows = coverage(ALLOY, 2050, plan)
    gbx, mtr = rows
    assert (gbx.line, gbx.covers, gbx.target, gbx.short) == ("GBX-100", 820, 1000, 180)  # 2,050 ÷ 2.5
    assert (mtr.line, mtr.covers, mtr.target, mtr.short) == ("MTR-7", 2050, None, None)


def test_coverage_rounds_down_to_whole_units_and_meets_a_target_it_covers():
    rows = coverage(ALLOY, 2502.4, [{"product": "GBX-100", "material_target": 1000}])
    assert rows[0].covers == 1000 and rows[0].short == 0  # 1,000.96 sets: 1,000 whole sets
    assert coverage(ALLOY, 2050, None)[0].target is None


def test_turnover_is_shipped_over_the_mean_of_the_counts():
    counts = {
        date(2026, 10, 1): (9999, None),  # not the last before November: not used
        date(2026, 10, 28): (400, None),
        date(2026, 11, 10): (600, None),
        date(2026, 11, 30): (200, None),
    }
    result = turnover("GBX-100", "2026-11", counts, shipped=1200)
    assert isinstance(result, Turnover)
    assert result.average_on_hand == 400  # (400 + 600 + 200) / 3
    assert result.turnover == 3.0  # 1,200 / 400
    assert result.days_of_inventory == 10.0  # 30 days / 3
    assert result.counts_used == 3 and result.value_turnover is None


def test_turnover_by_value_with_unit_costs():
    counts = {
        date(2026, 10, 31): (400, 100.0),
        date(2026, 11, 10): (600, 100.0),
        date(2026, 11, 30): (200, 110.0),
    }
    result = turnover("GBX-100", "2026-11", counts, shipped=1200)
    # values 40,000, 60,000, 22,000: mean 40,666.67; shipped at the last cost: 1,200 × 110 = 132,000
    assert result.average_value == pytest.approx(122_000 / 3)
    assert result.value_turnover == pytest.approx(132_000 / (122_000 / 3))  # 3.2459


def test_turnover_in_february_uses_its_28_days():
    counts = {date(2027, 1, 31): (100, None), date(2027, 2, 28): (100, None)}
    result = turnover("GBX-100", "2027-02", counts, shipped=200)
    assert result.turnover == 2.0 and result.days_of_inventory == 14.0


def test_months_without_enough_counts_are_a_result_not_a_number():
    november = {date(2026, 11, 10): (600, None)}
    assert turnover("GBX-100", "2026-11", november, 100) == NotEnoughCounts(
        "GBX-100", "2026-11", ("count_before",)
    )
    october = {date(2026, 10, 28): (400, None)}
    assert turnover("GBX-100", "2026-11", october, 100).missing == ("count_in_month",)
    assert turnover("GBX-100", "2026-11", {}, 100).missing == ("count_before", "count_in_month")
    empty = {date(2026, 10, 28): (0, None), date(2026, 11, 30): (0, None)}
    assert turnover("GBX-100", "2026-11", empty, 0).missing == ("stock_on_hand",)


def test_nothing_shipped_turns_over_zero_times_with_no_days_of_inventory():
    counts = {date(2026, 10, 28): (400, None), date(2026, 11, 30): (200, None)}
    result = turnover("GBX-100", "2026-11", counts, shipped=0)
    assert result.turnover == 0 and result.days_of_inventory is None


def test_previous_month_crosses_the_year():
    assert previous_month("2027-01") == "2026-12" and previous_month("2026-11") == "2026-10"


def test_plan_against_actual_per_core_product():
    plan = [{"product": "GBX-100", "agreed": 900}, {"product": "MTR-7", "agreed": 300}]
    rows = plan_against_actual(["GBX-100", "MTR-7", "NEW-1"], plan, {"GBX-100": 950}, {"GBX-100": 870})
    gbx, mtr, new = rows
    assert (gbx.agreed, gbx.produced, gbx.shipped) == (900, 950, 870)
    assert (gbx.produced_difference, gbx.shipped_difference) == (50, -30)
    assert (mtr.produced, mtr.shipped, mtr.produced_difference) == (0, 0, -300)
    assert new.agreed is None and new.produced_difference is None


def test_with_a_catalogue_the_items_are_core_products_then_the_other_products():
    from types import SimpleNamespace

    from workflows.materials_config import line_codes, product_codes

    base = make_config()
    catalogue = [
        SimpleNamespace(code="GBX-100-H", name="Hardened gearbox", unit="pcs", line="GBX-100"),
        SimpleNamespace(code="MTR-7", name="Motor 7", unit="台", line=None),
    ]
    config = SimpleNamespace(review=base.review, products=catalogue, materials=[])
    assert product_codes(config) == ["GBX-100", "MTR-7", "GBX-100-H"]
    assert line_codes(config) == ["GBX-100", "MTR-7"]  # output and shipments are per line
    items = {i.code: i for i in stock_items(config)}
    assert (items["MTR-7"].name, items["MTR-7"].unit) == ("Motor 7", "台")
    assert items["GBX-100"].unit is None and items["GBX-100-H"].kind == "product"
