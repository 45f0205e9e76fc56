"""Review buffers written as percentages ("5.5%") or fractions (0.055), and their one-line errors."""

from __future__ import annotations

import pytest

from bot.settings import load_config
from tests.unit.test_settings import GOOD_TOML, config_file, one_line_error
from workflows.review_plan import plan_row


def review(tmp_path, capacity: str, material: str = "0.111"):  # noqa: ANN001, ANN201
    text = f"\n[review]\ncapacity_buffer = {capacity}\nmaterial_buffer = {material}\n"
    text += 'core_products = ["GBX-100"]\n'
    return load_config(config_file(tmp_path, GOOD_TOML + text)).review


@pytest.mark.parametrize(
    ("written", "fraction"),
    [
        ('"5.5%"', 0.055),
        ('"11.1%"', 0.111),
        ('"0%"', 0.0),
        ('"10 %"', 0.1),
        ('"5.5％"', 0.055),
        ("0.055", 0.055),
    ],
)
def test_a_percentage_is_the_same_fraction(tmp_path, written: str, fraction: float) -> None:  # noqa: ANN001
    assert review(tmp_path, written).capacity_buffer == fraction


def test_the_seed_example_in_percentages_gives_950_and_1000(tmp_path) -> None:  # noqa: ANN001
    config = review(tmp_path, '"5.5%"', '"11.1%"')
    assert (config.capacity_buffer, config.material_buffer) == (0.055, 0.111)
    row = plan_row(
        "GBX-100",
        forecast=1000,
        achievable=900,
        securable=None,
        capacity_buffer=config.capacity_buffer,
        material_buffer=config.material_buffer,
    )
    # 900 × 1.055 = 949.5 → 950; 900 × 1.111 = 999.9 → 1,000 (rounded up, exactly)
    assert (row.agreed, row.capacity_target, row.material_target) == (900, 950, 1000)


def test_percentages_and_fractions_plan_alike(tmp_path) -> None:  # noqa: ANN001
    as_percent = review(tmp_path, '"12.5%"', '"7%"')
    as_fraction = review(tmp_path, "0.125", "0.07")
    assert (as_percent.capacity_buffer, as_percent.material_buffer) == (
        as_fraction.capacity_buffer,
        as_fraction.material_buffer,
    )


@pytest.mark.parametrize(
    ("capacity", "material", "expected"),
    [
        (
            '"5,5%"',
            "0.111",
            "orderloop.toml: review.capacity_buffer: '5,5%' is not a buffer like 0.055 or \"5.5%\"",
        ),
        (
            '"abc"',
            "0.111",
            "orderloop.toml: review.capacity_buffer: 'abc' is not a buffer like 0.055 or \"5.5%\"",
        ),
        (
            '"5.5"',
            "0.111",
            "orderloop.toml: review.capacity_buffer: '5.5' is not a buffer like 0.055 or \"5.5%\"",
        ),
        (
            '"-5%"',
            "0.111",
            "orderloop.toml: review.capacity_buffer: '-5%' is not a buffer like 0.055 or \"5.5%\"",
        ),
        (
            "0.055",
            '"2000%"',
            "orderloop.toml: review.material_buffer: '2000%' is outside 0 to 1000 % (0 to 10 as a fraction)",
        ),
        (
            "-0.1",
            "0.111",
            "orderloop.toml: review.capacity_buffer: -0.1 is outside 0 to 1000 % (0 to 10 as a fraction)",
        ),
        (
            "true",
            "0.111",
            'orderloop.toml: review.capacity_buffer: True is not a buffer like 0.055 or "5.5%"',
        ),
    ],
)
def test_a_bad_buffer_is_one_line_naming_the_setting(
    tmp_path, capacity: str, material: str, expected: str
) -> None:  # noqa: ANN001
    text = f"\n[review]\ncapacity_buffer = {capacity}\nmaterial_buffer = {material}\n"
    assert one_line_error(lambda: load_config(config_file(tmp_path, GOOD_TOML + text))) == expected


def test_the_example_config_writes_buffers_as_percentages() -> None:
    from pathlib import Path

    config = load_config(Path(__file__).resolve().parents[2] / "orderloop.example.toml")
    assert (config.review.capacity_buffer, config.review.material_buffer) == (0.055, 0.111)
