"""When the monthly review happens: pure date arithmetic on the configuration.

The review held in month M plans month M+1; a review is named by its plan month ("2026-12").
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, date, datetime, time, timedelta

from workflows.clock import working_calendar
from workflows.config import Config

# The agenda of a review the bot missed (it was down) is still posted if it comes back within
# this window, and `/review submit` keeps collecting for it; after that the month is left behind.
CATCH_UP = timedelta(days=2)


def month_key(year: int, month: int) -> str:
    return f"{year:04d}-{month:02d}"


# Months people can ask about (/kpi, /review plan): wide enough for any business record, narrow
# enough that the month before and after, and its first instant in any time zone, exist.
YEARS = range(1900, 3000)


def parse_month(key: str) -> tuple[int, int] | None:
    """ "2026-12" → (2026, 12); anything else (another shape, month 13, year 0001) → None."""
    parts = key.strip().split("-")
    if len(parts) != 2 or not all(p.isascii() and p.isdigit() for p in parts) or len(parts[0]) != 4:
        return None
    year, month = int(parts[0]), int(parts[1])
    return (year, month) if year in YEARS and 1 <= month <= 12 else None


# "2026年11月", "2026 年 11 月份", "11月" (full-width digits are read as digits)
_CHINESE_MONTH = re.compile(r"(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月份?")


def parse_month_words(text: str, today: date, *, ahead: int = 1) -> str | None:
    """A month as people type it, as a key "YYYY-MM": "2026-11", "2026年11月", or "11月"; else None.

    A month without a year is the latest such month up to `ahead` months from now: a review plans
    next month (ahead=1: on 2 Dec 2026 "11月" is 2026-11, "1月" 2027-01, "5月" 2026-05), KPIs
    are of months that have begun (ahead=0: "1月" is 2026-01)."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    if (parsed := parse_month(text)) is not None:
        return month_key(*parsed)
    found = _CHINESE_MONTH.fullmatch(text)
    if found is None:
        return None
    month = int(found.group(2))
    if found.group(1):
        year = int(found.group(1))
        return month_key(year, month) if year in YEARS and 1 <= month <= 12 else None
    if not 1 <= month <= 12:
        return None
    latest = shift_month(today.year, today.month, ahead)
    year = latest[0] if month <= latest[1] else latest[0] - 1
    return month_key(year, month) if year in YEARS else None


def shift_month(year: int, month: int, by: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + by
    return index // 12, index % 12 + 1


def plan_month_of_review(review_year: int, review_month: int) -> str:
    return month_key(*shift_month(review_year, review_month, 1))


def month_bounds(key: str) -> tuple[date, date]:
    year, month = parse_month(key) or (1970, 1)
    next_year, next_month = shift_month(year, month, 1)
    return date(year, month, 1), date(next_year, next_month, 1) - timedelta(days=1)


def _is_working_day(config: Config, day: date) -> bool:
    calendar = working_calendar(config)
    return calendar.is_working_day(day) if calendar else day.weekday() < 5


def review_date(config: Config, plan_month: str) -> date:
    """The local day of the review that plans `plan_month` (moved off non-working days if configured)."""
    year, month = parse_month(plan_month) or (1970, 2)
    review_year, review_month = shift_month(year, month, -1)
    day = date(review_year, review_month, config.schedule.review_day)
    if config.schedule.review_shift == "next_workday":
        for _ in range(60):  # a calendar with no working day in two months keeps the configured day
            if _is_working_day(config, day):
                return day
            day += timedelta(days=1)
        return date(review_year, review_month, config.schedule.review_day)
    return day


def _local_moment(config: Config, day: date) -> datetime:
    # zoneinfo resolves a wall time inside a DST gap or overlap with fold=0 (the earlier offset)
    local = datetime.combine(day, time.fromisoformat(config.schedule.review_time), config.tz)
    return local.astimezone(UTC)


def review_moment(config: Config, plan_month: str) -> datetime:
    """The agenda's moment in UTC: review_day/review_time in the configured zone."""
    return _local_moment(config, review_date(config, plan_month))


def reminder_moments(config: Config, plan_month: str) -> dict[str, datetime]:
    """Submission reminders: `submit_reminder_days` before the review day, and the day before.

    Keyed by a stable label; one reminder when both fall on the same day.
    """
    day = review_date(config, plan_month)
    early = day - timedelta(days=config.schedule.submit_reminder_days)
    moments = {"remind-early": _local_moment(config, early)}
    if config.schedule.submit_reminder_days > 1:
        moments["remind-last"] = _local_moment(config, day - timedelta(days=1))
    return moments


def review_in_window(config: Config, now: datetime) -> str:
    """The plan month of the review that is coming, or running (within CATCH_UP after it started)."""
    local = now.astimezone(config.tz)
    # last month's review may have been shifted into this month (a weekend at the month's end)
    for by in (-1, 0, 1):
        plan_month = plan_month_of_review(*shift_month(local.year, local.month, by))
        if now <= review_moment(config, plan_month) + CATCH_UP:
            return plan_month
    return plan_month_of_review(*shift_month(local.year, local.month, 2))  # unreachable: day <= 28


def next_month_key(key: str) -> str:
    year, month = parse_month(key) or (1970, 1)
    return month_key(*shift_month(year, month, 1))


def previous_month_key(key: str) -> str:
    year, month = parse_month(key) or (1970, 2)
    return month_key(*shift_month(year, month, -1))
