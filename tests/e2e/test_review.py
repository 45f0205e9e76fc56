"""The monthly demand review end to end: submissions, reminders, the agenda, attendance, approval."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.sandbox.standin import MAX_MESSAGE_BLOCKS, _check_blocks
from bot.sweep import run_due
from storage import review_repo
from tests.conftest import MANAGER, OUTSIDER, PRODUCTION_A, PRODUCTION_B, SALES, SUPPLY

REVIEW = "C0123REVIEW"
SHANGHAI = ZoneInfo("Asia/Shanghai")
MONTH = "2027-01"  # the clock starts on 25 Nov 2026: the review on 5 Dec plans January
SALES_NUMBERS = {
    "p0.forecast": "1,000",
    "p0.customers": "ACME <!channel> wants 400 early",
    "p1.forecast": "500",
}
PRODUCTION_NUMBERS = {
    "p0.achievable": "900",
    "p0.max_capacity": "1200",
    "p0.note": "Maintenance in the second half",
    "p1.achievable": "600",
    "p1.max_capacity": "700",
}
SUPPLY_NUMBERS = {
    "p0.securable": "",
    "p0.lead_time_days": "10",
    "p0.key_material": "Material A",
    "p1.securable": "450",
}
NUMBERS = {SALES: SALES_NUMBERS, PRODUCTION_A: PRODUCTION_NUMBERS, SUPPLY: SUPPLY_NUMBERS}


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI).astimezone(UTC)


REVIEW_AT = local(2026, 12, 5, 9, 0)


def submit(bot, user: str, values: dict | None = None, text: str = "submit"):  # noqa: ANN001, ANN201
    assert bot.slack.command(user, text, command="/review", channel=REVIEW).status == 200
    reply = bot.slack.submit(user, bot.slack.last_view(), NUMBERS[user] if values is None else values)
    assert reply.status == 200, reply.body
    return reply


def errors(reply) -> dict:  # noqa: ANN001
    body = reply.json() if reply.body not in (b"",) else {}
    return body.get("errors", {}) if body.get("response_action") == "errors" else {}


def agendas(bot):  # noqa: ANN001, ANN201
    return [
        m for m in bot.standin.messages(REVIEW) if m.thread_ts is None and m.text.startswith("Demand review")
    ]


def agenda(bot):  # noqa: ANN001, ANN201
    found = agendas(bot)
    assert len(found) == 1, [m.text for m in bot.standin.messages(REVIEW)]
    return found[0]


def text_of(blocks: list[dict]) -> str:
    parts = []
    for block in blocks:
        parts.append((block.get("text") or {}).get("text", ""))
        parts += [e.get("text", "") for e in block.get("elements", []) if isinstance(e.get("text"), str)]
    return "\n".join(parts)


def review_outcomes(result) -> list[str]:  # noqa: ANN001
    """The review's due items only (the digest and order reminders run in the same sweep)."""
    return [line for line in result.outcomes if line.startswith("review:")]


def post_agenda(bot) -> None:  # noqa: ANN001
    run_due(bot.svc, REVIEW_AT)
    bot.clock.now = REVIEW_AT


def everyone_attends(bot) -> None:  # noqa: ANN001
    for user in (SALES, PRODUCTION_A, SUPPLY):
        assert bot.slack.press(user, agenda(bot), "I'm attending").status == 200


def last_ephemeral(bot) -> str:  # noqa: ANN001
    return bot.standin.responses()[-1].args["text"]


def without_followups(messages: list) -> list:
    """The agenda's thread without the follow-ups approval posts there (one message each)."""
    return [
        m for m in messages if ":followup:" not in str((m.metadata or {}).get("event_payload", {}).get("key"))
    ]


# -- submissions --------------------------------------------------------------------------------------


def test_submit_opens_the_callers_team_form_for_the_month_the_review_plans(bot):  # noqa: ANN001
    bot.slack.command(PRODUCTION_B, "submit", command="/review", channel=REVIEW)
    view = bot.slack.last_view()
    intro = view["blocks"][0]["elements"][0]["text"]
    assert "*Production* numbers for *January 2027*" in intro
    assert "Sat 05 Dec 2026" in intro
    ids = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    assert ids == [
        "p0.achievable",
        "p0.max_capacity",
        "p0.note",
        "p1.achievable",
        "p1.max_capacity",
        "p1.note",
        "note",
    ]


def test_a_submission_is_stored_for_the_plan_month(bot):  # noqa: ANN001
    assert errors(submit(bot, SALES)) == {}
    with bot.svc.session() as session:
        current = review_repo.current_submissions(session, MONTH)["sales"]
    assert current.submitted_by == SALES
    assert current.rows["GBX-100"] == {"forecast": 1000, "customers": "ACME <!channel> wants 400 early"}


def test_bad_numbers_are_refused_inline_and_nothing_is_saved(bot):  # noqa: ANN001
    reply = submit(bot, SALES, {**SALES_NUMBERS, "p0.forecast": "lots", "p1.forecast": "-5"})
    assert set(errors(reply)) == {"p0.forecast", "p1.forecast"}
    assert "whole number" in errors(reply)["p0.forecast"]
    reply = submit(bot, PRODUCTION_A, {**PRODUCTION_NUMBERS, "p0.achievable": "1300"})
    assert "cannot exceed its maximum capacity" in errors(reply)["p0.achievable"]
    reply = submit(bot, SALES, {**SALES_NUMBERS, "p1.forecast": ""})
    assert errors(reply) == {"p1.forecast": "Enter the forecast for MTR-7."}
    with bot.svc.session() as session:
        assert review_repo.current_submissions(session, MONTH) == {}


def test_a_resubmission_replaces_the_previous_one_and_keeps_it_as_history(bot):  # noqa: ANN001
    submit(bot, SALES)
    bot.clock.advance(hours=2)
    bot.slack.command(SALES, "submit", command="/review", channel=REVIEW)
    view = bot.slack.last_view()
    prefilled = {
        b["block_id"]: b["element"].get("initial_value") for b in view["blocks"] if b["type"] == "input"
    }
    assert prefilled["p0.forecast"] == "1000"
    bot.slack.submit(SALES, view, {**SALES_NUMBERS, "p0.forecast": "1100"})
    with bot.svc.session() as session:
        history = review_repo.submission_history(session, MONTH, "sales")
        current = review_repo.current_submissions(session, MONTH)["sales"]
    assert [h.rows["GBX-100"]["forecast"] for h in history] == [1000, 1100]
    assert history[0].superseded_at == bot.clock.now and history[1].superseded_at is None
    assert current.id == history[1].id


@pytest.mark.parametrize("user", [OUTSIDER, MANAGER])
def test_someone_in_no_department_gets_a_clear_refusal(bot, user):  # noqa: ANN001
    assert bot.slack.command(user, "submit", command="/review", channel=REVIEW).status == 200
    assert bot.standin.calls_to("views.open") == []
    assert "Only sales, production and supply submit numbers" in last_ephemeral(bot)


# -- reminders and the agenda -------------------------------------------------------------------------


def test_reminders_ask_the_missing_departments_in_the_channel_and_by_direct_message(bot):  # noqa: ANN001
    submit(bot, SALES)
    assert review_outcomes(run_due(bot.svc, local(2026, 12, 2, 8, 59))) == []
    run_due(bot.svc, local(2026, 12, 2, 9, 0))
    reminder = [m for m in bot.standin.messages(REVIEW) if m.text.startswith("Reminder")]
    assert len(reminder) == 1
    body = reminder[0].blocks[0]["text"]["text"]
    assert "production, supply have not submitted" in body and "<!subteam^S02>" in body and "<@U03>" in body
    dms = {
        c.args["channel"]
        for c in bot.standin.calls_to("chat.postMessage")
        if c.args["channel"].startswith("U")
    }
    assert dms == {PRODUCTION_A, PRODUCTION_B, SUPPLY}

    submit(bot, SUPPLY)
    result = run_due(bot.svc, local(2026, 12, 4, 9, 0))
    assert review_outcomes(result) == [
        "review:2027-01:remind-last: sent: reminder for production and 2 direct message(s)"
    ]


def test_agenda_is_posted_exactly_once_at_09_00_shanghai_on_the_review_day(bot):  # noqa: ANN001
    just_before = run_due(bot.svc, local(2026, 12, 5, 8, 59))
    assert not any("agenda" in line for line in just_before.outcomes) and agendas(bot) == []
    just_after = run_due(bot.svc, local(2026, 12, 5, 9, 0, 30))
    assert review_outcomes(just_after) == ["review:2027-01:agenda: sent: agenda for 2027-01"]
    assert review_outcomes(run_due(bot.svc, local(2026, 12, 5, 10, 0))) == []
    message = agenda(bot)
    assert message.channel == REVIEW and "plan for January 2027" in message.text


def test_the_cli_run_due_with_now_posts_the_agenda_once(bot, monkeypatch):  # noqa: ANN001
    from click.testing import CliRunner

    from bot import runtime
    from bot.cli import main

    services = bot.svc
    monkeypatch.setattr(runtime, "build_services", lambda settings, **options: services)
    monkeypatch.setattr("bot.cli._settings_or_exit", lambda: None)
    runner = CliRunner()
    before = runner.invoke(main, ["run-due", "--now", "2026-12-05T00:59:00Z"])
    assert "agenda" not in before.output and agendas(bot) == []
    after = runner.invoke(main, ["run-due", "--now", "2026-12-05T01:01:00Z"])
    assert "review:2027-01:agenda: sent" in after.output, after.output
    runner.invoke(main, ["run-due", "--now", "2026-12-05T02:00:00Z"])
    assert len(agendas(bot)) == 1


def test_after_downtime_the_agenda_catches_up_once(bot):  # noqa: ANN001
    run_due(bot.svc, local(2026, 11, 30, 9, 0))  # planned while up; then down over the review
    result = run_due(bot.svc, local(2026, 12, 6, 14, 0))
    assert review_outcomes(result) == [
        "review:2027-01:remind-early: skipped: the review has started",
        "review:2027-01:remind-last: skipped: the review has started",
        "review:2027-01:agenda: sent: agenda for 2027-01",
    ]
    assert len(agendas(bot)) == 1
    assert not any(m.text.startswith("Reminder") for m in bot.standin.messages(REVIEW))


def test_agenda_shows_the_seed_plan_when_every_department_submitted(bot):  # noqa: ANN001
    for user in (SALES, PRODUCTION_A, SUPPLY):
        submit(bot, user)
    post_agenda(bot)
    text = text_of(agenda(bot).blocks)
    assert "*GBX-100* · forecast 1,000 · achievable 900 · materials unconstrained" in text
    assert (
        "*agreed 900* (capacity binds) · shortfall 100 · capacity target 950 · material target 1,000" in text
    )
    assert "*agreed 450* (materials binds) · shortfall 50 · capacity target 475 · material target 500" in text
    assert "MISSING" not in text and "nobody confirmed yet" in text
    assert "<!channel>" not in str(agenda(bot).blocks)  # notes are escaped


def test_agenda_flags_missing_submissions_and_absent_departments(bot):  # noqa: ANN001
    submit(bot, SALES)
    post_agenda(bot)
    text = text_of(agenda(bot).blocks)
    assert "Production: :x: *MISSING*" in text and "Supply: :x: *MISSING*" in text
    assert "Sales: :white_check_mark: <@U01>" in text
    assert ":warning: missing production capacity, missing supply materials: no agreed quantity yet" in text
    assert text.count(":warning: *nobody confirmed yet*") == 3


def test_agenda_lists_custom_orders_overdue_confirmations_and_plan_month_deliveries(bot):  # noqa: ANN001
    from tests.e2e.test_order_loop import register

    register(bot, customer="Late Co")
    register(bot, customer="Other Co")
    run_due(bot.svc, local(2026, 11, 26, 10, 0))  # 25 hours later: both requests escalated
    post_agenda(bot)
    text = text_of(agenda(bot).blocks)
    assert "*Custom orders* · 2 open" in text and "CO-0001 · Late Co" in text
    assert "*Overdue confirmations*\n• CO-0001" in text and "production was due" in text
    assert "*Committed deliveries in January 2027:* none" in text
    # both requests were due (and missed) in November, the month before the review
    assert "*KPIs of November 2026*" in text
    assert "Confirmation within 24 hours · production: *0% (0 of 2)*" in text


def test_a_late_submission_updates_the_posted_agenda(bot):  # noqa: ANN001
    post_agenda(bot)
    submit(bot, PRODUCTION_A)
    message = agenda(bot)
    assert message.updates >= 1 and "Production: :white_check_mark: <@U05>" in text_of(message.blocks)


# -- attendance and approval ---------------------------------------------------------------------------


def test_attendance_is_listed_per_department_and_refused_to_outsiders(bot):  # noqa: ANN001
    post_agenda(bot)
    bot.slack.press(PRODUCTION_B, agenda(bot), "I'm attending")
    bot.slack.press(PRODUCTION_B, agenda(bot), "I'm attending")
    text = text_of(agenda(bot).blocks)
    assert "• Production: <@U06>" in text and text.count(":warning: *nobody confirmed yet*") == 2
    assert last_ephemeral(bot) == "You already confirmed your attendance."
    bot.slack.press(OUTSIDER, agenda(bot), "I'm attending")
    assert "Only sales, production, supply and managers" in last_ephemeral(bot)
    with bot.svc.session() as session:
        assert [a.user for a in review_repo.attendance(session, MONTH)] == [PRODUCTION_B]


def test_a_manager_approves_the_plan_and_minutes_follow_in_the_agenda_thread(bot):  # noqa: ANN001
    for user in (SALES, PRODUCTION_A, SUPPLY):
        submit(bot, user)
    post_agenda(bot)
    everyone_attends(bot)
    assert bot.slack.press(MANAGER, agenda(bot), "Approve plan").status == 200
    with bot.svc.session() as session:
        plan = review_repo.plan(session, MONTH)
    assert plan.approved_by == MANAGER and plan.approved_at == bot.clock.now and not plan.adjusted
    assert [(r["product"], r["agreed"], r["capacity_target"], r["material_target"]) for r in plan.rows] == [
        ("GBX-100", 900, 950, 1000),
        ("MTR-7", 450, 475, 500),
    ]
    thread = bot.standin.thread(REVIEW, agenda(bot).ts)
    minutes = without_followups(thread)
    assert len(minutes) == 1 and minutes[0].text == "Minutes: demand plan for January 2027 approved"
    assert len(thread) == 1 + 6  # the minutes, then a follow-up per shortfall, material and capacity target
    body = text_of(minutes[0].blocks)
    assert "approved by <@U04>" in body and "GBX-100 (100), MTR-7 (50)" in body
    top = agenda(bot)
    assert "*Approved* by <@U04>" in text_of(top.blocks)
    assert "Approve plan" not in str(top.blocks)


@pytest.mark.parametrize("user", [SALES, PRODUCTION_A, OUTSIDER])
def test_only_managers_approve(bot, user):  # noqa: ANN001
    for member in (SALES, PRODUCTION_A, SUPPLY):
        submit(bot, member)
    post_agenda(bot)
    everyone_attends(bot)
    bot.slack.press(user, agenda(bot), "Approve plan")
    assert last_ephemeral(bot) == ":no_entry_sign: Only managers can approve the demand plan."
    bot.slack.press(user, agenda(bot), "Adjust plan")
    assert bot.standin.calls_to("views.open")[-1].args["view"]["callback_id"] == "review.submit"
    with bot.svc.session() as session:
        assert review_repo.plan(session, MONTH) is None


def test_approval_is_refused_while_a_department_is_absent_or_a_submission_missing(bot):  # noqa: ANN001
    submit(bot, SALES)
    submit(bot, PRODUCTION_A)
    post_agenda(bot)
    bot.slack.press(SALES, agenda(bot), "I'm attending")
    bot.slack.press(MANAGER, agenda(bot), "Approve plan")
    assert "Nobody from production, supply confirmed attendance" in last_ephemeral(bot)
    bot.slack.press(PRODUCTION_A, agenda(bot), "I'm attending")
    bot.slack.press(SUPPLY, agenda(bot), "I'm attending")
    bot.slack.press(MANAGER, agenda(bot), "Approve plan")
    assert "GBX-100: missing supply materials" in last_ephemeral(bot) and "Adjust plan" in last_ephemeral(bot)
    with bot.svc.session() as session:
        assert review_repo.plan(session, MONTH) is None


def test_managers_adjust_rows_then_approve(bot):  # noqa: ANN001
    submit(bot, SALES)
    submit(bot, PRODUCTION_A)
    post_agenda(bot)
    everyone_attends(bot)
    bot.slack.press(MANAGER, agenda(bot), "Adjust plan")
    view = bot.slack.last_view()
    assert view["callback_id"] == "review.adjust"
    reply = bot.slack.submit(MANAGER, view, {"p0.agreed": "many", "p1.agreed": "450"})
    assert "whole number" in errors(reply)["p0.agreed"]
    reply = bot.slack.submit(
        MANAGER, view, {"p0.agreed": "850", "p1.agreed": "450", "note": "Supply confirmed by phone"}
    )
    assert errors(reply) == {}
    with bot.svc.session() as session:
        plan = review_repo.plan(session, MONTH)
    assert plan.adjusted and plan.note == "Supply confirmed by phone"
    first = plan.rows[0]
    assert (first["agreed"], first["binding"], first["shortfall"], first["capacity_target"]) == (
        850,
        ["adjusted"],
        150,
        897,
    )
    assert "(adjusted by managers)" in text_of(bot.standin.thread(REVIEW, agenda(bot).ts)[0].blocks)


def test_review_plan_shows_the_approved_plan_later(bot):  # noqa: ANN001
    for user in (SALES, PRODUCTION_A, SUPPLY):
        submit(bot, user)
    post_agenda(bot)
    everyone_attends(bot)
    bot.slack.press(MANAGER, agenda(bot), "Approve plan")
    bot.clock.advance(days=40)
    for text in ("plan 2027-01", "plan"):
        reply = bot.slack.command(SUPPLY, text, command="/review", channel=REVIEW).json()
        assert "*Demand plan for January 2027* · approved by <@U04>" in text_of(reply["blocks"])
        assert "*agreed 900* (capacity binds)" in text_of(reply["blocks"])
    reply = bot.slack.command(SALES, "plan 2027-02", command="/review").json()
    assert reply["text"].startswith("No demand plan has been approved for February 2027")
    reply = bot.slack.command(SALES, "plan next", command="/review").json()
    assert "is not a month like `2026-12`" in reply["text"]
    # January's plan is approved, so submissions now go to the next review
    bot.clock.now = local(2026, 12, 5, 12, 0)
    bot.slack.command(SALES, "submit", command="/review")
    assert "*February 2027*" in bot.slack.last_view()["blocks"][0]["elements"][0]["text"]


def test_review_agenda_shows_the_draft_only_to_the_caller(bot):  # noqa: ANN001
    submit(bot, SALES)
    reply = bot.slack.command(PRODUCTION_A, "agenda", command="/review").json()
    assert reply.get("response_type", "ephemeral") == "ephemeral"
    text = text_of(reply["blocks"])
    assert "plan for *January 2027*" in text and "Production: :x: *MISSING*" in text
    assert "I'm attending" not in str(reply["blocks"])
    _check_blocks(reply["blocks"], MAX_MESSAGE_BLOCKS)
    assert agendas(bot) == []


def test_unknown_review_subcommand_answers_with_help(bot):  # noqa: ANN001
    reply = bot.slack.command(SALES, "frobnicate <@U04>", command="/review").json()
    assert reply["text"].startswith("I don't know `/review frobnicate`")
    assert "`/review submit`" in reply["text"]
    assert "`/review plan [YYYY-MM]`" in bot.slack.command(SALES, "help", command="/review").json()["text"]


def test_the_agenda_says_so_when_last_month_recorded_nothing(bot):  # noqa: ANN001
    post_agenda(bot)
    assert "*Last month's KPIs*\n_Nothing was recorded last month yet._" in text_of(agenda(bot).blocks)
