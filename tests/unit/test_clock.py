"""Deadlines: plain wall-clock hours, or working hours under a calendar (days, holidays, a country)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.conftest import make_config
from workflows import clock

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=SHANGHAI)


def working(**sla: object):  # noqa: ANN201
    return make_config(
        sla={"confirm_within_hours": 24, "remind_before_hours": 4, "working_hours": "09:00-18:00"} | sla
    )


def test_without_a_calendar_the_deadline_is_plain_wall_clock_hours() -> None:
    start = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)  # a Friday night, into the weekend
    assert clock.confirmation_deadline(make_config(), start) == start + timedelta(hours=24)
    assert clock.working_calendar(make_config()) is None


def test_the_deadline_honours_the_configured_hours() -> None:
    config = make_config(sla={"confirm_within_hours": 48, "remind_before_hours": 4})
    start = datetime(2026, 11, 25, 1, tzinfo=UTC)
    assert clock.confirmation_deadline(config, start) == start + timedelta(hours=48)


def test_deadlines_are_returned_in_utc() -> None:
    deadline = clock.add_sla_hours(working(), local(2026, 11, 25, 10), 2)
    assert deadline.utcoffset() == timedelta(0)


def test_working_hours_inside_one_day() -> None:
    assert clock.add_sla_hours(working(), local(2026, 11, 25, 10), 4) == local(2026, 11, 25, 14)


def test_working_hours_roll_over_to_the_next_morning() -> None:
    # Wednesday 16:00 + 4 h: 2 h on Wednesday, 2 h from Thursday 09:00
    assert clock.add_sla_hours(working(), local(2026, 11, 25, 16), 4) == local(2026, 11, 26, 11)


def test_a_deadline_ending_exactly_at_closing_stays_on_that_day() -> None:
    assert clock.add_sla_hours(working(), local(2026, 11, 25, 9), 9) == local(2026, 11, 25, 18)


def test_a_request_made_before_opening_starts_counting_at_opening() -> None:
    assert clock.add_sla_hours(working(), local(2026, 11, 25, 6, 30), 1) == local(2026, 11, 25, 10)


def test_a_request_made_after_closing_starts_counting_next_morning() -> None:
    assert clock.add_sla_hours(working(), local(2026, 11, 25, 20), 1) == local(2026, 11, 26, 10)


def test_friday_afternoon_rolls_over_the_weekend_to_monday() -> None:
    # Friday 27 Nov 17:00 + 4 h: 1 h on Friday, 3 h on Monday 30 Nov
    assert clock.add_sla_hours(working(), local(2026, 11, 27, 17), 4) == local(2026, 11, 30, 12)


def test_a_request_made_on_saturday_starts_counting_on_monday() -> None:
    assert clock.add_sla_hours(working(), local(2026, 11, 28, 11), 2) == local(2026, 11, 30, 11)


def test_24_working_hours_span_almost_three_working_days() -> None:
    # 9 h a day: Wed 09:00 + 24 h = Wed (9) + Thu (9) + 6 h on Fri
    assert clock.confirmation_deadline(working(), local(2026, 11, 25, 9)) == local(2026, 11, 27, 15)


def test_a_listed_holiday_is_skipped() -> None:
    config = working(holidays=["2026-11-26"])
    assert clock.add_sla_hours(config, local(2026, 11, 25, 17), 2) == local(2026, 11, 27, 10)


def test_custom_working_days_are_honoured() -> None:
    config = working(working_days=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"])
    assert clock.add_sla_hours(config, local(2026, 11, 27, 17), 2) == local(2026, 11, 28, 10)


def test_a_country_code_skips_that_countrys_public_holidays() -> None:
    config = working(holidays="CN")
    calendar = clock.working_calendar(config)
    assert calendar is not None and calendar.country == "CN"
    assert not calendar.is_working_day(date(2026, 10, 1))  # National Day
    assert calendar.is_working_day(date(2026, 9, 30))
    deadline = clock.add_sla_hours(config, local(2026, 9, 30, 17), 2).astimezone(SHANGHAI)
    assert deadline.date() > date(2026, 10, 1)
    assert calendar.is_working_day(deadline.date())
    assert deadline.time().hour == 10  # one hour on 30 Sep, one in the first working morning after


def test_a_lower_case_country_code_is_accepted() -> None:
    assert clock.working_calendar(working(holidays="cn")).country == "CN"


def test_the_calendar_works_in_the_configured_zone_not_utc() -> None:
    config = make_config(
        timezone="Europe/Berlin",
        sla={"confirm_within_hours": 8, "remind_before_hours": 1, "working_hours": "09:00-17:00"},
    )
    berlin = ZoneInfo("Europe/Berlin")
    start = datetime(2026, 11, 25, 9, tzinfo=berlin)
    assert clock.confirmation_deadline(config, start) == datetime(2026, 11, 25, 17, tzinfo=berlin)


def test_local_today_is_the_date_in_the_configured_zone() -> None:
    assert clock.local_today(make_config(), datetime(2026, 11, 25, 16, 30, tzinfo=UTC)) == date(2026, 11, 26)
    assert clock.local_today(make_config(), datetime(2026, 11, 25, 15, 59, tzinfo=UTC)) == date(2026, 11, 25)


def test_a_calendar_with_no_working_time_fails_loudly() -> None:
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(3700)]
    calendar = clock.working_calendar(working())
    closed = type(calendar)(
        calendar.tz, calendar.opens, calendar.closes, calendar.days, frozenset(days), None
    )
    with pytest.raises(ValueError, match="no working time"):
        closed.add_working_hours(local(2026, 1, 1, 9), 1)
