"""Issue 13's figures where people look, end to end: counts, output and shipments pushed through the
ERP API (and a plan approved for November), then the digest at digest time, `/kpi` and the review
agenda show them, with the figures computed by hand below."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from bot.sweep import run_due
from storage.review_models import ReviewPlan
from tests.conftest import ORDERS, PRODUCTION_A, PRODUCTION_B, SALES, SUPPLY, make_config
from tests.e2e.test_digest import dms, text_of
from tests.e2e.test_review import REVIEW_AT, agenda, post_agenda
from tests.e2e.test_review import text_of as agenda_text
from tests.e2e.test_stock_api import TOKEN, call

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # Wed 25 Nov 2026, 09:00 in Asia/Shanghai: digest time
TODAY = date(2026, 11, 25)
MATERIALS = [
    {"code": "ALLOY-A", "name": "Alloy A", "unit": "kg", "safety_stock": 2500, "per_unit": {"GBX-100": 2.5}}
]
DATA = ["ALLOY-A", "Alloy A", "GBX-100", "MTR-7", "kg"]


@pytest.fixture
def config():  # noqa: ANN201
    return make_config(materials=MATERIALS)


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("ORDERLOOP_API_TOKEN", TOKEN)
    return TOKEN


def push(bot, path: str, rows: list[dict]) -> None:  # noqa: ANN001
    answer = call(bot, path, rows)
    assert answer.status == 200, answer.body


def recorded(bot) -> None:  # noqa: ANN001
    """The ERP pushes November's record; managers approved November's plan (900 GBX-100, materials
    for 1,000) at the October review.

    - ALLOY-A: 2,050 kg counted on the 24th (safety stock 2,500).
    - GBX-100: 400 counted on 31 Oct, 600 on 10 Nov, 200 on 15 Nov, each at 50 a unit;
      20 produced every day of the 30 ending today; 1,200 shipped on the 12th.
    - MTR-7: 50 counted on 10 Nov, nothing produced or shipped."""
    bot.clock.now = NOW
    counts = [
        {"item": "ALLOY-A", "date": "2026-11-24", "quantity": 2050},
        {"item": "GBX-100", "date": "2026-10-31", "quantity": 400, "unit_cost": 50},
        {"item": "GBX-100", "date": "2026-11-10", "quantity": 600, "unit_cost": 50},
        {"item": "GBX-100", "date": "2026-11-15", "quantity": 200, "unit_cost": 50},
        {"item": "MTR-7", "date": "2026-11-10", "quantity": 50},
    ]
    push(bot, "/api/v1/stock", counts)
    days = [TODAY - timedelta(days=n) for n in range(30)]
    push(bot, "/api/v1/output", [{"line": "GBX-100", "date": d.isoformat(), "quantity": 20} for d in days])
    push(bot, "/api/v1/shipments", [{"line": "GBX-100", "date": "2026-11-12", "quantity": 1200}])
    with bot.svc.session() as session:
        session.add(
            ReviewPlan(
                month="2026-11",
                rows=[{"product": "GBX-100", "agreed": 900, "material_target": 1000}],
                approved_by="U04",
                approved_at=NOW - timedelta(days=20),
            )
        )


def channel_digest(bot):  # noqa: ANN001, ANN201
    [posted] = [m for m in bot.standin.messages(ORDERS) if m.thread_ts is None]
    return posted


def test_the_digest_lists_the_stock_that_needs_a_look(bot, token) -> None:  # noqa: ANN001
    recorded(bot)
    assert run_due(bot.svc, NOW).outcomes == [
        # supply for the alloy, both production members for the stale products; sales: nothing
        "digest:2026-11-25: sent: channel digest and 3 direct message(s)"
    ]
    text = text_of(channel_digest(bot).blocks)
    # 20 GBX-100 a day × 2.5 kg = 50 kg a day: 2,050 kg last 41 days
    assert "*:small_red_triangle_down: Stock below safety stock* (1)" in text
    assert "• *Alloy A* (ALLOY-A) · 2,050 kg on hand · safety stock 2,500 kg · *41 days of cover*" in text
    # 2,050 kg ÷ 2.5 kg = 820 gearboxes of the 1,000 the plan stocks materials for
    assert "*:package: Materials short of this month's target* (1)" in text
    assert "• *Alloy A* (ALLOY-A) covers 820 of 1,000 GBX-100 · short 180" in text
    # stale: the oldest count first (MTR-7 on the 10th, GBX-100 on the 15th); the alloy is fresh
    assert "*:hourglass: Stock counts out of date* (2)" in text
    stale = text.split("Stock counts out of date")[1]
    assert stale.index("*MTR-7*") < stale.index("*GBX-100*")
    assert "• *MTR-7* · last counted Tue 10 Nov 2026 · *15 days ago*" in stale
    assert "• *GBX-100* · last counted Sun 15 Nov 2026 · *10 days ago*" in stale
    assert "ALLOY-A" not in stale
    assert bot.standin.invalid == []


def test_each_team_sees_the_stock_it_looks_after_in_its_personal_digest(bot, token) -> None:  # noqa: ANN001
    recorded(bot)
    run_due(bot.svc, NOW)
    [supply] = dms(bot, SUPPLY)
    supply_text = text_of(supply["blocks"])
    assert supply["text"] == "Your digest: 2 stock items need a look"
    assert "covers 820 of 1,000 GBX-100 · short 180" in supply_text and "2,050 kg on hand" in supply_text
    assert "MTR-7" not in supply_text and "Stock counts out of date" not in supply_text
    for member in (PRODUCTION_A, PRODUCTION_B):
        [production] = dms(bot, member)
        production_text = text_of(production["blocks"])
        assert production["text"] == "Your digest: 2 stock items need a look"
        assert f"<@{member}> 2 stock items your team looks after need a look today" in production_text
        assert "*MTR-7* · last counted" in production_text and "*GBX-100* · last counted" in production_text
        assert "ALLOY-A" not in production_text
    assert dms(bot, SALES) == []
    assert bot.standin.invalid == []


def test_no_stock_section_while_nothing_was_ever_counted(bot) -> None:  # noqa: ANN001
    bot.clock.now = NOW
    assert run_due(bot.svc, NOW).outcomes == [
        "digest:2026-11-25: sent: channel digest and 0 direct message(s)"
    ]
    text = text_of(channel_digest(bot).blocks)
    assert "Stock" not in text and "never counted" not in text


def kpi(bot, text: str = "") -> str:  # noqa: ANN001
    reply = bot.slack.command(SALES, text, command="/kpi")
    assert reply.status == 200
    return text_of(reply.json()["blocks"])


def test_kpi_shows_productions_inventory_turnover_per_line_with_the_month_before(bot, token) -> None:  # noqa: ANN001
    recorded(bot)
    text = kpi(bot, "2026-11")
    assert "*Production · inventory turnover*" in text
    # GBX-100: counts 400 (31 Oct), 600, 200: 400 on average; 1,200 shipped ÷ 400 = 3.0 times;
    # 30 days ÷ 3 = 10 days of inventory. By value: 1,200 × 50 = 60,000 ÷ 20,000 = 3.0
    assert (
        "• Inventory turnover · GBX-100: *3.0× · 10 days of inventory (1,200 shipped, 400 on hand on average)"
        " · by value 3.0× (average stock value 20,000)*" in text
    )
    # October: the count of 31 Oct is the only one, none before October
    assert "_October 2026: — (no stock count before October 2026 to start from)_" in text
    # MTR-7: counted in November only: nothing to start from
    assert "• Inventory turnover · MTR-7: *— (no stock count before November 2026 to start from)*" in text
    assert "Inventory turnover: units shipped in the month ÷ average units on hand" in text
    # a month with no count at all in it (December has no count yet)
    assert "Inventory turnover · GBX-100: *— (no stock count in December 2026)*" in kpi(bot, "2026-12")
    assert bot.standin.invalid == []


def test_kpi_without_any_stock_record_shows_no_turnover(bot) -> None:  # noqa: ANN001
    bot.clock.now = NOW
    text = kpi(bot, "2026-11")
    assert "*Shared KPIs · November 2026*" in text and "turnover" not in text


def test_the_agenda_opens_with_last_months_plan_against_actual(bot, token) -> None:  # noqa: ANN001
    recorded(bot)
    post_agenda(bot)  # the review of 5 Dec plans January; last month is November
    assert bot.clock.now == REVIEW_AT
    text = agenda_text(agenda(bot).blocks)
    assert "*Plan against actual · November 2026* (differences against the agreed quantity)" in text
    # 20 a day from 1 to 25 November: 500 produced, 400 short of the 900 agreed; 1,200 shipped: 300 more
    assert "• GBX-100 · agreed 900 · produced 500 (−400) · shipped 1,200 (+300)" in text
    assert "• MTR-7 · no approved plan · produced 0 · shipped 0" in text
    assert text.index("Plan against actual") < text.index("Last month's KPIs")
    assert bot.standin.invalid == []


def test_the_agenda_says_when_nothing_was_planned_produced_or_shipped(bot) -> None:  # noqa: ANN001
    post_agenda(bot)
    text = agenda_text(agenda(bot).blocks)
    assert (
        "*Plan against actual · November 2026*\n"
        "_Nothing was planned, produced or shipped in November 2026 yet._" in text
    )


def home_text(bot, user: str) -> str:  # noqa: ANN001
    assert (
        bot.slack.event({"type": "app_home_opened", "user": user, "channel": "D0001", "tab": "home"}).status
        == 200
    )
    published = [c.args for c in bot.standin.calls_to("views.publish") if c.args["user_id"] == user]
    return text_of(published[-1]["view"]["blocks"])


def test_each_team_sees_the_stock_it_looks_after_on_its_home(bot, token) -> None:  # noqa: ANN001
    recorded(bot)
    supply = home_text(bot, SUPPLY)
    assert "*:small_red_triangle_down: Stock below safety stock* (1)" in supply
    assert "• *Alloy A* (ALLOY-A) covers 820 of 1,000 GBX-100 · short 180" in supply
    assert "MTR-7" not in supply
    production = home_text(bot, PRODUCTION_A)
    assert "*:hourglass: Stock counts out of date* (2)" in production and "ALLOY-A" not in production
    assert "Stock" not in home_text(bot, SALES)  # sales looks after no stock item
    assert bot.standin.invalid == []
