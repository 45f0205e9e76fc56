"""Block Kit for the shared KPIs: `/kpi` (a month and the month before, with production's inventory
turnover per line) and the Home tab summary."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from bot.digest.blocks import duration
from bot.kit import context, section
from bot.mrkdwn import esc_clip, month, number
from bot.phrases import confirm_window
from bot.text import _, n_, p_
from workflows.config import Config
from workflows.inventory import NotEnoughCounts, Turnover
from workflows.kpi import Attainment, MonthKpis, Overrides, Rate, month_key

TURNOVER_LINES_PER_SECTION = 10  # each line and the month before stay far under 3,000 characters


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


def overrides(value: Overrides) -> str:
    return _(
        "{requested} requested · {approved} approved · {rejected} rejected",
        requested=number(value.requested),
        approved=number(value.approved),
        rejected=number(value.rejected),
    )


def promise_definition() -> str:
    return _(
        "On-time to the promise: delivered on or before the first committed date, moved only by changes "
        "the customer asked for. Internal date moves: changes for an internal reason that moved the date "
        "(they do not move the promise). Promises beyond the plan: managers' approvals asked for a date "
        "earlier than feasible or a quantity beyond the plan."
    )


def kpi_lines(kpis: MonthKpis) -> list[tuple[str, str]]:
    within = window(kpis)
    return [
        (
            _("Confirmation within {window} · production", window=within),
            rate(kpis.confirmation["production"]),
        ),
        (_("Confirmation within {window} · supply", window=within), rate(kpis.confirmation["supply"])),
        (_("On-time delivery"), rate(kpis.delivery)),
        (_("On-time to the promise"), rate(kpis.promise)),
        (_("Internal date moves"), number(kpis.internal_moves)),
        (_("Promises beyond the plan"), overrides(kpis.overrides)),
        (_("On-time material arrival"), rate(kpis.materials)),
        (_("Median time to commitment"), median(kpis.median_to_commit, kpis.committed)),
        (_("Changes to committed orders"), str(kpis.changes)),
    ]


def _line(label: str, value: str) -> str:
    # TRANSLATORS: one KPI in a list: its name and its value.
    return p_("kpi", "• {label}: *{value}*", label=label, value=value)


def kpi_summary(kpis: MonthKpis) -> str:
    return "\n".join(_line(label, value) for label, value in kpi_lines(kpis))


def _ratio(value: float) -> str:
    return f"{value:,.1f}"


def turnover_value(figure: Turnover | NotEnoughCounts) -> str:
    """A line's turnover in a month, or why there is no figure."""
    if isinstance(figure, NotEnoughCounts):
        shown = month(figure.month)
        missing = set(figure.missing)
        if missing >= {"count_before", "count_in_month"}:
            return _("— (no stock count before or in {month})", month=shown)
        if "count_before" in missing:
            return _("— (no stock count before {month} to start from)", month=shown)
        if "count_in_month" in missing:
            return _("— (no stock count in {month})", month=shown)
        return _("— (nothing on hand at any count)")
    values = {
        "turnover": _ratio(figure.turnover),
        "shipped": number(figure.shipped),
        "average": number(round(figure.average_on_hand)),
    }
    if figure.days_of_inventory is None:
        text = _("{turnover}× · nothing shipped ({average} on hand on average)", **values)
    else:
        text = _(
            "{turnover}× · {days} days of inventory ({shipped} shipped, {average} on hand on average)",
            days=number(round(figure.days_of_inventory)),
            **values,
        )
    if figure.value_turnover is not None:
        text += " · " + _(
            "by value {turnover}× (average stock value {value})",
            turnover=_ratio(figure.value_turnover),
            value=number(round(figure.average_value)),
        )
    return text


Figures = Sequence[Turnover | NotEnoughCounts]


def turnover_sections(current: Figures, previous: Figures, earlier: str) -> list[dict]:
    """Production's inventory turnover, one line per product line with the month before beneath."""
    if not current:
        return []
    before = {figure.line: figure for figure in previous}
    lines = []
    for figure in current:
        label = _("Inventory turnover · {line}", line=esc_clip(figure.line, 60))
        line = _line(label, turnover_value(figure))
        if figure.line in before:
            was = turnover_value(before[figure.line])
            line += "\n      " + _("_{month}: {value}_", month=earlier, value=was)
        lines.append(line)
    head = _("*Production · inventory turnover*")
    per = TURNOVER_LINES_PER_SECTION
    chunks = [lines[i : i + per] for i in range(0, len(lines), per)]
    return [section("\n".join([head, *chunks[0]])), *(section("\n".join(chunk)) for chunk in chunks[1:])]


def attainment_line(row: Attainment) -> str:
    """One line's plan for the month: agreed, committed and delivered, each as a share of agreed."""
    values = {
        "line": esc_clip(row.line, 60),
        "agreed": number(row.agreed),
        "committed": number(row.committed),
        "delivered": number(row.delivered),
    }
    if row.committed_percent is None or row.delivered_percent is None:
        return _("• {line} · agreed {agreed} · committed {committed} · delivered {delivered}", **values)
    return _(
        "• {line} · agreed {agreed} · committed {committed} ({committed_percent}%) · "
        "delivered {delivered} ({delivered_percent}%)",
        committed_percent=row.committed_percent,
        delivered_percent=row.delivered_percent,
        **values,
    )


ATTAINMENT_LINES_PER_SECTION = 10  # each line is under 200 characters: far under 3,000 a section


def attainment_sections(rows: Sequence[Attainment], month_text: str) -> list[dict]:
    """Plan attainment per line for a month (nothing when no plan was approved for it)."""
    if not rows:
        return []
    lines = [attainment_line(row) for row in rows]
    head = _("*Plan attainment · {month}* (committed and delivered against agreed)", month=month_text)
    per = ATTAINMENT_LINES_PER_SECTION
    chunks = [lines[i : i + per] for i in range(0, len(lines), per)]
    return [section("\n".join([head, *chunks[0]])), *(section("\n".join(chunk)) for chunk in chunks[1:])]


def turnover_definition() -> str:
    return _(
        "Inventory turnover: units shipped in the month ÷ average units on hand (the last count before "
        "the month and every count in it); days of inventory: days in the month ÷ turnover."
    )


def kpi_reply(
    current: MonthKpis,
    previous: MonthKpis,
    turnover: Figures = (),
    turnover_before: Figures = (),
    attainment: Sequence[Attainment] = (),
) -> dict:
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
    notes = [definitions(), promise_definition(), *([turnover_definition()] if turnover else []), another]
    blocks = [
        section(head + "\n" + "\n".join(lines)),
        *attainment_sections(attainment, month_label(current)),
        *turnover_sections(turnover, turnover_before, earlier),
        context(" ".join(notes)),
    ]
    return {"text": _("Shared KPIs for {month}", month=month_label(current)), "blocks": blocks}


def bad_month_reply(text: str) -> dict:
    shown = text[:20].replace("<", "").replace(">", "").replace("&", "")
    message = _(
        "`{text}` is not a month I understand. Use `/kpi` for this month, or `/kpi YYYY-MM`, "
        "for example `/kpi 2026-10`.",
        text=shown,
    )
    return {"text": message, "blocks": [section(message)]}
