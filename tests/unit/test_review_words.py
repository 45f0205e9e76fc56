"""The review's rules return codes and data; every code has whole sentences in both languages."""

from __future__ import annotations

import pytest

from bot.refusals import say
from bot.review.refusals import problem, problems
from bot.text import language
from workflows.permissions import Refusal
from workflows.review_inputs import MAX_NOTE, NOTE_BLOCK, Problem, agreed_quantities, submission

PRODUCTS = ["GBX-100", "MTR-7"]


def test_form_errors_are_codes_with_data() -> None:
    _, errors = submission("sales", PRODUCTS, {"p0.forecast": "lots", NOTE_BLOCK: "bad\x07bell"})
    assert errors == {
        "p0.forecast": Problem("not_whole_number", {"field": "forecast", "product": "GBX-100"}),
        "p1.forecast": Problem("field_missing", {"field": "forecast", "product": "MTR-7"}),
        NOTE_BLOCK: Problem("control_characters", {"field": NOTE_BLOCK, "product": None}),
    }
    _, errors = submission(
        "production", PRODUCTS, {"p0.achievable": "1300", "p0.max_capacity": "1200", "p1.achievable": "1"}
    )
    assert errors["p0.achievable"] == Problem(
        "achievable_above_maximum", {"product": "GBX-100", "maximum": 1200}
    )
    _, errors = submission("supply", PRODUCTS, {"p0.lead_time_days": "4000", "p1.risk": "A\u202eB"})
    assert errors == {
        "p0.lead_time_days": Problem(
            "number_too_big", {"field": "lead_time_days", "product": "GBX-100", "high": 3650}
        ),
        "p1.risk": Problem("direction_characters", {"field": "risk", "product": "MTR-7"}),
    }
    _, errors = agreed_quantities(PRODUCTS, {"p0.agreed": "900", NOTE_BLOCK: "x" * (MAX_NOTE + 1)})
    assert errors == {
        "p1.agreed": Problem("field_missing", {"field": "agreed", "product": "MTR-7"}),
        NOTE_BLOCK: Problem(
            "text_too_long", {"field": NOTE_BLOCK, "product": None, "limit": MAX_NOTE, "length": MAX_NOTE + 1}
        ),
    }


EVERY_PROBLEM = [
    Problem("field_missing", {"field": "forecast", "product": "GBX-100"}),
    Problem("not_whole_number", {"field": "achievable", "product": "GBX-100"}),
    Problem("number_too_big", {"field": "lead_time_days", "product": "GBX-100", "high": 3650}),
    Problem("text_too_long", {"field": "customers", "product": "GBX-100", "limit": 300, "length": 301}),
    Problem("text_too_long", {"field": NOTE_BLOCK, "product": None, "limit": 2000, "length": 2001}),
    Problem("control_characters", {"field": "key_material", "product": "GBX-100"}),
    Problem("control_characters", {"field": NOTE_BLOCK, "product": None}),
    Problem("direction_characters", {"field": "risk", "product": "GBX-100"}),
    Problem("direction_characters", {"field": NOTE_BLOCK, "product": None}),
    Problem("achievable_above_maximum", {"product": "GBX-100", "maximum": 1200}),
]


@pytest.mark.parametrize("found", EVERY_PROBLEM, ids=lambda p: f"{p.code}-{p.data.get('field')}")
def test_every_form_error_reads_as_a_whole_sentence_in_english_and_chinese(found: Problem) -> None:
    with language("en"):
        english = problem(found)
    with language("zh_CN"):
        chinese = problem(found)
    assert english.endswith(".") and "{" not in english
    assert (
        chinese.endswith("。")
        and "{" not in chinese
        and not any("a" <= c <= "z" for c in chinese.replace("GBX", ""))
    )


def test_the_english_sentences_are_those_people_read_before() -> None:
    with language("en"):
        assert problems({"x": EVERY_PROBLEM[0], "y": EVERY_PROBLEM[-1]}) == {
            "x": "Enter the forecast for GBX-100.",
            "y": "The achievable quantity for GBX-100 cannot exceed its maximum capacity (1,200).",
        }
        assert problem(EVERY_PROBLEM[4]) == "Keep the note within 2,000 characters (it has 2,001)."


REFUSALS = [
    Refusal("review_not_a_department"),
    Refusal("review_not_that_department", teams=["sales", "production"], asked="supply"),
    Refusal("review_several_departments", teams=["sales", "production"]),
    Refusal("review_not_in_department", team="supply"),
    Refusal("review_plan_approved_no_numbers", month="2027-01"),
    Refusal("review_not_the_coming_review", upcoming="2027-01", month="2027-03"),
    Refusal("review_not_a_participant"),
    Refusal("review_no_agenda_to_attend", month="2027-01"),
    Refusal("review_not_a_manager"),
    Refusal("review_plan_already_approved", month="2027-01", by="U04"),
    Refusal("review_not_started", month="2027-01"),
    Refusal("review_departments_absent", teams=["production", "supply"]),
    Refusal("review_products_changed", form="submit"),
    Refusal("review_products_changed", form="adjust_form"),
    Refusal("review_products_changed", form="adjust"),
    Refusal(
        "review_draft_incomplete", rows=[["GBX-100", ["securable"]], ["MTR-7", ["forecast", "achievable"]]]
    ),
    Refusal("review_stale_form"),
    Refusal("review_no_core_products"),
    Refusal("review_too_many_products", count=120),
]


@pytest.mark.parametrize("refusal", REFUSALS, ids=lambda r: r.code)
def test_every_review_refusal_is_worded_in_both_languages(refusal: Refusal) -> None:
    with language("en"):
        english = say(refusal)
    with language("zh_CN"):
        chinese = say(refusal)
    assert english != refusal.code and "{" not in english and english.endswith(".")
    assert chinese != english and "{" not in chinese and chinese.endswith("。")


def test_refusals_name_departments_and_months_in_the_readers_language() -> None:
    absent, incomplete = REFUSALS[11], REFUSALS[15]
    with language("en"):
        assert say(absent).startswith("Nobody from production, supply confirmed attendance.")
        assert (
            "(GBX-100: missing supply materials; MTR-7: missing sales forecast, missing production capacity)"
            in say(incomplete)
        )
        assert say(REFUSALS[1]) == "You can submit for sales or production, not for supply."
        assert say(REFUSALS[2]) == "You are in sales and production: say which, e.g. `/review submit sales`."
    with language("zh_CN"):
        assert say(absent).startswith("生产部、供应部无人确认出席。")
        assert "（GBX-100：缺供应部物料；MTR-7：缺销售部预测、缺生产部产能）" in say(incomplete)
        assert say(REFUSALS[5]).startswith(
            "只能为即将召开的评审会提交数据，该评审会制定2027年1月的计划，而不是2027年3月。"
        )


def test_full_width_digits_and_the_chinese_comma_are_numbers() -> None:
    result, errors = submission("sales", PRODUCTS, {"p0.forecast": "１，０００", "p1.forecast": "2，500"})
    assert errors == {}
    assert (result[0]["GBX-100"]["forecast"], result[0]["MTR-7"]["forecast"]) == (1000, 2500)
