"""Delivery that loses nothing: a failing Slack delays messages, never drops or repeats them."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from bot.sweep import run_due
from storage import repo
from tests.conftest import ORDERS, PRODUCTION_A, SUPPLY
from tests.e2e.test_order_loop import card, find, order_posts, post_key, register, thread


def drain(bot, *, step_seconds: int = 30, rounds: int = 40):  # noqa: ANN001, ANN202
    """Run the sweep at advancing moments until nothing is left to deliver."""
    for _ in range(rounds):
        bot.clock.advance(seconds=step_seconds)
        run_due(bot.svc, bot.clock.now)
        if not pending(bot):
            return
    raise AssertionError(f"still undelivered after {rounds} sweeps: {pending(bot)}")


def pending(bot):  # noqa: ANN001, ANN202
    from sqlalchemy import select

    from storage.models import OutboxMessage

    with bot.svc.session() as session:
        rows = session.execute(select(OutboxMessage).where(OutboxMessage.sent_at.is_(None))).scalars()
        return [(r.key, r.last_error) for r in rows]


def dead(bot):  # noqa: ANN001, ANN202
    from sqlalchemy import select

    from storage.models import OutboxMessage

    with bot.svc.session() as session:
        rows = session.execute(select(OutboxMessage).where(OutboxMessage.dead.is_(True))).scalars()
        return [(r.key, r.last_error) for r in rows]


def posted_keys(bot) -> Counter:  # noqa: ANN001
    """Order messages posted, by outbox key (digests and other features are not counted)."""
    return Counter(post_key(c) for c in order_posts(bot, ok_only=True))


def test_an_order_registered_while_slack_fails_is_saved_and_posted_once_later(bot):  # noqa: ANN001
    bot.standin.fail("chat.postMessage", status=500, times=4)
    register(bot)
    with bot.svc.session() as session:
        assert repo.find_order(session, "CO-0001") is not None
    assert bot.standin.messages(ORDERS) == []
    drain(bot)
    assert len(posted_keys(bot)) == 3 and all(count == 1 for count in posted_keys(bot).values())
    top = card(bot)
    assert len(thread(bot)) == 2  # both requests, in the card's thread
    assert all(m.thread_ts == top.ts for m in thread(bot))


def test_rate_limit_waits_for_retry_after_before_trying_again(bot):  # noqa: ANN001
    bot.standin.fail("chat.postMessage", status=429, retry_after=120)
    register(bot)
    tries = len(order_posts(bot))
    run_due(bot.svc, bot.clock.now + timedelta(seconds=119))
    assert len(order_posts(bot)) == tries  # too early: not even tried
    run_due(bot.svc, bot.clock.now + timedelta(seconds=120))
    assert not pending(bot)
    assert card(bot) and len(thread(bot)) == 2


def test_messages_of_one_order_arrive_in_order_after_faults(bot):  # noqa: ANN001
    register(bot)
    bot.slack.press(PRODUCTION_A, find(thread(bot), "Production:"), "Answer for production")
    view = bot.slack.last_view()
    bot.standin.fail(None, status=503, times=3)  # every method fails for a while
    reply = bot.slack.submit(PRODUCTION_A, view, {"can_do": "no", "notes": "Line down for maintenance"})
    assert reply.status == 200 and b"errors" not in reply.body
    with bot.svc.session() as session:  # the answer was recorded although Slack was failing
        request = repo.current_requests(session, repo.find_order(session, "CO-0001"))["production"]
        assert request.answered_by == PRODUCTION_A and request.can_do is False
    drain(bot)
    texts = [m.text for m in thread(bot)]
    assert texts.index("Production answered for CO-0001") < texts.index("CO-0001 was declined")
    assert posted_keys(bot) and all(count == 1 for count in posted_keys(bot).values())
    assert "declined" in card(bot).text


def test_a_setup_error_is_retried_slowly_and_then_delivered(bot):  # noqa: ANN001
    bot.standin.fail("chat.postMessage", error="not_in_channel", times=2)
    register(bot)
    assert pending(bot)
    drain(bot, step_seconds=60)
    assert len(posted_keys(bot)) == 3 and all(count == 1 for count in posted_keys(bot).values())


def test_an_invalid_payload_is_not_retried_forever(bot, caplog):  # noqa: ANN001
    bot.standin.fail("chat.postMessage", error="invalid_blocks", times=1)
    register(bot)
    assert "invalid_blocks" in caplog.text
    tries = len(order_posts(bot))
    run_due(bot.svc, bot.clock.now + timedelta(hours=1))
    assert len(order_posts(bot)) == tries  # dead: never sent again
    assert ("order:1:card:post", "invalid_blocks") in dead(bot)


def test_a_bot_missing_from_the_channel_tells_the_person_acting_and_logs_one_clear_line(bot, caplog):  # noqa: ANN001
    bot.standin.fail("chat.postMessage", error="not_in_channel", times=3)
    register(bot)
    notes = [c.args["text"] for c in bot.standin.calls_to("chat.postMessage") if c.args["channel"] == "U01"]
    assert len(notes) == 1 and "not a member of the channel" in notes[0] and "/invite @OrderLoop" in notes[0]
    assert "Slack answered not_in_channel for message order:1:card:post" in caplog.text
    drain(bot, step_seconds=60)  # once the bot is invited, everything goes out once
    assert len(posted_keys(bot)) == 3


def test_a_click_blocked_by_a_setup_error_is_explained_ephemerally(bot):  # noqa: ANN001
    from tests.e2e.test_after_commit import committed_order, raise_problem

    committed_order(bot)  # "Resolved" acts at once on the click (Cancel now asks for a reason first)
    raise_problem(bot, PRODUCTION_A, "supply")
    bot.standin.fail("chat.update", error="channel_not_found", times=2)
    bot.slack.press(SUPPLY, find(thread(bot), "problem for supply"), "Resolved")
    told = [c.args["text"] for c in bot.standin.responses()]
    assert any("channel does not exist or the bot cannot see it" in text for text in told)


def test_a_dm_whose_post_may_have_reached_slack_is_posted_again_without_looking_it_up(bot, caplog):  # noqa: ANN001
    register(bot)
    bot.standin.fail("chat.postMessage", status=500, channel=SUPPLY)  # the reminder DM: outcome unknown
    bot.clock.advance(hours=20)  # the reminder is due
    run_due(bot.svc, bot.clock.now)
    drain(bot)
    # Slack only reads DMs back with im:history, which the app does not ask for; a user ID is not a
    # conversation ID, so the lookup could only fail and be mistaken for a setup problem.
    assert bot.standin.calls_to("conversations.history") == []
    assert dead(bot) == [] and pending(bot) == []
    supply_dms = [c for c in bot.standin.calls_to("chat.postMessage") if c.args["channel"] == SUPPLY]
    assert [c.status for c in supply_dms] == [500, 200]
    assert supply_dms[-1].response["channel"] == "D" + SUPPLY  # Slack answers with the DM's own ID
    assert len(bot.standin.messages(SUPPLY)) == 1
    assert "check the bot token" not in caplog.text
