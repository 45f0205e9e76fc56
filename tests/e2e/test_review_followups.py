"""Follow-ups from the review, end to end through signed requests: approving the plan posts them
with owners in the agenda's thread; Done by the owner (or a manager) and refused to anyone else;
the reminder before the due date and the escalation after it (run_due with the fake clock); the
digest, the owner's Home tab and the next month's agenda show the open ones."""

from __future__ import annotations

from datetime import date

from bot.review.followups import DONE
from bot.sandbox.standin import MAX_MESSAGE_BLOCKS, _check_blocks
from bot.sweep import run_due
from storage import review_repo
from storage.review_models import FollowUpStatus
from tests.conftest import MANAGER, OUTSIDER, PRODUCTION_A, PRODUCTION_B, SALES, SUPPLY
from tests.e2e.test_kpi_home import open_home
from tests.e2e.test_review import (
    MONTH,
    REVIEW,
    agenda,
    agendas,
    errors,
    everyone_attends,
    last_ephemeral,
    local,
    post_agenda,
    submit,
    text_of,
)

DUE = date(2026, 12, 10)  # approved on Sat 5 Dec; 5 days later (no working calendar configured)


def approved(bot) -> None:  # noqa: ANN001
    for user in (SALES, PRODUCTION_A, SUPPLY):
        assert errors(submit(bot, user)) == {}
    post_agenda(bot)
    everyone_attends(bot)
    assert bot.slack.press(MANAGER, agenda(bot), "Approve plan").status == 200


def followup_messages(bot) -> list:  # noqa: ANN001
    thread = bot.standin.thread(REVIEW, agenda(bot).ts)
    return [m for m in thread if ":followup:" in str((m.metadata or {}).get("event_payload", {}).get("key"))]


def stored(bot) -> list:  # noqa: ANN001
    with bot.svc.session() as session:
        return review_repo.followups(session, MONTH)


def message_of(bot, followup_id: int):  # noqa: ANN001, ANN201
    key = f"review:{MONTH}:followup:{followup_id}"
    [found] = [m for m in followup_messages(bot) if m.metadata["event_payload"]["key"] == key]
    return found


def test_approving_the_plan_posts_a_followup_per_shortfall_and_target_with_its_owner(bot) -> None:  # noqa: ANN001
    approved(bot)
    rows = stored(bot)
    assert [(f.kind, f.product, f.quantity, f.owner, f.team, f.due_on) for f in rows] == [
        ("shortfall", "GBX-100", 100, SALES, "sales", DUE),
        ("materials", "GBX-100", 1000, SUPPLY, "supply", DUE),
        ("capacity", "GBX-100", 950, PRODUCTION_A, "production", DUE),
        ("shortfall", "MTR-7", 50, SALES, "sales", DUE),
        ("materials", "MTR-7", 500, SUPPLY, "supply", DUE),
        ("capacity", "MTR-7", 475, PRODUCTION_A, "production", DUE),
    ]
    assert all(f.status == FollowUpStatus.OPEN and f.created_by == MANAGER for f in rows)
    posted = followup_messages(bot)
    assert len(posted) == 6
    first = text_of(posted[0].blocks)
    assert "Follow up with key customers on the delivery of GBX-100: 100 short" in first
    assert "Owner: <@U01> · due Thu 10 Dec 2026" in first and "Open · due Thu 10 Dec 2026" in first
    assert "Secure materials for 1,000 × GBX-100 (the material target)" in text_of(posted[1].blocks)
    assert "Reserve production capacity for 950 × GBX-100 (the capacity target)" in text_of(posted[2].blocks)
    for message in posted:
        _check_blocks(message.blocks, MAX_MESSAGE_BLOCKS)
        assert "Done" in str(message.blocks)


def test_only_the_owner_or_a_manager_marks_it_done_and_twice_is_one_record(bot) -> None:  # noqa: ANN001
    approved(bot)
    shortfall = stored(bot)[0]
    for someone in (OUTSIDER, PRODUCTION_B, SUPPLY):
        assert bot.slack.press(someone, message_of(bot, shortfall.id), "Done").status == 200
        assert (
            last_ephemeral(bot)
            == ":no_entry_sign: Only <@U01>, who owns this follow-up, or a manager can mark it done."
        )
    assert stored(bot)[0].status == FollowUpStatus.OPEN
    message = message_of(bot, shortfall.id)
    assert bot.slack.press(SALES, message, "Done").status == 200
    bot.clock.now = bot.clock.now.replace(minute=30)
    assert bot.slack.press(SALES, message, "Done").status == 200  # the old message, clicked again
    assert last_ephemeral(bot) == "This follow-up was already marked done."
    after = stored(bot)[0]
    assert (after.status, after.done_by, after.done_at) == (
        FollowUpStatus.DONE,
        SALES,
        local(2026, 12, 5, 9, 0),
    )
    updated = message_of(bot, shortfall.id)
    assert ":white_check_mark: Done · marked by <@U01>" in text_of(updated.blocks)
    assert [b for b in updated.blocks if b["type"] == "actions"] == []  # no Done button any more
    # a manager may close someone else's
    materials = stored(bot)[1]
    assert bot.slack.press(MANAGER, message_of(bot, materials.id), "Done").status == 200
    assert stored(bot)[1].done_by == MANAGER


def test_the_owner_is_reminded_before_the_due_date_and_managers_are_told_after_it(bot) -> None:  # noqa: ANN001
    approved(bot)
    rows = stored(bot)
    bot.slack.press(SALES, message_of(bot, rows[0].id), "Done")  # done before its reminder
    before = run_due(bot.svc, local(2026, 12, 9, 8, 59)).outcomes
    assert not [o for o in before if o.startswith("followup:")]
    outcomes = [o for o in run_due(bot.svc, local(2026, 12, 9, 9, 0)).outcomes if o.startswith("followup:")]
    assert sorted(outcomes) == sorted(
        [f"followup:{rows[0].id}:remind: skipped: done"]
        + [f"followup:{f.id}:remind: sent: reminder to {f.owner}" for f in rows[1:]]
    )
    reminders = [c.args for c in bot.standin.calls_to("chat.postMessage") if c.args["channel"] == SALES]
    texts = [r["text"] for r in reminders if r["text"].startswith("Reminder: your follow-up")]
    assert texts == ["Reminder: your follow-up is due Thu 10 Dec 2026"]  # MTR-7's shortfall only
    # nothing more on the due day itself; the morning after, managers hear of the open ones
    assert not [o for o in run_due(bot.svc, local(2026, 12, 10, 18, 0)).outcomes if o.startswith("followup:")]
    bot.slack.press(PRODUCTION_A, message_of(bot, rows[2].id), "Done")
    outcomes = [o for o in run_due(bot.svc, local(2026, 12, 11, 9, 0)).outcomes if o.startswith("followup:")]
    assert f"followup:{rows[0].id}:escalate: skipped: done" in outcomes
    assert f"followup:{rows[2].id}:escalate: skipped: done" in outcomes
    assert sum("escalated to managers" in o for o in outcomes) == 4
    escalations = [
        m for m in bot.standin.thread(REVIEW, agenda(bot).ts) if m.text.startswith("Overdue follow-up")
    ]
    assert len(escalations) == 4
    assert "<@U04> the follow-up owned by <@U03> was due Thu 10 Dec 2026 and is not done" in text_of(
        escalations[0].blocks
    )
    manager_dms = [c.args for c in bot.standin.calls_to("chat.postMessage") if c.args["channel"] == MANAGER]
    assert len([d for d in manager_dms if d["text"].startswith("Overdue follow-up")]) == 4
    # once only
    again = run_due(bot.svc, local(2026, 12, 14, 9, 0)).outcomes
    assert not [o for o in again if o.startswith("followup:")]


def test_digest_home_and_the_next_agenda_show_the_open_followups(bot) -> None:  # noqa: ANN001
    approved(bot)
    rows = stored(bot)
    bot.slack.press(SALES, message_of(bot, rows[0].id), "Done")
    run_due(bot.svc, local(2026, 12, 7, 9, 0))
    digest = [m for m in bot.standin.messages("C0123ORDERS") if m.text.startswith("Daily digest")]
    assert digest, [m.text for m in bot.standin.messages("C0123ORDERS")]
    text = text_of(digest[-1].blocks)
    assert "*:pushpin: Open follow-ups from the review* · 5" in text
    assert (
        "Follow up with key customers on the delivery of MTR-7: 50 short · <@U01> · due Thu 10 Dec 2026"
        in text
    )
    assert "GBX-100: 100 short" not in text  # done
    _check_blocks(digest[-1].blocks, MAX_MESSAGE_BLOCKS)

    view = open_home(bot, SALES)
    home = text_of(view["blocks"])
    assert "*Your follow-ups from the review* · 1" in home and "MTR-7: 50 short" in home
    assert "Secure materials" not in home  # supply's, not this person's
    [done] = [b["accessory"] for b in view["blocks"] if b.get("accessory", {}).get("action_id") == DONE]
    assert done["text"]["text"] == "Done" and done["value"] == str(rows[3].id)
    assert bot.slack.home_click(SALES, DONE, done["value"]).status == 200
    assert stored(bot)[3].status == FollowUpStatus.DONE
    assert "Your follow-ups from the review" not in text_of(open_home(bot, SALES)["blocks"])

    # the review of 5 January plans February: its agenda lists what is still open, overdue
    run_due(bot.svc, local(2027, 1, 5, 9, 0))
    february = [m for m in agendas(bot) if "February 2027" in m.text]
    assert len(february) == 1, [m.text for m in agendas(bot)]
    text = text_of(february[0].blocks)
    assert "*Open follow-ups from earlier reviews* · 4" in text
    assert (
        "Secure materials for 1,000 × GBX-100 (the material target) · <@U03> · :warning: overdue since"
        in text
    )
    _check_blocks(february[0].blocks, MAX_MESSAGE_BLOCKS)


def test_the_approval_form_edits_drops_and_adds_followups_and_refuses_bad_ones_inline(bot) -> None:  # noqa: ANN001
    for user in (SALES, PRODUCTION_A, SUPPLY):
        assert errors(submit(bot, user)) == {}
    post_agenda(bot)
    everyone_attends(bot)
    bot.slack.press(MANAGER, agenda(bot), "Adjust plan")
    view = bot.slack.last_view()
    ids = [b["block_id"] for b in view["blocks"] if b["type"] == "input"]
    assert ids[:3] == ["p0.agreed", "p1.agreed", "note"]
    assert ids[3:9] == ["f0.text", "f0.owner", "f0.due", "f1.text", "f1.owner", "f1.due"]
    assert len(ids) == 3 + 3 * (6 + 2)  # six proposed follow-ups and two empty slots
    blocks = {b["block_id"]: b for b in view["blocks"] if b["type"] == "input"}
    assert blocks["f0.text"]["element"]["initial_value"] == (
        "Follow up with key customers on the delivery of GBX-100: 100 short"
    )
    assert blocks["f0.owner"]["element"]["initial_user"] == SALES
    assert blocks["f2.owner"]["element"]["initial_user"] == PRODUCTION_A
    assert blocks["f0.due"]["element"]["initial_date"] == "2026-12-10"

    def values(**changes: object) -> dict:
        kept = {}
        for block_id, block in blocks.items():
            element = block["element"]
            kept[block_id] = (
                element.get("initial_value") or element.get("initial_user") or element.get("initial_date")
            )
        return {**kept, **changes}

    bad = values(**{"f0.owner": None, "f1.due": "2026-12-04", "f6.text": "Call ACME about the HD variant"})
    reply = bot.slack.submit(MANAGER, view, bad)
    found = errors(reply)
    assert found == {
        "f0.owner": "Choose the person who owns this follow-up.",
        "f1.due": "The due date is in the past; choose today or a later day.",
        "f6.owner": "Choose the person who owns this follow-up.",
        "f6.due": "Choose the date this follow-up is due.",
    }
    with bot.svc.session() as session:
        assert review_repo.plan(session, MONTH) is None and review_repo.followups(session, MONTH) == []
    good = values(
        **{
            "f2.text": "",  # dropped
            "f3.text": "Ask ACME and Beta Co whether 50 MTR-7 can move to March",
            "f6.text": "Call ACME about the HD variant",
            "f6.owner": MANAGER,
            "f6.due": "2026-12-18",
        }
    )
    assert errors(bot.slack.submit(MANAGER, view, good)) == {}
    rows = stored(bot)
    assert [(f.kind, f.product, f.owner, f.team, f.due_on, f.text) for f in rows] == [
        ("shortfall", "GBX-100", SALES, "sales", DUE, ""),
        ("materials", "GBX-100", SUPPLY, "supply", DUE, ""),
        (
            "shortfall",
            "MTR-7",
            SALES,
            "sales",
            DUE,
            "Ask ACME and Beta Co whether 50 MTR-7 can move to March",
        ),
        ("materials", "MTR-7", SUPPLY, "supply", DUE, ""),
        ("capacity", "MTR-7", PRODUCTION_A, "production", DUE, ""),
        ("other", "", MANAGER, "managers", date(2026, 12, 18), "Call ACME about the HD variant"),
    ]
    assert len(followup_messages(bot)) == 6
    # a replayed submission changes nothing twice
    bot.slack.submit(MANAGER, view, good)
    assert len(stored(bot)) == 6
