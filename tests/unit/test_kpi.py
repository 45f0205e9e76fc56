"""Each KPI formula on hand-made data, and a month's KPIs computed from hand-made rows."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

import pytest

from storage.models import ConfirmationRequest, OrderChange, OrderStatus
from tests.conftest import SALES, make_config
from tests.unit.test_digest import add_order, add_request, session  # noqa: F401  (fixture)
from workflows import kpi
from workflows.config import Sla
from workflows.review_schedule import parse_month

CONFIG = make_config()  # Asia/Shanghai, UTC+8
NOW = datetime(2026, 12, 10, 4, 0, tzinfo=UTC)
DUE = datetime(2026, 11, 20, 4, 0, tzinfo=UTC)


def request(answered_after: timedelta | None, *, superseded: bool = False, due: datetime = DUE):
    answered_at = None if answered_after is None else due + answered_after
    opened = due - timedelta(hours=24)
    times = {"requested_at": opened, "due_at": due, "answered_at": answered_at}
    return ConfirmationRequest(order_id=1, team="production", revision=1, superseded=superseded, **times)


# -- formulas ------------------------------------------------------------------------------------


def test_confirmation_rate_counts_answers_by_the_deadline_as_hits() -> None:
    rate = kpi.confirmation_rate([request(-timedelta(hours=1)), request(timedelta(0))], NOW)
    assert (rate.hits, rate.total) == (2, 2)


def test_a_late_answer_and_an_unanswered_breach_count_against() -> None:
    rate = kpi.confirmation_rate(
        [request(-timedelta(hours=1)), request(timedelta(minutes=1)), request(None)], NOW
    )
    assert (rate.hits, rate.total) == (1, 3)


def test_superseded_unanswered_requests_are_left_out_but_superseded_answers_count() -> None:
    rate = kpi.confirmation_rate(
        [request(None, superseded=True), request(-timedelta(hours=2), superseded=True)], NOW
    )
    assert (rate.hits, rate.total) == (1, 1)


def test_a_recorded_breach_still_counts_after_the_request_is_closed() -> None:
    # the deadline passed and was escalated; then the other team declined, or sales revised/cancelled
    breached = request(None, superseded=True)
    breached.escalated_at = DUE
    rate = kpi.confirmation_rate([breached], NOW)
    assert (rate.hits, rate.total) == (0, 1)


def test_an_unanswered_request_whose_clock_still_runs_is_not_counted_yet() -> None:
    running = request(None, due=NOW + timedelta(hours=3))
    assert kpi.confirmation_rate([running], NOW).total == 0


def test_a_rate_with_nothing_counted_has_no_value_rather_than_zero() -> None:
    assert kpi.Rate(0, 0).value is None
    assert kpi.Rate(3, 4).value == 0.75


def test_on_time_rate_compares_actual_with_promised_dates_and_skips_missing_promises() -> None:
    d = date(2026, 11, 16)
    rate = kpi.on_time_rate([(d, d), (d - timedelta(days=1), d), (d + timedelta(days=1), d), (d, None)])
    assert (rate.hits, rate.total) == (2, 3)


def test_median_duration_of_odd_and_even_counts_and_none_when_empty() -> None:
    t = DUE
    spans = [(t, t + timedelta(hours=h)) for h in (10, 2, 30)]
    assert kpi.median_duration(spans) == timedelta(hours=10)
    assert kpi.median_duration(spans + [(t, t + timedelta(hours=20))]) == timedelta(hours=15)
    assert kpi.median_duration([]) is None


@pytest.mark.parametrize(
    ("text", "month"),
    [
        ("2026-11", (2026, 11)),
        (" 2026-1 ", (2026, 1)),
        ("2026-13", None),
        ("11-2026", None),
        ("nov", None),
        ("0000-01", None),  # no year 0; 0001-01 and 9999-12 have no month before / after
        ("0001-01", None),
        ("9999-12", None),
        ("２０２６-11", None),  # digits, but not ASCII ones
        ("2026-²", None),
    ],
)
def test_parse_month(text: str, month: tuple[int, int] | None) -> None:
    assert parse_month(text) == month


def test_a_month_is_bounded_by_midnights_in_the_configured_zone() -> None:
    assert kpi.month_span(CONFIG, (2026, 11)) == (
        datetime(2026, 10, 31, 16, 0, tzinfo=UTC),
        datetime(2026, 11, 30, 16, 0, tzinfo=UTC),
    )
    assert kpi.shift((2026, 1), -1) == (2025, 12) and kpi.shift((2026, 12), 1) == (2027, 1)


# -- from the database ---------------------------------------------------------------------------


def test_month_kpis_from_recorded_facts(session) -> None:  # noqa: ANN001, F811
    nov_start = datetime(2026, 10, 31, 16, 0, tzinfo=UTC)  # 1 Nov 00:00 in Shanghai
    order = add_order(session)
    add_request(session, order, "production", nov_start, answered_at=nov_start)  # on time, 1 Nov local
    add_request(
        session, order, "supply", nov_start - timedelta(minutes=1), revision=2
    )  # 31 Oct local: not counted
    other = add_order(session)
    add_request(session, other, "supply", nov_start + timedelta(days=3))  # breached
    add_request(session, other, "production", nov_start + timedelta(days=3), superseded=True)  # left out

    def committed(registered_days_before: int, **fields) -> None:  # noqa: ANN003
        at = nov_start + timedelta(days=10)
        registered = at - timedelta(days=registered_days_before)
        dates = {"committed_at": at, "committed_date": date(2026, 11, 20)}
        add_order(session, OrderStatus.DELIVERED, created_at=registered, **dates, **fields)

    committed(1, delivered_date=date(2026, 11, 20), materials_arrived_date=date(2026, 11, 5))
    committed(3, delivered_date=date(2026, 11, 21))
    committed(5, delivered_date=date(2026, 12, 1))  # delivered in December
    late_materials = add_order(session, OrderStatus.COMMITTED, materials_arrived_date=date(2026, 11, 9))
    promised = {"answered_at": nov_start, "material_date": date(2026, 11, 8)}
    add_request(
        session, late_materials, "supply", nov_start - timedelta(days=2), **promised
    )  # due in October
    for at in (nov_start + timedelta(days=2), nov_start - timedelta(hours=1)):
        session.add(OrderChange(order_id=order.id, requested_by=SALES, requested_at=at, before={}, after={}))
    session.flush()

    month = kpi.month_kpis(session, CONFIG, (2026, 11), NOW)
    assert month.confirmation["production"] == kpi.Rate(1, 1)
    assert month.confirmation["supply"] == kpi.Rate(0, 1)
    assert month.delivery == kpi.Rate(1, 2)
    assert month.materials == kpi.Rate(0, 1)  # the first committed order has no supply promise
    assert (month.median_to_commit, month.committed) == (timedelta(days=3), 3)
    assert month.changes == 1


def test_the_confirmation_kpi_is_named_after_the_configured_window() -> None:
    from bot.kpi.blocks import kpi_lines

    empty = kpi.Rate(0, 0)
    eight = Sla(confirm_within_hours=8, remind_before_hours=2)
    kpis = kpi.MonthKpis((2026, 11), {"production": empty, "supply": empty}, empty, empty, None, 0, 0, eight)
    assert [label for label, _ in kpi_lines(kpis)][:2] == [
        "Confirmation within 8 hours · production",
        "Confirmation within 8 hours · supply",
    ]
    assert kpi_lines(replace(kpis, sla=Sla()))[0][0] == "Confirmation within 24 hours · production"
    working = Sla(working_hours="09:00-18:00")
    assert kpi_lines(replace(kpis, sla=working))[0][0] == "Confirmation within 24 working hours · production"


def test_the_month_kpis_carry_the_window_they_were_measured_against(session) -> None:  # noqa: ANN001, F811
    config = make_config(sla={"confirm_within_hours": 8, "working_hours": "09:00-18:00"})
    month = kpi.month_kpis(session, config, (2026, 11), NOW)
    assert (month.sla_hours, month.sla.working_hours) == (8, "09:00-18:00")


@pytest.mark.parametrize(
    ("text", "today", "month"),
    [
        ("2026年11月", date(2026, 11, 25), "2026-11"),
        ("２０２６年１１月", date(2026, 11, 25), "2026-11"),  # full-width digits
        (" 2027 年 1 月份 ", date(2026, 11, 25), "2027-01"),
        ("11月", date(2026, 11, 25), "2026-11"),  # this month
        ("10月", date(2026, 11, 25), "2026-10"),
        ("12月", date(2026, 11, 25), "2025-12"),  # the latest December that has begun
        ("12月", date(2027, 1, 3), "2026-12"),
        ("13月", date(2026, 11, 25), None),
        ("0月", date(2026, 11, 25), None),
        ("十一月", date(2026, 11, 25), None),
        ("2026年11", date(2026, 11, 25), None),
        ("2026-11", date(2026, 11, 25), "2026-11"),  # the ASCII form too
    ],
)
def test_months_typed_the_chinese_way(text: str, today: date, month: str | None) -> None:
    from workflows.review_schedule import parse_month_words

    assert parse_month_words(text, today, ahead=0) == month  # KPIs: the latest month that has begun
