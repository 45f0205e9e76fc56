"""Changes to committed orders without Slack: the record, the acknowledgements and their clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlmodel import Session

from storage import after_commit_repo as store
from storage.models import ChangeAck, DueItem, OrderChange, OrderEvent, OrderStatus
from tests.conftest import MANAGER, OUTSIDER, PRODUCTION_A, PRODUCTION_B, SALES, SUPPLY, make_config
from tests.unit.test_after_commit import MEMBERS, committed, refused
from tests.unit.test_orders import NOW, FakeDirectory, awaiting_commitment, ctx, outbox, session  # noqa: F401
from workflows import after_commit, changes, due
from workflows.context import Context
from workflows.enums import Act

EDIT = changes.Edit(quantity=300, delivery_date=date(2026, 12, 20), reason="Customer asked")


def change(session: Session, *, actor: str = SALES, now: datetime = NOW, edit: changes.Edit = EDIT):  # noqa: ANN201, F811
    order = committed(session)
    return changes.change_order(session, ctx(now), actor=actor, order_id=order.id, edit=edit)


def acks(session: Session) -> dict[str, ChangeAck]:  # noqa: F811
    return {a.team: a for a in session.execute(select(ChangeAck).order_by(ChangeAck.id)).scalars()}


def events(session: Session, kind: str) -> list[OrderEvent]:  # noqa: F811
    return list(session.execute(select(OrderEvent).where(OrderEvent.kind == kind)).scalars())


def sweep(session: Session, now: datetime) -> list[str]:  # noqa: F811
    return sorted(
        line for line in due.run_due(session, ctx(now), team_members=MEMBERS) if line.startswith("ack:")
    )


def test_a_change_records_before_and_after_and_updates_the_order(session) -> None:  # noqa: ANN001, F811
    order = change(session)
    recorded = session.execute(select(OrderChange)).scalar_one()
    assert recorded.before == {"quantity": 250, "committed_date": "2026-12-16"}
    assert recorded.after == {"quantity": 300, "committed_date": "2026-12-20"}
    assert (recorded.requested_by, recorded.reason) == (SALES, "Customer asked")
    assert (order.quantity, order.committed_date) == (300, date(2026, 12, 20))
    assert events(session, "changed")[0].data["change_id"] == recorded.id
    assert ("post", "change", f"order:1:change:{recorded.id}") in outbox(session)


def test_both_teams_must_acknowledge_within_the_24_hour_clock(session) -> None:  # noqa: ANN001, F811
    change(session)
    asked = acks(session)
    assert sorted(asked) == ["production", "supply"]
    assert all(a.due_at == NOW + timedelta(hours=24) and a.acked_at is None for a in asked.values())
    items = {
        i.key: i.due_at for i in session.execute(select(DueItem).where(DueItem.key.like("ack:%"))).scalars()
    }
    assert items == {
        "ack:1:remind": NOW + timedelta(hours=20),
        "ack:1:escalate": NOW + timedelta(hours=24),
        "ack:2:remind": NOW + timedelta(hours=20),
        "ack:2:escalate": NOW + timedelta(hours=24),
    }


def test_the_clock_follows_the_working_calendar(session) -> None:  # noqa: ANN001, F811
    committed(session)
    config = make_config(
        sla={"confirm_within_hours": 24, "remind_before_hours": 4, "working_hours": "09:00-17:00"}
    )
    weekday = Context(config, FakeDirectory({}), NOW)  # Wed 25 Nov 09:00 local: three 8-hour days
    changes.change_order(session, weekday, actor=SALES, order_id=1, edit=EDIT)
    assert acks(session)["production"].due_at == datetime(2026, 11, 27, 9, 0, tzinfo=UTC)  # Fri 17:00 local


def test_a_change_that_changes_nothing_is_refused(session) -> None:  # noqa: ANN001, F811
    same = changes.Edit(quantity=250, delivery_date=date(2026, 12, 16), reason="typo")
    with refused("nothing_to_change"):
        change(session, edit=same)
    assert session.execute(select(OrderChange)).first() is None


@pytest.mark.parametrize("user", [PRODUCTION_A, SUPPLY, MANAGER, OUTSIDER])
def test_only_sales_changes_a_committed_order(session, user) -> None:  # noqa: ANN001, F811
    with refused("not_sales", act=Act.CHANGE_ORDER):
        change(session, actor=user)


def test_a_second_change_waits_until_both_teams_acknowledged_the_first(session) -> None:  # noqa: ANN001, F811
    change(session)
    later = changes.Edit(quantity=320, delivery_date=date(2026, 12, 22), reason="Again")
    pending = {"order": "CO-0001", "user": "U01", "at": "2026-11-25 09:00 Asia/Shanghai"}
    with refused("change_pending", teams=("production", "supply"), **pending):
        changes.change_order(session, ctx(), actor=SALES, order_id=1, edit=later)
    changes.acknowledge(session, ctx(), actor=PRODUCTION_A, ack_id=acks(session)["production"].id)
    with refused("change_pending", teams=("supply",), **pending):
        changes.change_order(session, ctx(), actor=SALES, order_id=1, edit=later)
    changes.acknowledge(session, ctx(), actor=SUPPLY, ack_id=acks(session)["supply"].id)
    order = changes.change_order(session, ctx(), actor=SALES, order_id=1, edit=later)
    assert order.quantity == 320 and len(events(session, "changed")) == 2


def test_only_committed_orders_are_changed_this_way(session) -> None:  # noqa: ANN001, F811
    awaiting_commitment(session)
    with refused("not_committed_cannot_change", order="CO-0001", status=OrderStatus.AWAITING_COMMITMENT):
        changes.change_order(session, ctx(), actor=SALES, order_id=1, edit=EDIT)


def test_a_delivered_order_cannot_be_changed(session) -> None:  # noqa: ANN001, F811
    committed(session)
    after_commit.record_delivery(session, ctx(), actor=SALES, order_id=1, delivered=NOW.date())
    with refused("delivered_cannot_change", order="CO-0001", delivered="2026-11-25"):
        changes.change_order(session, ctx(), actor=SALES, order_id=1, edit=EDIT)


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"quantity": "0"}, "quantity"),
        ({"quantity": "many"}, "quantity"),
        ({"delivery_date": date(2026, 11, 24)}, "delivery_date"),
        ({"delivery_date": None}, "delivery_date"),
        ({"reason": "  "}, "reason"),
    ],
)
def test_edit_inputs_are_checked_field_by_field(values, field) -> None:  # noqa: ANN001
    given = {"quantity": "300", "delivery_date": date(2026, 12, 20), "reason": "Customer asked"} | values
    edit, errors = changes.edit_input(**given, today=NOW.date())
    assert edit is None and list(errors) == [field]


def test_acknowledging_is_for_the_team_and_happens_once(session) -> None:  # noqa: ANN001, F811
    change(session)
    production = acks(session)["production"]
    with refused("not_in_team", team="production", act=Act.ACKNOWLEDGE_CHANGE, by_group=True):
        changes.acknowledge(session, ctx(), actor=SUPPLY, ack_id=production.id)
    changes.acknowledge(session, ctx(NOW + timedelta(hours=1)), actor=PRODUCTION_B, ack_id=production.id)
    assert (production.acked_by, production.late) == (PRODUCTION_B, False)
    with refused(
        "change_already_acknowledged", user="U06", team="production", at="2026-11-25 10:00 Asia/Shanghai"
    ):
        changes.acknowledge(session, ctx(), actor=PRODUCTION_A, ack_id=production.id)
    assert [e.data["team"] for e in events(session, "change_acknowledged")] == ["production"]


def test_a_late_acknowledgement_is_accepted_and_marked_late(session) -> None:  # noqa: ANN001, F811
    change(session)
    supply = acks(session)["supply"]
    changes.acknowledge(session, ctx(NOW + timedelta(hours=30)), actor=SUPPLY, ack_id=supply.id)
    assert supply.late is True and store.pending_change(session, 1) is not None  # production still owes it


def test_reminder_then_escalation_each_once_with_a_recorded_breach(session) -> None:  # noqa: ANN001, F811
    change(session)
    assert sweep(session, NOW + timedelta(hours=19)) == []
    assert sweep(session, NOW + timedelta(hours=20)) == [
        "ack:1:remind: sent: thread reminder and 2 direct message(s)",
        "ack:2:remind: sent: thread reminder and 1 direct message(s)",
    ]
    assert sweep(session, NOW + timedelta(hours=24)) == [
        "ack:1:escalate: sent: escalated to managers",
        "ack:2:escalate: sent: escalated to managers",
    ]
    assert sweep(session, NOW + timedelta(days=5)) == []
    assert sorted(e.data["team"] for e in events(session, "change_breached")) == ["production", "supply"]
    assert all(a.escalated_at == NOW + timedelta(hours=24) for a in acks(session).values())
    kinds = [kind for _, kind, _ in outbox(session)]
    assert kinds.count("change_reminder") == 2 and kinds.count("change_reminder_dm") == 3
    assert kinds.count("change_escalation") == 2


def test_an_acknowledged_change_is_neither_reminded_nor_escalated(session) -> None:  # noqa: ANN001, F811
    change(session)
    for team, user in (("production", PRODUCTION_A), ("supply", SUPPLY)):
        changes.acknowledge(session, ctx(), actor=user, ack_id=acks(session)[team].id)
    result = sweep(session, NOW + timedelta(hours=30))
    assert len(result) == 4 and all(line.endswith("skipped: acknowledged") for line in result)
    assert store.pending_change(session, 1) is None


def test_after_downtime_the_escalation_goes_out_without_a_stale_reminder(session) -> None:  # noqa: ANN001, F811
    change(session)
    result = sweep(session, NOW + timedelta(hours=30))
    assert [line.split(": ", 1)[1] for line in result] == [
        "sent: escalated to managers",
        "skipped: the deadline passed too; the escalation covers it",
        "sent: escalated to managers",
        "skipped: the deadline passed too; the escalation covers it",
    ]


def test_a_delivered_order_stops_the_clock(session) -> None:  # noqa: ANN001, F811
    change(session)
    after_commit.record_delivery(session, ctx(), actor=SALES, order_id=1, delivered=NOW.date())
    result = sweep(session, NOW + timedelta(hours=30))
    assert len(result) == 4 and all(line.endswith("skipped: order delivered") for line in result)
    assert events(session, "change_breached") == []
