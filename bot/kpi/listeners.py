"""/kpi [YYYY-MM]: the shared KPIs of a month and the month before, with production's inventory
turnover per line, answered on the ack (ephemeral).

The month may also be typed the Chinese way: `/kpi 2026年11月`, or `/kpi 11月` for the latest
November that has begun.
"""

from __future__ import annotations

from slack_bolt import Ack, App, Respond

from bot.kpi import blocks as blocks
from bot.reads import reader_ack
from bot.services import Services
from bot.text import language
from workflows import kpi
from workflows.clock import local_today
from workflows.review_schedule import parse_month, parse_month_words


def register(app: App, svc: Services) -> None:
    @app.command("/kpi")
    def kpi_command(ack: Ack, command: dict, respond: Respond) -> None:
        # Bolt runs listeners after the global middleware has returned, so the reader's language
        # that bot.middleware sets around next() is gone by now: set it here for this reply.
        with language(svc.people.known(command["user_id"])):
            if (answer := reader_ack(svc, ack, respond, user=command["user_id"])) is not None:
                answer(**kpi_answer(svc, (command.get("text") or "").strip()))


def kpi_answer(svc: Services, text: str) -> dict:
    ctx = svc.context()
    if text:
        key = parse_month_words(text, local_today(ctx.config, ctx.now), ahead=0)
        month = parse_month(key) if key else None
    else:
        month = kpi.month_of(ctx.config, ctx.now)
    if month is None:
        return blocks.bad_month_reply(text)
    with svc.session(read_only=True) as session:
        current = kpi.month_kpis(session, ctx.config, month, ctx.now)
        previous = kpi.month_kpis(session, ctx.config, kpi.shift(month, -1), ctx.now)
        turnover, turnover_before = kpi.turnover_pair(session, ctx.config, month)
        attainment = kpi.plan_attainment(session, kpi.month_key(month))
    return blocks.kpi_reply(current, previous, turnover, turnover_before, attainment)
