"""No English leaks in the daily digest, the personal digests and `/kpi`: under the pseudo-locale
every word comes from a catalog."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.digest.blocks import digest_message, personal_message, titles
from bot.sweep import run_due
from bot.text import PSEUDO, language
from storage.models import OrderStatus, Problem
from tests.conftest import PRODUCTION_A, SALES, SUPPLY
from tests.leaks import everything_shown, leaks, pseudo, texts_of, unmarked_words  # noqa: F401
from tests.unit.test_digest import add_change, add_event, add_order, add_request, post_card
from workflows.digest import Digest

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # Wed 25 Nov 2026, 09:00 in Asia/Shanghai
TODAY = date(2026, 11, 25)
DATA = ["ACME Gears", "GBX-100", "Wrong steel grade", "Quiet Co"]


def every_section(bot, count: int = 7) -> None:  # noqa: ANN001
    """`count` orders in each section the digest lists (more than it shows), with posted cards and
    registered / committed / delivered / cancelled events in the last day."""
    with bot.svc.session() as session:
        for i in range(count):
            waiting = add_order(session)
            add_request(session, waiting, "production", NOW + timedelta(hours=1 + i))
            supply_due = NOW - timedelta(hours=1 + i) if i % 2 else NOW + timedelta(hours=1 + i)
            add_request(session, waiting, "supply", supply_due)  # half of them overdue
            to_commit = add_order(session, OrderStatus.AWAITING_COMMITMENT, salesperson=SALES)
            committed = add_order(
                session, OrderStatus.COMMITTED, committed_date=TODAY + timedelta(days=i - 1)
            )
            promise = {"answered_at": NOW, "can_do": True, "material_date": TODAY - timedelta(days=1 + i)}
            add_request(session, committed, "supply", NOW - timedelta(days=3), **promise)
            add_change(session, committed, {"production": None, "supply": None}, NOW + timedelta(hours=2 + i))
            raised = {"raised_by": SALES, "raised_at": NOW - timedelta(hours=i)}
            session.add(
                Problem(order_id=committed.id, team="supply", description="Wrong steel grade", **raised)
            )
            approving = add_order(session, OrderStatus.AWAITING_APPROVAL)  # a promise beyond the plan
            add_request(session, approving, "managers", NOW + timedelta(hours=1 + i))
            post_card(session, approving)
            for order in (waiting, to_commit, committed):
                post_card(session, order)
                add_event(session, order, "registered", NOW - timedelta(hours=2))
            for kind in ("committed", "delivered", "cancelled"):
                add_event(session, committed, kind, NOW - timedelta(hours=1))


def test_the_channel_digest_and_the_personal_digests_speak_only_catalog_words(bot, pseudo) -> None:  # noqa: ANN001, F811
    every_section(bot, count=12)  # more than CHANGED_NAMES per kind of change: "… and 4 more"
    bot.clock.now = NOW
    assert run_due(bot.svc, NOW).outcomes == [
        "digest:2026-11-25: sent: channel digest and 5 direct message(s)"  # the manager: a promise to approve
    ]
    posted = [c.args for c in bot.standin.calls_to("chat.postMessage")]
    assert {p["channel"] for p in posted} >= {"C0123ORDERS", SALES, SUPPLY, PRODUCTION_A}
    assert all(p["text"].startswith("⟦") for p in posted)  # the fallback text too
    shown = "\n".join(everything_shown(bot))
    with language(PSEUDO):
        assert [t for t in titles().values() if t not in shown] == []  # every section was checked
    assert "⟦{orders} and {more} more⟧" not in shown and "more⟧" in shown
    assert leaks(bot, DATA) == []


def test_a_quiet_day_speaks_only_catalog_words(bot, pseudo) -> None:  # noqa: ANN001, F811
    with bot.svc.session() as session:  # nothing waiting; one delivery due, but nothing changed
        post_card(
            session, add_order(session, OrderStatus.COMMITTED, customer="Quiet Co", committed_date=TODAY)
        )
    run_due(bot.svc, NOW)
    assert leaks(bot, DATA) == []
    with language(PSEUDO):  # nothing at all, and a personal digest emptied before delivery
        empty = Digest(day=TODAY, now=NOW, since=None, sections=[])
        for message in (digest_message(empty, {}), personal_message(empty, SUPPLY, {})):
            assert [words for text in texts_of(message) if (words := unmarked_words(text))] == []


def test_kpi_replies_speak_only_catalog_words(bot, pseudo) -> None:  # noqa: ANN001, F811
    with bot.svc.session() as session:
        order = add_order(session)
        add_request(
            session, order, "production", NOW - timedelta(days=2), answered_at=NOW - timedelta(days=3)
        )
        add_request(session, order, "supply", NOW - timedelta(days=2))
        add_order(
            session,
            OrderStatus.DELIVERED,
            committed_date=date(2026, 11, 10),
            delivered_date=date(2026, 11, 12),
            committed_at=NOW - timedelta(days=20),
            created_at=NOW - timedelta(days=22),
        )
    for text in ("", "2026-12", "2026年11月", "11月", "nov"):
        assert bot.slack.command(SALES, text, command="/kpi").status == 200
    assert leaks(bot, DATA + ["nov"]) == []
