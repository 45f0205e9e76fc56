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


# -- China's make-up working days (调休) and the company's own dates -------------------------


def test_cn_spring_festival_2026_counts_the_make_up_saturdays() -> None:
    # Worked out by hand from the State Council's 2026 arrangement (not with the code under test):
    # Spring Festival is off Sun 15 Feb to Mon 23 Feb; Sat 14 Feb and Sat 28 Feb are working days.
    # 24 working hours, 09:00-18:00 (9 h a day), from Fri 13 Feb 16:00:
    #   Fri 13 Feb 16:00-18:00   2 h  (22 left)
    #   Sat 14 Feb 09:00-18:00   9 h  (13 left)  make-up working day
    #   Sun 15 - Mon 23 Feb      0 h              holiday and weekend
    #   Tue 24 Feb 09:00-18:00   9 h  ( 4 left)
    #   Wed 25 Feb 09:00-13:00   4 h  ( 0 left)
    # Due Wed 25 Feb 2026 13:00 Shanghai = 05:00 UTC (skipping the Saturday would make it Thu 26 Feb).
    start = local(2026, 2, 13, 16)
    assert clock.confirmation_deadline(working(holidays="CN"), start) == datetime(2026, 2, 25, 5, tzinfo=UTC)


def test_cn_make_up_days_are_working_days_and_the_festival_is_not() -> None:
    calendar = clock.working_calendar(working(holidays="CN"))
    assert calendar is not None
    assert calendar.is_working_day(date(2026, 2, 14))  # Saturday, make-up day
    assert calendar.is_working_day(date(2026, 2, 28))  # Saturday, make-up day
    assert calendar.is_working_day(date(2026, 1, 4))  # Sunday, make-up day for New Year
    assert not calendar.is_working_day(date(2026, 2, 21))  # an ordinary Saturday inside the break
    assert not calendar.is_working_day(date(2026, 3, 7))  # an ordinary Saturday
    assert not calendar.is_working_day(date(2026, 2, 23))  # Monday, off in exchange for 28 Feb


def test_a_cn_make_up_saturday_rolls_a_friday_evening_request_into_saturday() -> None:
    # Fri 27 Feb 17:00 + 4 h: 1 h on Friday, 3 h on make-up Saturday 28 Feb
    assert clock.add_sla_hours(working(holidays="CN"), local(2026, 2, 27, 17), 4) == local(2026, 2, 28, 12)


def test_without_the_cn_calendar_saturdays_stay_off() -> None:
    # No country: Fri 13 Feb 16:00 + 24 h = Fri 2 h, Mon 16 9 h, Tue 17 9 h, Wed 18 4 h -> 13:00
    plain = working()
    assert clock.confirmation_deadline(plain, local(2026, 2, 13, 16)) == local(2026, 2, 18, 13)
    assert not clock.working_calendar(plain).is_working_day(date(2026, 2, 14))
    # The festival as listed dates, with no make-up days: Fri 2 h, Tue 24 9 h, Wed 25 9 h, Thu 26 4 h
    festival = [f"2026-02-{day}" for day in (16, 17, 18, 19, 20, 23)]
    listed = working(holidays=festival)
    assert not clock.working_calendar(listed).is_working_day(date(2026, 2, 14))
    assert clock.confirmation_deadline(listed, local(2026, 2, 13, 16)) == local(2026, 2, 26, 13)
    # And without working hours nothing of the calendar applies: 24 wall-clock hours
    start = local(2026, 2, 13, 16)
    assert clock.confirmation_deadline(make_config(), start) == start + timedelta(hours=24)


def test_an_extra_workday_counts_a_saturday() -> None:
    # Fri 27 Nov 17:00 + 4 h: 1 h on Friday, 3 h on Saturday 28 Nov (the company works it)
    config = working(extra_workdays=["2026-11-28"])
    assert clock.add_sla_hours(config, local(2026, 11, 27, 17), 4) == local(2026, 11, 28, 12)
    assert not clock.working_calendar(config).is_working_day(date(2026, 12, 5))  # other Saturdays stay off


def test_an_extra_workday_overrides_a_public_holiday() -> None:
    # Wed 30 Sep 17:00 + 2 h: 1 h on 30 Sep, 1 h on National Day, which this company works
    config = working(holidays="CN", extra_workdays=["2026-10-01"])
    assert clock.add_sla_hours(config, local(2026, 9, 30, 17), 2) == local(2026, 10, 1, 10)


def test_an_extra_holiday_is_skipped() -> None:
    # Wed 25 Nov 16:00 + 4 h: 2 h on Wednesday, Thursday 26 Nov closed, 2 h on Friday
    config = working(extra_holidays=["2026-11-26"])
    assert clock.add_sla_hours(config, local(2026, 11, 25, 16), 4) == local(2026, 11, 27, 11)


def test_an_extra_holiday_adds_to_listed_holidays() -> None:
    # Wed 25 Nov 17:00 + 2 h: 1 h Wednesday, Thu 26 (listed) and Fri 27 (extra) closed, 1 h Monday
    config = working(holidays=["2026-11-26"], extra_holidays=["2026-11-27"])
    assert clock.add_sla_hours(config, local(2026, 11, 25, 17), 2) == local(2026, 11, 30, 10)


def test_an_extra_holiday_overrides_a_cn_make_up_day() -> None:
    # The factory stays shut on Sat 14 Feb. From Fri 13 Feb 16:00, 24 h:
    # Fri 2 h, Tue 24 Feb 9 h, Wed 25 Feb 9 h, Thu 26 Feb 4 h -> Thu 26 Feb 13:00
    config = working(holidays="CN", extra_holidays=["2026-02-14"])
    assert clock.confirmation_deadline(config, local(2026, 2, 13, 16)) == local(2026, 2, 26, 13)
    assert clock.working_calendar(config).is_working_day(date(2026, 2, 28))  # the other one still counts
