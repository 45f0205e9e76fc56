"""/kpi [YYYY-MM]: the shared KPIs of a month and the month before, answered on the ack (ephemeral)."""

from __future__ import annotations

from slack_bolt import Ack, App, Respond

from bot.kpi import blocks as blocks
from bot.reads import reader_ack
from bot.services import Services
from workflows import kpi
from workflows.review_schedule import parse_month


def register(app: App, svc: Services) -> None:
    @app.command("/kpi")
    def kpi_command(ack: Ack, command: dict, respond: Respond) -> None:
        if (answer := reader_ack(svc, ack, respond, user=command["user_id"])) is not None:
            answer(**kpi_answer(svc, (command.get("text") or "").strip()))


def kpi_answer(svc: Services, text: str) -> dict:
    ctx = svc.context()
    month = parse_month(text) if text else kpi.month_of(ctx.config, ctx.now)
    if month is None:
        return blocks.bad_month_reply(text)
    with svc.session(read_only=True) as session:
        current = kpi.month_kpis(session, ctx.config, month, ctx.now)
        previous = kpi.month_kpis(session, ctx.config, kpi.shift(month, -1), ctx.now)
    return blocks.kpi_reply(current, previous)
