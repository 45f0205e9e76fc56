"""Block Kit for the shared KPIs: `/kpi` (a month and the month before) and the Home tab summary."""

from __future__ import annotations

from datetime import timedelta

from bot.digest.blocks import duration
from bot.mrkdwn import month
from bot.orders.blocks import context, section
from bot.phrases import confirm_window
from bot.text import _, n_, p_
from workflows.config import Config
from workflows.kpi import MonthKpis, Rate, month_key


def definitions() -> str:
    return _(
        "Confirmation rate: requests due in the month answered by their deadline (a missed deadline counts "
        "against; requests made obsolete before an answer are left out). On-time delivery: delivered on or "
        "before the committed date. Materials: arrived on or before the date supply promised. Median: order "
        "registered → delivery date committed."
    )


def month_label(kpis: MonthKpis) -> str:
    return month(month_key(kpis.month))


def rate(value: Rate) -> str:
    if value.value is None:
        return _("— (nothing to count)")
    return _(
        "{percent}% ({hits} of {total})", percent=round(100 * value.value), hits=value.hits, total=value.total
    )


def median(value: timedelta | None, count: int) -> str:
    if value is None:
        return _("— (nothing committed)")
    return n_("{duration} (over {n} order)", "{duration} (over {n} orders)", count, duration=duration(value))


def window(kpis: MonthKpis) -> str:
    """The confirmation window the rate was measured against ("24 hours", "24 working hours")."""
    # confirm_window reads only the SLA settings; the KPIs carry the ones they were measured with
    return confirm_window(Config.model_construct(sla=kpis.sla))


def kpi_lines(kpis: MonthKpis) -> list[tuple[str, str]]:
    within = window(kpis)
    return [
        (
            _("Confirmation within {window} · production", window=within),
            rate(kpis.confirmation["production"]),
        ),
        (_("Confirmation within {window} · supply", window=within), rate(kpis.confirmation["supply"])),
        (_("On-time delivery"), rate(kpis.delivery)),
        (_("On-time material arrival"), rate(kpis.materials)),
        (_("Median time to commitment"), median(kpis.median_to_commit, kpis.committed)),
        (_("Changes to committed orders"), str(kpis.changes)),
    ]


def _line(label: str, value: str) -> str:
    # TRANSLATORS: one KPI in a list: its name and its value.
    return p_("kpi", "• {label}: *{value}*", label=label, value=value)


def kpi_summary(kpis: MonthKpis) -> str:
    return "\n".join(_line(label, value) for label, value in kpi_lines(kpis))


def kpi_reply(current: MonthKpis, previous: MonthKpis) -> dict:
    before = [value for _label, value in kpi_lines(previous)]
    earlier = month_label(previous)
    lines = [
        _line(label, value) + "\n      " + _("_{month}: {value}_", month=earlier, value=was)
        for (label, value), was in zip(kpi_lines(current), before, strict=True)
    ]
    head = _(
        "*Shared KPIs · {month}* (compared with {previous})", month=month_label(current), previous=earlier
    )
    another = _("Another month: `/kpi {month}`.", month=month_key(previous.month))
    blocks = [section(head + "\n" + "\n".join(lines)), context(f"{definitions()} {another}")]
    return {"text": _("Shared KPIs for {month}", month=month_label(current)), "blocks": blocks}


def bad_month_reply(text: str) -> dict:
    shown = text[:20].replace("<", "").replace(">", "").replace("&", "")
    message = _(
        "`{text}` is not a month I understand. Use `/kpi` for this month, or `/kpi YYYY-MM`, "
        "for example `/kpi 2026-10`.",
        text=shown,
    )
    return {"text": message, "blocks": [section(message)]}
