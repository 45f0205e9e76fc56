"""An agreed quantity above production's capacity or supply's materials: measured, and it needs a reason."""

from __future__ import annotations

from workflows.review_plan import PlanRow, adjusted_row, plan_row

SEED_BUFFERS = {"capacity_buffer": 0.055, "material_buffer": 0.111}


def row(forecast=1000, achievable=900, securable=None) -> PlanRow:  # noqa: ANN001
    return plan_row("GBX-100", forecast=forecast, achievable=achievable, securable=securable, **SEED_BUFFERS)


def test_above_capacity_by_the_difference():
    adjusted = adjusted_row(row(), 950, **SEED_BUFFERS)
    assert (adjusted.above_capacity, adjusted.above_materials) == (50, None)
    assert adjusted.above == (("capacity", 50),)
    assert (adjusted.shortfall, adjusted.capacity_target, adjusted.material_target) == (50, 1003, 1056)


def test_above_materials_and_capacity_both():
    adjusted = adjusted_row(row(securable=800), 1000, **SEED_BUFFERS)
    assert adjusted.above == (("capacity", 100), ("materials", 200))


def test_at_or_below_the_limits_nothing_is_flagged():
    for agreed in (900, 850, 0):
        assert adjusted_row(row(securable=950), agreed, **SEED_BUFFERS).above == ()


def test_unconstrained_materials_are_never_exceeded():
    adjusted = adjusted_row(row(achievable=2000, securable=None), 1500, **SEED_BUFFERS)
    assert adjusted.above == ()


def test_a_missing_capacity_is_not_exceeded():
    from workflows.review_plan import MISSING

    adjusted = adjusted_row(row(achievable=MISSING), 950, **SEED_BUFFERS)
    assert adjusted.above_capacity is None


def test_the_draft_is_never_above_its_own_limits():
    assert row(securable=800).above == ()


def test_flags_survive_storage_and_old_plans_read_without_them():
    adjusted = adjusted_row(row(securable=800), 1000, **SEED_BUFFERS)
    assert PlanRow.from_dict(adjusted.as_dict()) == adjusted
    old = adjusted.as_dict()
    del old["above_capacity"], old["above_materials"]  # a plan stored before the flags existed
    assert PlanRow.from_dict(old).above == ()
