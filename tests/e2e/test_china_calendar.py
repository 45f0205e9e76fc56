"""With holidays = "CN" make-up working days (调休) count: Spring Festival 2026 through signed requests."""

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
            "holidays": "CN",
        }
    )


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(local(2026, 2, 13, 16, 0))  # Friday 13 Feb 2026, 16:00 in Shanghai


def due(bot, team: str) -> datetime:  # noqa: ANN001
    with bot.svc.session() as session:
        return repo.current_requests(session, repo.find_order(session, "CO-0001"))[team].due_at


def test_an_order_before_spring_festival_is_due_counting_the_make_up_saturday(bot):  # noqa: ANN001
    register(bot, requested_date="2026-04-20")
    # By hand, 24 working hours of 9 a day: Fri 13 Feb 16-18 (2 h), make-up Sat 14 Feb (9 h),
    # Sun 15 - Mon 23 Feb off, Tue 24 Feb (9 h), Wed 25 Feb 09-13 (4 h): Wed 25 Feb 13:00 = 05:00 UTC
    expected = datetime(2026, 2, 25, 5, 0, tzinfo=UTC)
    assert due(bot, "production") == due(bot, "supply") == expected
    for heading in ("Production:", "Supply:"):
        text = find(thread(bot), heading).blocks[0]["text"]["text"]
        assert f"<!date^{int(expected.timestamp())}^" in text


def test_the_reminder_comes_on_the_first_working_day_after_the_festival(bot):  # noqa: ANN001
    register(bot, requested_date="2026-04-20")
    # 20 working hours (24 - 4): Fri 2 h + Sat 14 Feb 9 h + Tue 24 Feb 9 h: Tue 24 Feb 18:00
    assert request_lines(run_due(bot.svc, local(2026, 2, 24, 17, 59))) == []
    assert len(request_lines(run_due(bot.svc, local(2026, 2, 24, 18, 0)))) == 2
