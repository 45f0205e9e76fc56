"""A manager's App Home shows what is overdue or escalated across the teams, with thread links."""

from __future__ import annotations

from datetime import date, timedelta

from storage.models import OrderStatus, Problem
from tests.conftest import MANAGER, PRODUCTION_A, SUPPLY
from tests.e2e.test_kpi_home import NOW, block_text, buttons, open_home
from tests.unit.test_digest import add_change, add_order, add_request, post_card, waiting_order


def seed_escalations(bot) -> dict[str, str]:  # noqa: ANN001
    """One of each: an overdue answer, an overdue acknowledgement, late materials, an open problem."""
    with bot.svc.session() as session:
        late_answer = waiting_order(session, NOW - timedelta(hours=2), customer="Late Answer Co")
        changed = add_order(
            session, OrderStatus.COMMITTED, committed_date=date(2026, 12, 16), customer="Changed Co"
        )
        add_change(session, changed, {"production": None, "supply": NOW}, NOW - timedelta(hours=1))
        materials = add_order(
            session, OrderStatus.COMMITTED, committed_date=date(2026, 12, 16), customer="Steel Co"
        )
        add_request(
            session,
            materials,
            "supply",
            NOW - timedelta(days=9),
            can_do=True,
            material_date=date(2026, 11, 20),
            answered_at=NOW - timedelta(days=9),
        )
        troubled = add_order(
            session, OrderStatus.COMMITTED, committed_date=date(2026, 12, 16), customer="Bore Co"
        )
        session.add(
            Problem(
                order_id=troubled.id,
                team="production",
                description="Wrong bore",
                raised_by=SUPPLY,
                raised_at=NOW,
            )
        )
        return {o.number: post_card(session, o) for o in (late_answer, changed, materials, troubled)}


def test_a_manager_sees_what_is_overdue_across_the_teams_with_links_to_the_threads(bot) -> None:  # noqa: ANN001
    links = seed_escalations(bot)
    view = open_home(bot, MANAGER)
    text = block_text(view)
    assert text.index("across the teams") < text.index("*Waiting on you*")  # what they are escalated to first
    assert "*Overdue and escalated across the teams* (5)" in text  # two overdue answers, one of each other
    for title in ("Overdue answer", "Overdue change answer", "Late materials", "Open problem"):
        assert f"*{title}* ·" in text
    assert "Wrong bore" in text and "quantity 250 → 300" in text
    urls = {b["url"] for b in buttons(view)}
    assert urls == set(links.values())
    assert all(b["text"]["text"] == "Open thread" for b in buttons(view))  # they act in the thread
    assert len(view["blocks"]) < 100


def test_a_manager_with_nothing_overdue_is_told_so(bot) -> None:  # noqa: ANN001
    text = block_text(open_home(bot, MANAGER))
    assert "*Overdue and escalated across the teams*\nNothing is overdue. :tada:" in text


def test_others_do_not_get_the_managers_view(bot) -> None:  # noqa: ANN001
    seed_escalations(bot)
    assert "across the teams" not in block_text(open_home(bot, PRODUCTION_A))


def test_a_long_backlog_stays_inside_the_home_tabs_block_limit(bot) -> None:  # noqa: ANN001
    with bot.svc.session() as session:
        for _ in range(40):
            order = waiting_order(session, NOW - timedelta(hours=2))
            session.add(
                Problem(order_id=order.id, team="supply", description="x", raised_by=SUPPLY, raised_at=NOW)
            )
    view = open_home(bot, MANAGER)
    assert "*Overdue and escalated across the teams* (120)" in block_text(view)
    assert "95 more not shown" in block_text(view)
    assert len(view["blocks"]) <= 100
