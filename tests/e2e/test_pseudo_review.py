"""No English leaks in the monthly demand review: under the pseudo-locale every word of the
agenda, minutes, reminders (in the channel and by DM), forms, inline errors, refusals and replies
comes from a catalog."""

from __future__ import annotations

import json

from bot.review.blocks import ReviewAction
from bot.sweep import run_due
from tests.conftest import MANAGER, ORDERS, OUTSIDER, PRODUCTION_A, PRODUCTION_B, SALES, SUPPLY
from tests.e2e.test_review import (
    MONTH,
    PRODUCTION_NUMBERS,
    REVIEW,
    REVIEW_AT,
    SALES_NUMBERS,
    SUPPLY_NUMBERS,
    errors,
    local,
    without_followups,
)
from tests.leaks import SURFACES, pseudo, texts_of, unmarked_words  # noqa: F401

# what the tests type, and the configuration's names and zone, are data
DATA = [
    "GBX-100",
    "MTR-7",
    "ACME <!channel> wants 400 early",
    "ACME &lt;!channel&gt; wants 400 early",
    "Maintenance in the second half",
    "Material A",
    "Supply confirmed by phone",
    "Asia/Shanghai",
    "frobnicate",
    "Late Co",
    "Other Co",
    "not for ⟪supply⟫",  # `/review submit supply` typed by sales: the refusal echoes what was asked
]


def review_leaks(bot) -> list[tuple[str, list[str]]]:  # noqa: ANN001
    """tests.leaks.leaks, except for the orders channel: its order cards and daily digest belong
    to the order loop's and the digest's own checks."""
    shown: list[str] = []
    for call in bot.standin.calls:
        if (call.method in SURFACES or call.method == "response_url") and call.args.get("channel") != ORDERS:
            shown += texts_of(call.args)
    for reply in bot.slack.replies:
        if reply.body and reply.body.strip().startswith(b"{"):
            shown += texts_of(json.loads(reply.body))
        elif reply.body and reply.status == 200:
            shown.append(reply.body.decode())
    return [(text, words) for text in shown if (words := unmarked_words(text, DATA))]


def review(bot, user: str, text: str):  # noqa: ANN001, ANN201
    reply = bot.slack.command(user, text, command="/review", channel=REVIEW)
    assert reply.status == 200
    return reply


def submit(bot, user: str, values: dict):  # noqa: ANN001, ANN201
    review(bot, user, "submit")
    return bot.slack.submit(user, bot.slack.last_view(), values)


def the_agenda(bot):  # noqa: ANN001, ANN201
    [message] = [
        m for m in bot.standin.messages(REVIEW) if m.thread_ts is None and m.blocks[0]["type"] == "header"
    ]
    return message


def press(bot, user: str, action: ReviewAction):  # noqa: ANN001, ANN201
    message = the_agenda(bot)
    return bot.slack.click(user, action, MONTH, message=message)


def test_the_whole_review_speaks_only_catalog_words(bot, pseudo) -> None:  # noqa: ANN001, F811
    review(bot, SALES, "help")
    review(bot, SALES, "frobnicate")  # help, with a sentence about what was not understood
    review(bot, SALES, "plan 2027-13")  # not a month
    review(bot, SALES, "plan")  # nothing approved yet
    review(bot, SALES, "plan 2027-02")  # nothing approved for that month
    review(bot, OUTSIDER, "submit")  # refused: in no department
    review(bot, SALES, "submit supply")  # refused: not in that department
    # inline errors: not a number, a required number left out, above the maximum capacity, a bad note
    assert errors(submit(bot, SALES, {**SALES_NUMBERS, "p0.forecast": "lots", "p1.forecast": ""}))
    assert errors(submit(bot, PRODUCTION_A, {**PRODUCTION_NUMBERS, "p0.achievable": "1300"}))
    assert errors(submit(bot, SALES, {**SALES_NUMBERS, "p0.forecast": "99999999", "note": "bad\x07bell"}))
    assert errors(submit(bot, SUPPLY, {**SUPPLY_NUMBERS, "p0.key_material": "A\u202eB", "note": "x" * 2001}))
    assert errors(submit(bot, SALES, SALES_NUMBERS)) == {}
    review(bot, SALES, "agenda")  # the draft, only to the caller
    run_due(bot.svc, local(2026, 12, 2, 9, 0))  # reminders in the channel and by DM
    run_due(bot.svc, REVIEW_AT)  # the agenda
    bot.clock.now = REVIEW_AT
    press(bot, MANAGER, ReviewAction.APPROVE)  # refused: nobody attended, the draft is incomplete
    for user in (SALES, PRODUCTION_B, SUPPLY):
        press(bot, user, ReviewAction.ATTEND)
    press(bot, SALES, ReviewAction.ATTEND)  # already attending
    press(bot, OUTSIDER, ReviewAction.ATTEND)  # refused: takes no part
    press(bot, SALES, ReviewAction.APPROVE)  # refused: not a manager
    press(bot, MANAGER, ReviewAction.APPROVE)  # refused: production and supply did not submit
    press(bot, MANAGER, ReviewAction.ADJUST)
    view = bot.slack.last_view()
    assert errors(bot.slack.submit(MANAGER, view, {"p0.agreed": "many", "p1.agreed": ""}))
    reply = bot.slack.submit(
        MANAGER, view, {"p0.agreed": "900", "p1.agreed": "400", "note": "Supply confirmed by phone"}
    )
    assert errors(reply) == {}
    press(bot, MANAGER, ReviewAction.APPROVE)  # refused: already approved
    review(bot, SALES, "plan")
    review(bot, SALES, "plan 2027-01")
    assert len(without_followups(bot.standin.thread(REVIEW, the_agenda(bot).ts))) == 1  # the minutes
    assert review_leaks(bot) == []


def test_the_agenda_lists_custom_orders_in_catalog_words(bot, pseudo) -> None:  # noqa: ANN001, F811
    """Open orders and overdue confirmations in the agenda (registering them, and their order
    cards, belong to the order loop's own check)."""
    from tests.helpers import register

    register(bot, customer="Late Co")
    register(bot, customer="Other Co")
    run_due(bot.svc, local(2026, 11, 26, 10, 0))  # both requests escalated
    run_due(bot.svc, REVIEW_AT)
    agenda = the_agenda(bot)
    assert "Late Co" in str(agenda.blocks)
    *listed, kpis = agenda.blocks  # the last section's KPI lines are bot/kpi's words, checked there
    assert "KPIs of" in kpis["text"]["text"]
    shown = [agenda.text, *texts_of(listed)]
    assert [(text, words) for text in shown if (words := unmarked_words(text, DATA))] == []
