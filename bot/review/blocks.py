"""Block Kit for the monthly demand review: agenda, minutes, reminders, modals and replies.

The words come from the catalogs (here and in bot/templates/review_*.j2), in the language being
built; the structure (and the 50-block limit) is here.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from enum import StrEnum

from bot import templates
from bot.ids import INPUT_ACTION
from bot.kit import actions, button, context, section
from bot.kpi import blocks as kpi_blocks
from bot.mrkdwn import clip, day, esc, esc_clip, mention, mention_all, month, number, when
from bot.phrases import team_label
from bot.review import followups
from bot.text import _, n_, p_
from storage.review_models import ReviewPlan, ReviewSubmission
from workflows.inventory import PlanActual
from workflows.review import DEPARTMENTS, Agenda
from workflows.review_inputs import MAX_NOTE, MAX_TEXT, NOTE_BLOCK, TEAM_FIELDS, block_id, form_fields
from workflows.review_plan import PlanRow
from workflows.review_schedule import month_key, previous_month_key

MAX_BLOCKS = 50
ROWS_PER_SECTION = 8  # 8 product lines (each clipped to 360 characters) stay under 3,000


class ReviewAction(StrEnum):
    ATTEND = "review.attend"  # value: plan month
    APPROVE = "review.approve"  # value: plan month
    ADJUST = "review.adjust"  # value: plan month
    SUBMISSION = "review.submission"  # value: "plan month:team", opens the full submission


class ReviewView(StrEnum):
    SUBMIT = "review.submit"
    ADJUST = "review.adjust"


# -- words the review's sentences share ------------------------------------------------------------


def department(team: str) -> str:
    """A department as the review's sentences name it ("production" / "生产部")."""
    names = {
        "sales": p_("department", "sales"),
        "production": p_("department", "production"),
        "supply": p_("department", "supply"),
        "managers": p_("department", "managers"),
    }
    return names.get(team, team)


def listing(items: Iterable[str]) -> str:
    """Whole items in a row: "production, supply" / "生产部、供应部"."""
    # TRANSLATORS: between the items of a list, e.g. "production, supply".
    return p_("list separator", ", ").join(items)


def _joined(items: list[str], pair) -> str:  # noqa: ANN001
    text = items[0] if items else ""
    for item in items[1:]:
        text = pair(text, item)
    return text


def either(teams: list[str]) -> str:
    """Departments as alternatives: "sales or production"."""
    return _joined([department(t) for t in teams], lambda a, b: _("{first} or {second}", first=a, second=b))


def both(teams: list[str]) -> str:
    """Departments together: "sales and production"."""
    return _joined([department(t) for t in teams], lambda a, b: _("{first} and {second}", first=a, second=b))


def missing_input(key: str) -> str:
    """What a plan row lacks, by input (workflows.review_plan: PlanRow.missing)."""
    words = {
        "forecast": _("missing sales forecast"),
        "achievable": _("missing production capacity"),
        "securable": _("missing supply materials"),
    }
    return words.get(key, key)


def constraint(key: str) -> str:
    """What binds a plan row's agreed quantity (PlanRow.binding)."""
    words = {
        "demand": p_("constraint", "demand"),
        "capacity": p_("constraint", "capacity"),
        "materials": p_("constraint", "materials"),
        "adjusted": p_("constraint", "adjusted"),
    }
    return words.get(key, key)


def field_label(key: str) -> str:
    """A form field by its key (workflows.review_inputs), as its label and its errors name it."""
    labels = {
        "forecast": p_("review field", "forecast"),
        "customers": p_("review field", "key customers and orders"),
        "achievable": p_("review field", "achievable quantity"),
        "max_capacity": p_("review field", "maximum capacity"),
        "note": p_("review field", "note (e.g. maintenance window)"),
        "securable": p_("review field", "quantity materials can be secured for"),
        "lead_time_days": p_("review field", "key material lead time (days)"),
        "key_material": p_("review field", "key material"),
        "risk": p_("review field", "risk note"),
        "agreed": p_("review field", "agreed quantity"),
    }
    return labels.get(key, key)


def field_hint(key: str) -> str:
    hints = {
        "achievable": _("After maintenance and other limits"),
        "securable": _("Leave blank if materials do not limit this product"),
    }
    return hints.get(key, "")


# -- Block Kit ------------------------------------------------------------------------------------


def _plain(text: str) -> dict:
    return {"type": "plain_text", "text": text}


def _header(text: str) -> dict:
    return {"type": "header", "text": _plain(clip(text, 150))}


def _quantity(value: int | None) -> str:
    return _("_missing_") if value is None else number(value)


def row_line(row: PlanRow) -> str:
    """One core product of the plan: its three numbers, then the agreement (or what is missing)."""
    product = esc_clip(row.product, 120)
    materials = _("unconstrained") if row.materials_unconstrained else _quantity(row.securable)
    numbers = _(
        "*{product}* · forecast {forecast} · achievable {achievable} · materials {materials}",
        product=product,
        forecast=_quantity(row.forecast),
        achievable=_quantity(row.achievable),
        materials=materials,
    )
    if row.missing:
        missing = listing(missing_input(key) for key in row.missing)
        agreement = _(":warning: {missing}: no agreed quantity yet", missing=missing)
    else:
        values = {
            "agreed": number(row.agreed),
            # TRANSLATORS: between constraints that bind equally, e.g. "capacity = materials".
            "binding": p_("constraint separator", " = ").join(constraint(b) for b in row.binding),
            "capacity": number(row.capacity_target),
            "material": number(row.material_target),
        }
        if row.shortfall:
            agreement = _(
                "→ *agreed {agreed}* ({binding} binds) · shortfall {shortfall} · capacity target "
                "{capacity} · material target {material}",
                shortfall=number(row.shortfall),
                **values,
            )
        else:
            agreement = _(
                "→ *agreed {agreed}* ({binding} binds) · capacity target {capacity} · "
                "material target {material}",
                **values,
            )
    flags = [above_flag(name, by) for name, by in row.above]
    if flags:
        # TRANSLATORS: between the agreement of a plan row and its warnings.
        agreement = p_("flag separator", " · ").join([agreement, *flags])
    return f"{numbers}\n      {agreement}"


def above_flag(name: str, by: int) -> str:
    """An agreed quantity managers set above a department's limit: "above capacity by 50"."""
    if name == "materials":
        return _(":warning: above materials by {n}", n=number(by))
    return _(":warning: above capacity by {n}", n=number(by))


def row_lines(rows: list[PlanRow]) -> list[str]:
    return [clip(row_line(row), 360) for row in rows]


def _row_sections(rows: list[PlanRow], budget: int) -> list[dict]:
    """Product lines in sections of ROWS_PER_SECTION; beyond `budget` blocks, a count of the rest."""
    lines = row_lines(rows)
    chunks = [lines[i : i + ROWS_PER_SECTION] for i in range(0, len(lines), ROWS_PER_SECTION)]
    if len(chunks) <= budget:
        return [section("\n".join(chunk)) for chunk in chunks]
    shown = chunks[: budget - 1]
    hidden = len(lines) - sum(len(c) for c in shown)
    incomplete = sum(1 for r in rows[len(lines) - hidden :] if r.missing)
    more = n_(
        "…and {n} more product ({incomplete} with missing numbers). `/review plan` lists every row.",
        "…and {n} more products ({incomplete} with missing numbers). `/review plan` lists every row.",
        hidden,
        incomplete=incomplete,
    )
    return [*(section("\n".join(chunk)) for chunk in shown), context(more)]


def _attendance(agenda: Agenda) -> str:
    lines = [_("*Attendance*")]
    for team in (*DEPARTMENTS, "managers"):
        people = agenda.attendance.get(team) or []
        if people:
            lines.append(_("• {team}: {people}", team=team_label(team), people=mention_all(people)))
        elif team in DEPARTMENTS:
            lines.append(_("• {team}: :warning: *nobody confirmed yet*", team=team_label(team)))
    return "\n".join(lines)


def _submissions(agenda: Agenda) -> str:
    lines = [_("*Submissions*")]
    for team in DEPARTMENTS:
        submission: ReviewSubmission | None = agenda.submissions.get(team)
        if submission is None:
            lines.append(_("• {team}: :x: *MISSING*", team=team_label(team)))
        else:
            lines.append(
                _(
                    "• {team}: :white_check_mark: {person} {when}",
                    team=team_label(team),
                    person=mention(submission.submitted_by),
                    when=when(submission.submitted_at),
                )
            )
            if submission.note:
                lines.append(f"    _{esc_clip(submission.note, 300)}_")
    return "\n".join(lines)


def _order_line(order, extra: str) -> str:  # noqa: ANN001
    return _(
        "• {order} · {customer} · {quantity} × {product} · {extra}",
        order=order.number,
        customer=esc_clip(order.customer, 50),
        quantity=number(order.quantity),
        product=esc_clip(order.product, 40),
        extra=extra,
    )


def order_status(status: str) -> str:
    """An open order's status as the agenda lists it."""
    words = {
        "awaiting_confirmation": p_("order status", "awaiting confirmation"),
        "awaiting_commitment": p_("order status", "awaiting commitment"),
        "declined": p_("order status", "declined"),
        "committed": p_("order status", "committed"),
    }
    return words.get(status, status.replace("_", " "))


def _custom_orders(agenda: Agenda) -> list[dict]:
    """Open orders, overdue confirmations, committed deliveries in the plan month: a section each."""
    opened = [_("*Custom orders* · {n} open", n=agenda.open_total)]
    opened += [_order_line(o, order_status(o.status)) for o in agenda.open_orders]
    if agenda.open_total > len(agenda.open_orders):
        more = agenda.open_total - len(agenda.open_orders)
        opened.append(_("  …and {n} more (`/order list`)", n=more))
    overdue = [_("*Overdue confirmations*") if agenda.overdue else _("*Overdue confirmations:* none")]
    overdue += [
        _order_line(o, _("{team} was due {when}", team=department(r.team), when=when(r.due_at)))
        for o, r in agenda.overdue
    ]
    label = month(agenda.month)
    committed = [
        _("*Committed deliveries in {month}*", month=label)
        if agenda.committed
        else _("*Committed deliveries in {month}:* none", month=label)
    ]
    committed += [
        _order_line(
            o,
            _("{date} · :warning: over plan", date=day(o.committed_date))
            if o.id in agenda.over_plan
            else day(o.committed_date),
        )
        for o in agenda.committed
    ]
    return [section("\n".join(lines)) for lines in (opened, overdue, committed)]


# -- what each department wrote, per product ------------------------------------------------------

NOTE_CUT = 150  # characters of one note on the agenda and the minutes; the full text is one click away
NOTES_SECTION = 2900  # characters per section of notes (3,000 allowed)
NOTE_FIELDS = {  # the per-product fields a department writes besides its key number, in order
    "sales": ("customers",),
    "production": ("note", "max_capacity"),
    "supply": ("key_material", "lead_time_days", "risk"),
}


def _cut(text: str) -> tuple[str, bool]:
    """A note in at most NOTE_CUT characters, cut before escaping; and whether it was cut."""
    shown = esc_clip(text, NOTE_CUT)
    return shown, shown != esc(text)


def note_part(key: str, value: object) -> tuple[str, bool]:
    """One thing a department wrote for a product, worded: "key customers: ACME wants 400 early"."""
    if key == "max_capacity":
        return _("maximum capacity {n}", n=number(value)), False
    if key == "lead_time_days":
        return n_("key material lead time {n} day", "key material lead time {n} days", value, n=value), False
    text, was_cut = _cut(str(value))
    words = {
        "customers": _("key customers: {text}", text=text),
        "note": _("maintenance and capacity: {text}", text=text),
        "key_material": _("key material: {text}", text=text),
        "risk": _("risk: {text}", text=text),
    }
    return words.get(key, text), was_cut


def product_notes(product: str, submissions: dict[str, ReviewSubmission]) -> tuple[list[str], bool]:
    """The lines of what each department wrote for `product` (none if nobody wrote anything),
    and whether a note among them was cut."""
    lines, cut = [], False
    for team in DEPARTMENTS:
        submission = submissions.get(team)
        row = (submission.rows.get(product) if submission else None) or {}
        parts = []
        for key in NOTE_FIELDS[team]:
            value = row.get(key)
            if value is None or value == "":
                continue
            part, was_cut = note_part(key, value)
            parts.append(part)
            cut = cut or was_cut
        if parts:
            # TRANSLATORS: between the notes of one department, e.g. "key material: A; lead time 10 days".
            joined = p_("notes separator", "; ").join(parts)
            lines.append("    " + _("{team}: {notes}", team=team_label(team), notes=joined))
    if lines:
        lines.insert(0, _("*{product}*", product=esc_clip(product, 120)))
    return lines, cut


def submission_action(team: str) -> str:
    """One action id per department: action ids are unique within a block."""
    return f"{ReviewAction.SUBMISSION}.{team}"


def submission_buttons(plan_month: str, submissions: dict[str, ReviewSubmission]) -> dict | None:
    """A button per department that submitted, opening its whole submission (the notes uncut)."""
    elements = [
        button(
            _("{team}: full submission", team=team_label(team)),
            submission_action(team),
            f"{plan_month}:{team}",
        )
        for team in DEPARTMENTS
        if team in submissions
    ]
    return actions(*elements) if elements else None


def notes_blocks(
    plan_month: str, products: list[str], submissions: dict[str, ReviewSubmission], budget: int
) -> list[dict]:
    """What the departments wrote per product, in sections of at most NOTES_SECTION characters,
    then the buttons to the full submissions; within `budget` blocks (the rest are counted)."""
    buttons = submission_buttons(plan_month, submissions)
    if buttons is None or budget < 3:
        return []
    head = _("*What the departments wrote*")
    chunks: list[list[str]] = [[head]]
    size, cut, written = len(head), False, []
    for product in products:
        lines, was_cut = product_notes(product, submissions)
        if not lines:
            continue
        written.append(product)
        cut = cut or was_cut
        text = clip("\n".join(lines), NOTES_SECTION)
        if size + len(text) + 1 > NOTES_SECTION:
            chunks.append([])
            size = 0
        chunks[-1].append(text)
        size += len(text) + 1
    if not written:
        return []
    room = budget - 2  # the buttons, and a context line that says what was cut or left out
    shown = chunks[:room]
    hidden = sum(len(c) for c in chunks[room:])
    blocks = [section("\n".join(chunk)) for chunk in shown]
    said = []
    if hidden:
        said.append(
            n_(
                "Notes of {n} more product are in the full submissions.",
                "Notes of {n} more products are in the full submissions.",
                hidden,
            )
        )
    if cut:
        said.append(
            n_(
                "Notes longer than {n} character are cut: the buttons below open each full submission.",
                "Notes longer than {n} characters are cut: the buttons below open each full submission.",
                NOTE_CUT,
            )
        )
    if said:
        blocks.append(context(" ".join(said)))
    return [*blocks, buttons]


def _status(agenda: Agenda) -> str:
    if agenda.plan is None:
        return _("_Draft: managers approve (or adjust) the plan after the meeting._")
    return _(
        ":white_check_mark: *Approved* by {person} {when}",
        person=mention(agenda.plan.approved_by),
        when=when(agenda.plan.approved_at),
    )


def agenda_message(agenda: Agenda, *, interactive: bool = True, reserve: int = 0) -> dict:
    """The agenda; `reserve` blocks are left free for the caller (50 in all)."""
    label = month(agenda.month)
    intro = templates.render(
        "review_agenda_intro.j2",
        month_label=label,
        review_month_label=month(previous_month_key(agenda.month)),
        when=when(agenda.review_at),
        status=_status(agenda),
    )
    header = _header(_("Demand review · plan for {month}", month=label))
    blocks = [header, section(intro), section(_attendance(agenda))]
    if interactive:
        buttons = [button(_("I'm attending"), ReviewAction.ATTEND, agenda.month, "primary")]
        if agenda.plan is None:
            buttons += [
                button(
                    _("Approve plan"),
                    ReviewAction.APPROVE,
                    agenda.month,
                    confirm=_("Approve the plan for {month}?", month=label),
                ),
                button(_("Adjust plan"), ReviewAction.ADJUST, agenda.month),
            ]
        blocks.append(actions(*buttons))
    blocks += [section(_submissions(agenda)), {"type": "divider"}]
    blocks.append(
        section(
            _("*Approved plan*") if agenda.plan else _("*Draft plan* (agreed = the smallest of the three)")
        )
    )
    today = agenda.local_review_day or agenda.review_at.date()  # overdue as of the review
    earlier = followups.agenda_blocks(agenda.open_followups, agenda.open_followups_total, today)
    tail = [
        *earlier,
        *_custom_orders(agenda),
        *_plan_actual(agenda),
        *_attainment(agenda),
        section(_kpis(agenda)),
    ]
    products = [r.product for r in agenda.rows]
    # the notes keep at least their first section and their buttons; the plan rows come first
    notes_room = 3 if agenda.submissions else 0
    blocks += _row_sections(agenda.rows, MAX_BLOCKS - reserve - len(blocks) - len(tail) - notes_room)
    blocks += notes_blocks(
        agenda.month, products, agenda.submissions, MAX_BLOCKS - reserve - len(blocks) - len(tail)
    )
    blocks += tail
    return {"text": _("Demand review agenda: plan for {month}", month=label), "blocks": blocks}


def _difference(value: int) -> str:
    """A signed difference: "+300", "−400", "±0"."""
    if value > 0:
        return f"+{number(value)}"
    if value < 0:
        return f"−{number(-value)}"
    return "±0"


def actual_line(row: PlanActual) -> str:
    """One core product of last month: agreed, produced and shipped, each with its difference."""
    values = {
        "product": esc_clip(row.product, 60),
        "produced": number(row.produced),
        "shipped": number(row.shipped),
    }
    if row.agreed is None:
        return _("• {product} · no approved plan · produced {produced} · shipped {shipped}", **values)
    return _(
        "• {product} · agreed {agreed} · produced {produced} ({produced_difference}) · "
        "shipped {shipped} ({shipped_difference})",
        agreed=number(row.agreed),
        produced_difference=_difference(row.produced_difference),
        shipped_difference=_difference(row.shipped_difference),
        **values,
    )


def _plan_actual(agenda: Agenda) -> list[dict]:
    """Plan against actual of last month, next to its KPIs: a section per ROWS_PER_SECTION products."""
    if not agenda.actual:
        return []
    label = month(agenda.actual_month)
    if all(r.agreed is None and not r.produced and not r.shipped for r in agenda.actual):
        return [
            section(
                _(
                    "*Plan against actual · {month}*\n_Nothing was planned, produced or shipped in "
                    "{month} yet._",
                    month=label,
                )
            )
        ]
    lines = [clip(actual_line(row), 360) for row in agenda.actual]
    chunks = [lines[i : i + ROWS_PER_SECTION] for i in range(0, len(lines), ROWS_PER_SECTION)]
    head = _("*Plan against actual · {month}* (differences against the agreed quantity)", month=label)
    return [section("\n".join([head, *chunks[0]])), *(section("\n".join(chunk)) for chunk in chunks[1:])]


def _attainment(agenda: Agenda) -> list[dict]:
    """Plan attainment per line of last month, next to plan against actual (nothing without a plan)."""
    return kpi_blocks.attainment_sections(agenda.attainment, month(agenda.actual_month))


def _kpis(agenda: Agenda) -> str:
    if agenda.kpis is None:
        return _("*Last month's KPIs*\n_Nothing was recorded last month yet._")
    head = _("*KPIs of {month}*", month=month(month_key(*agenda.kpis.month)))
    return f"{head}\n{kpi_blocks.kpi_summary(agenda.kpis)}"


def minutes_message(plan: ReviewPlan, agenda: Agenda) -> dict:
    label = month(plan.month)
    rows = [PlanRow.from_dict(r) for r in plan.rows]
    people = [user for users in agenda.attendance.values() for user in users]
    shortfalls = listing(
        _("{product} ({quantity})", product=esc_clip(r.product, 120), quantity=number(r.shortfall))
        for r in rows
        if r.shortfall
    )
    text = templates.render(
        "review_minutes.j2",
        month_label=label,
        approver=mention(plan.approved_by),
        when=when(plan.approved_at),
        adjusted=plan.adjusted,
        note=clip(plan.note, 1500),
        shortfalls=shortfalls,
        attendees=mention_all(people) or "—",
    )
    notes_room = 3 if agenda.submissions else 0
    blocks = [section(text), *_row_sections(rows, MAX_BLOCKS - 1 - notes_room)]
    blocks += notes_blocks(
        plan.month, [r.product for r in rows], agenda.submissions, MAX_BLOCKS - len(blocks)
    )
    return {"text": _("Minutes: demand plan for {month} approved", month=label), "blocks": blocks}


def plan_reply(plan: ReviewPlan) -> dict:
    label = month(plan.month)
    values = {"month": label, "person": mention(plan.approved_by), "when": when(plan.approved_at)}
    if plan.adjusted:
        head = _("*Demand plan for {month}* · approved by {person} {when} (adjusted by managers)", **values)
    else:
        head = _("*Demand plan for {month}* · approved by {person} {when}", **values)
    if plan.note:
        head += f"\n>{esc_clip(plan.note, 1500)}"
    rows = [PlanRow.from_dict(r) for r in plan.rows]
    return {
        "text": _("Demand plan for {month}", month=label),
        "blocks": [section(head), *_row_sections(rows, MAX_BLOCKS - 1)],
    }


def text_reply(text: str) -> dict:
    return {"text": text, "blocks": [section(text)]}


def help_reply(prefix: str = "") -> dict:
    return text_reply(templates.render("review_help.j2", prefix=prefix))


def reminder_message(teams: list[str], mentions: str, plan_month: str, review_at) -> dict:  # noqa: ANN001
    label = month(plan_month)
    text = templates.render(
        "review_reminder.j2",
        mentions=mentions,
        teams=listing(department(t) for t in teams),
        count=len(teams),
        month_label=label,
        when=when(review_at),
    )
    return {
        "text": _("Reminder: submit your numbers for the {month} review", month=label),
        "blocks": [section(text)],
    }


def reminder_dm(team: str, plan_month: str, review_at) -> dict:  # noqa: ANN001
    text = templates.render(
        "review_reminder_dm.j2", team=department(team), month_label=month(plan_month), when=when(review_at)
    )
    return {
        "text": _("Reminder: {team} numbers for the demand review", team=department(team)),
        "blocks": [section(text)],
    }


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
        "close": _plain(clip(_("Cancel"), 24)),
        "blocks": blocks,
        "private_metadata": json.dumps(metadata),
    }


def submit_modal(
    team: str, plan_month: str, products: list[str], review_day: str, previous: ReviewSubmission | None
) -> dict:
    fields = form_fields(team, len(products)) or ()
    compact = len(fields) < len(form_fields(team, 1) or ())
    label = month(plan_month)
    intro = templates.render(
        "review_submit_intro.j2",
        team=team_label(team),
        month_label=label,
        review_day=review_day,
        compact=compact,
    )
    blocks = [context(intro)]
    old_rows = previous.rows if previous else {}
    for index, product in enumerate(products):
        for spec in fields:
            value = (old_rows.get(product) or {}).get(spec.key)
            blocks.append(
                _input(
                    block_id(index, spec),
                    _("{product} · {field}", product=clip(product, 60), field=field_label(spec.key)),
                    "" if value is None else str(value),
                    optional=not spec.required,
                    hint=field_hint(spec.key),
                    limit=12 if spec.number else MAX_TEXT,
                )
            )
    blocks.append(
        _input(
            NOTE_BLOCK,
            _("Note for the review"),
            previous.note if previous else "",
            optional=True,
            limit=MAX_NOTE,
        )
    )
    metadata = {"month": plan_month, "team": team, "products": len(products)}
    # TRANSLATORS: a form's title, at most 24 characters with the month (e.g. "Review · 2026-12").
    title = _("Review · {month}", month=plan_month)
    return _modal(ReviewView.SUBMIT, title, _("Submit"), blocks, metadata)


def _known(row: PlanRow) -> str:
    """What the departments submitted for a row, as the adjust form's hint."""
    forecast = (
        _("forecast {n}", n=number(row.forecast)) if row.forecast is not None else _("forecast missing")
    )
    achievable = (
        _("achievable {n}", n=number(row.achievable))
        if row.achievable is not None
        else _("achievable missing")
    )
    if row.materials_unconstrained:
        materials = _("materials unconstrained")
    elif row.securable is not None:
        materials = _("materials {n}", n=number(row.securable))
    else:
        materials = _("materials missing")
    # TRANSLATORS: between the parts of a hint, e.g. "forecast 1,000; achievable 900".
    return p_("hint separator", "; ").join((forecast, achievable, materials))


def adjust_modal(plan_month: str, rows: list[PlanRow], drafts: list | None = None) -> dict:
    blocks = [
        context(
            _(
                "Set the agreed quantity of each product for *{month}*. Capacity and material targets "
                "follow from it with the configured buffers. Saving approves the plan.",
                month=month(plan_month),
            )
        )
    ]
    for index, row in enumerate(rows):
        blocks.append(
            _input(
                f"p{index}.agreed",
                _("{product} · agreed quantity", product=clip(row.product, 60)),
                "" if row.agreed is None else str(row.agreed),
                optional=False,
                hint=clip(_known(row), 150),
                limit=12,
            )
        )
    blocks.append(
        _input(
            NOTE_BLOCK,
            _("Why it was adjusted"),
            "",
            optional=True,
            hint=_("Required when an agreed quantity is above production's capacity or supply's materials"),
            limit=MAX_NOTE,
        )
    )
    metadata: dict = {"month": plan_month, "products": len(rows)}
    if drafts is not None:
        slots, metadata["followups"], metadata["hidden"] = followups.form_blocks(drafts, 100 - len(blocks))
        blocks += slots
    return _modal(ReviewView.ADJUST, _("Adjust plan"), _("Approve plan"), blocks, metadata)


MODAL_SECTIONS = 98  # a modal holds 100 blocks: the intro and a line for what did not fit


def submission_modal(
    team: str, plan_month: str, submission: ReviewSubmission | None, products: list[str]
) -> dict:
    """A department's whole submission for a plan month, every note uncut (read only)."""
    label = month(plan_month)
    if submission is None:
        blocks = [
            section(_("{team} has not submitted numbers for {month}.", team=team_label(team), month=label))
        ]
    else:
        blocks = [
            context(
                _(
                    "{team} · plan for {month} · submitted by {person} {when}",
                    team=team_label(team),
                    month=label,
                    person=mention(submission.submitted_by),
                    when=when(submission.submitted_at),
                )
            )
        ]
        fields = [spec.key for spec in TEAM_FIELDS[team]]
        listed = [p for p in products if submission.rows.get(p)]
        listed += [p for p in submission.rows if p not in products and submission.rows.get(p)]
        sections = []
        for product in listed:
            row = submission.rows[product]
            lines = [_("*{product}*", product=esc_clip(product, 120))]
            for key in fields:
                value = row.get(key)
                if value is None or value == "":
                    continue
                shown = number(value) if isinstance(value, int) else esc(str(value))
                lines.append(_("{field}: {value}", field=field_label(key), value=shown))
            sections.append(section("\n".join(lines)))
        if submission.note:
            sections.append(section(_("*Note for the review*\n{note}", note=esc(submission.note))))
        room = MODAL_SECTIONS - 1
        if len(sections) > room:
            left = len(sections) - (room - 1)
            sections = sections[: room - 1]
            sections.append(
                context(
                    n_(
                        "…and {n} more product, too many for one form.",
                        "…and {n} more products, too many for one form.",
                        left,
                    )
                )
            )
        blocks += sections
    # TRANSLATORS: a form's title, at most 24 characters.
    title = _("Submission · {month}", month=plan_month)
    return {
        "type": "modal",
        "title": _plain(clip(title, 24)),
        "close": _plain(clip(_("Close"), 24)),
        "blocks": blocks,
    }
