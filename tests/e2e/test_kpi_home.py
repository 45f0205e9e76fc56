"""`/kpi [YYYY-MM]` and the App Home tab, through signed requests against the Slack stand-in."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.ids import Action, AfterCommit
from storage.models import OrderStatus, Problem
from tests.conftest import MANAGER, PRODUCTION_A, SALES, SUPPLY
from tests.e2e.test_order_loop import register
from tests.unit.test_digest import add_change, add_order, add_request, post_card

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # the bot's clock: Wed 25 Nov 2026, 09:00 in Shanghai


def kpi(bot, text: str = "") -> dict:  # noqa: ANN001
    reply = bot.slack.command(SALES, text, command="/kpi")
    assert reply.status == 200
    return reply.json()


def block_text(payload: dict) -> str:
    return "\n".join(
        b.get("text", {}).get("text", "") or " ".join(e.get("text", "") for e in b.get("elements", []))
        for b in payload["blocks"]
    )


def recorded_november(bot) -> None:  # noqa: ANN001
    """Production answered one request on time and supply missed one; one order delivered late."""
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


def test_kpi_shows_this_month_and_the_month_before_privately(bot) -> None:  # noqa: ANN001
    recorded_november(bot)
    reply = kpi(bot)
    assert reply.get("response_type") != "in_channel"
    text = block_text(reply)
    assert "*Shared KPIs · November 2026* (compared with October 2026)" in text
    assert "Confirmation within 24 hours · production: *100% (1 of 1)*" in text
    assert "Confirmation within 24 hours · supply: *0% (0 of 1)*" in text
    assert "On-time delivery: *0% (0 of 1)*" in text
    assert "Median time to commitment: *2d 0h (over 1 order)*" in text
    assert "_October 2026: — (nothing to count)_" in text


def test_kpi_for_a_given_month_compares_with_the_one_before(bot) -> None:  # noqa: ANN001
    recorded_november(bot)
    text = block_text(kpi(bot, "2026-12"))
    assert "*Shared KPIs · December 2026* (compared with November 2026)" in text
    assert "_November 2026: 100% (1 of 1)_" in text


def test_kpi_with_a_bad_month_explains_the_format(bot) -> None:  # noqa: ANN001
    text = block_text(kpi(bot, "<!channel> nov"))
    assert "is not a month I understand" in text and "`/kpi 2026-10`" in text and "<!channel>" not in text


@pytest.mark.parametrize("month", ["0001-01", "9999-12"])
def test_kpi_for_a_month_at_the_edge_of_the_calendar_explains_the_format(bot, month) -> None:  # noqa: ANN001
    assert "is not a month I understand" in block_text(kpi(bot, month))  # not "Something went wrong"


def test_review_plan_for_a_month_at_the_edge_of_the_calendar_explains_the_format(bot) -> None:  # noqa: ANN001
    reply = bot.slack.command(SALES, "plan 0000-01", command="/review")
    assert "is not a month like `2026-12`" in reply.body.decode()


def open_home(bot, user: str) -> dict:  # noqa: ANN001
    reply = bot.slack.event({"type": "app_home_opened", "user": user, "channel": "D0001", "tab": "home"})
    assert reply.status == 200
    published = [c.args for c in bot.standin.calls_to("views.publish") if c.args["user_id"] == user]
    assert published, "no Home tab was published"
    return published[-1]["view"]


def buttons(view: dict) -> list[dict]:
    return [b["accessory"] for b in view["blocks"] if "accessory" in b]


def test_home_shows_what_waits_on_the_person_with_buttons_that_work(bot) -> None:  # noqa: ANN001
    register(bot)
    view = open_home(bot, PRODUCTION_A)
    assert view["type"] == "home"
    [answer] = buttons(view)
    assert (answer["text"]["text"], answer["action_id"]) == ("Answer for production", Action.ANSWER)
    assert "*Waiting on you* (1)" in block_text(view) and "CO-0001" in block_text(view)
    assert bot.slack.home_click(PRODUCTION_A, answer["action_id"], answer["value"]).status == 200
    assert bot.slack.last_view()["callback_id"] == "request.production"  # the existing listener opened it


def test_home_lists_the_salespersons_open_orders_and_dates_to_commit(bot) -> None:  # noqa: ANN001
    register(bot)
    with bot.svc.session() as session:
        to_commit = add_order(session, OrderStatus.AWAITING_COMMITMENT)
        post_card(session, to_commit)
    view = open_home(bot, SALES)
    text = block_text(view)
    assert "*Your open orders* (2)" in text and "CO-0001" in text
    [commit] = buttons(view)
    assert (commit["action_id"], commit["value"]) == (Action.COMMIT, f"{to_commit.id}:1")
    assert "*Shared KPIs · November 2026* (so far)" in text


def test_home_offers_resolved_for_the_teams_open_problems_and_it_works(bot) -> None:  # noqa: ANN001
    with bot.svc.session() as session:
        order = add_order(session, OrderStatus.COMMITTED, committed_date=date(2026, 12, 16))
        post_card(session, order)
        raised = {"raised_by": SALES, "raised_at": NOW}
        session.add(Problem(order_id=order.id, team="supply", description="Wrong steel", **raised))
    view = open_home(bot, SUPPLY)
    [resolve] = buttons(view)
    assert (resolve["text"]["text"], resolve["action_id"]) == ("Resolved", AfterCommit.A_RESOLVE)
    assert "Wrong steel" in block_text(view)
    assert bot.slack.home_click(SUPPLY, resolve["action_id"], resolve["value"]).status == 200
    assert "Nothing right now" in block_text(open_home(bot, SUPPLY))  # resolved by the existing listener


def dms_to(bot, user: str) -> list[str]:  # noqa: ANN001
    return [m.text for m in bot.standin.messages(user)]


def test_a_refused_click_on_the_home_tab_is_explained_by_dm(bot, caplog) -> None:  # noqa: ANN001
    register(bot)
    [answer] = buttons(open_home(bot, PRODUCTION_A))
    # A Home-tab click has no response_url: Bolt's respond() would raise; the refusal goes by DM.
    assert bot.slack.home_click(SUPPLY, answer["action_id"], answer["value"]).status == 200
    assert any(t.startswith(":no_entry_sign: Only the production team") for t in dms_to(bot, SUPPLY))
    assert "unhandled error" not in caplog.text


def test_a_second_resolved_on_a_stale_home_tab_says_it_is_already_resolved(bot, caplog) -> None:  # noqa: ANN001
    with bot.svc.session() as session:
        order = add_order(session, OrderStatus.COMMITTED, committed_date=date(2026, 12, 16))
        post_card(session, order)
        session.add(
            Problem(
                order_id=order.id, team="supply", description="Wrong steel", raised_by=SALES, raised_at=NOW
            )
        )
    [resolve] = buttons(open_home(bot, SUPPLY))
    assert bot.slack.home_click(SUPPLY, resolve["action_id"], resolve["value"]).status == 200
    assert (
        bot.slack.home_click(SUPPLY, resolve["action_id"], resolve["value"]).status == 200
    )  # not republished
    assert any("already resolved" in t for t in dms_to(bot, SUPPLY))
    assert "unhandled error" not in caplog.text


def test_home_offers_acknowledge_for_a_pending_change(bot) -> None:  # noqa: ANN001
    with bot.svc.session() as session:
        order = add_order(session, OrderStatus.COMMITTED, committed_date=date(2026, 12, 16))
        post_card(session, order)
        add_change(session, order, {"production": None}, NOW + timedelta(hours=5))
    [ack] = buttons(open_home(bot, PRODUCTION_A))
    assert (ack["text"]["text"], ack["action_id"]) == (
        "Answer the change for production",
        AfterCommit.A_ACKNOWLEDGE,
    )


def test_home_of_someone_with_nothing_waiting(bot) -> None:  # noqa: ANN001
    text = block_text(open_home(bot, MANAGER))
    assert "Nothing right now" in text and "You have no open orders." in text


def test_home_stays_inside_a_hundred_blocks_with_a_large_backlog(bot) -> None:  # noqa: ANN001
    with bot.svc.session() as session:
        for i in range(150):
            order = add_order(session, salesperson=SALES)
            add_request(session, order, "production", NOW + timedelta(hours=i % 30 - 5))
            add_order(session, OrderStatus.AWAITING_COMMITMENT, salesperson=SALES)
    view = open_home(bot, PRODUCTION_A)
    assert len(view["blocks"]) <= 100 and bot.standin.invalid == []
    assert "125 more not shown" in block_text(view)
    assert len(open_home(bot, SALES)["blocks"]) <= 100
