"""The order loop's rules without Slack: a real database session, a fake directory, an injected now."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlmodel import Session

from storage import repo
from storage.models import ConfirmationRequest, Order, OrderStatus, OutboxMessage
from tests.conftest import MANAGER, OUTSIDER, PRODUCTION_A, PRODUCTION_B, SALES, SUPPLY, make_config
from workflows import orders
from workflows.enums import Act
from workflows.inputs import OrderFields, ProductionAnswer, SupplyAnswer
from workflows.orders import Context
from workflows.permissions import Refusal

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)  # 09:00 on Wednesday 25 Nov in Asia/Shanghai


@contextmanager
def refused(code: str, **data: object) -> Iterator[None]:
    """The rule refuses with this code and (at least) this data; bot/ words it."""
    with pytest.raises(Refusal) as caught:
        yield
    assert caught.value.code == code, (caught.value.code, caught.value.data)
    assert {k: caught.value.data.get(k) for k in data} == data, caught.value.data


TODAY = date(2026, 11, 25)


class FakeDirectory:
    def __init__(self, groups: dict[str, set[str]]) -> None:
        self.groups = groups

    def expand(self, ids: list[str]) -> set[str]:
        users: set[str] = set()
        for member in ids:
            users |= self.groups.get(member, set()) if member.startswith("S") else {member}
        return users


@pytest.fixture
def session(engine) -> Iterator[Session]:  # noqa: ANN001
    with Session(engine, expire_on_commit=False) as session:
        yield session


def ctx(now: datetime = NOW) -> Context:
    return Context(make_config(), FakeDirectory({"S02": {PRODUCTION_A, PRODUCTION_B}}), now)


def fields(**overrides: object) -> OrderFields:
    values = {
        "customer": "ACME",
        "product": "GBX-100",
        "quantity": 250,
        "requested_date": date(2026, 12, 20),
        "specification": "Steel",
    }
    return OrderFields(**(values | overrides))


def outbox(session: Session, since: int = 0) -> list[tuple[str, str, str]]:
    rows = session.execute(select(OutboxMessage).where(OutboxMessage.id > since).order_by(OutboxMessage.id))
    return [(m.op, m.kind, m.target_key) for m in rows.scalars()]


def last_outbox_id(session: Session) -> int:
    return max([m.id for m in session.execute(select(OutboxMessage)).scalars()], default=0)


def requests(session: Session, order: Order) -> dict[str, ConfirmationRequest]:
    return repo.current_requests(session, order)


def yes_production(days: int = 10) -> ProductionAnswer:
    return ProductionAnswer(True, days, "")


def yes_supply(arrival: date = date(2026, 12, 5)) -> SupplyAnswer:
    return SupplyAnswer(True, arrival, "")


def answer(session: Session, order: Order, team: str, reply, user: str | None = None, now: datetime = NOW):  # noqa: ANN001, ANN201
    user = user or (PRODUCTION_A if team == "production" else SUPPLY)
    request = requests(session, order)[team]
    return orders.answer_request(session, ctx(now), actor=user, request_id=request.id, answer=reply)


def registered(session: Session, **overrides: object) -> Order:
    return orders.register_order(session, ctx(), actor=SALES, fields=fields(**overrides))


def awaiting_commitment(session: Session) -> Order:
    order = registered(session)
    answer(session, order, "production", yes_production())
    return answer(session, order, "supply", yes_supply())


def declined(session: Session) -> Order:
    order = registered(session)
    return answer(session, order, "production", ProductionAnswer(False, None, "Booked"))


# -- registering --------------------------------------------------------------------------


def test_registering_numbers_the_order_and_asks_both_teams_with_a_24_hour_deadline(session) -> None:  # noqa: ANN001
    order = registered(session)
    assert (order.number, order.status, order.revision, order.salesperson) == (
        "CO-0001",
        OrderStatus.AWAITING_CONFIRMATION,
        1,
        SALES,
    )
    asked = requests(session, order)
    assert sorted(asked) == ["production", "supply"]
    assert all(r.due_at == NOW + timedelta(hours=24) and r.requested_at == NOW for r in asked.values())


def test_registering_queues_the_card_then_both_requests_in_its_thread(session) -> None:  # noqa: ANN001
    order = registered(session)
    rows = session.execute(select(OutboxMessage).order_by(OutboxMessage.id)).scalars().all()
    assert [(m.op, m.kind, m.target_key) for m in rows] == [
        ("post", "order_card", "order:1:card"),
        ("post", "request", "order:1:r1:production"),
        ("post", "request", "order:1:r1:supply"),
    ]
    assert rows[0].channel == make_config().orders_channel
    assert all(m.thread_key == "order:1:card" and m.stream == f"order:{order.id}" for m in rows[1:])


@pytest.mark.parametrize("user", [PRODUCTION_A, SUPPLY, OUTSIDER])
def test_only_sales_or_a_manager_may_register(session, user) -> None:  # noqa: ANN001
    with refused("cannot_register"):
        orders.register_order(session, ctx(), actor=user, fields=fields())
    assert session.execute(select(Order)).first() is None
    assert outbox(session) == []


def test_a_manager_may_register_and_becomes_the_salesperson(session) -> None:  # noqa: ANN001
    order = orders.register_order(session, ctx(), actor=MANAGER, fields=fields())
    assert order.salesperson == MANAGER


# -- answering ----------------------------------------------------------------------------


def test_an_answer_updates_its_request_echoes_it_and_updates_the_card(session) -> None:  # noqa: ANN001
    order = registered(session)
    mark = last_outbox_id(session)
    answer(session, order, "production", yes_production(), user=PRODUCTION_B)
    queued = outbox(session, mark)
    assert [(op, kind) for op, kind, _ in queued] == [
        ("update", "request"),
        ("post", "answer_echo"),
        ("update", "order_card"),
    ]
    assert queued[0][2] == "order:1:r1:production" and queued[1][2].startswith("order:1:note:")
    request = requests(session, order)["production"]
    assert (request.answered_by, request.answered_at, request.lead_time_days, request.late) == (
        PRODUCTION_B,
        NOW,
        10,
        False,
    )
    assert order.status == OrderStatus.AWAITING_CONFIRMATION


def test_an_answer_after_the_deadline_is_recorded_as_late(session) -> None:  # noqa: ANN001
    order = registered(session)
    answer(session, order, "supply", yes_supply(), now=NOW + timedelta(hours=24, seconds=1))
    assert requests(session, order)["supply"].late is True


def test_both_yes_await_commitment_and_queue_a_commit_prompt_with_the_feasible_date(session) -> None:  # noqa: ANN001
    order = awaiting_commitment(session)
    assert order.status == OrderStatus.AWAITING_COMMITMENT
    prompt = session.execute(select(OutboxMessage).where(OutboxMessage.kind == "commit_prompt")).scalar_one()
    assert prompt.target_key == "order:1:r1:commit"
    assert prompt.params["feasible"] == "2026-12-15"  # 5 Dec + 10 days


def test_a_no_declines_retires_the_other_request_and_queues_the_declined_prompt(session) -> None:  # noqa: ANN001
    order = registered(session)
    mark = last_outbox_id(session)
    answer(session, order, "supply", SupplyAnswer(False, None, "Alloy unavailable"))
    assert order.status == OrderStatus.DECLINED
    assert requests(session, order)["production"].superseded is True
    kinds = [(op, kind) for op, kind, _ in outbox(session, mark)]
    assert ("update", "request") in kinds and ("post", "declined_prompt") in kinds
    assert kinds.count(("update", "request")) == 2  # supply's answered, production's retired


@pytest.mark.parametrize(
    ("team", "user"), [("production", SUPPLY), ("production", SALES), ("supply", PRODUCTION_A)]
)
def test_only_the_asked_team_may_answer(session, team, user) -> None:  # noqa: ANN001
    order = registered(session)
    mark = last_outbox_id(session)
    reply = yes_production() if team == "production" else yes_supply()
    with refused("not_in_team", team=team, act=Act.ANSWER):
        answer(session, order, team, reply, user=user)
    assert requests(session, order)[team].answered_at is None
    assert outbox(session, mark) == []


def test_a_second_answer_is_refused_naming_who_answered_and_when(session) -> None:  # noqa: ANN001
    order = registered(session)
    answer(session, order, "production", yes_production(), user=PRODUCTION_A)
    with refused("already_answered", by="U05", team="production", at="2026-11-25 09:00 Asia/Shanghai"):
        answer(session, order, "production", ProductionAnswer(False, None, "no"), user=PRODUCTION_B)
    assert requests(session, order)["production"].can_do is True


def test_an_answer_of_the_wrong_kind_is_refused(session) -> None:  # noqa: ANN001
    order = registered(session)
    with refused("answer_mismatch", team="supply"):
        answer(session, order, "supply", yes_production(), user=SUPPLY)


def test_an_unknown_request_is_refused(session) -> None:  # noqa: ANN001
    with refused("request_gone"):
        orders.check_can_answer(session, ctx(), actor=PRODUCTION_A, request_id=999)


# -- feasible and suggested dates ---------------------------------------------------------


def answered_requests(lead: int | None, arrival: date | None) -> dict[str, ConfirmationRequest]:
    common = {"order_id": 1, "revision": 1, "requested_at": NOW, "due_at": NOW, "can_do": True}
    return {
        "production": ConfirmationRequest(team="production", lead_time_days=lead, **common),
        "supply": ConfirmationRequest(team="supply", material_date=arrival, **common),
    }


@pytest.mark.parametrize(
    ("lead", "arrival", "feasible"),
    [
        (10, date(2026, 12, 5), date(2026, 12, 15)),  # materials later than today
        (10, date(2026, 11, 25), date(2026, 12, 5)),  # materials today
        (3, date(2026, 11, 20), date(2026, 11, 28)),  # materials already here: today counts
        (0, date(2027, 1, 1), date(2027, 1, 1)),
    ],
)
def test_earliest_feasible_is_the_later_of_today_and_materials_plus_lead_days(
    lead, arrival, feasible
) -> None:  # noqa: ANN001
    assert orders.earliest_feasible(ctx(), answered_requests(lead, arrival)) == feasible


def test_earliest_feasible_is_unknown_until_both_said_yes() -> None:
    reqs = answered_requests(10, date(2026, 12, 5))
    reqs["supply"].can_do = False
    assert orders.earliest_feasible(ctx(), reqs) is None
    assert orders.earliest_feasible(ctx(), {"production": reqs["production"]}) is None


def test_earliest_feasible_uses_today_in_the_configured_zone() -> None:
    late_evening_utc = datetime(2026, 11, 25, 17, 0, tzinfo=UTC)  # already 26 Nov in Shanghai
    assert orders.earliest_feasible(ctx(late_evening_utc), answered_requests(1, None)) == date(2026, 11, 27)


@pytest.mark.parametrize(
    ("requested", "suggested"),
    [(date(2026, 12, 1), date(2026, 12, 15)), (date(2026, 12, 31), date(2026, 12, 31))],
)
def test_the_suggested_commit_date_is_the_later_of_requested_and_feasible(requested, suggested) -> None:  # noqa: ANN001
    order = Order(
        customer="A",
        product="P",
        quantity=1,
        requested_date=requested,
        salesperson=SALES,
        created_at=NOW,
        updated_at=NOW,
    )
    assert orders.suggested_commit_date(ctx(), order, answered_requests(10, date(2026, 12, 5))) == suggested


# -- committing ---------------------------------------------------------------------------


def test_committing_records_the_date_and_queues_the_notice(session) -> None:  # noqa: ANN001
    order = awaiting_commitment(session)
    mark = last_outbox_id(session)
    orders.commit_order(
        session, ctx(), actor=SALES, order_id=order.id, revision=1, committed=date(2026, 12, 20), notes="ok"
    )
    assert (order.status, order.committed_date, order.committed_by) == (
        OrderStatus.COMMITTED,
        date(2026, 12, 20),
        SALES,
    )
    queued = outbox(session, mark)
    assert queued[0] == ("update", "commit_prompt", "order:1:r1:commit")
    assert queued[1][:2] == ("post", "committed")
    pending_card_updates = session.execute(
        select(OutboxMessage).where(
            OutboxMessage.kind == "order_card", OutboxMessage.op == "update", OutboxMessage.sent_at.is_(None)
        )
    ).all()
    assert len(pending_card_updates) == 1  # one pending update renders the latest state; no pile-up


@pytest.mark.parametrize("user", [PRODUCTION_A, SUPPLY, OUTSIDER])
def test_only_sales_may_commit(session, user) -> None:  # noqa: ANN001
    order = awaiting_commitment(session)
    with refused("not_sales", act=Act.COMMIT):
        orders.check_can_commit(session, ctx(), actor=user, order_id=order.id, revision=1)


def test_committing_before_both_answers_is_refused(session) -> None:  # noqa: ANN001
    order = registered(session)
    with refused("not_awaiting_commitment", order="CO-0001", status=OrderStatus.AWAITING_CONFIRMATION):
        orders.check_can_commit(session, ctx(), actor=SALES, order_id=order.id, revision=1)


def test_committing_twice_is_refused_and_keeps_the_first_date(session) -> None:  # noqa: ANN001
    order = awaiting_commitment(session)
    first = date(2026, 12, 20)
    orders.commit_order(session, ctx(), actor=SALES, order_id=order.id, revision=1, committed=first, notes="")
    with refused("already_committed", order="CO-0001", date="2026-12-20", by=SALES):
        orders.commit_order(
            session, ctx(), actor=SALES, order_id=order.id, revision=1, committed=date(2027, 1, 5), notes=""
        )
    assert order.committed_date == first


def test_committing_an_unknown_order_is_refused(session) -> None:  # noqa: ANN001
    with refused("order_gone"):
        orders.check_can_commit(session, ctx(), actor=SALES, order_id=42, revision=1)


# -- revising -----------------------------------------------------------------------------


def test_revising_asks_again_with_a_fresh_deadline_and_retires_the_old_requests(session) -> None:  # noqa: ANN001
    order = declined(session)
    later = NOW + timedelta(hours=6)
    mark = last_outbox_id(session)
    orders.revise_order(
        session,
        Context(ctx().config, ctx().directory, later),
        actor=SALES,
        order_id=order.id,
        revision=1,
        fields=fields(quantity=300),
    )
    assert (order.revision, order.status, order.quantity) == (2, OrderStatus.AWAITING_CONFIRMATION, 300)
    fresh = requests(session, order)
    assert all(r.revision == 2 and r.due_at == later + timedelta(hours=24) for r in fresh.values())
    queued = outbox(session, mark)
    assert ("update", "declined_prompt", "order:1:r1:declined") in queued
    assert ("post", "request", "order:1:r2:production") in queued
    assert ("post", "request", "order:1:r2:supply") in queued
    assert any(kind == "revised" for _, kind, _ in queued)


def test_revising_an_order_with_an_open_request_retires_it(session) -> None:  # noqa: ANN001
    order = registered(session)
    answer(session, order, "production", yes_production())
    orders.revise_order(session, ctx(), actor=SALES, order_id=order.id, revision=1, fields=fields())
    old = {r.team: r for r in repo.requests_for(session, order, revision=1)}
    assert old["supply"].superseded is True and old["production"].superseded is False


def test_revising_a_stale_revision_is_refused(session) -> None:  # noqa: ANN001
    order = declined(session)
    orders.revise_order(session, ctx(), actor=SALES, order_id=order.id, revision=1, fields=fields())
    with refused("already_revised", order="CO-0001", revision=2):
        orders.revise_order(session, ctx(), actor=SALES, order_id=order.id, revision=1, fields=fields())
    assert order.revision == 2


@pytest.mark.parametrize("user", [PRODUCTION_A, SUPPLY, OUTSIDER])
def test_only_sales_may_revise(session, user) -> None:  # noqa: ANN001
    order = declined(session)
    with refused("not_sales", act=Act.REVISE):
        orders.revise_order(session, ctx(), actor=user, order_id=order.id, revision=1, fields=fields())
    assert order.revision == 1


def test_a_committed_order_cannot_be_revised(session) -> None:  # noqa: ANN001
    order = awaiting_commitment(session)
    orders.commit_order(
        session, ctx(), actor=SALES, order_id=order.id, revision=1, committed=date(2026, 12, 20), notes=""
    )
    with refused("order_closed", status=OrderStatus.COMMITTED, act=Act.REVISE):
        orders.revise_order(session, ctx(), actor=SALES, order_id=order.id, revision=1, fields=fields())


def test_an_answer_to_a_superseded_request_is_refused(session) -> None:  # noqa: ANN001
    order = declined(session)
    old_supply = requests(session, order)["supply"]
    orders.revise_order(session, ctx(), actor=SALES, order_id=order.id, revision=1, fields=fields())
    with refused("request_superseded", order="CO-0001", revision=2):
        orders.answer_request(session, ctx(), actor=SUPPLY, request_id=old_supply.id, answer=yes_supply())
    assert order.status == OrderStatus.AWAITING_CONFIRMATION


# -- cancelling ---------------------------------------------------------------------------


def test_cancelling_retires_open_requests_and_queues_the_notice(session) -> None:  # noqa: ANN001
    order = registered(session)
    mark = last_outbox_id(session)
    orders.cancel_order(session, ctx(), actor=SALES, order_id=order.id, revision=1)
    assert (order.status, order.cancelled_by) == (OrderStatus.CANCELLED, SALES)
    assert all(r.superseded for r in requests(session, order).values())
    queued = outbox(session, mark)
    assert queued.count(("update", "request", "order:1:r1:production")) == 1
    assert queued.count(("update", "request", "order:1:r1:supply")) == 1
    assert any(kind == "cancelled" for _, kind, _ in queued)
    assert ("update", "order_card", "order:1:card") in queued


def test_cancelling_a_declined_order_updates_its_declined_prompt(session) -> None:  # noqa: ANN001
    order = declined(session)
    mark = last_outbox_id(session)
    orders.cancel_order(session, ctx(), actor=SALES, order_id=order.id, revision=1)
    assert ("update", "declined_prompt", "order:1:r1:declined") in outbox(session, mark)


def test_a_cancelled_order_cannot_be_answered_cancelled_again_or_revised(session) -> None:  # noqa: ANN001
    order = registered(session)
    production = requests(session, order)["production"]
    orders.cancel_order(session, ctx(), actor=SALES, order_id=order.id, revision=1)
    mark = last_outbox_id(session)
    with pytest.raises(Refusal):
        orders.answer_request(
            session, ctx(), actor=PRODUCTION_A, request_id=production.id, answer=yes_production()
        )
    with refused("order_closed", status=OrderStatus.CANCELLED, act=Act.CANCEL):
        orders.cancel_order(session, ctx(), actor=SALES, order_id=order.id, revision=1)
    with refused("order_closed", status=OrderStatus.CANCELLED, act=Act.REVISE):
        orders.revise_order(session, ctx(), actor=SALES, order_id=order.id, revision=1, fields=fields())
    assert outbox(session, mark) == []


@pytest.mark.parametrize("user", [PRODUCTION_A, SUPPLY, OUTSIDER])
def test_only_sales_may_cancel(session, user) -> None:  # noqa: ANN001
    order = declined(session)
    with refused("not_sales", act=Act.CANCEL):
        orders.cancel_order(session, ctx(), actor=user, order_id=order.id, revision=1)
    assert order.status == OrderStatus.DECLINED


def test_cancelling_from_a_stale_revision_is_refused(session) -> None:  # noqa: ANN001
    order = declined(session)
    orders.revise_order(session, ctx(), actor=SALES, order_id=order.id, revision=1, fields=fields())
    with refused("revised_since", order="CO-0001", revision=2):
        orders.cancel_order(session, ctx(), actor=SALES, order_id=order.id, revision=1)
    assert order.status == OrderStatus.AWAITING_CONFIRMATION


def test_a_refusal_says_where_membership_comes_from() -> None:
    from workflows.permissions import require_member

    class NoGroups:
        def expand(self, member_ids: list[str]) -> set[str]:
            return set()

    config = make_config()  # production is the user group S02, supply a list of people
    with refused("not_in_team", team="production", by_group=True):
        require_member(config, NoGroups(), "U99", "production", Act.ANSWER)
    with refused("not_in_team", team="supply", by_group=False):
        require_member(config, NoGroups(), "U99", "supply", Act.ANSWER)
