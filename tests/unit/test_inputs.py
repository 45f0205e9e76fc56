"""Turning typed text into checked values: one sentence per bad field, never an exception."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.orders.refusals import input_error, input_errors
from bot.text import language
from workflows import inputs as rules
from workflows import review_inputs
from workflows.inputs import InputError


class _Worded:
    """workflows.inputs with each form's errors worded as the form shows them (bot/orders), in
    English: the rules give codes and data, these tests read the sentences a person reads."""

    FORMS = ("order_fields", "production_answer", "supply_answer", "commitment")

    def __getattr__(self, name: str) -> object:
        value = getattr(rules, name)
        if name not in self.FORMS:
            return value

        def worded(**values: object) -> tuple:
            parsed, errors = value(**values)
            with language("en"):
                return parsed, input_errors(errors)

        return worded


inputs = _Worded()

TODAY = date(2026, 11, 25)


ORDER = {
    "customer": "ACME Gears",
    "product": "GBX-100",
    "quantity": "250",
    "requested_date": date(2026, 12, 20),
    "specification": "Hardened steel",
    "today": TODAY,
}


def order(**overrides: object) -> tuple:
    values = {
        "customer": "ACME Gears",
        "product": "GBX-100",
        "quantity": "250",
        "requested_date": date(2026, 12, 20),
        "specification": "Hardened steel",
        "today": TODAY,
    } | overrides
    return inputs.order_fields(**values)


def test_valid_order_fields_are_trimmed_and_typed() -> None:
    fields, errors = order(customer="  ACME  ", quantity=" 1,250 ")
    assert errors == {}
    assert (fields.customer, fields.quantity) == ("ACME", 1250)


@pytest.mark.parametrize(
    ("quantity", "says"),
    [
        ("-5", "at least 1"),
        ("0", "at least 1"),
        ("abc", "whole number"),
        ("1.5", "whole number"),
        ("1e3", "whole number"),
        ("99999999999", "at most 10,000,000"),
        ("10000001", "at most 10,000,000"),
        ("", "Enter the quantity"),
        (None, "Enter the quantity"),
        ("٣", "whole number"),
    ],
)
def test_a_bad_quantity_is_one_error_on_quantity(quantity, says) -> None:  # noqa: ANN001
    fields, errors = order(quantity=quantity)
    assert fields is None
    assert list(errors) == ["quantity"] and says in errors["quantity"]


@pytest.mark.parametrize("quantity", ["1", "+7", "10000000", "1_000"])
def test_quantities_at_and_inside_the_bounds_are_accepted(quantity) -> None:  # noqa: ANN001
    assert order(quantity=quantity)[1] == {}


def test_a_requested_date_of_today_is_accepted_and_yesterday_is_not() -> None:
    assert order(requested_date=TODAY)[1] == {}
    assert "cannot be in the past" in order(requested_date=TODAY - timedelta(days=1))[1]["requested_date"]


def test_a_requested_date_more_than_five_years_ahead_is_refused() -> None:
    assert "check the year" in order(requested_date=TODAY + timedelta(days=366 * 5 + 1))[1]["requested_date"]
    assert order(requested_date=TODAY + timedelta(days=366 * 5))[1] == {}


def test_a_missing_requested_date_asks_to_pick_one() -> None:
    assert order(requested_date=None)[1]["requested_date"].startswith("Pick the")


@pytest.mark.parametrize(("field", "limit"), [("customer", 120), ("product", 120), ("specification", 2000)])
def test_text_at_the_limit_is_accepted_and_one_more_is_not(field, limit) -> None:  # noqa: ANN001
    assert order(**{field: "x" * limit})[1] == {}
    errors = order(**{field: "x" * (limit + 1)})[1]
    assert f"within {limit:,} characters (it has {limit + 1:,})" in errors[field]


def test_the_limit_counts_characters_after_trimming() -> None:
    assert order(customer="  " + "x" * 120 + "  ")[1] == {}


@pytest.mark.parametrize("field", ["customer", "product", "specification"])
def test_blank_required_text_is_an_error(field) -> None:  # noqa: ANN001
    assert order(**{field: " \t\n "})[1][field].startswith("Enter the")


def test_control_characters_are_refused_but_newlines_and_tabs_are_fine() -> None:
    assert "control characters" in order(customer="A\x00B")[1]["customer"]
    assert order(specification="line\n\tindented")[1] == {}


@pytest.mark.parametrize("override", ["\u202e", "\u2066"])
def test_invisible_direction_overrides_are_refused_but_right_to_left_text_is_fine(override) -> None:  # noqa: ANN001
    # "ACME \u202eAMCA" displays as another name than the one stored
    assert "text-direction" in order(customer=f"ACME {override}AMCA")[1]["customer"]
    assert order(customer="شركة الأمل", specification="גלגלי שיניים")[1] == {}


def test_every_bad_field_is_reported_together() -> None:
    _, errors = order(customer="", product="", quantity="x", requested_date=None, specification="")
    assert set(errors) == {"customer", "product", "quantity", "requested_date", "specification"}


@pytest.mark.parametrize(
    ("text", "parsed"),
    [("2026-12-01", date(2026, 12, 1)), ("", None), (None, None), ("12/01/2026", None), ("2026-02-30", None)],
)
def test_parse_date_accepts_only_iso_dates(text, parsed) -> None:  # noqa: ANN001
    assert inputs.parse_date(text) == parsed


def test_production_yes_needs_a_lead_time() -> None:
    answer, errors = inputs.production_answer(can_do="yes", lead_time_days=None, notes=None)
    assert answer is None and "Enter the production lead time" in errors["lead_time_days"]


def test_production_yes_with_zero_lead_time_is_fine() -> None:
    answer, errors = inputs.production_answer(can_do="yes", lead_time_days="0", notes="")
    assert errors == {} and answer == inputs.ProductionAnswer(True, 0, "")


def test_production_lead_time_above_ten_years_is_refused() -> None:
    assert (
        "at most 3,650"
        in inputs.production_answer(can_do="yes", lead_time_days="3651", notes="")[1]["lead_time_days"]
    )


def test_production_no_needs_a_reason_and_ignores_the_lead_time() -> None:
    assert "Say why" in inputs.production_answer(can_do="no", lead_time_days="x", notes=" ")[1]["notes"]
    answer, errors = inputs.production_answer(can_do="no", lead_time_days="x", notes="No tooling")
    assert errors == {} and answer == inputs.ProductionAnswer(False, None, "No tooling")


@pytest.mark.parametrize("can_do", [None, "", "maybe", "YES"])
def test_an_answer_must_be_yes_or_no(can_do) -> None:  # noqa: ANN001
    assert (
        inputs.production_answer(can_do=can_do, lead_time_days="1", notes="")[1]["can_do"]
        == "Choose yes or no."
    )


def test_supply_yes_needs_an_arrival_date_not_in_the_past() -> None:
    missing = inputs.supply_answer(can_do="yes", material_date=None, notes="", today=TODAY)[1]
    past = inputs.supply_answer(can_do="yes", material_date=TODAY - timedelta(days=1), notes="", today=TODAY)[
        1
    ]
    assert missing["material_date"].startswith("Pick the material arrival date")
    assert "cannot be in the past" in past["material_date"]


def test_supply_yes_arriving_today_is_fine() -> None:
    answer, errors = inputs.supply_answer(can_do="yes", material_date=TODAY, notes=None, today=TODAY)
    assert errors == {} and answer == inputs.SupplyAnswer(True, TODAY, "")


def test_supply_no_needs_a_reason() -> None:
    errors = inputs.supply_answer(can_do="no", material_date=None, notes="", today=TODAY)[1]
    assert "Say why the materials cannot be sourced" in errors["notes"]


def test_notes_over_1000_characters_are_refused() -> None:
    errors = inputs.supply_answer(can_do="no", material_date=None, notes="n" * 1001, today=TODAY)[1]
    assert "within 1,000 characters" in errors["notes"]


def test_a_commitment_needs_a_date_not_in_the_past() -> None:
    assert (
        "cannot be in the past"
        in inputs.commitment(committed_date=TODAY - timedelta(days=1), notes="", today=TODAY)[1][
            "committed_date"
        ]
    )
    assert inputs.commitment(committed_date=TODAY, notes=" ok ", today=TODAY) == ((TODAY, "ok"), {})


def test_review_forms_refuse_the_same_invisible_characters() -> None:
    from workflows.review_inputs import NOTE_BLOCK, submission

    _, errors = submission("sales", ["GBX-100"], {"p0.forecast": "1000", NOTE_BLOCK: "ACME \u202eAMCA"})
    assert errors[NOTE_BLOCK].code == "direction_characters"
    _, errors = submission("sales", ["GBX-100"], {"p0.forecast": "1000", NOTE_BLOCK: "bad\x07bell"})
    assert errors[NOTE_BLOCK].code == "control_characters"


INVISIBLE = [
    "\u200b",
    "\u200c",
    "\u200d",
    "\ufeff",
    "\u200e",
    "\u200f",
    "\u2028",
    "\u2029",
    "\u00ad",
    "\u2060",
]


@pytest.mark.parametrize("mark", INVISIBLE)
def test_invisible_marks_leave_names_and_codes(mark: str) -> None:
    assert inputs.clean_text(f" {mark}AC{mark}ME{mark} ", name=True) == "ACME"
    fields, errors = order(customer=f"ACME{mark} Gears", product=f"GBX{mark}-100")
    assert errors == {}
    assert (fields.customer, fields.product) == ("ACME Gears", "GBX-100")


def test_free_text_keeps_its_invisible_marks_so_an_emoji_family_stays_together() -> None:
    family = "\U0001f469\u200d\U0001f469\u200d\U0001f467"
    assert inputs.clean_text(f" {family} ") == family
    fields, _ = order(specification=f"Packed for {family}")
    assert fields.specification == f"Packed for {family}"


def test_a_name_of_nothing_but_invisible_marks_is_blank() -> None:
    _, errors = order(customer="\u200b\u2060\ufeff")
    assert errors == {"customer": "Enter the customer name."}


def test_the_name_limit_counts_what_is_left_once_the_marks_go() -> None:
    fields, errors = order(customer="A" * inputs.MAX_NAME + "\u200b" * 10)
    assert errors == {} and fields.customer == "A" * inputs.MAX_NAME


@pytest.mark.parametrize("override", ["\u202e", "\u2066"])
def test_direction_overrides_in_a_name_are_still_refused_not_stripped(override: str) -> None:
    _, errors = order(customer=f"ACME{override}\u200b Gears")
    assert "invisible text-direction characters" in errors["customer"]


def test_a_review_key_material_loses_its_invisible_marks() -> None:
    values = {"p0.securable": "", "p0.key_material": "Steel\u200b A", "p1.securable": "450"}
    result, errors = review_inputs.submission("supply", ["GBX-100", "MTR-7"], values)
    assert errors == {}
    assert result[0]["GBX-100"]["key_material"] == "Steel A"


# -- numbers as Chinese users type them (issue 11, section 4) ------------------------------------

WIDE = str.maketrans("0123456789", "０１２３４５６７８９")


@pytest.mark.parametrize(
    ("typed", "quantity"),
    [
        ("２５０", 250),
        ("1，000", 1000),
        ("１，０００", 1000),
        ("1，000，000", 1_000_000),
        ("1、000", 1000),
        ("1 000", 1000),
        ("1\u3000000", 1000),
        ("250台", 250),
        ("250 套", 250),
        ("２５０件", 250),
        ("250 pcs", 250),
        ("250 PCS", 250),
        ("1，000 个", 1000),
        ("＋７", 7),
    ],
)
def test_quantities_typed_the_chinese_way_are_taken(typed, quantity) -> None:  # noqa: ANN001
    fields, errors = rules.order_fields(**{**ORDER, "quantity": typed})
    assert errors == {} and fields.quantity == quantity


@pytest.mark.parametrize(
    ("typed", "error"),
    [
        ("10天", InputError("wrong_unit", "quantity", {"unit": "天"})),
        ("250 days", InputError("wrong_unit", "quantity", {"unit": "days"})),
        ("250元", InputError("wrong_unit", "quantity", {"unit": "元"})),
        ("1，5", InputError("not_whole_number", "quantity")),  # a list or a decimal: ambiguous
        ("1，00", InputError("not_whole_number", "quantity")),
        ("12，3456", InputError("not_whole_number", "quantity")),
        ("1 5", InputError("not_whole_number", "quantity")),
        ("250台台", InputError("wrong_unit", "quantity", {"unit": "台台"})),
        ("台250", InputError("not_whole_number", "quantity")),
        ("2.5台", InputError("not_whole_number", "quantity")),
        ("250 apples", InputError("not_whole_number", "quantity")),
        ("①", InputError("not_whole_number", "quantity")),
        ("－５", InputError("too_small", "quantity", {"low": 1})),
        ("０", InputError("too_small", "quantity", {"low": 1})),
        ("10，000，001", InputError("too_large", "quantity", {"high": 10_000_000})),
    ],
)
def test_a_quantity_that_is_not_clearly_a_count_is_one_coded_error(typed, error) -> None:  # noqa: ANN001
    assert rules.order_fields(**{**ORDER, "quantity": typed}) == (None, {"quantity": error})


@pytest.mark.parametrize(
    ("typed", "days"), [("10天", 10), ("１０天", 10), ("10 days", 10), ("1 day", 1), ("0日", 0)]
)
def test_a_lead_time_may_carry_days(typed, days) -> None:  # noqa: ANN001
    answer, errors = rules.production_answer(can_do="yes", lead_time_days=typed, notes="")
    assert errors == {} and answer.lead_time_days == days


@pytest.mark.parametrize("typed", ["10台", "10 pcs", "10 weeks", "10周"])
def test_a_lead_time_in_another_unit_is_refused_not_guessed(typed) -> None:  # noqa: ANN001
    errors = rules.production_answer(can_do="yes", lead_time_days=typed, notes="")[1]
    assert list(errors) == ["lead_time_days"] and errors["lead_time_days"].code in (
        "wrong_unit",
        "not_whole_number",
    )


def test_number_errors_show_an_example_in_the_readers_language() -> None:
    wrong_unit = rules.order_fields(**{**ORDER, "quantity": "10天"})[1]["quantity"]
    not_number = rules.order_fields(**{**ORDER, "quantity": "abc"})[1]["quantity"]
    with language("zh_CN"):
        assert input_error(wrong_unit) == "数量按件计，不能用“天”；请输入整数，例如 250 或 250台。"
        assert input_error(not_number) == "数量须为整数，例如 250 或 250台。"
    with language("en"):
        assert input_error(not_number) == "The quantity must be a whole number, like 250."
        assert "like 250" in input_error(wrong_unit) and "“天”" in input_error(wrong_unit)


def _grouped(n: int, separator: str) -> str:
    return f"{n:,}".replace(",", separator)


@given(
    n=st.integers(1, rules.MAX_QUANTITY),
    wide=st.booleans(),
    separator=st.sampled_from(["", ",", "，", "、", " ", "\u3000"]),
    unit=st.sampled_from(["", "台", " 套", "件", " pcs", "个"]),
)
@settings(max_examples=300, deadline=None, derandomize=True)
def test_any_count_typed_with_wide_digits_separators_and_a_unit_reads_as_itself(
    n, wide, separator, unit
) -> None:  # noqa: ANN001
    typed = (_grouped(n, separator) if separator else str(n)) + unit
    if wide:
        typed = typed.translate(WIDE)
    fields, errors = rules.order_fields(**{**ORDER, "quantity": typed})
    assert errors == {} and fields.quantity == n, typed


@given(n=st.integers(0, rules.MAX_LEAD_DAYS), unit=st.sampled_from(["", "天", " 天", "日", " days"]))
@settings(max_examples=100, deadline=None, derandomize=True)
def test_any_lead_time_in_days_reads_as_itself(n, unit) -> None:  # noqa: ANN001
    answer, errors = rules.production_answer(
        can_do="yes", lead_time_days=f"{n}{unit}".translate(WIDE), notes=""
    )
    assert errors == {} and answer.lead_time_days == n
