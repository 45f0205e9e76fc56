"""Block Kit for the monthly demand review: agenda, minutes, reminders, modals and replies.

Wording comes from bot/templates/review_*.j2; the structure (and the 50-block limit) is here.
"""

from __future__ import annotations

import json
from enum import StrEnum

from bot import templates
from bot.ids import INPUT_ACTION
from bot.kpi import blocks as kpi_blocks
from bot.mrkdwn import clip, day, esc_clip, mention, mention_all, when
from bot.orders.blocks import actions, button, context, section
from storage.review_models import ReviewPlan, ReviewSubmission
from workflows.review import DEPARTMENTS, Agenda
from workflows.review_inputs import MAX_NOTE, MAX_TEXT, NOTE_BLOCK, block_id, form_fields
from workflows.review_plan import PlanRow
from workflows.review_schedule import month_label, previous_month_key

MAX_BLOCKS = 50
ROWS_PER_SECTION = 8  # 8 product lines (each clipped to 360 characters) stay under 3,000
TEAM_NAMES = {"sales": "Sales", "production": "Production", "supply": "Supply", "managers": "Managers"}


class ReviewAction(StrEnum):
    ATTEND = "review.attend"  # value: plan month
    APPROVE = "review.approve"  # value: plan month
    ADJUST = "review.adjust"  # value: plan month


class ReviewView(StrEnum):
    SUBMIT = "review.submit"
    ADJUST = "review.adjust"


def _plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def _header(text: str) -> dict:
    return {"type": "header", "text": _plain(clip(text, 150))}


def row_lines(rows: list[PlanRow]) -> list[str]:
    return [clip(templates.render("review_row.j2", row=row), 360) for row in rows]


def _row_sections(rows: list[PlanRow], budget: int) -> list[dict]:
    """Product lines in sections of ROWS_PER_SECTION; beyond `budget` blocks, a count of the rest."""
    lines = row_lines(rows)
    chunks = [lines[i : i + ROWS_PER_SECTION] for i in range(0, len(lines), ROWS_PER_SECTION)]
    if len(chunks) <= budget:
        return [section("\n".join(chunk)) for chunk in chunks]
    shown = chunks[: budget - 1]
    hidden = len(lines) - sum(len(c) for c in shown)
    incomplete = sum(1 for r in rows[len(lines) - hidden :] if r.missing)
    more = f"…and {hidden} more products ({incomplete} with missing numbers). `/review plan` lists every row."
    return [*(section("\n".join(chunk)) for chunk in shown), context(more)]


def _attendance(agenda: Agenda) -> str:
    lines = ["*Attendance*"]
    for team in (*DEPARTMENTS, "managers"):
        people = agenda.attendance.get(team) or []
        if people:
            lines.append(f"• {TEAM_NAMES[team]}: {mention_all(people)}")
        elif team in DEPARTMENTS:
            lines.append(f"• {TEAM_NAMES[team]}: :warning: *nobody confirmed yet*")
    return "\n".join(lines)


def _submissions(agenda: Agenda) -> str:
    lines = ["*Submissions*"]
    for team in DEPARTMENTS:
        submission: ReviewSubmission | None = agenda.submissions.get(team)
        if submission is None:
            lines.append(f"• {TEAM_NAMES[team]}: :x: *MISSING*")
        else:
            note = f"\n    _{esc_clip(submission.note, 300)}_" if submission.note else ""
            lines.append(
                f"• {TEAM_NAMES[team]}: :white_check_mark: {mention(submission.submitted_by)} "
                f"{when(submission.submitted_at)}{note}"
            )
    return "\n".join(lines)


def _order_line(order, extra: str = "") -> str:  # noqa: ANN001
    what = f"{order.quantity:,} × {esc_clip(order.product, 40)}"
    return f"• {order.number} · {esc_clip(order.customer, 50)} · {what}{extra}"


def _custom_orders(agenda: Agenda) -> list[dict]:
    """Open orders, overdue confirmations, committed deliveries in the plan month: a section each."""
    opened = [f"*Custom orders* · {agenda.open_total} open"]
    opened += [_order_line(o, f" · {o.status.replace('_', ' ')}") for o in agenda.open_orders]
    if agenda.open_total > len(agenda.open_orders):
        opened.append(f"  …and {agenda.open_total - len(agenda.open_orders)} more (`/order list`)")
    overdue = ["*Overdue confirmations*" if agenda.overdue else "*Overdue confirmations:* none"]
    overdue += [_order_line(o, f" · {r.team} was due {when(r.due_at)}") for o, r in agenda.overdue]
    label = month_label(agenda.month)
    committed = [
        f"*Committed deliveries in {label}*"
        if agenda.committed
        else f"*Committed deliveries in {label}:* none"
    ]
    committed += [_order_line(o, f" · {day(o.committed_date)}") for o in agenda.committed]
    return [section("\n".join(lines)) for lines in (opened, overdue, committed)]


def _status(agenda: Agenda) -> str:
    if agenda.plan is None:
        return "_Draft: managers approve (or adjust) the plan after the meeting._"
    return (
        f":white_check_mark: *Approved* by {mention(agenda.plan.approved_by)} {when(agenda.plan.approved_at)}"
    )


def agenda_message(agenda: Agenda, *, interactive: bool = True, reserve: int = 0) -> dict:
    """The agenda; `reserve` blocks are left free for the caller (50 in all)."""
    label = month_label(agenda.month)
    intro = templates.render(
        "review_agenda_intro.j2",
        month_label=label,
        review_month_label=month_label(previous_month_key(agenda.month)),
        when=when(agenda.review_at),
        status=_status(agenda),
    )
    blocks = [_header(f"Demand review · plan for {label}"), section(intro), section(_attendance(agenda))]
    if interactive:
        buttons = [button("I'm attending", ReviewAction.ATTEND, agenda.month, "primary")]
        if agenda.plan is None:
            buttons += [
                button(
                    "Approve plan",
                    ReviewAction.APPROVE,
                    agenda.month,
                    confirm=f"Approve the plan for {label}?",
                ),
                button("Adjust plan", ReviewAction.ADJUST, agenda.month),
            ]
        blocks.append(actions(*buttons))
    blocks += [section(_submissions(agenda)), {"type": "divider"}]
    blocks.append(
        section("*Approved plan*" if agenda.plan else "*Draft plan* (agreed = the smallest of the three)")
    )
    tail = [*_custom_orders(agenda), section(_kpis(agenda))]
    blocks += _row_sections(agenda.rows, MAX_BLOCKS - reserve - len(blocks) - len(tail))
    blocks += tail
    return {"text": f"Demand review agenda: plan for {label}", "blocks": blocks}


def _kpis(agenda: Agenda) -> str:
    if agenda.kpis is None:
        return "*Last month's KPIs*\n_Nothing was recorded last month yet._"
    return f"*KPIs of {kpi_blocks.month_label(agenda.kpis)}*\n{kpi_blocks.kpi_summary(agenda.kpis)}"


def minutes_message(plan: ReviewPlan, agenda: Agenda) -> dict:
    label = month_label(plan.month)
    rows = [PlanRow.from_dict(r) for r in plan.rows]
    people = [user for users in agenda.attendance.values() for user in users]
    text = templates.render(
        "review_minutes.j2",
        month_label=label,
        approver=mention(plan.approved_by),
        when=when(plan.approved_at),
        adjusted=plan.adjusted,
        note=clip(plan.note, 1500),
        shortfalls=[(r.product, r.shortfall) for r in rows if r.shortfall],
        attendees=mention_all(people) or "—",
    )
    blocks = [section(text), *_row_sections(rows, MAX_BLOCKS - 1)]
    return {"text": f"Minutes: demand plan for {label} approved", "blocks": blocks}


def plan_reply(plan: ReviewPlan) -> dict:
    label = month_label(plan.month)
    head = f"*Demand plan for {label}* · approved by {mention(plan.approved_by)} {when(plan.approved_at)}"
    if plan.adjusted:
        head += " (adjusted by managers)"
    if plan.note:
        head += f"\n>{esc_clip(plan.note, 1500)}"
    rows = [PlanRow.from_dict(r) for r in plan.rows]
    return {
        "text": f"Demand plan for {label}",
        "blocks": [section(head), *_row_sections(rows, MAX_BLOCKS - 1)],
    }


def text_reply(text: str) -> dict:
    return {"text": text, "blocks": [section(text)]}


def help_reply(prefix: str = "") -> dict:
    return text_reply(templates.render("review_help.j2", prefix=prefix))


def reminder_message(teams: list[str], mentions: str, month: str, review_at) -> dict:  # noqa: ANN001
    text = templates.render(
        "review_reminder.j2",
        mentions=mentions,
        teams=teams,
        month_label=month_label(month),
        when=when(review_at),
    )
    return {
        "text": f"Reminder: submit your numbers for the {month_label(month)} review",
        "blocks": [section(text)],
    }


def reminder_dm(team: str, month: str, review_at) -> dict:  # noqa: ANN001
    text = templates.render(
        "review_reminder_dm.j2", team=team, month_label=month_label(month), when=when(review_at)
    )
    return {"text": f"Reminder: {team} numbers for the demand review", "blocks": [section(text)]}


# -- modals -------------------------------------------------------------------------------------------


def _input(block: str, label: str, initial: str, *, optional: bool, hint: str = "", limit: int = 20) -> dict:
    element = {"type": "plain_text_input", "action_id": INPUT_ACTION, "max_length": limit}
    if initial:
        element["initial_value"] = initial[:limit]
    if limit > 100:
        element["multiline"] = True
    result = {
        "type": "input",
        "block_id": block,
        "label": _plain(clip(label, 2000)),
        "element": element,
        "optional": optional,
    }
    if hint:
        result["hint"] = _plain(hint)
    return result


def _modal(callback: str, title: str, submit: str, blocks: list[dict], metadata: dict) -> dict:
    return {
        "type": "modal",
        "callback_id": callback,
        "title": _plain(clip(title, 24)),
        "submit": _plain(clip(submit, 24)),
        "close": _plain("Cancel"),
        "blocks": blocks,
        "private_metadata": json.dumps(metadata),
    }


def submit_modal(
    team: str, month: str, products: list[str], review_day: str, previous: ReviewSubmission | None
) -> dict:
    fields = form_fields(team, len(products)) or ()
    compact = len(fields) < len(form_fields(team, 1) or ())
    intro = templates.render(
        "review_submit_intro.j2",
        team=team,
        month_label=month_label(month),
        review_day=review_day,
        compact=compact,
    )
    blocks = [context(intro)]
    old_rows = previous.rows if previous else {}
    for index, product in enumerate(products):
        for field in fields:
            value = (old_rows.get(product) or {}).get(field.key)
            blocks.append(
                _input(
                    block_id(index, field),
                    f"{clip(product, 60)} · {field.label}",
                    "" if value is None else str(value),
                    optional=not field.required,
                    hint=field.hint,
                    limit=12 if field.number else MAX_TEXT,
                )
            )
    blocks.append(
        _input(
            NOTE_BLOCK,
            "Note for the review",
            previous.note if previous else "",
            optional=True,
            limit=MAX_NOTE,
        )
    )
    metadata = {"month": month, "team": team, "products": len(products)}
    return _modal(ReviewView.SUBMIT, f"Review · {month}", "Submit", blocks, metadata)


def adjust_modal(month: str, rows: list[PlanRow]) -> dict:
    blocks = [
        context(
            f"Set the agreed quantity of each product for *{month_label(month)}*. Capacity and material "
            "targets follow from it with the configured buffers. Saving approves the plan."
        )
    ]
    for index, row in enumerate(rows):
        known = "; ".join(
            part
            for part in (
                f"forecast {row.forecast:,}" if row.forecast is not None else "forecast missing",
                f"achievable {row.achievable:,}" if row.achievable is not None else "achievable missing",
                "materials unconstrained"
                if row.materials_unconstrained
                else (f"materials {row.securable:,}" if row.securable is not None else "materials missing"),
            )
        )
        blocks.append(
            _input(
                f"p{index}.agreed",
                f"{clip(row.product, 60)} · agreed quantity",
                "" if row.agreed is None else str(row.agreed),
                optional=False,
                hint=clip(known, 150),
                limit=12,
            )
        )
    blocks.append(_input(NOTE_BLOCK, "Why it was adjusted", "", optional=True, limit=MAX_NOTE))
    return _modal(
        ReviewView.ADJUST, "Adjust plan", "Approve plan", blocks, {"month": month, "products": len(rows)}
    )
