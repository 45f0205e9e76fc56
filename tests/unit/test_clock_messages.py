"""The reminder and escalation messages say the configured confirmation window, not a fixed 24 hours."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.orders.reminders import escalation
from storage.models import ConfirmationRequest, Order
from tests.conftest import make_config

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


def test_the_escalation_names_the_configured_confirmation_window() -> None:
    config = make_config(sla={"confirm_within_hours": 8, "remind_before_hours": 2})
    order = Order(
        id=1,
        number="CO-0001",
        customer="ACME",
        product="GBX-100",
        quantity=5,
        requested_date=date(2026, 12, 20),
        salesperson="U01",
        created_at=NOW,
        updated_at=NOW,
    )
    request = ConfirmationRequest(id=3, order_id=1, team="supply", revision=1, requested_at=NOW, due_at=NOW)
    text = escalation(order, request, config)["blocks"][0]["text"]["text"]
    assert "8-hour confirmation rate" in text and "24-hour" not in text
