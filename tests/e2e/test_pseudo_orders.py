"""No English leaks in the order loop: under the pseudo-locale every word comes from a catalog.

Buttons are found by action_id and messages by their key (labels and texts read ⟦…⟧ here): the
card, the requests, the answers, the decline, revision, commitment and cancellation, the
reminders (thread and DM), the escalation, refusals and inline form errors."""

from __future__ import annotations

from datetime import timedelta

from bot.ids import Action
from bot.sweep import run_due
from tests.conftest import PRODUCTION_A, SALES, SUPPLY
from tests.helpers import ORDER_DEFAULTS, inline_errors, thread
from tests.leaks import leaks, pseudo, texts_of, unmarked_words  # noqa: F401

DECLINE_REASON = "Line 2 is booked until March"
CANCEL_REASON = "The customer withdrew"
DATA = [
    ORDER_DEFAULTS["customer"],
    ORDER_DEFAULTS["product"],
    ORDER_DEFAULTS["specification"],
    DECLINE_REASON,
    CANCEL_REASON,
    "Bolt Works",
    "Agreed",
]


def keyed(bot, key: str):  # noqa: ANN001, ANN201
    """The message posted under this outbox key (in the order's channel or thread)."""
    found = [
        m for m in bot.standin.messages() if (m.metadata or {}).get("event_payload", {}).get("key") == key
    ]
    assert found, key
    return found[-1]


def press(bot, user: str, message, action_id: str):  # noqa: ANN001, ANN201
    for block in message.blocks:
        for element in block.get("elements", []):
            if element.get("type") == "button" and element["action_id"] == action_id:
                return bot.slack.click(user, action_id, element.get("value", ""), message=message)
    raise AssertionError(f"no {action_id} button on {message.text}")


def new_order(bot, **values: object):  # noqa: ANN001, ANN201
    assert bot.slack.command(SALES, "new").status == 200
    return bot.slack.submit(SALES, bot.slack.last_view(), {**ORDER_DEFAULTS, **values})


def answer(bot, user: str, team: str, revision: int = 1, **values: object):  # noqa: ANN001, ANN201
    assert press(bot, user, keyed(bot, f"order:1:r{revision}:{team}"), Action.ANSWER).status == 200
    if team == "production":
        fields = {"can_do": "yes", "lead_time_days": "10", "notes": ""} | values
    else:
        fields = {"can_do": "yes", "material_date": "2026-12-05", "notes": ""} | values
    return bot.slack.submit(user, bot.slack.last_view(), fields)


def test_the_order_loop_speaks_only_catalog_words(bot, pseudo):  # noqa: ANN001, F811
    assert new_order(bot).status == 200
    assert answer(bot, PRODUCTION_A, "production").status == 200
    assert answer(bot, SUPPLY, "supply").status == 200
    bot.slack.command(PRODUCTION_A, "new")  # a refusal: production cannot register orders
    bot.slack.click(SUPPLY, Action.ANSWER, "2", message=keyed(bot, "order:1:r1:supply"))  # already answered
    assert press(bot, SALES, keyed(bot, "order:1:r1:commit"), Action.COMMIT).status == 200
    reply = bot.slack.submit(
        SALES, bot.slack.last_view(), {"committed_date": "2026-12-20", "notes": "Agreed"}
    )
    assert reply.status == 200
    assert any("committed" in m.text for m in thread(bot))
    bot.slack.click(SALES, Action.COMMIT, "1:1", message=keyed(bot, "order:1:r1:commit"))  # already committed
    refusals = [r.args["text"] for r in bot.standin.responses()]
    assert len(refusals) == 3 and all(t.startswith((":no_entry_sign: ⟦", "⟦")) for t in refusals), refusals
    # what follows commitment is another feature's words (its own pseudo test): its thread message
    # and the line it adds to the card
    after = texts_of(keyed(bot, "order:1:after").blocks) + [keyed(bot, "order:1:after").text]
    ours = [(t, w) for t, w in leaks(bot, DATA) if t not in after and not t.startswith(":package:")]
    assert ours == []


def test_decline_revise_and_cancel_speak_only_catalog_words(bot, pseudo):  # noqa: ANN001, F811
    assert new_order(bot).status == 200
    reply = answer(bot, PRODUCTION_A, "production", can_do="no", lead_time_days=None, notes="")
    assert "notes" in inline_errors(reply)  # a decline needs its reason
    assert answer(bot, PRODUCTION_A, "production", can_do="no", notes=DECLINE_REASON).status == 200
    declined = keyed(bot, "order:1:r1:declined")
    assert press(bot, SALES, declined, Action.REVISE).status == 200
    revise = bot.slack.last_view()
    reply = bot.slack.submit(SALES, revise, {**ORDER_DEFAULTS, "customer": "Bolt Works", "quantity": "x"})
    assert "quantity" in inline_errors(reply)
    assert bot.slack.submit(SALES, revise, {**ORDER_DEFAULTS, "customer": "Bolt Works"}).status == 200
    card = keyed(bot, "order:1:card")
    assert press(bot, SALES, card, Action.CANCEL).status == 200
    cancel = bot.slack.last_view()
    assert "reason" in inline_errors(bot.slack.submit(SALES, cancel, {"reason": " "}))
    assert bot.slack.submit(SALES, cancel, {"reason": CANCEL_REASON}).status == 200
    bot.slack.click(SALES, Action.CANCEL, "1:2", message=keyed(bot, "order:1:card"))  # already cancelled
    refusals = [r.args["text"] for r in bot.standin.responses()]
    assert len(refusals) == 1 and refusals[0].startswith(":no_entry_sign: ⟦CO-0001 is cancelled"), refusals
    assert any("cancelled" in m.text for m in thread(bot))
    assert leaks(bot, DATA) == []


def test_reminders_and_the_escalation_speak_only_catalog_words(bot, pseudo):  # noqa: ANN001, F811
    assert new_order(bot).status == 200
    run_due(bot.svc, bot.clock.now + timedelta(hours=20))
    run_due(bot.svc, bot.clock.now + timedelta(hours=24))
    # the confirmation clock's messages (the digest, due at the same time, is another feature's)
    clock = [
        c.args
        for c in bot.standin.calls_to("chat.postMessage")
        if ":request:" in str((c.args.get("metadata") or {}).get("event_payload", {}).get("key", ""))
    ]
    keys = sorted(str(m["metadata"]["event_payload"]["key"]) for m in clock)
    assert any(k.startswith("dm:") for k in keys) and any(k.endswith(":escalation") for k in keys), keys
    assert any(k.endswith(":reminder") and k.startswith("order:") for k in keys), keys
    assert [(t, w) for t in texts_of(clock) if (w := unmarked_words(t, DATA))] == []


def test_bad_numbers_are_refused_inline_under_pseudo(bot, pseudo):  # noqa: ANN001, F811
    for quantity, says in (("10天", "pieces"), ("1，5", "whole number"), ("", "Enter the quantity")):
        errors = inline_errors(new_order(bot, quantity=quantity))
        assert says in errors["quantity"] and errors["quantity"].startswith("⟦"), errors
    assert leaks(bot, DATA + ["10天", "天"]) == []
