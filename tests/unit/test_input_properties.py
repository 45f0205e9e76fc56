"""workflows/inputs.py, generated input: never an exception, always a value or one error per bad field."""

from __future__ import annotations

from datetime import date

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.orders.refusals import input_errors
from bot.text import language
from workflows import inputs
from workflows.inputs import InputError

TODAY = date(2026, 11, 25)
FRAGMENTS = [
    "<!channel>",
    "<@U1>",
    "&",
    "<",
    ">",
    "*",
    "`",
    "\n",
    "\t",
    "\r",
    "\x00",
    "\x7f",
    "😀",
    "١",
    "𝟏",
    ",",
]
typed = st.one_of(
    st.none(),
    st.text(max_size=200),
    st.lists(st.sampled_from(FRAGMENTS), max_size=30).map("".join),
    st.integers().map(str),
    st.builds(lambda unit, n: unit * n, st.sampled_from(["1", "x", " ", "&", "9,"]), st.integers(0, 10_000)),
)
dates = st.one_of(st.none(), st.dates())
answers = st.one_of(st.none(), st.sampled_from(["yes", "no", "", "maybe", "YES"]), st.text(max_size=5))
SETTINGS = settings(max_examples=300, deadline=None, derandomize=True)


def assert_value_or_errors(result: tuple, fields: set[str]) -> None:
    value, errors = result
    assert (value is None) == bool(errors), result
    assert set(errors) <= fields, errors
    assert all(isinstance(e, InputError) and e.code and e.what for e in errors.values()), errors
    for code in ("en", "zh_CN"):  # every error has its words in both languages
        with language(code):
            worded = input_errors(errors)
        assert all(w and w != "Check this field and try again." for w in worded.values()), worded


@SETTINGS
@given(customer=typed, product=typed, quantity=typed, requested=dates, specification=typed)
@example(customer="a", product="b", quantity="1" * 4301, requested=TODAY, specification="c")
def test_order_fields_never_raise(customer, product, quantity, requested, specification) -> None:  # noqa: ANN001
    result = inputs.order_fields(
        customer=customer,
        product=product,
        quantity=quantity,
        requested_date=requested,
        specification=specification,
        today=TODAY,
    )
    assert_value_or_errors(result, {"customer", "product", "quantity", "requested_date", "specification"})
    if result[0] is not None:
        assert 1 <= result[0].quantity <= inputs.MAX_QUANTITY
        assert result[0].customer == customer.strip()


@SETTINGS
@given(can_do=answers, lead=typed, notes=typed)
@example(can_do="yes", lead="1" * 4301, notes=None)
def test_production_answer_never_raises(can_do, lead, notes) -> None:  # noqa: ANN001
    result = inputs.production_answer(can_do=can_do, lead_time_days=lead, notes=notes)
    assert_value_or_errors(result, {"can_do", "lead_time_days", "notes"})
    if result[0] is not None and result[0].can_do:
        assert 0 <= result[0].lead_time_days <= inputs.MAX_LEAD_DAYS


@SETTINGS
@given(can_do=answers, arrival=dates, notes=typed)
def test_supply_answer_never_raises(can_do, arrival, notes) -> None:  # noqa: ANN001
    result = inputs.supply_answer(can_do=can_do, material_date=arrival, notes=notes, today=TODAY)
    assert_value_or_errors(result, {"can_do", "material_date", "notes"})


@SETTINGS
@given(committed=dates, notes=typed)
def test_commitment_never_raises(committed, notes) -> None:  # noqa: ANN001
    assert_value_or_errors(
        inputs.commitment(committed_date=committed, notes=notes, today=TODAY), {"committed_date", "notes"}
    )


@SETTINGS
@given(value=st.one_of(st.none(), st.text(max_size=30), st.dates().map(date.isoformat)))
def test_parse_date_gives_a_date_or_none(value) -> None:  # noqa: ANN001
    assert inputs.parse_date(value) is None or isinstance(inputs.parse_date(value), date)
