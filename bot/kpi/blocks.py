"""Block Kit for the shared KPIs: `/kpi` (a month and the month before) and the Home tab summary."""

from __future__ import annotations

from datetime import date, timedelta

from bot.digest.blocks import duration
from bot.orders.blocks import context, section
from workflows.kpi import MonthKpis, Rate, month_key

DEFINITIONS = (
    "Confirmation rate: requests due in the month answered by their deadline (a missed deadline counts "
    "against; requests made obsolete before an answer are left out). On-time delivery: delivered on or "
    "before the committed date. Materials: arrived on or before the date supply promised. Median: order "
    "registered → delivery date committed."
)


def month_label(kpis: MonthKpis) -> str:
    return date(*kpis.month, 1).strftime("%B %Y")


def rate(value: Rate) -> str:
    if value.value is None:
        return "— (nothing to count)"
    return f"{round(100 * value.value)}% ({value.hits} of {value.total})"


def median(value: timedelta | None, count: int) -> str:
    return "— (nothing committed)" if value is None else f"{duration(value)} (over {count} order(s))"


def kpi_lines(kpis: MonthKpis) -> list[tuple[str, str]]:
    return [
        (f"{kpis.sla_hours:g}-hour confirmation · production", rate(kpis.confirmation["production"])),
        (f"{kpis.sla_hours:g}-hour confirmation · supply", rate(kpis.confirmation["supply"])),
        ("On-time delivery", rate(kpis.delivery)),
        ("On-time material arrival", rate(kpis.materials)),
        ("Median time to commitment", median(kpis.median_to_commit, kpis.committed)),
        ("Changes to committed orders", str(kpis.changes)),
    ]


def kpi_summary(kpis: MonthKpis) -> str:
    return "\n".join(f"• {label}: *{value}*" for label, value in kpi_lines(kpis))


def kpi_reply(current: MonthKpis, previous: MonthKpis) -> dict:
    before = dict(kpi_lines(previous))
    lines = [
        f"• {label}: *{value}*\n      _{month_label(previous)}: {before[label]}_"
        for label, value in kpi_lines(current)
    ]
    head = f"*Shared KPIs · {month_label(current)}* (compared with {month_label(previous)})"
    blocks = [
        section(head + "\n" + "\n".join(lines)),
        context(f"{DEFINITIONS} Another month: `/kpi {month_key(previous.month)}`."),
    ]
    return {"text": f"Shared KPIs for {month_label(current)}", "blocks": blocks}


def bad_month_reply(text: str) -> dict:
    shown = text[:20].replace("<", "").replace(">", "").replace("&", "")
    message = (
        f"`{shown}` is not a month I understand. Use `/kpi` for this month, or `/kpi YYYY-MM`, "
        "for example `/kpi 2026-10`."
    )
    return {"text": message, "blocks": [section(message)]}
