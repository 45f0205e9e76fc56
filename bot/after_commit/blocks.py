"""Pure Block Kit builders for an order's life after commitment: the status message with its
buttons, the card's extra lines, problems, changes and their acknowledgement clock.

Every sentence comes from the catalog in the language being built (bot/text); whether the
materials are late is decided by workflows.after_commit.materials_late, not here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace

from bot.ids import AfterCommit, acknowledge_action
from bot.kit import actions, button, context, section
from bot.mrkdwn import day, esc_clip, esc_name, mention_all, number, when
from bot.phrases import confirm_window, team_label
from bot.text import _, n_, p_
from storage.models import ChangeAck, ChangeOrigin, ChangeStatus, Order, OrderChange, OrderStatus, Problem
from workflows.config import Config

Message = dict
LISTED_PROBLEMS = 5


@dataclass(frozen=True)
class AfterFacts:
    """What the after-commitment message and the card show, read from the database at render time."""

    order: Order
    promised: date | None  # supply's promised material date
    late: bool  # workflows.after_commit.materials_late at render time
    open_problems: list[Problem] = field(default_factory=list)
    change: OrderChange | None = None  # the change not settled yet (ChangeStatus.PENDING)
    acks: dict[str, ChangeAck] = field(default_factory=dict)
    slip: dict | None = None  # the last "material_date_slipped" event's data


def team_word(team: str) -> str:
    """A team as a sentence names it in passing ("production's acknowledgement")."""
    words = {
        "sales": p_("team word", "sales"),
        "production": p_("team word", "production"),
        "supply": p_("team word", "supply"),
        "managers": p_("team word", "the managers"),
    }
    return words.get(team, team)


def vs_promised(actual: date, promised: date | None) -> str:
    """How an arrival compares with supply's promise, as a phrase of its own."""
    if promised is None:
        return _("no promised date to compare (promised —)")
    days = (actual - promised).days
    if days > 0:
        return n_(
            ":warning: *{n} day late* (promised {day})",
            ":warning: *{n} days late* (promised {day})",
            days,
            day=day(promised),
        )
    if days < 0:
        return n_(
            "{n} day early (promised {day})", "{n} days early (promised {day})", -days, day=day(promised)
        )
    return _("on time (promised {day})", day=day(promised))


def vs_committed(actual: date, committed: date) -> str:
    """How a delivery compares with the committed date, as a phrase of its own."""
    days = (actual - committed).days
    if days > 0:
        return n_(
            ":warning: *{n} day late* (committed {day})",
            ":warning: *{n} days late* (committed {day})",
            days,
            day=day(committed),
        )
    if days < 0:
        return n_(
            "{n} day early (committed {day})", "{n} days early (committed {day})", -days, day=day(committed)
        )
    return _("on time (committed {day})", day=day(committed))


def materials_line(facts: AfterFacts) -> str:
    order = facts.order
    if order.materials_arrived_date is not None:
        return _(
            ":package: *Materials arrived* {day} · {comparison} · <@{user}>",
            day=day(order.materials_arrived_date),
            comparison=vs_promised(order.materials_arrived_date, facts.promised),
            user=order.materials_recorded_by,
        )
    if order.status != OrderStatus.COMMITTED:  # closed: nobody will record the arrival any more
        return _(":package: Materials arrival was not recorded")
    if facts.late:
        return _(
            ":warning: *Materials late*: promised for {day}, no arrival recorded yet", day=day(facts.promised)
        )
    return _(":package: Materials promised for {day}, not arrived yet", day=day(facts.promised))


def delivery_line(order: Order) -> str:
    if order.delivered_date is None:
        return _(":calendar: Delivery committed for *{day}*", day=day(order.committed_date))
    return _(
        ":truck: *Delivered* {day} · {comparison} · <@{user}>",
        day=day(order.delivered_date),
        comparison=vs_committed(order.delivered_date, order.committed_date),
        user=order.delivered_by,
    )


def describe_change(change: OrderChange) -> str:
    """What a change changed: the change is data (before/after values), worded here."""
    before_qty, after_qty = change.before.get("quantity"), change.after.get("quantity")
    qty = before_qty != after_qty
    dates = change.before.get("committed_date") != change.after.get("committed_date")
    data = {
        "before_quantity": number(before_qty),
        "after_quantity": number(after_qty),
        "before_date": day(_date(change.before)),
        "after_date": day(_date(change.after)),
    }
    if qty and dates:
        return _(
            "quantity {before_quantity} → {after_quantity}, delivery date {before_date} → {after_date}",
            **data,
        )
    if qty:
        return _("quantity {before_quantity} → {after_quantity}", **data)
    if dates:
        return _("delivery date {before_date} → {after_date}", **data)
    return _("no field changed")


def _date(values: dict) -> date | None:
    text = values.get("committed_date")
    return date.fromisoformat(text) if text else None


def _waiting(acks: dict[str, ChangeAck]) -> list[str]:
    return [team for team, ack in acks.items() if ack.acked_at is None and team in ("production", "supply")]


def waiting_teams(waiting: list[str]) -> str:
    """Who still owes an acknowledgement, as one phrase ("production and supply")."""
    if set(waiting) == {"production", "supply"}:
        return p_("team word", "production and supply")
    if not waiting:
        return p_("team word", "nobody")
    return team_word(waiting[0])


def origin_word(origin: str) -> str:
    """Who asked for a change, as a phrase of its own."""
    if origin == ChangeOrigin.INTERNAL:
        return p_("change origin", "internal")
    return p_("change origin", "the customer")


def pending_line(facts: AfterFacts) -> str | None:
    if facts.change is None or facts.order.status != OrderStatus.COMMITTED:
        return None  # a delivered order's unsettled change is history, not a pending task
    change = describe_change(facts.change)
    if facts.change.status == ChangeStatus.RETURNED:
        return _(
            ":pencil2: *Change returned to sales*: {change} · the current commitment stays in force",
            change=change,
        )
    if facts.change.status == ChangeStatus.AWAITING_APPROVAL:
        return _(
            ":pencil2: *Change waits for a manager*: {change} · the current commitment stays in force",
            change=change,
        )
    waiting = _waiting(facts.acks)
    due = min((facts.acks[t].due_at for t in waiting), default=None)
    overdue = any(facts.acks[t].escalated_at for t in waiting)
    data = {"change": change, "teams": waiting_teams(waiting), "origin": origin_word(facts.change.origin)}
    if overdue:
        return _(
            ":pencil2: *Pending change* (asked by {origin}): {change} · not answered yet by {teams}, "
            ":rotating_light: *OVERDUE* since {due}",
            due=when(due),
            **data,
        )
    if due:
        return _(
            ":pencil2: *Pending change* (asked by {origin}): {change} · not answered yet by {teams}, "
            "due {due}",
            due=when(due),
            **data,
        )
    return _(":pencil2: *Pending change* (asked by {origin}): {change} · not answered yet by {teams}", **data)


def slip_line(slip: dict | None) -> str | None:
    if not slip:
        return None
    data = {
        "day": day(date.fromisoformat(slip["material_date"])),
        "earliest": day(date.fromisoformat(slip["earliest"])),
    }
    if slip.get("infeasible"):
        return _(
            ":rotating_light: *New material date* {day}: the committed date can no longer be made "
            "(earliest {earliest})",
            **data,
        )
    return _(":package: *New material date* {day} (earliest delivery {earliest})", **data)


def problems_line(problems: list[Problem], *, listed: int) -> str | None:
    if not problems:
        return None
    count = len(problems)
    head = n_(":rotating_light: *{n} open problem*", ":rotating_light: *{n} open problems*", count)
    items = [
        "\n"
        + _("• {team} must act: {problem}", team=team_label(p.team), problem=esc_clip(p.description, 150))
        for p in problems[:listed]
    ]
    more = (
        "\n" + n_("…and {n} more in the thread", "…and {n} more in the thread", count - listed)
        if 0 < listed < count
        else ""
    )
    return head + "".join(items) + more


def card_blocks(facts: AfterFacts) -> list[dict]:
    """Extra lines on the order card once the order is committed."""
    lines = [materials_line(facts)]
    if facts.order.delivered_date is not None:
        lines.append(delivery_line(facts.order))
    extra = (slip_line(facts.slip), problems_line(facts.open_problems, listed=0), pending_line(facts))
    lines += [line for line in extra if line]
    return [section("\n".join(lines))]


def after_message(facts: AfterFacts) -> Message:
    order = facts.order
    value = str(order.id)
    lines = [
        _(
            "*After commitment* · {order}: {quantity} × {product} for {customer}",
            order=order.number,
            quantity=number(order.quantity),
            product=esc_name(order.product),
            customer=esc_name(order.customer),
        ),
        delivery_line(order),
        materials_line(facts),
    ]
    lines += [
        line
        for line in (
            slip_line(facts.slip),
            pending_line(facts),
            problems_line(facts.open_problems, listed=LISTED_PROBLEMS),
        )
        if line
    ]
    buttons = []
    if order.status == OrderStatus.COMMITTED:
        if order.materials_arrived_date is None:
            buttons.append(button(p_("button", "Materials arrived"), AfterCommit.A_MATERIALS, value))
            buttons.append(button(p_("button", "New material date"), AfterCommit.A_SLIP, value))
        buttons.append(button(p_("button", "Delivered"), AfterCommit.A_DELIVERED, value, "primary"))
        buttons.append(button(p_("button", "Change order"), AfterCommit.A_CHANGE, value))
    buttons.append(button(p_("button", "Raise a problem"), AfterCommit.A_RAISE, value, "danger"))
    blocks = [section("\n".join(lines)), actions(*buttons)]
    if order.status == OrderStatus.COMMITTED:
        blocks.append(
            context(
                _(
                    "Supply records the materials' arrival · sales records the delivery and changes "
                    "the order · sales, production or supply can raise a problem"
                )
            )
        )
    return {"text": _("{order}: after commitment", order=order.number), "blocks": blocks}


def materials_note(order: Order, promised: date | None, notes: str) -> Message:
    text = _(
        ":package: <@{user}> recorded the materials for {order} as arrived on *{day}*: {comparison}.",
        user=order.materials_recorded_by,
        order=order.number,
        day=day(order.materials_arrived_date),
        comparison=vs_promised(order.materials_arrived_date, promised),
    )
    if notes:
        text += f"\n>{esc_clip(notes, 1500)}"
    return {"text": _("{order}: materials arrived", order=order.number), "blocks": [section(text)]}


def delivered_note(order: Order) -> Message:
    text = _(
        ":truck: <@{user}> recorded {order} as delivered on *{day}*: {comparison}.",
        user=order.delivered_by,
        order=order.number,
        day=day(order.delivered_date),
        comparison=vs_committed(order.delivered_date, order.committed_date),
    )
    return {"text": _("{order} delivered", order=order.number), "blocks": [section(text)]}


def late_flag(order: Order, promised: date, config: Config) -> Message:
    if order.materials_arrived_date is not None:
        text = _(
            "~Materials for {order} late~ · arrived {day}.",
            order=order.number,
            day=day(order.materials_arrived_date),
        )
        return {"text": _("{order}: materials arrived", order=order.number), "blocks": [section(text)]}
    text = _(
        ":warning: {supply} the materials for {order} were promised for *{day}* and no arrival is recorded. "
        "Press *Materials arrived* when they come in, or raise a problem if they are delayed. "
        "<@{salesperson}>, the customer may need to hear about it.",
        supply=mention_all(config.teams.supply),
        order=order.number,
        day=day(promised),
        salesperson=order.salesperson,
    )
    return {"text": _("{order}: materials are late", order=order.number), "blocks": [section(text)]}


def problem_message(order: Order, problem: Problem, config: Config) -> Message:
    quote = f">{esc_clip(problem.description, 2000)}"
    if problem.resolved_at is not None:
        text = _(
            ":white_check_mark: ~Problem on {order}~ resolved by <@{resolver}> {resolved_at} "
            "({team} had to act; raised by <@{raiser}> {raised_at})\n{quote}",
            order=order.number,
            resolver=problem.resolved_by,
            resolved_at=when(problem.resolved_at),
            team=team_label(problem.team),
            raiser=problem.raised_by,
            raised_at=when(problem.raised_at),
            quote=quote,
        )
        return {"text": _("{order}: problem resolved", order=order.number), "blocks": [section(text)]}
    text = _(
        ":warning: {who} *Problem on {order}* for {team} to act on (raised by <@{raiser}> {raised_at}):\n"
        "{quote}\nPress *Resolved* once it is sorted out. <@{salesperson}> (sales on this order), "
        "the customer may need to hear about it.",
        who=mention_all(getattr(config.teams, problem.team)),
        order=order.number,
        team=team_word(problem.team),
        raiser=problem.raised_by,
        raised_at=when(problem.raised_at),
        quote=quote,
        salesperson=order.salesperson,
    )
    return {
        "text": _("{order}: problem for {team}", order=order.number, team=team_word(problem.team)),
        "blocks": [
            section(text),
            actions(button(p_("button", "Resolved"), AfterCommit.A_RESOLVE, str(problem.id), "primary")),
        ],
    }


def _answer_status(ack: ChangeAck) -> str:
    if ack.acked_at is not None:
        data = {"user": ack.acked_by, "at": when(ack.acked_at)}
        if ack.can_do is False:
            return _(":x: *no* · <@{user}> {at}: {notes}", notes=esc_clip(ack.notes, 300) or "—", **data)
        if ack.lead_time_days is not None:
            return n_(
                ":white_check_mark: yes, lead time {n} day · <@{user}> {at}",
                ":white_check_mark: yes, lead time {n} days · <@{user}> {at}",
                ack.lead_time_days,
                **data,
            )
        if ack.material_date is not None:
            return _(
                ":white_check_mark: yes, materials by {day} · <@{user}> {at}",
                day=day(ack.material_date),
                **data,
            )
        return _(":white_check_mark: acknowledged by <@{user}> {at}", **data)
    if ack.escalated_at is not None:
        return _(":rotating_light: *OVERDUE* · was due {due}", due=when(ack.due_at))
    return _("waiting · due {due}", due=when(ack.due_at))


def answer_label(team: str) -> str:
    if team == "production":
        return p_("button", "Answer for production")
    if team == "supply":
        return p_("button", "Answer for supply")
    return p_("button", "Answer")


def _outcome(change: OrderChange) -> str | None:
    """The change's state once it no longer waits for the teams' answers."""
    if change.status == ChangeStatus.APPLIED:
        return _(":white_check_mark: Agreed and applied: this is the commitment now.")
    if change.status == ChangeStatus.RETURNED:
        return _(":leftwards_arrow_with_hook: Returned to sales: the previous commitment stays in force.")
    if change.status == ChangeStatus.WITHDRAWN:
        return _("Withdrawn by sales: the previous commitment stays in force.")
    if change.status == ChangeStatus.REVISED:
        return _("Replaced by a revised change, asked again below.")
    if change.status == ChangeStatus.REJECTED:
        return _(":no_entry: Rejected by a manager: the previous commitment stays in force.")
    if change.status == ChangeStatus.AWAITING_APPROVAL:
        return _("Production and supply agreed; it is beyond what can be made and waits for a manager.")
    return None


def change_message(order: Order, change: OrderChange, acks: dict[str, ChangeAck], config: Config) -> Message:
    text = _(
        ":pencil2: <@{user}> asks a change to committed order {order} {at}: *{change}*\n"
        "Asked by: {origin}\n>{reason}\n"
        "{teams}: within {window}, please answer whether you can make it as changed. "
        "The current commitment stays in force until both of you agree.",
        order=order.number,
        user=change.requested_by,
        at=when(change.requested_at),
        change=describe_change(change),
        origin=origin_word(change.origin),
        reason=esc_clip(change.reason, 1200),
        teams=mention_all(config.teams.production + config.teams.supply),
        window=confirm_window(config),
    )
    answers = {team: ack for team, ack in acks.items() if team in ("production", "supply")}
    status = "\n".join(
        _("*{team}:* {status}", team=team_label(team), status=_answer_status(ack))
        for team, ack in answers.items()
    )
    blocks = [section(text), section(status)]
    outcome = _outcome(change)
    if outcome:
        blocks.append(context(outcome))
    buttons = [
        button(answer_label(team), acknowledge_action(team), str(ack.id), "primary")
        for team, ack in answers.items()
        if ack.acked_at is None
    ]
    if buttons and change.status == ChangeStatus.ASKED:
        blocks.append(actions(*buttons))
    return {
        "text": _("{order} change asked: {change}", order=order.number, change=describe_change(change)),
        "blocks": blocks,
    }


def _answer_button(ack: ChangeAck) -> dict:
    return actions(button(answer_label(ack.team), acknowledge_action(ack.team), str(ack.id), "primary"))


def _decision_buttons(ack: ChangeAck) -> dict:
    from bot.orders import blocks as ob

    value = f"change:{ack.id}"
    return actions(
        button(
            _("Approve promise"),
            ob.APPROVE_PROMISE,
            value,
            "primary",
            confirm=_("The change is applied as asked and the plan's buffer released for it."),
        ),
        button(_("Reject"), ob.REJECT_PROMISE, value, "danger"),
    )


def _clock_buttons(ack: ChangeAck) -> dict:
    return _decision_buttons(ack) if ack.team == "managers" else _answer_button(ack)


def _managers_reminder(order: Order, change: OrderChange, ack: ChangeAck, config: Config) -> Message:
    """The managers' decision on a change beyond what can be made, still open: thread and DM alike."""
    text = _(
        ":alarm_clock: {who} reminder: the change to {order} ({change}) is beyond what can be made and "
        "still needs a manager's decision. Due *{due}*.",
        who=mention_all(config.teams.managers),
        order=order.number,
        change=describe_change(change),
        due=when(ack.due_at),
    )
    return {
        "text": _("Reminder: decide the change to {order}", order=order.number),
        "blocks": [section(text), _decision_buttons(ack)],
    }


def change_reminder(order: Order, change: OrderChange, ack: ChangeAck, config: Config) -> Message:
    if ack.team == "managers":
        return _managers_reminder(order, change, ack, config)
    text = _(
        ":alarm_clock: {who} reminder: the change to {order} ({change}) still needs {team}'s "
        "answer. Due *{due}* ({window} after it was asked).",
        who=mention_all(getattr(config.teams, ack.team)),
        order=order.number,
        change=describe_change(change),
        team=team_word(ack.team),
        due=when(ack.due_at),
        window=confirm_window(config),
    )
    return {
        "text": _("Reminder: answer the change to {order}", order=order.number),
        "blocks": [section(text), _clock_buttons(ack)],
    }


def change_reminder_dm(
    order: Order, change: OrderChange, ack: ChangeAck, link: str | None, config: Config
) -> Message:
    if ack.team == "managers":
        return _managers_reminder(order, change, ack, config)
    data = {
        "order": order.number,
        "customer": esc_name(order.customer),
        "change": describe_change(change),
        "team": team_word(ack.team),
        "due": when(ack.due_at),
        "window": confirm_window(config),
    }
    if link:
        text = _(
            ":alarm_clock: A change to {order} (<{link}|thread>) for {customer} was asked: {change}. "
            "It needs {team}'s answer by *{due}* ({window} after it was asked).",
            link=link,
            **data,
        )
    else:
        text = _(
            ":alarm_clock: A change to {order} for {customer} was asked: {change}. It needs {team}'s "
            "answer by *{due}* ({window} after it was asked).",
            **data,
        )
    return {
        "text": _("Reminder: answer the change to {order}", order=order.number),
        "blocks": [section(text), _clock_buttons(ack)],
    }


def change_escalation(order: Order, change: OrderChange, ack: ChangeAck, config: Config) -> Message:
    if ack.team == "managers":
        text = _(
            ":rotating_light: {managers} the change to {order} ({change}) waits for a manager's decision "
            "since {due}; the current commitment stays in force until one of you decides.",
            managers=mention_all(config.teams.managers),
            order=order.number,
            change=describe_change(change),
            due=when(ack.due_at),
        )
        return {
            "text": _("Overdue: a manager's decision on the change to {order}", order=order.number),
            "blocks": [section(text), _decision_buttons(ack)],
        }
    text = _(
        ":rotating_light: {managers} a change to {order} was asked ({change}) and {team_members} did not "
        "answer it within {window}, by {due}. This is recorded as a breach for {team}. "
        "A late answer is still accepted.",
        managers=mention_all(config.teams.managers),
        order=order.number,
        change=describe_change(change),
        team_members=mention_all(getattr(config.teams, ack.team)),
        window=confirm_window(config),
        due=when(ack.due_at),
        team=team_word(ack.team),
    )
    return {
        "text": _(
            "Overdue: {team} has not answered the change to {order}",
            team=team_word(ack.team),
            order=order.number,
        ),
        "blocks": [section(text), _clock_buttons(ack)],
    }


def _commitment(order: Order) -> str:
    return _("{quantity} by {day}", quantity=number(order.quantity), day=day(order.committed_date))


def change_returned(order: Order, change: OrderChange, acks: dict[str, ChangeAck]) -> Message:
    """A team said no: the change goes back to the salesperson, who revises or withdraws it."""
    no = next((a for a in acks.values() if a.can_do is False), None)
    data = {
        "salesperson": order.salesperson,
        "order": order.number,
        "change": describe_change(change),
        "team": team_word(no.team if no else ""),
        "notes": esc_clip(no.notes if no else "", 600) or "—",
        "commitment": _commitment(order),
    }
    fallback = _("{order}: the change was returned to sales", order=order.number)
    if change.status != ChangeStatus.RETURNED:
        settled = (
            _(
                "~The change to {order} ({change}) came back from {team}.~ "
                "Withdrawn: the commitment stays {commitment}.",
                **data,
            )
            if change.status == ChangeStatus.WITHDRAWN
            else _(
                "~The change to {order} ({change}) came back from {team}.~ Revised and asked again.", **data
            )
        )
        return {"text": fallback, "blocks": [section(settled)]}
    text = _(
        ":leftwards_arrow_with_hook: <@{salesperson}> {team} cannot take the change to {order} ({change}):\n"
        ">{notes}\nThe current commitment ({commitment}) stays in force. Revise the change (production "
        "and supply are asked again) or withdraw it.",
        **data,
    )
    value = str(change.id)
    return {
        "text": fallback,
        "blocks": [
            section(text),
            actions(
                button(p_("button", "Revise change"), AfterCommit.A_REVISE_CHANGE, value, "primary"),
                button(p_("button", "Withdraw change"), AfterCommit.A_WITHDRAW_CHANGE, value),
            ),
        ],
    }


def change_approval(
    order: Order, change: OrderChange, ack: ChangeAck, proposal: dict, config: Config
) -> Message:
    """Both teams agreed a change beyond what can be made: the managers approve or reject it."""
    from bot.orders import blocks as ob

    fallback = _("{order}: a change beyond the plan needs a manager", order=order.number)
    data = {"order": order.number, "change": describe_change(change)}
    if ack.acked_at is not None:
        if ack.can_do:
            text = _(
                ":white_check_mark: <@{user}> approved the change to {order} ({change}).",
                user=ack.acked_by,
                **data,
            )
        else:
            text = _(
                ":no_entry: <@{user}> rejected the change to {order} ({change}).", user=ack.acked_by, **data
            )
        return {"text": fallback, "blocks": [section(text)]}
    shown = SimpleNamespace(quantity=change.after.get("quantity"), line=order.line)
    problems = "\n".join(ob._problems(proposal, shown))
    text = _(
        "{managers} *Approve a change beyond the plan?* <@{user}> asks {order} to change ({change}); "
        "production and supply agreed, but:\n{problems}\nSales' reason: {reason}",
        managers=mention_all(config.teams.managers),
        user=change.requested_by,
        problems=problems,
        reason=esc_clip(change.override_reason, 600) or "—",
        **data,
    )
    return {"text": fallback, "blocks": [section(text), _decision_buttons(ack)]}


def change_applied(order: Order, change: OrderChange) -> Message:
    text = _(
        ":white_check_mark: The change to {order} is agreed and applied: {change}. The commitment is now "
        "{commitment}. <@{salesperson}>, please confirm it with the customer.",
        order=order.number,
        change=describe_change(change),
        commitment=_commitment(order),
        salesperson=order.salesperson,
    )
    return {"text": _("{order}: change applied", order=order.number), "blocks": [section(text)]}


def change_rejected(order: Order, change: OrderChange, ack: ChangeAck) -> Message:
    text = _(
        ":no_entry: <@{salesperson}> <@{manager}> rejected the change to {order} ({change}):\n>{reason}\n"
        "The current commitment ({commitment}) stays in force.",
        salesperson=order.salesperson,
        manager=ack.acked_by,
        order=order.number,
        change=describe_change(change),
        reason=esc_clip(ack.notes, 600) or "—",
        commitment=_commitment(order),
    )
    return {"text": _("{order}: change rejected", order=order.number), "blocks": [section(text)]}


def material_slip(order: Order, actor: str, slip: dict, config: Config) -> Message:
    data = {
        "user": actor,
        "order": order.number,
        "day": day(date.fromisoformat(slip["material_date"])),
        "reason": esc_clip(slip.get("reason") or "", 600),
        "earliest": day(date.fromisoformat(slip["earliest"])),
        "committed": day(date.fromisoformat(slip["committed_date"])),
    }
    if slip.get("infeasible"):
        text = _(
            ":rotating_light: <@{salesperson}> {managers} <@{user}> recorded a new material date for "
            "{order}: *{day}*.\n>{reason}\nWith production's lead time the earliest feasible delivery is now "
            "*{earliest}*, after the committed date {committed}. The customer may need to hear about it.",
            salesperson=order.salesperson,
            managers=mention_all(config.teams.managers),
            **data,
        )
        return {
            "text": _("{order}: the committed date can no longer be made", order=order.number),
            "blocks": [section(text)],
        }
    text = _(
        ":package: <@{user}> recorded a new material date for {order}: *{day}*.\n>{reason}\n"
        "The committed date {committed} can still be made (earliest {earliest}).",
        **data,
    )
    return {"text": _("{order}: new material date", order=order.number), "blocks": [section(text)]}
