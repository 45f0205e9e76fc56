"""When the monthly review happens: local review time, daylight saving, weekend shift, catch-up window."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from storage.db import session_scope
from storage.models import DueItem
from tests.conftest import make_config
from workflows import review
from workflows.context import Context
from workflows.review_schedule import (
    parse_month_words,
    reminder_moments,
    review_date,
    review_in_window,
    review_moment,
)

SHANGHAI, BERLIN = ZoneInfo("Asia/Shanghai"), ZoneInfo("Europe/Berlin")


def at(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone).astimezone(UTC)


class NoGroups:
    def expand(self, ids: list[str]) -> set[str]:
        return set(ids)


def test_review_on_the_5th_plans_the_next_month_at_09_00_shanghai():
    config = make_config()
    assert review_moment(config, "2026-12") == datetime(2026, 11, 5, 1, 0, tzinfo=UTC)


def test_just_before_09_00_the_coming_review_is_this_months():
    config = make_config()
    assert review_in_window(config, at(SHANGHAI, 2026, 11, 5, 8, 59)) == "2026-12"
    assert review_in_window(config, at(SHANGHAI, 2026, 11, 5, 9, 1)) == "2026-12"


def test_after_the_catch_up_window_the_next_review_is_the_coming_one():
    config = make_config()
    assert review_in_window(config, at(SHANGHAI, 2026, 11, 7, 9, 0)) == "2026-12"
    assert review_in_window(config, at(SHANGHAI, 2026, 11, 7, 9, 1)) == "2027-01"


def test_december_review_plans_january_of_the_next_year():
    config = make_config()
    assert review_moment(config, "2027-01") == at(SHANGHAI, 2026, 12, 5, 9, 0)


def test_berlin_review_follows_daylight_saving_in_march():
    config = make_config(timezone="Europe/Berlin")
    assert review_moment(config, "2026-04") == datetime(2026, 3, 5, 8, 0, tzinfo=UTC)  # CET, +01:00
    assert review_moment(config, "2026-05") == datetime(2026, 4, 5, 7, 0, tzinfo=UTC)  # CEST, +02:00


def test_berlin_review_on_the_day_clocks_go_back_in_october():
    config = make_config(timezone="Europe/Berlin", schedule={"review_day": 25})
    # 25 Oct 2026: clocks go back at 03:00; 09:00 that day is already CET
    assert review_moment(config, "2026-11") == datetime(2026, 10, 25, 8, 0, tzinfo=UTC)
    assert review_moment(config, "2026-10") == datetime(2026, 9, 25, 7, 0, tzinfo=UTC)


def test_weekend_review_moves_to_monday_with_next_workday_shift():
    config = make_config(schedule={"review_shift": "next_workday"})
    assert date(2026, 12, 5).weekday() == 5  # a Saturday
    assert review_date(config, "2027-01") == date(2026, 12, 7)
    assert review_moment(config, "2027-01") == at(SHANGHAI, 2026, 12, 7, 9, 0)


def test_without_shift_a_weekend_review_stays_on_its_day():
    assert review_date(make_config(), "2027-01") == date(2026, 12, 5)


def test_shift_skips_a_holiday_of_the_working_calendar():
    config = make_config(
        schedule={"review_shift": "next_workday"},
        sla={"working_hours": "09:00-18:00", "holidays": ["2026-12-07"]},
    )
    assert review_date(config, "2027-01") == date(2026, 12, 8)


def test_reminders_three_days_before_and_the_day_before_at_review_time():
    moments = reminder_moments(make_config(), "2026-12")
    assert moments == {
        "remind-early": at(SHANGHAI, 2026, 11, 2, 9, 0),
        "remind-last": at(SHANGHAI, 2026, 11, 4, 9, 0),
    }


def test_one_reminder_when_the_early_one_is_the_day_before():
    assert list(reminder_moments(make_config(schedule={"submit_reminder_days": 1}), "2026-12")) == [
        "remind-early"
    ]


def _planned(engine, now: datetime, config=None) -> dict[str, datetime]:  # noqa: ANN001
    ctx = Context(config=config or make_config(), directory=NoGroups(), now=now)
    for _ in range(2):  # planning twice changes nothing
        with session_scope(engine) as session:
            review.plan(session, ctx)
    with session_scope(engine) as session:
        planned = {d.key: d.due_at for d in session.execute(select(DueItem)).scalars()}
    return planned


def test_planning_creates_the_agenda_and_reminders_once(engine):  # noqa: ANN001
    planned = _planned(engine, at(SHANGHAI, 2026, 10, 20, 12, 0))
    assert planned == {
        "review:2026-12:agenda": at(SHANGHAI, 2026, 11, 5, 9, 0),
        "review:2026-12:remind-early": at(SHANGHAI, 2026, 11, 2, 9, 0),
        "review:2026-12:remind-last": at(SHANGHAI, 2026, 11, 4, 9, 0),
    }


def test_a_review_missed_by_more_than_two_days_is_not_planned_late(engine):  # noqa: ANN001
    planned = _planned(engine, at(SHANGHAI, 2026, 11, 20, 12, 0))
    assert "review:2026-12:agenda" not in planned
    assert planned["review:2027-01:agenda"] == at(SHANGHAI, 2026, 12, 5, 9, 0)


def test_a_review_missed_by_hours_is_still_planned_to_catch_up(engine):  # noqa: ANN001
    planned = _planned(engine, at(SHANGHAI, 2026, 11, 5, 15, 0))
    assert planned["review:2026-12:agenda"] == at(SHANGHAI, 2026, 11, 5, 9, 0)


def test_nothing_is_planned_without_core_products(engine):  # noqa: ANN001
    config = make_config(review={"core_products": []})
    assert _planned(engine, at(SHANGHAI, 2026, 10, 20, 12, 0), config) == {}


def test_window_spans_a_month_end_when_the_review_was_shifted():
    # 28 Feb 2026 is a Saturday: the review planning March moves to Monday 2 March
    config = make_config(schedule={"review_day": 28, "review_shift": "next_workday"})
    assert review_date(config, "2026-03") == date(2026, 3, 2)
    assert review_in_window(config, at(SHANGHAI, 2026, 3, 1, 12, 0)) == "2026-03"
    assert review_in_window(config, at(SHANGHAI, 2026, 3, 2, 9, 0) + timedelta(days=3)) == "2026-04"


def test_shift_follows_the_cn_calendar_make_up_days_and_spring_festival():
    sla = {"working_hours": "09:00-18:00", "holidays": "CN"}
    on_the_14th = make_config(schedule={"review_day": 14, "review_shift": "next_workday"}, sla=sla)
    assert review_date(on_the_14th, "2026-03") == date(2026, 2, 14)  # a make-up Saturday: stays
    # Sunday 15 Feb, then Spring Festival to Monday 23 Feb: the first working day is Tuesday 24 Feb
    on_the_15th = make_config(schedule={"review_day": 15, "review_shift": "next_workday"}, sla=sla)
    assert review_date(on_the_15th, "2026-03") == date(2026, 2, 24)


# -- months as people type them (/review 计划, /kpi) ------------------------------------------------

TODAY = date(2026, 12, 2)


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("2026-11", "2026-11"),
        ("2026-1", "2026-01"),
        ("2026年11月", "2026-11"),
        ("2027年1月份", "2027-01"),
        (" 2026 年 3 月 ", "2026-03"),
        ("２０２６年１１月", "2026-11"),  # full-width digits
        ("11月", "2026-11"),  # last month
        ("12月", "2026-12"),  # this month
        ("1月", "2027-01"),  # next month: the coming review plans it
        ("2月", "2026-02"),  # further ahead than next month: the one before
        ("１１月", "2026-11"),
    ],
)
def test_a_month_as_chinese_users_type_it(typed: str, key: str) -> None:
    assert parse_month_words(typed, TODAY) == key


@pytest.mark.parametrize(
    "typed", ["", "11", "13月", "0月", "2026年13月", "nov", "2026-13", "0001年1月", "月", "11月11月"]
)
def test_anything_else_is_not_a_month(typed: str) -> None:
    assert parse_month_words(typed, TODAY) is None


def test_a_month_without_a_year_in_january_reaches_back_into_last_year() -> None:
    assert parse_month_words("12月", date(2027, 1, 10)) == "2026-12"
    assert parse_month_words("2月", date(2027, 1, 10)) == "2027-02"
    assert parse_month_words("3月", date(2027, 1, 10)) == "2026-03"
