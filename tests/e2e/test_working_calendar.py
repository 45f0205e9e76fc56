"""With a working calendar the 24 hours are counted in working time, across weekends and holidays."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.sweep import run_due
from storage import repo
from tests.clock import FakeClock
from tests.conftest import make_config
from tests.e2e.test_order_loop import find, register, thread
from tests.e2e.test_reminders import request_lines

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI).astimezone(UTC)


@pytest.fixture
def config():  # noqa: ANN201
    return make_config(
        sla={
            "confirm_within_hours": 24,
            "remind_before_hours": 4,
            "working_hours": "09:00-18:00",
            "working_days": ["Mon", "Tue", "Wed", "Thu", "Fri"],
            "holidays": ["2026-12-01"],
        }
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(local(2026, 11, 27, 17, 0))  # a Friday, 17:00 in Shanghai


def deadline(bot) -> datetime:  # noqa: ANN001
    with bot.svc.session() as session:
        return repo.current_requests(session, repo.find_order(session, "CO-0001"))["production"].due_at


def test_friday_evening_order_skips_the_weekend_and_a_holiday(bot):  # noqa: ANN001
    register(bot, requested_date="2026-12-20")
    # 1 h Friday + 9 h Monday + (Tuesday 1 Dec is a holiday) + 9 h Wednesday + 5 h Thursday = 24 working hours
    assert deadline(bot) == local(2026, 12, 3, 14, 0)
    text = find(thread(bot), "Production:").blocks[0]["text"]["text"]
    assert f"<!date^{int(local(2026, 12, 3, 14, 0).timestamp())}^" in text


def test_no_reminder_over_the_weekend(bot):  # noqa: ANN001
    register(bot, requested_date="2026-12-20")
    assert request_lines(run_due(bot.svc, local(2026, 11, 30, 8, 59))) == []
    # reminder at 20 working hours: Thursday 10:00 (4 working hours before Thursday 14:00)
    assert request_lines(run_due(bot.svc, local(2026, 12, 3, 9, 59))) == []
    assert len(request_lines(run_due(bot.svc, local(2026, 12, 3, 10, 0)))) == 2
