"""The custom-order loop end to end: signed requests in, Slack Web API calls out."""

from __future__ import annotations

from datetime import timedelta

from tests.conftest import ORDERS, PRODUCTION_A, SALES, SUPPLY


def register(bot, **values) -> None:  # noqa: ANN001
    assert bot.slack.command(SALES, "new").status == 200
    view = bot.slack.last_view()
    defaults = {
        "customer": "ACME Gears",
        "product": "GBX-100",
        "quantity": "250",
        "requested_date": "2026-12-20",
        "specification": "Hardened steel, 1:40 ratio",
    }
    reply = bot.slack.submit(SALES, view, {**defaults, **values})
    assert reply.status == 200, reply.body
    assert reply.body in (b"", b"{}") or "errors" not in reply.json(), reply.body


def card(bot, order_id: int | None = None):  # noqa: ANN001, ANN201
    """The newest order card (or order `order_id`'s), told apart from digests by its message metadata."""
    cards = [m for m in bot.standin.messages(ORDERS) if m.thread_ts is None and is_card(m, order_id)]
    assert cards, "no order card was posted"
    return cards[-1]


def is_card(message, order_id: int | None = None) -> bool:  # noqa: ANN001
    key = ((message.metadata or {}).get("event_payload") or {}).get("key", "")
    return key == f"order:{order_id}:card" if order_id else key.startswith("order:") and key.endswith(":card")


def post_key(call) -> str:  # noqa: ANN001
    """The outbox key a chat.postMessage call carried in its metadata."""
    return ((call.args.get("metadata") or {}).get("event_payload") or {}).get("key", "")


def order_posts(bot, *, ok_only: bool = False) -> list:  # noqa: ANN001
    """chat.postMessage calls about orders (not digests or reviews), including failed tries unless ok_only."""
    return [
        c
        for c in bot.standin.calls_to("chat.postMessage")
        if ":request:" in post_key(c) or post_key(c).startswith("order:")
        if c.response.get("ok") or not ok_only
    ]


def thread(bot):  # noqa: ANN001, ANN201
    return bot.standin.thread(ORDERS, card(bot).ts)


def find(messages, text):  # noqa: ANN001, ANN201
    matches = [m for m in messages if text in m.text]
    assert matches, f"no message containing {text!r} in {[m.text for m in messages]}"
    return matches[-1]


def test_registering_an_order_posts_card_and_asks_both_teams(bot):  # noqa: ANN001
    register(bot)
    top = card(bot)
    assert top.text.startswith("CO-0001 for ACME Gears")
    replies = thread(bot)
    production = find(replies, "Production: can you make it?")
    supply = find(replies, "Supply: can you source the materials?")
    assert "<!subteam^S02>" in production.blocks[0]["text"]["text"]
    assert "<@U03>" in supply.blocks[0]["text"]["text"]
    deadline = int((bot.clock.now + timedelta(hours=24)).timestamp())
    assert f"<!date^{deadline}^" in production.blocks[0]["text"]["text"]
    labels = [
        e["text"]["text"] for b in production.blocks for e in b.get("elements", []) if e["type"] == "button"
    ]
    assert labels == ["Answer for production"]


def test_full_loop_to_a_committed_delivery_date(bot):  # noqa: ANN001
    register(bot, requested_date="2026-12-01")
    replies = thread(bot)
    assert bot.slack.press(PRODUCTION_A, find(replies, "Production:"), "Answer for production").status == 200
    reply = bot.slack.submit(
        PRODUCTION_A, bot.slack.last_view(), {"can_do": "yes", "lead_time_days": "10", "notes": "Line 2"}
    )
    assert reply.status == 200
    bot.slack.press(SUPPLY, find(thread(bot), "Supply:"), "Answer for supply")
    bot.slack.submit(SUPPLY, bot.slack.last_view(), {"can_do": "yes", "material_date": "2026-12-05"})

    prompt = find(thread(bot), "confirm a delivery date")
    assert "<@U01>" in prompt.blocks[0]["text"]["text"]
    assert "Tue 15 Dec 2026" in prompt.blocks[0]["text"]["text"]  # max(today, 12-05) + 10 days
    bot.slack.press(SALES, prompt, "Confirm delivery date")
    view = bot.slack.last_view()
    committed = [b for b in view["blocks"] if b.get("block_id") == "committed_date"][0]
    assert committed["element"]["initial_date"] == "2026-12-15"  # later of requested and feasible
    bot.slack.submit(SALES, view, {"committed_date": "2026-12-16", "notes": ""})

    top = card(bot)
    assert "committed" in top.text
    assert any("Committed delivery: Wed 16 Dec 2026" in b.get("text", {}).get("text", "") for b in top.blocks)
    notice = find(thread(bot), "committed for")
    assert (
        "<!subteam^S02>" in notice.blocks[0]["text"]["text"] and "<@U03>" in notice.blocks[0]["text"]["text"]
    )
