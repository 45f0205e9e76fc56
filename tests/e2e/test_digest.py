"""The daily digest end to end: posted once at digest_time (Asia/Shanghai), caught up once after
downtime, one direct message per person with work, and readable inside Slack's limits at volume."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.digest.blocks import titles
from bot.links import message_link
from bot.sweep import run_due
from storage.models import OrderStatus, Problem
from tests.conftest import MANAGER, ORDERS, PRODUCTION_A, PRODUCTION_B, SALES, SUPPLY, make_config
from tests.e2e.test_order_loop import card, register
from tests.unit.test_digest import add_change, add_event, add_order, add_request, post_card
from workflows import digest

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


def digests(bot) -> list:  # noqa: ANN001
    return [
        m for m in bot.standin.messages(ORDERS) if m.thread_ts is None and m.text.startswith("Daily digest")
    ]


def dms(bot, user: str) -> list:  # noqa: ANN001
    return [c.args for c in bot.standin.calls_to("chat.postMessage") if c.args["channel"] == user]


def text_of(blocks: list[dict]) -> str:
    return "\n".join(
        b.get("text", {}).get("text", "") or " ".join(e.get("text", "") for e in b.get("elements", []))
        for b in blocks
    )


def register_at(bot, moment: datetime, **values) -> None:  # noqa: ANN001, ANN003
    bot.clock.now = moment
    register(bot, **values)


def test_the_digest_is_posted_once_at_digest_time_in_the_configured_zone(bot) -> None:  # noqa: ANN001
    register_at(bot, local(11, 24, 16))
    order_card = card(bot)
    assert digests(bot) == [] and run_due(bot.svc, local(11, 25, 8, 59)).outcomes == []
    result = run_due(bot.svc, local(11, 25, 9))
    assert result.outcomes == ["digest:2026-11-25: sent: channel digest and 3 direct message(s)"]
    for moment in (local(11, 25, 9), local(11, 25, 9, 30), local(11, 25, 11, 59)):
        run_due(bot.svc, moment)
    [posted] = digests(bot)
    assert posted.text.startswith("Daily digest · Wed 25 Nov 2026")
    text = text_of(posted.blocks)
    link = f"<{message_link(ORDERS, order_card.ts)}|CO-0001>"
    assert (
        f"*:factory: Waiting for production* (1)\n• {link} · ACME Gears · 250 × GBX-100 · *7h 0m left*"
        in text
    )
    assert "*:package: Waiting for supply* (1)" in text
    assert f"New (1): {link}" in text


def test_after_downtime_one_digest_catches_up_and_covers_everything_since_the_last(bot) -> None:  # noqa: ANN001
    register_at(bot, local(11, 24, 16))
    run_due(bot.svc, local(11, 25, 9))
    register_at(bot, local(11, 26, 15), customer="Late Night Ltd")  # while the sweeper was down
    result = run_due(bot.svc, local(11, 27, 10, 30))  # back 1.5 h after Friday's digest time
    assert sorted(line for line in result.outcomes if line.startswith("digest:")) == [
        "digest:2026-11-26: skipped: too late (the bot was down); the next digest covers it",
        "digest:2026-11-27: sent: channel digest and 3 direct message(s)",
    ]
    run_due(bot.svc, local(11, 27, 11))
    assert [m.text.split(":")[0] for m in digests(bot)] == [
        "Daily digest · Wed 25 Nov 2026",
        "Daily digest · Fri 27 Nov 2026",
    ]
    friday = text_of(digests(bot)[-1].blocks)
    assert re.search(r"New \(1\): <[^|]+\|CO-0002>", friday)  # registered Thursday, between the two digests
    assert "CO-0001" in friday  # still overdue, listed, but not "new" again
    assert "Overdue answers" in friday and "New (1)" in friday


def test_a_digest_missed_by_more_than_the_catch_up_window_is_not_sent_late(bot) -> None:  # noqa: ANN001
    register_at(bot, local(11, 24, 16))
    run_due(bot.svc, local(11, 24, 16, 5))  # plans Wednesday's digest, then the bot goes down
    late = local(11, 25, 9) + digest.CATCH_UP + timedelta(minutes=1)
    [outcome] = [line for line in run_due(bot.svc, late).outcomes if line.startswith("digest:")]
    assert outcome.startswith("digest:2026-11-25: skipped: too late")
    assert digests(bot) == []


def test_each_person_with_something_waiting_gets_one_short_direct_message(bot) -> None:  # noqa: ANN001
    register_at(bot, local(11, 24, 16))
    run_due(bot.svc, local(11, 25, 9))
    run_due(bot.svc, local(11, 25, 10))
    for user in (PRODUCTION_A, PRODUCTION_B, SUPPLY):
        assert len(dms(bot, user)) == 1, user
    assert dms(bot, SALES) == [] and dms(bot, MANAGER) == []
    supply = text_of(dms(bot, SUPPLY)[0]["blocks"])
    assert "<@U03> 1 item waits on you" in supply and "Waiting for supply" in supply
    assert "Waiting for production" not in supply and "CO-0001" in supply


def test_the_salesperson_is_told_of_orders_waiting_for_their_date(bot) -> None:  # noqa: ANN001
    with bot.svc.session() as session:
        order = add_order(session, OrderStatus.AWAITING_COMMITMENT, salesperson=SALES)
        post_card(session, order)
    run_due(bot.svc, local(11, 25, 9))
    [dm] = dms(bot, SALES)
    assert "Waiting for sales to commit" in text_of(dm["blocks"]) and dms(bot, SUPPLY) == []


@pytest.mark.parametrize("config", [make_config(schedule={"personal_digest": False})])
def test_no_direct_messages_when_personal_digests_are_off(bot) -> None:  # noqa: ANN001
    register_at(bot, local(11, 24, 16))
    assert run_due(bot.svc, local(11, 25, 9)).outcomes == [
        "digest:2026-11-25: sent: channel digest and 0 direct message(s)"
    ]
    assert len(digests(bot)) == 1 and dms(bot, SUPPLY) == []


def fill_backlog(bot, count: int) -> None:  # noqa: ANN001
    """`count` orders of each kind the digest lists, inserted directly (fast), each with a posted card."""
    now = local(11, 25, 9)
    today = date(2026, 11, 25)
    with bot.svc.session() as session:
        for i in range(count):
            waiting = add_order(session, customer=f"Waiting <{i}> & Co")
            add_request(session, waiting, "production", now + timedelta(hours=1 + i % 20))
            supply_due = now - timedelta(hours=1 + i) if i % 2 else now + timedelta(hours=i)  # half overdue
            add_request(session, waiting, "supply", supply_due)
            to_commit = add_order(session, OrderStatus.AWAITING_COMMITMENT, salesperson=f"U1{i % 5}")
            committed = add_order(
                session, OrderStatus.COMMITTED, committed_date=today + timedelta(days=i % 9 - 1)
            )
            supply = {"answered_at": now, "can_do": True, "material_date": today - timedelta(days=1 + i % 4)}
            add_request(session, committed, "supply", now - timedelta(days=3), **supply)
            add_change(
                session, committed, {"production": None, "supply": None}, now + timedelta(hours=i % 30)
            )
            raised = {"raised_by": SALES, "raised_at": now - timedelta(minutes=i)}
            session.add(Problem(order_id=committed.id, team="production", description="x" * 500, **raised))
            approving = add_order(session, OrderStatus.AWAITING_APPROVAL)  # a promise beyond the plan
            add_request(session, approving, "managers", now + timedelta(hours=1 + i % 20))
            post_card(session, approving)
            for order in (waiting, to_commit, committed):
                post_card(session, order)
                add_event(session, order, "registered", now - timedelta(hours=2))
            add_event(session, committed, "committed", now - timedelta(hours=1))


def test_hundreds_of_open_orders_stay_inside_fifty_blocks_with_the_most_urgent_first(bot) -> None:  # noqa: ANN001
    fill_backlog(bot, 120)  # 360 open orders
    run_due(bot.svc, local(11, 25, 9))
    [posted] = digests(bot)
    assert len(posted.blocks) <= 50 and bot.standin.invalid == []
    text = text_of(posted.blocks)
    for title in titles().values():
        assert f"*{title}* (" in text, title
    shown_more = re.findall(r"\d+ more not shown\. `/order list` shows every open order", text)
    assert len(shown_more) == len(titles())
    numbers = re.findall(r"CO-\d{4}", text)
    linked = re.findall(r"<https://slack\.com/archives/C0123ORDERS/p\d+\|CO-\d{4}>", text)
    assert len(numbers) > 40 and len(linked) == len(numbers)  # every order named links to its thread
    assert "&lt;0&gt; &amp; Co" in text  # customer names are escaped
    overdue = text.split("Overdue answers")[1].split("*:factory:")[0]
    assert overdue.index("Waiting &lt;119&gt;") < overdue.index("Waiting &lt;117&gt;")  # oldest first
    for user in (PRODUCTION_A, SUPPLY, "U10"):
        [dm] = dms(bot, user)
        assert len(dm["blocks"]) <= 50
