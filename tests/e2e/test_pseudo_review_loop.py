"""The review's own loop under the pseudo-locale: the departments' notes (cut, and the full
submission), the above-capacity reason, the follow-ups in every place they appear; no word outside
the catalogs."""

from __future__ import annotations

from bot.review.blocks import ReviewAction
from bot.review.followups import DONE
from bot.sweep import run_due
from storage import review_repo
from tests.conftest import MANAGER, OUTSIDER, PRODUCTION_A, SALES, SUPPLY
from tests.e2e.test_kpi_home import open_home
from tests.e2e.test_pseudo_review import DATA, press, review_leaks, submit, the_agenda
from tests.e2e.test_review import (
    MONTH,
    PRODUCTION_NUMBERS,
    REVIEW,
    REVIEW_AT,
    SALES_NUMBERS,
    SUPPLY_NUMBERS,
    errors,
    local,
)
from tests.leaks import pseudo, texts_of, unmarked_words  # noqa: F401

LONG = "Line two stops for a gearbox overhaul " * 6
EXTRA = [LONG.strip(), LONG[:149], "Port strike", "Call ACME about the HD variant", "Overtime on Saturdays"]


def leaks(bot) -> list:  # noqa: ANN001
    return [(text, words) for text, words in review_leaks(bot) if unmarked_words(text, DATA + EXTRA)]


def test_notes_reasons_and_followups_speak_only_catalog_words(bot, pseudo) -> None:  # noqa: ANN001, F811
    assert errors(submit(bot, SALES, SALES_NUMBERS)) == {}
    assert errors(submit(bot, PRODUCTION_A, {**PRODUCTION_NUMBERS, "p0.note": LONG})) == {}
    assert errors(submit(bot, SUPPLY, {**SUPPLY_NUMBERS, "p0.risk": "Port strike"})) == {}
    run_due(bot.svc, REVIEW_AT)
    bot.clock.now = REVIEW_AT
    agenda = the_agenda(bot)
    for team in ("sales", "production", "supply"):  # the full submissions
        assert (
            bot.slack.click(SUPPLY, f"review.submission.{team}", f"{MONTH}:{team}", message=agenda).status
            == 200
        )
    bot.slack.click(OUTSIDER, "review.submission.sales", f"{MONTH}:sales", message=agenda)  # refused
    for user in (SALES, PRODUCTION_A, SUPPLY):
        press(bot, user, ReviewAction.ATTEND)
    press(bot, MANAGER, ReviewAction.ADJUST)
    view = bot.slack.last_view()
    blocks = {b["block_id"]: b["element"] for b in view["blocks"] if b["type"] == "input"}
    values = {
        k: e.get("initial_value") or e.get("initial_user") or e.get("initial_date") for k, e in blocks.items()
    }
    values |= {"p0.agreed": "950", "p1.agreed": "450"}
    # inline errors: a follow-up without an owner, one due in the past, a text too long; then the reason
    bad = {**values, "f0.owner": None, "f1.due": "2026-12-01", "f2.text": "x" * 501, "f3.text": "a\x07b"}
    assert set(errors(bot.slack.submit(MANAGER, view, bad))) == {"f0.owner", "f1.due", "f2.text", "f3.text"}
    assert set(errors(bot.slack.submit(MANAGER, view, values))) == {"note"}
    values |= {
        "note": "Overtime on Saturdays",
        "f6.text": "Call ACME about the HD variant",
        "f6.owner": MANAGER,
    }
    values |= {"f6.due": "2026-12-18"}
    assert errors(bot.slack.submit(MANAGER, view, values)) == {}
    with bot.svc.session() as session:
        rows = review_repo.followups(session, MONTH)
    thread = bot.standin.thread(REVIEW, the_agenda(bot).ts)
    first = [
        m for m in thread if m.metadata["event_payload"]["key"] == f"review:{MONTH}:followup:{rows[0].id}"
    ][0]
    bot.slack.click(OUTSIDER, DONE, str(rows[0].id), message=first)  # refused
    bot.slack.click(SALES, DONE, str(rows[0].id), message=first)
    bot.slack.click(SALES, DONE, str(rows[0].id), message=first)  # already done
    open_home(bot, SUPPLY)
    bot.slack.home_click(SUPPLY, DONE, str(rows[1].id))
    run_due(bot.svc, local(2026, 12, 9, 9, 0))  # reminders
    run_due(bot.svc, local(2026, 12, 11, 9, 0))  # escalations
    run_due(bot.svc, local(2027, 1, 5, 9, 0))  # the next agenda lists the open ones
    assert leaks(bot) == []
    digests = [c.args for c in bot.standin.calls_to("chat.postMessage") if c.args["text"].startswith("⟦")]
    shown = [t for d in digests for t in texts_of(d)]
    assert any("pushpin" in t for t in shown)  # the digest's follow-up section was there
    assert [(t, w) for t in shown if (w := unmarked_words(t, DATA + EXTRA))] == []
