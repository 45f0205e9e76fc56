"""Follow-up rules without Slack: the due days on the working calendar, the reminder and the
escalation moments, what the plan proposes, and what a follow-up must have."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from tests.conftest import MANAGER, SALES, make_config
from workflows.context import Context
from workflows.followups import (
    Draft,
    add_working_days,
    default_owner,
    escalation_moment,
    problems,
    reminder_moment,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
CALENDAR = make_config(sla={"working_hours": "09:00-18:00", "holidays": [date(2026, 12, 25)]})
PLAIN = make_config()


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)


def test_working_days_skip_weekends_and_holidays():
    # Sat 5 Dec 2026 + 5 working days: Mon 7 … Fri 11
    assert add_working_days(CALENDAR, date(2026, 12, 5), 5) == date(2026, 12, 11)
    # Mon 21 Dec + 5: Tue 22, Wed 23, Thu 24, (Fri 25 closed), Mon 28, Tue 29
    assert add_working_days(CALENDAR, date(2026, 12, 21), 5) == date(2026, 12, 29)
    # without a calendar every day counts
    assert add_working_days(PLAIN, date(2026, 12, 5), 5) == date(2026, 12, 10)


def test_no_working_days_added_on_a_closed_day_moves_to_the_next_open_one():
    assert add_working_days(CALENDAR, date(2026, 12, 5), 0) == date(2026, 12, 7)
    assert add_working_days(CALENDAR, date(2026, 12, 7), 0) == date(2026, 12, 7)


def test_the_reminder_is_the_morning_of_the_last_working_day_before_the_due_day():
    assert reminder_moment(CALENDAR, date(2026, 12, 10)) == local(2026, 12, 9, 9, 0)
    assert reminder_moment(CALENDAR, date(2026, 12, 14)) == local(2026, 12, 11, 9, 0)  # Mon: Friday
    assert reminder_moment(CALENDAR, date(2026, 12, 28)) == local(2026, 12, 24, 9, 0)  # over Christmas
    assert reminder_moment(PLAIN, date(2026, 12, 14)) == local(2026, 12, 13, 9, 0)


def test_the_escalation_is_the_morning_of_the_first_working_day_after_the_due_day():
    assert escalation_moment(CALENDAR, date(2026, 12, 10)) == local(2026, 12, 11, 9, 0)
    assert escalation_moment(CALENDAR, date(2026, 12, 11)) == local(2026, 12, 14, 9, 0)  # Fri: Monday
    assert escalation_moment(CALENDAR, date(2026, 12, 24)) == local(2026, 12, 28, 9, 0)
    assert escalation_moment(PLAIN, date(2026, 12, 11)) == local(2026, 12, 12, 9, 0)


def test_the_moments_follow_the_digest_time():
    late = make_config(schedule={"digest_time": "08:30"})
    assert reminder_moment(late, date(2026, 12, 10)) == local(2026, 12, 9, 8, 30)


class _Directory:
    def expand(self, ids: list[str]) -> set[str]:
        return set()


def ctx(now: datetime) -> Context:
    return Context(config=PLAIN, directory=_Directory(), now=now.astimezone(UTC))


def draft(**changes: object) -> Draft:
    values = {
        "kind": "shortfall",
        "product": "GBX-100",
        "team": "sales",
        "owner": SALES,
        "due_on": date(2026, 12, 10),
    }
    return Draft(**{**values, **changes})


def test_a_followup_needs_an_owner_and_a_due_day_not_in_the_past():
    now = ctx(local(2026, 12, 5, 9, 0))
    assert problems(now, [draft(), draft(due_on=date(2026, 12, 5)), None]) == {}  # today is fine
    found = problems(now, [draft(owner=None), draft(due_on=None), draft(due_on=date(2026, 12, 4))])
    assert {i: {k: p.code for k, p in errors.items()} for i, errors in found.items()} == {
        0: {"owner": "followup_no_owner"},
        1: {"due": "followup_no_due"},
        2: {"due": "followup_due_past"},
    }


def test_today_is_the_local_day():
    # 23:30 UTC on 4 Dec is 07:30 on 5 Dec in Shanghai: the 4th is already past
    now = ctx(datetime(2026, 12, 4, 23, 30, tzinfo=UTC))
    assert set(problems(now, [draft(due_on=date(2026, 12, 4))])[0]) == {"due"}


def test_text_rules():
    now = ctx(local(2026, 12, 5, 9, 0))
    found = problems(now, [draft(text="x" * 501), draft(text="bad\x07bell"), draft(text="fine")])
    assert {i: errors["text"].code for i, errors in found.items()} == {
        0: "followup_text_too_long",
        1: "control_characters",
    }


def test_the_default_owner_is_the_teams_submitter_else_its_first_listed_person():
    class Submission:
        submitted_by = "U77"

    assert default_owner(PLAIN, "sales", {"sales": Submission()}) == "U77"
    assert default_owner(PLAIN, "sales", {}) == SALES
    assert default_owner(PLAIN, "production", {}) is None  # only a user group (S02) is listed
    assert default_owner(PLAIN, "managers", {}) == MANAGER
