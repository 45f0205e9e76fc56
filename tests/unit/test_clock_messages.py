"""The reminder and escalation messages say the configured confirmation window, not a fixed 24 hours."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from bot.orders.reminders import escalation, reminder
from bot.text import language
from storage.models import ConfirmationRequest, Order
from tests.conftest import make_config

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("working_hours", "window"), [(None, "within 8 hours"), ("09:00-18:00", "within 8 working hours")]
)
def test_the_escalation_names_the_configured_confirmation_window(working_hours, window) -> None:  # noqa: ANN001
    sla = {"confirm_within_hours": 8, "remind_before_hours": 2, "working_hours": working_hours}
    config = make_config(sla=sla)
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
    assert f"supply's rate of answers {window}." in text and "24" not in text
    reminded = reminder(order, request, config)["blocks"][0]["text"]["text"]
    assert f"{window.removeprefix('within ')} after the request" in reminded
    with language("zh_CN"):
        text = escalation(order, request, config)["blocks"][0]["text"]["text"]
    assert ("8 个工作小时" if working_hours else "8 小时") in text
