"""No English leaks after commitment: under the pseudo-locale every word of the after-commitment
message, the card's lines, the late-material flag, problems, changes, their reminders (thread and
direct), escalations, modals, refusals and form errors comes from a catalog.

The order is registered and committed in English first (that part is the order loop's, checked
by test_pseudo_orders.py); what the bot shows after that is checked, and of the card only the
lines this feature adds (its last block)."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest

from bot import text as words
from bot.ids import AfterCommit, acknowledge_action
from tests.conftest import MANAGER, ORDERS, PRODUCTION_A, SALES, SUPPLY
from tests.e2e.test_after_commit import committed_order, sweep
from tests.e2e.test_order_loop import card, thread
from tests.helpers import ORDER_DEFAULTS
from tests.leaks import texts_of, unmarked_words

DATA = [
    ORDER_DEFAULTS["customer"],
    ORDER_DEFAULTS["product"],
    "Paint peeling",
    "Customer asked",
    "CO-9999",
    "Ship delayed",
    "Line booked",
    "Key customer",
    "No overtime",
    ORDER_DEFAULTS["specification"],  # the managers' reject form shows the order's summary
    "supply",  # setting names in orderloop.toml, quoted by the permission refusals
    "managers",
]
FLAG_AT = datetime(2026, 12, 6, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai the morning after the promise


def with_button(bot, action_id: str):  # noqa: ANN001, ANN201
    """The newest message in the order's thread with a button of this action_id."""
    found = [
        m
        for m in thread(bot)
        for b in m.blocks
        for e in b.get("elements", [])
        if e.get("type") == "button" and e.get("action_id") == action_id
    ]
    assert found, f"no {action_id} button in the thread"
    return found[-1]


def click(bot, user: str, action_id: str, message=None, value: str = "1"):  # noqa: ANN001, ANN201
    return bot.slack.click(user, action_id, value, message=message or with_button(bot, action_id))


def submit(bot, user: str, values: dict):  # noqa: ANN001, ANN201
    return bot.slack.submit(user, bot.slack.last_view(), values)


def press(bot, user: str, action_id: str):  # noqa: ANN001, ANN201
    """Click the newest button of this action_id with its own value (an answer's or change's id)."""
    message = with_button(bot, action_id)
    value = next(
        e["value"] for b in message.blocks for e in b.get("elements", []) if e.get("action_id") == action_id
    )
    return bot.slack.click(user, action_id, value, message=message)


def ask_change(bot, delivery: str, reason: str = "Customer asked", **extra: str):  # noqa: ANN001, ANN201
    click(bot, SALES, AfterCommit.A_CHANGE)
    values = {"quantity": "300", "delivery_date": delivery, "reason": reason, "origin": "customer"}
    return submit(bot, SALES, values | extra)


def both_yes(bot) -> None:  # noqa: ANN001
    press(bot, PRODUCTION_A, acknowledge_action("production"))
    submit(bot, PRODUCTION_A, {"can_do": "yes", "lead_time_days": "10", "notes": ""})
    press(bot, SUPPLY, acknowledge_action("supply"))
    submit(bot, SUPPLY, {"can_do": "yes", "material_date": "2026-12-07", "notes": ""})


def after_commitment_flow(bot) -> None:  # noqa: ANN001
    """Everything after commitment once: flag, materials, a problem, a change with its clock,
    refusals, form errors, `/order edit` mistakes and the delivery."""
    after = with_button(bot, AfterCommit.A_MATERIALS)
    sweep(bot, FLAG_AT)  # the late-material flag, and the card says late
    bot.clock.now = FLAG_AT
    click(bot, SALES, AfterCommit.A_SLIP)  # not supply: a refusal
    click(bot, SUPPLY, AfterCommit.A_SLIP)
    submit(bot, SUPPLY, {"material_date": "2026-12-10", "reason": ""})  # no reason: a form error
    submit(bot, SUPPLY, {"material_date": "2026-12-10", "reason": "Ship delayed"})  # infeasible: told
    click(bot, SUPPLY, AfterCommit.A_MATERIALS)
    submit(bot, SUPPLY, {"arrived_date": "2027-01-05", "notes": ""})  # in the future: a form error
    submit(bot, SUPPLY, {"arrived_date": "2026-12-06", "notes": ""})
    click(bot, SUPPLY, AfterCommit.A_MATERIALS, message=after)  # recorded already: a refusal
    click(bot, SALES, AfterCommit.A_RAISE)
    submit(bot, SALES, {"problem": "Paint peeling", "team": None})  # no team: a form error
    submit(bot, SALES, {"problem": "Paint peeling", "team": "production"})
    click(bot, SALES, AfterCommit.A_RESOLVE)  # not production: a refusal
    click(bot, PRODUCTION_A, AfterCommit.A_RESOLVE)
    click(bot, PRODUCTION_A, AfterCommit.A_RESOLVE, message=thread(bot)[-2])  # resolved already
    start = bot.clock.now
    click(bot, SALES, AfterCommit.A_CHANGE)
    submit(
        bot, SALES, {"quantity": "300", "delivery_date": "2026-12-20", "reason": "Customer asked"}
    )  # no origin
    ask_change(bot, "2026-12-20")
    click(bot, SALES, AfterCommit.A_CHANGE)  # a change is pending: a refusal
    sweep(bot, start + timedelta(hours=20))  # reminders in the thread and by DM
    sweep(bot, start + timedelta(hours=24))  # escalations
    press(bot, SUPPLY, acknowledge_action("production"))  # not production: a refusal
    press(bot, PRODUCTION_A, acknowledge_action("production"))
    submit(bot, PRODUCTION_A, {"can_do": "no", "lead_time_days": "", "notes": ""})  # a no needs a reason
    submit(bot, PRODUCTION_A, {"can_do": "no", "lead_time_days": "", "notes": "Line booked"})  # returned
    press(bot, SALES, AfterCommit.A_WITHDRAW_CHANGE)
    click(bot, SALES, AfterCommit.A_WITHDRAW_CHANGE, message=thread(bot)[-1])  # settled already: a refusal
    ask_change(bot, "2026-12-10")  # before the earliest feasible date without a reason: a form error
    ask_change(bot, "2026-12-10", override_reason="Key customer")
    both_yes(bot)  # beyond what can be made: it waits for a manager
    sweep(bot, bot.clock.now + timedelta(hours=20))  # the managers' reminder
    sweep(bot, bot.clock.now + timedelta(hours=24))  # and escalation
    press(bot, SALES, "order.reject_promise")  # not a manager: a refusal
    press(bot, MANAGER, "order.reject_promise")
    submit(bot, MANAGER, {"reason": ""})  # no reason: a form error
    submit(bot, MANAGER, {"reason": "No overtime"})
    ask_change(bot, "2026-12-20")
    both_yes(bot)  # applied
    bot.slack.command(SALES, "edit")  # which order?
    bot.slack.command(SALES, "edit CO-9999")  # no such order
    click(bot, SALES, AfterCommit.A_CHANGE)
    submit(bot, SALES, {"quantity": "300", "delivery_date": "2026-12-20", "reason": "Same again"})  # nothing
    click(bot, SALES, AfterCommit.A_DELIVERED)
    submit(bot, SALES, {"delivered_date": "2027-02-01"})  # in the future: a form error
    submit(bot, SALES, {"delivered_date": "2026-12-18"})
    click(bot, SALES, AfterCommit.A_DELIVERED, message=after)  # delivered already: a refusal


def _ours_on_the_card(blocks: list[dict]) -> list[dict]:
    """The card's lines this feature adds: the section that starts with the materials line."""
    return [
        b
        for b in blocks
        if any(e in (b.get("text") or {}).get("text", "") for e in (":package:", ":warning:"))
    ]


def _has_acknowledge_button(blocks: list[dict]) -> bool:
    return any(
        str(e.get("action_id", "")).startswith(AfterCommit.A_ACKNOWLEDGE)
        for b in blocks
        for e in b.get("elements", [])
    )


def shown_since(bot, calls: int, replies: int) -> list[str]:  # noqa: ANN001
    """What this feature showed after the mark: its thread messages, modals (less the order
    loop's Cancel), ephemeral replies, form errors, its lines on the card, its reminder DMs.
    The digest (posted in the channel and by DM) and the review's agenda are other features'."""
    card_ts = card(bot).ts
    others = {
        m.ts for m in bot.standin.messages(ORDERS) if m.thread_ts is None and m.ts != card_ts
    }  # digests
    shown: list[str] = []
    for call in bot.standin.calls[calls:]:
        args, channel = call.args, str(call.args.get("channel") or ORDERS)
        if call.method in ("views.open", "views.update"):
            shown += texts_of({k: v for k, v in args["view"].items() if k != "close"})
        elif call.method in ("chat.postEphemeral", "response_url"):
            shown += texts_of(args)
        elif call.method not in ("chat.postMessage", "chat.update"):
            continue
        elif channel.startswith(("U", "D")):  # direct messages: the change reminders are ours
            shown += texts_of(args) if _has_acknowledge_button(args.get("blocks") or []) else []
        elif channel != ORDERS or call.response.get("ts") in others or args.get("ts") in others:
            continue
        elif args.get("ts") == card_ts:
            shown += texts_of(_ours_on_the_card(args.get("blocks") or []))
        else:
            shown += texts_of(args)
    for reply in bot.slack.replies[replies:]:
        if reply.body and reply.body.strip().startswith(b"{"):
            shown += texts_of(json.loads(reply.body))
    return shown


@pytest.fixture
def marked(bot, monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:  # noqa: ANN001
    committed_order(bot)  # in English: the order loop's words are checked by its own test
    monkeypatch.setattr(words, "normalize", lambda code: words.PSEUDO)
    return len(bot.standin.calls), len(bot.slack.replies)


def test_after_commitment_speaks_only_catalog_words(bot, marked) -> None:  # noqa: ANN001
    after_commitment_flow(bot)
    shown = shown_since(bot, *marked)
    assert len(shown) > 40  # the flow showed something: messages, modals, refusals, errors
    assert any("⟦" in text and "materials" in text.lower() for text in shown)
    leaked = [(text, found) for text in shown if (found := unmarked_words(text, DATA))]
    assert leaked == [], "\n".join(f"{found}  <<  {text[:300]}" for text, found in leaked)
