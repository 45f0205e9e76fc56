"""Issue 12 rules without Slack: correcting an answer before sales commits (who, when, old and
new; the earliest date recomputed; a flipped yes/no as a fresh answer), the promises waiting for
a manager in the digest, the type-ahead's filter and Slack's rules for an options response."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from bot.orders.modals import MAX_OPTIONS, product_options
from bot.sandbox import rules
from storage.models import OrderEvent, OrderStatus, OutboxMessage
from tests.conftest import PRODUCTION_A, SALES, SUPPLY, make_config
from tests.unit.test_digest import add_order, add_request
from tests.unit.test_orders import (
    NOW,
    answer,
    awaiting_commitment,
    ctx,
    declined,
    refused,
    requests,
    session,  # noqa: F401
)
from workflows import digest, orders
from workflows.catalogue import catalogue
from workflows.inputs import NOT_IN_CATALOGUE, ProductionAnswer, SupplyAnswer


def correct(session, order, team: str, reply, user: str | None = None):  # noqa: ANN001, ANN201, F811
    user = user or (PRODUCTION_A if team == "production" else SUPPLY)
    request = requests(session, order)[team]
    later = ctx(NOW + timedelta(hours=2))
    return orders.correct_answer(session, later, actor=user, request_id=request.id, answer=reply)


def corrections(session) -> list[OrderEvent]:  # noqa: ANN001, F811
    stmt = select(OrderEvent).where(OrderEvent.kind == "answer_corrected").order_by(OrderEvent.id)
    return list(session.execute(stmt).scalars())


def commit_prompt_updates(session) -> list[dict]:  # noqa: ANN001, F811
    stmt = select(OutboxMessage).where(OutboxMessage.op == "update", OutboxMessage.kind == "commit_prompt")
    return [m.params for m in session.execute(stmt).scalars()]


def test_a_corrected_lead_time_is_recorded_and_moves_the_earliest_date(session) -> None:  # noqa: ANN001, F811
    order = awaiting_commitment(session)  # materials 5 Dec + 10 days: 15 Dec
    first_answer = requests(session, order)["production"].answered_at
    correct(session, order, "production", ProductionAnswer(True, 14, ""))
    [event] = corrections(session)
    assert (event.actor, event.at) == (PRODUCTION_A, NOW + timedelta(hours=2))
    assert event.data["before"] == {"can_do": True, "notes": "", "lead_time_days": 10}
    assert event.data["after"] == {"can_do": True, "notes": "", "lead_time_days": 14}
    request = requests(session, order)["production"]
    assert (request.lead_time_days, request.answered_at) == (14, first_answer)  # the KPI keeps the first
    assert order.status == OrderStatus.AWAITING_COMMITMENT
    assert commit_prompt_updates(session)[-1]["feasible"] == "2026-12-19"
    assert orders.earliest_feasible(ctx(), requests(session, order)) == date(2026, 12, 19)


def test_the_same_answer_again_records_nothing(session) -> None:  # noqa: ANN001, F811
    order = awaiting_commitment(session)
    correct(session, order, "production", ProductionAnswer(True, 10, ""))
    assert corrections(session) == [] and commit_prompt_updates(session) == []


def test_a_yes_turned_into_no_declines_the_order(session) -> None:  # noqa: ANN001, F811
    order = awaiting_commitment(session)
    correct(session, order, "supply", SupplyAnswer(False, None, "Supplier closed"))
    assert order.status == OrderStatus.DECLINED
    assert commit_prompt_updates(session)[-1].get("feasible") is None  # struck out, no date


def test_a_no_turned_into_yes_reopens_the_other_teams_request(session) -> None:  # noqa: ANN001, F811
    order = declined(session)  # production said no before supply answered
    assert requests(session, order)["supply"].superseded
    correct(session, order, "production", ProductionAnswer(True, 10, ""))
    assert order.status == OrderStatus.AWAITING_CONFIRMATION
    assert not requests(session, order)["supply"].superseded
    answer(session, order, "supply", SupplyAnswer(True, date(2026, 12, 5), ""))
    assert order.status == OrderStatus.AWAITING_COMMITMENT


def test_only_the_team_that_answered_and_only_before_commitment(session) -> None:  # noqa: ANN001, F811
    order = awaiting_commitment(session)
    with refused("not_in_team", team="production"):
        correct(session, order, "production", ProductionAnswer(True, 12, ""), user=SUPPLY)
    with refused("answer_mismatch"):
        correct(session, order, "production", SupplyAnswer(True, date(2026, 12, 6), ""))
    orders.commit_order(
        session,
        ctx(),
        actor=SALES,
        order_id=order.id,
        revision=order.revision,
        committed=date(2026, 12, 20),
        notes="",
        override_reason="",
    )
    with refused("correction_after_commitment", order="CO-0001", status=OrderStatus.COMMITTED):
        correct(session, order, "production", ProductionAnswer(True, 12, ""))
    assert corrections(session) == []


def test_promises_waiting_for_a_manager_are_a_digest_section_for_managers_only(session) -> None:  # noqa: ANN001, F811
    waiting = add_order(session, OrderStatus.AWAITING_APPROVAL)
    add_request(session, waiting, "managers", NOW + timedelta(hours=3))
    decided = add_order(session, OrderStatus.COMMITTED, committed_date=date(2026, 12, 20))
    add_request(session, decided, "managers", NOW, answered_at=NOW, can_do=True)
    config = make_config()
    [part] = [s for s in digest.build(session, config, NOW).sections if s.key == "approvals"]
    assert [item.order.number for item in part.items] == [waiting.number] and part.total == 1
    assert part.items[0].due_at.replace(tzinfo=None) == (NOW + timedelta(hours=3)).replace(tzinfo=None)
    managers = digest.build(session, config, NOW, scope=digest.Scope(teams=("managers",), user=""))
    assert [s.key for s in managers.sections] == ["approvals"]
    sales = digest.build(session, config, NOW, scope=digest.Scope(teams=("sales",), user=SALES))
    assert "approvals" not in [s.key for s in sales.sections]


PRODUCTS = [{"code": f"P-{i:03d}", "name": f"Part {i}", "unit": "pcs"} for i in range(150)] + [
    {"code": "GBX-100-HD", "name": "Gearbox heavy duty", "unit": "台", "line": "GBX-100"}
]


def test_the_type_ahead_filters_by_code_and_name_within_slacks_limits() -> None:
    products = catalogue(make_config(products=PRODUCTS))
    assert [o["value"] for o in product_options(products, "gbx-100-")] == ["GBX-100-HD", NOT_IN_CATALOGUE]
    assert [o["value"] for o in product_options(products, "  HEAVY  ")] == ["GBX-100-HD", NOT_IN_CATALOGUE]
    # a code that starts with what was typed comes before one that only contains it
    assert [o["value"] for o in product_options(products, "GBX")][:2] == ["GBX-100", "GBX-100-HD"]
    many = product_options(products, "p")
    assert len(many) == MAX_OPTIONS and many[-1]["value"] == NOT_IN_CATALOGUE
    assert [o["value"] for o in product_options(products, "zzz")] == [NOT_IN_CATALOGUE]
    rules.check_options_response({"options": many})


@pytest.mark.parametrize(
    ("body", "rule"),
    [
        ({}, "needs options"),
        ({"options": [{"text": {"type": "plain_text", "text": "x"}, "value": "v"}] * 101}, "100 options"),
        ({"options": [{"text": {"type": "plain_text", "text": "x" * 76}, "value": "v"}]}, "75"),
        ({"options": [{"text": {"type": "plain_text", "text": "x"}, "value": "v" * 151}]}, "150"),
        ({"options": [{"text": {"type": "mrkdwn", "text": "x"}, "value": "v"}]}, "plain_text"),
        (
            {"option_groups": [{"options": [{"text": {"type": "plain_text", "text": "x"}, "value": ""}]}]},
            "value",
        ),
    ],
)
def test_the_stand_in_refuses_an_options_response_slack_refuses(body: dict, rule: str) -> None:
    with pytest.raises(ValueError, match=rule):
        rules.check_options_response(body)
