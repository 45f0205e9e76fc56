"""The commit prompt and the commit form use the capacity-aware earliest date (issue 12 §2):
the approved plan's month has too little left, so the earliest date moves to the next month,
and the reasoning is shown in one line; the form also shows what the requested month has left."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.ids import Action
from storage.review_models import ReviewPlan
from tests.conftest import MANAGER, SALES
from tests.e2e.test_pseudo_orders import keyed, new_order, press
from tests.helpers import get_order, mrkdwn_texts


def approve_plans(bot, *months: tuple[str, int]) -> None:  # noqa: ANN001
    """Approved plans for GBX-100 (agreed, capacity target 5% above), as the review stores them."""
    with bot.svc.session() as session:
        for month, agreed in months:
            rows = [{"product": "GBX-100", "agreed": agreed, "capacity_target": agreed * 105 // 100}]
            session.add(
                ReviewPlan(
                    month=month, rows=rows, approved_by=MANAGER, approved_at=datetime(2026, 11, 1, tzinfo=UTC)
                )
            )


def confirm(bot, number: int, **values: object):  # noqa: ANN001, ANN201
    """Register an order and have both teams say yes (materials 5 Dec, lead time 10 days)."""
    assert new_order(bot, **values).status == 200
    for user, team in (("U05", "production"), ("U03", "supply")):
        assert press(bot, user, keyed(bot, f"order:{number}:r1:{team}"), Action.ANSWER).status == 200
        fields = (
            {"can_do": "yes", "lead_time_days": "10", "notes": ""}
            if team == "production"
            else {"can_do": "yes", "material_date": "2026-12-05", "notes": ""}
        )
        assert bot.slack.submit(user, bot.slack.last_view(), fields).status == 200
    return keyed(bot, f"order:{number}:r1:commit")


def commit(bot, number: int, day: str) -> None:  # noqa: ANN001
    assert press(bot, SALES, keyed(bot, f"order:{number}:r1:commit"), Action.COMMIT).status == 200
    reply = bot.slack.submit(SALES, bot.slack.last_view(), {"committed_date": day, "notes": ""})
    assert reply.status == 200 and b"errors" not in reply.body, reply.body


def test_a_full_month_moves_the_earliest_date_and_says_why(bot) -> None:  # noqa: ANN001
    approve_plans(bot, ("2026-12", 900), ("2027-01", 900))
    confirm(bot, 1, quantity="800")
    commit(bot, 1, "2026-12-20")  # December: 100 of 900 left
    prompt = confirm(bot, 2, quantity="250", customer="Globex")
    texts = mrkdwn_texts(prompt)
    assert "Earliest feasible delivery: *Fri 01 Jan 2027*" in texts[1]
    assert (
        ":bar_chart: December 2026 plan for GBX-100: 100 of 900 left; January 2027: 900 of 900 left"
        " → earliest Fri 01 Jan 2027"
    ) in texts
    assert press(bot, SALES, prompt, Action.COMMIT).status == 200
    form = bot.slack.last_view()
    shown = [e["text"] for b in form["blocks"] if b["type"] == "context" for e in b["elements"]]
    assert "Earliest feasible: 2027-01-01 · requested by the customer: 2026-12-20" in shown
    assert any(t.startswith(":bar_chart: December 2026 plan for GBX-100: 100 of 900 left;") for t in shown)
    assert "Available for GBX-100 in December 2026: 100 of 900 agreed." in shown
    committed = next(b for b in form["blocks"] if b.get("block_id") == "committed_date")
    assert committed["element"]["initial_date"] == "2027-01-01"  # the later of requested and earliest


def test_a_month_without_an_approved_plan_does_not_constrain_and_says_so(bot) -> None:  # noqa: ANN001
    prompt = confirm(bot, 1, quantity="5000")
    texts = mrkdwn_texts(prompt)
    assert "Earliest feasible delivery: *Tue 15 Dec 2026*" in texts[1]
    assert ":bar_chart: no approved plan for December 2026 → earliest Tue 15 Dec 2026" in texts
    assert press(bot, SALES, prompt, Action.COMMIT).status == 200
    shown = str(bot.slack.last_view()["blocks"])
    assert "No approved plan for GBX-100 in December 2026: the plan does not limit it." in shown


def test_a_product_on_no_line_keeps_the_plain_earliest_date(bot) -> None:  # noqa: ANN001
    approve_plans(bot, ("2026-12", 10))
    prompt = confirm(bot, 1, quantity="250", product="Special gearbox")
    assert get_order(bot).line is None
    texts = mrkdwn_texts(prompt)
    assert "Earliest feasible delivery: *Tue 15 Dec 2026*" in texts[1]
    assert not any(":bar_chart:" in t for t in texts)
