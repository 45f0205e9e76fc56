"""Deadlines: plain wall-clock hours, or hours of working time under an optional calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from workflows.config import WEEKDAYS, Config


@dataclass(frozen=True)
class WorkingCalendar:
    tz: ZoneInfo
    opens: time
    closes: time
    days: frozenset[int]  # 0 = Monday
    holiday_dates: frozenset[date]  # the company's own closed days (sla.holidays as dates, extra_holidays)
    country: str | None
    workday_dates: frozenset[date] = frozenset()  # the company's own extra working days

    def is_working_day(self, day: date) -> bool:
        """The company's own dates decide first, then the country's calendar (its public holidays,
        and its make-up working days on weekends, e.g. China's 调休), then the working days."""
        if day in self.holiday_dates:
            return False
        if day in self.workday_dates:
            return True
        if self.country:
            if day in _country_holidays(self.country, day.year):
                return False
            if day in _country_workdays(self.country, day.year):
                return True
        return day.weekday() in self.days

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        """Walk forward from `start`, counting only time inside working hours on working days."""
        remaining = timedelta(hours=hours)
        local = start.astimezone(self.tz)
        day = local.date()
        for _ in range(3660):  # ten years of days: a calendar with no working day fails loudly
            if self.is_working_day(day):
                opens = datetime.combine(day, self.opens, self.tz)
                closes = datetime.combine(day, self.closes, self.tz)
                begin = max(opens, local)
                if begin < closes:
                    available = closes - begin
                    if remaining <= available:
                        return (begin + remaining).astimezone(UTC)
                    remaining -= available
            day += timedelta(days=1)
        raise ValueError("the working calendar has no working time in the next ten years")


@lru_cache(maxsize=64)
def _country_holidays(country: str, year: int) -> frozenset[date]:
    import holidays

    return frozenset(holidays.country_holidays(country, years=year).keys())


@lru_cache(maxsize=64)
def _country_workdays(country: str, year: int) -> frozenset[date]:
    """Weekend days the country's official calendar makes working days in `year` (China's 调休:
    Saturday 14 Feb 2026 and Saturday 28 Feb 2026 make up for the Spring Festival week)."""
    import holidays

    calendar = holidays.country_holidays(country, years=year)
    return frozenset(day for day in calendar.weekend_workdays if day.year == year)


def working_calendar(config: Config) -> WorkingCalendar | None:
    sla = config.sla
    if sla.working_hours is None:
        return None
    opens, closes = (time.fromisoformat(p.strip()) for p in sla.working_hours.split("-"))
    dates = sla.holidays if isinstance(sla.holidays, list) else []
    country = sla.holidays.upper() if isinstance(sla.holidays, str) else None
    return WorkingCalendar(
        tz=config.tz,
        opens=opens,
        closes=closes,
        days=frozenset(WEEKDAYS.index(d) for d in sla.working_days),
        holiday_dates=frozenset(dates) | frozenset(sla.extra_holidays),
        country=country,
        workday_dates=frozenset(sla.extra_workdays),
    )


def add_sla_hours(config: Config, start: datetime, hours: float) -> datetime:
    calendar = working_calendar(config)
    if calendar is None:
        return start + timedelta(hours=hours)
    return calendar.add_working_hours(start, hours)


def confirmation_deadline(config: Config, start: datetime) -> datetime:
    return add_sla_hours(config, start, config.sla.confirm_within_hours)


def local_today(config: Config, now: datetime) -> date:
    return now.astimezone(config.tz).date()
