"""The 24-hour clock: reminders, escalation and catch-up, driven by run_due(now)."""

from __future__ import annotations

from datetime import timedelta

from bot.sweep import run_due
from storage import repo
from tests.conftest import PRODUCTION_A, PRODUCTION_B, SALES, SUPPLY
from tests.e2e.test_order_loop import card, find, order_posts, register, thread
from tests.helpers import cancel


def request_lines(result) -> list[str]:  # noqa: ANN001
    """The sweep's outcomes for confirmation requests (digests and reviews run too; not counted here)."""
    return [line for line in result.outcomes if line.startswith("request:")]


def sweep(bot, **after) -> list[str]:  # noqa: ANN001
    return request_lines(run_due(bot.svc, bot.clock.now + timedelta(**after)))


def dms(bot, user):  # noqa: ANN001, ANN202
    """Reminder DMs to `user` (not their personal digest)."""
    return [c for c in order_posts(bot) if c.args["channel"] == user]


def reminders_in_thread(bot):  # noqa: ANN001, ANN202
    return [m for m in thread(bot) if "reminder:" in m.text.lower() or m.text.startswith("Reminder")]


def test_nothing_is_due_before_the_reminder_time(bot):  # noqa: ANN001
    register(bot)
    assert sweep(bot, hours=19, minutes=59) == []
    assert reminders_in_thread(bot) == []


def test_reminder_goes_to_thread_and_each_member_once(bot):  # noqa: ANN001
    register(bot)
    result = sweep(bot, hours=20)
    assert len(result) == 2
    texts = [m.text for m in thread(bot)]
    assert sum(t.startswith("Reminder: CO-0001 needs production") for t in texts) == 1
    assert sum(t.startswith("Reminder: CO-0001 needs supply") for t in texts) == 1
    for user in (PRODUCTION_A, PRODUCTION_B, SUPPLY):
        assert len(dms(bot, user)) == 1, user
    assert dms(bot, SALES) == []
    dm = dms(bot, PRODUCTION_A)[0].args
    assert any(
        e.get("text", {}).get("text") == "Answer for production"
        for b in dm["blocks"]
        for e in b.get("elements", [])
    )
    # the same moment again, and a later one before the deadline: nothing more
    assert sweep(bot, hours=20) == []
    assert sweep(bot, hours=23) == []
    assert len(dms(bot, PRODUCTION_A)) == 1


def test_a_team_that_answered_is_not_reminded(bot):  # noqa: ANN001
    register(bot)
    bot.slack.press(PRODUCTION_A, find(thread(bot), "Production:"), "Answer for production")
    bot.slack.submit(PRODUCTION_A, bot.slack.last_view(), {"can_do": "yes", "lead_time_days": "5"})
    result = sweep(bot, hours=20)
    assert any("skipped: answered" in line for line in result)
    assert dms(bot, PRODUCTION_A) == [] and len(dms(bot, SUPPLY)) == 1


def test_deadline_escalates_to_managers_marks_card_and_records_breach(bot):  # noqa: ANN001
    register(bot)
    sweep(bot, hours=20)
    result = sweep(bot, hours=24)
    assert len(result) == 2 and all("escalated" in line for line in result)
    escalations = [m for m in thread(bot) if m.text.startswith("Overdue:")]
    assert len(escalations) == 2
    assert all("<@U04>" in m.blocks[0]["text"]["text"] for m in escalations)
    assert "OVERDUE" in str(card(bot).blocks)
    with bot.svc.session() as session:
        order = repo.find_order(session, "CO-0001")
        assert all(r.escalated_at is not None for r in repo.current_requests(session, order).values())
    assert sweep(bot, hours=48) == []  # escalated once only


def test_late_answer_is_accepted_and_recorded_as_late(bot):  # noqa: ANN001
    register(bot)
    sweep(bot, hours=25)
    bot.clock.advance(hours=26)
    bot.slack.press(SUPPLY, find(thread(bot), "Supply:"), "Answer for supply")
    bot.slack.submit(SUPPLY, bot.slack.last_view(), {"can_do": "yes", "material_date": "2026-12-10"})
    with bot.svc.session() as session:
        request = repo.current_requests(session, repo.find_order(session, "CO-0001"))["supply"]
        assert request.answered_by == SUPPLY and request.late is True
    assert "(late)" in str(card(bot).blocks)


def test_after_downtime_an_overdue_request_gets_its_escalation_without_a_stale_reminder(bot):  # noqa: ANN001
    register(bot)
    result = sweep(bot, hours=30)
    assert sorted(line.split(": ", 1)[1] for line in result) == [
        "sent: escalated to managers",
        "sent: escalated to managers",
        "skipped: the deadline passed too; the escalation covers it",
        "skipped: the deadline passed too; the escalation covers it",
    ]
    assert dms(bot, PRODUCTION_A) == []


def test_a_revision_starts_a_fresh_clock(bot):  # noqa: ANN001
    register(bot)
    bot.slack.press(PRODUCTION_A, find(thread(bot), "Production:"), "Answer for production")
    bot.slack.submit(PRODUCTION_A, bot.slack.last_view(), {"can_do": "no", "notes": "No capacity"})
    bot.clock.advance(hours=10)
    bot.slack.press(SALES, find(thread(bot), "was declined"), "Revise order")
    bot.slack.submit(
        SALES,
        bot.slack.last_view(),
        {
            "customer": "ACME Gears",
            "product": "GBX-100",
            "quantity": "100",
            "requested_date": "2026-12-30",
            "specification": "Smaller batch",
        },
    )
    # 20 h after registration the old clock would remind; the new one is only 10 h old
    old_clock = request_lines(run_due(bot.svc, bot.clock.now + timedelta(hours=10)))
    assert sorted(old_clock) == [
        "request:1:remind: skipped: answered",
        "request:2:remind: skipped: superseded",
    ]
    result = request_lines(run_due(bot.svc, bot.clock.now + timedelta(hours=20)))
    assert len([line for line in result if line.endswith("direct message(s)")]) == 2


def test_a_cancelled_order_gets_no_reminders(bot):  # noqa: ANN001
    register(bot)
    bot.slack.press(PRODUCTION_A, find(thread(bot), "Production:"), "Answer for production")
    bot.slack.submit(PRODUCTION_A, bot.slack.last_view(), {"can_do": "no", "notes": "No capacity"})
    cancel(bot)
    posted_before = len(order_posts(bot))
    result = sweep(bot, hours=48)
    assert len(result) == 4 and all(line.split(": ", 1)[1].startswith("skipped") for line in result)
    assert len(order_posts(bot)) == posted_before
    assert "cancelled" in card(bot).text
