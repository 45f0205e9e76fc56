"""The review's plan arithmetic: agreed = min(forecast, achievable, securable), targets rounded up exactly."""

from __future__ import annotations

import math

from workflows.review_plan import MISSING, PlanRow, adjusted_row, buffered, plan_row

SEED_BUFFERS = {"capacity_buffer": 0.055, "material_buffer": 0.111}


def row(forecast=1000, achievable=900, securable=None, **buffers) -> PlanRow:  # noqa: ANN001
    return plan_row(
        "GBX-100",
        forecast=forecast,
        achievable=achievable,
        securable=securable,
        **(buffers or SEED_BUFFERS),
    )


def test_seed_example_agrees_900_with_buffers_950_and_1000():
    result = row(forecast=1000, achievable=900, securable=None)
    assert (result.agreed, result.shortfall) == (900, 100)
    assert (result.capacity_target, result.material_target) == (950, 1000)
    assert result.binding == ("capacity",)
    assert result.materials_unconstrained and result.complete


def test_materials_bind_when_they_are_the_smallest():
    result = row(forecast=1000, achievable=1200, securable=800)
    assert (result.agreed, result.binding, result.shortfall) == (800, ("materials",), 200)
    assert (result.capacity_target, result.material_target) == (math.ceil(800 * 1.055), 889)


def test_capacity_binds_below_securable_materials():
    result = row(forecast=1000, achievable=900, securable=950)
    assert (result.agreed, result.binding, result.shortfall) == (900, ("capacity",), 100)


def test_demand_binds_with_no_shortfall_when_forecast_is_smallest():
    result = row(forecast=700, achievable=900, securable=800)
    assert (result.agreed, result.binding, result.shortfall) == (700, ("demand",), 0)


def test_tied_constraints_are_all_named_binding():
    result = row(forecast=1000, achievable=900, securable=900)
    assert result.binding == ("capacity", "materials")


def test_missing_sales_submission_shows_what_is_missing_and_no_numbers():
    result = row(forecast=MISSING, achievable=900, securable=None)
    assert result.missing == ("forecast",)
    assert (result.agreed, result.shortfall, result.capacity_target, result.material_target) == (
        None,
        None,
        None,
        None,
    )
    assert result.achievable == 900 and result.forecast is None


def test_every_missing_department_is_listed():
    result = row(forecast=MISSING, achievable=MISSING, securable=MISSING)
    assert result.missing == ("forecast", "achievable", "securable")
    assert not result.materials_unconstrained  # missing is not the same as unconstrained


def test_buffers_round_up_exactly_without_float_error():
    assert buffered(900, 0.055) == 950  # 949.5 → 950
    assert buffered(900, 0.111) == 1000  # 999.9 → 1000
    assert buffered(100, 0.1) == 110  # float gives 110.00000000000001 → 111
    assert math.ceil(100 * 1.1) == 111  # the float surprise the Decimal arithmetic avoids
    assert buffered(1000, 0.055) == 1055
    assert buffered(1, 0.001) == 2


def test_zero_buffer_keeps_the_agreed_quantity():
    result = row(forecast=500, achievable=600, securable=None, capacity_buffer=0, material_buffer=0)
    assert (result.capacity_target, result.material_target) == (500, 500)


def test_manager_adjustment_recomputes_targets_and_shortfall():
    adjusted = adjusted_row(row(), 850, **SEED_BUFFERS)
    assert (adjusted.agreed, adjusted.binding, adjusted.shortfall) == (850, ("adjusted",), 150)
    assert (adjusted.capacity_target, adjusted.material_target) == (897, 945)


def test_adjusting_a_row_with_a_missing_submission_completes_it():
    adjusted = adjusted_row(row(forecast=MISSING), 900, **SEED_BUFFERS)
    assert adjusted.complete and adjusted.shortfall is None and adjusted.capacity_target == 950


def test_unchanged_agreed_quantity_keeps_the_draft_row():
    draft = row()
    assert adjusted_row(draft, 900, **SEED_BUFFERS) == draft


def test_stored_rows_round_trip():
    draft = row(securable=950)
    assert PlanRow.from_dict(draft.as_dict()) == draft
