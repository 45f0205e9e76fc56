"""Pure Block Kit builders for an order's life after commitment: the status message with its
buttons, the card's extra lines, problems, changes and their acknowledgement clock.

Every sentence comes from the catalog in the language being built (bot/text); whether the
materials are late is decided by workflows.after_commit.materials_late, not here."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.ids import AfterCommit, acknowledge_action
from bot.kit import actions, button, context, section
from bot.mrkdwn import day, esc_clip, esc_name, mention_all, number, when
from bot.phrases import confirm_window, team_label
from bot.text import _, n_, p_
from storage.models import ChangeAck, Order, OrderChange, OrderStatus, Problem
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
    change: OrderChange | None = None  # the change still waiting for an acknowledgement
    acks: dict[str, ChangeAck] = field(default_factory=dict)


def team_word(team: str) -> str:
    """A team as a sentence names it in passing ("production's acknowledgement")."""
    words = {
        "sales": p_("team word", "sales"),
        "production": p_("team word", "production"),
        "supply": p_("team word", "supply"),
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
    return [team for team, ack in acks.items() if ack.acked_at is None]


def waiting_teams(waiting: list[str]) -> str:
    """Who still owes an acknowledgement, as one phrase ("production and supply")."""
    if set(waiting) == {"production", "supply"}:
        return p_("team word", "production and supply")
    if not waiting:
        return p_("team word", "nobody")
    return team_word(waiting[0])


def pending_line(facts: AfterFacts) -> str | None:
    if facts.change is None or facts.order.status != OrderStatus.COMMITTED:
        return None  # a delivered order's unacknowledged change is history, not a pending task
    waiting = _waiting(facts.acks)
    due = min((facts.acks[t].due_at for t in waiting), default=None)
    overdue = any(facts.acks[t].escalated_at for t in waiting)
    data = {"change": describe_change(facts.change), "teams": waiting_teams(waiting)}
    if overdue:
        return _(
            ":pencil2: *Pending change*: {change} · not acknowledged yet by {teams}, "
            ":rotating_light: *OVERDUE* since {due}",
            due=when(due),
            **data,
        )
    if due:
        return _(
            ":pencil2: *Pending change*: {change} · not acknowledged yet by {teams}, due {due}",
            due=when(due),
            **data,
        )
    return _(":pencil2: *Pending change*: {change} · not acknowledged yet by {teams}", **data)


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
    lines += [line for line in (problems_line(facts.open_problems, listed=0), pending_line(facts)) if line]
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
        for line in (pending_line(facts), problems_line(facts.open_problems, listed=LISTED_PROBLEMS))
        if line
    ]
    buttons = []
    if order.status == OrderStatus.COMMITTED:
        if order.materials_arrived_date is None:
            buttons.append(button(p_("button", "Materials arrived"), AfterCommit.A_MATERIALS, value))
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


def _ack_status(ack: ChangeAck) -> str:
    if ack.acked_at is not None:
        if ack.late:
            return _(
                ":white_check_mark: acknowledged by <@{user}> {at} _(late)_",
                user=ack.acked_by,
                at=when(ack.acked_at),
            )
        return _(
            ":white_check_mark: acknowledged by <@{user}> {at}", user=ack.acked_by, at=when(ack.acked_at)
        )
    if ack.escalated_at is not None:
        return _(":rotating_light: *OVERDUE* · was due {due}", due=when(ack.due_at))
    return _("waiting · due {due}", due=when(ack.due_at))


def acknowledge_label(team: str) -> str:
    if team == "production":
        return p_("button", "Acknowledge for production")
    if team == "supply":
        return p_("button", "Acknowledge for supply")
    return p_("button", "Acknowledge")


def change_message(order: Order, change: OrderChange, acks: dict[str, ChangeAck], config: Config) -> Message:
    text = _(
        ":pencil2: Committed order {order} was changed by <@{user}> {at}: *{change}*\n>{reason}\n"
        "{teams}: within {window}, please acknowledge that you have seen it.",
        order=order.number,
        user=change.requested_by,
        at=when(change.requested_at),
        change=describe_change(change),
        reason=esc_clip(change.reason, 1200),
        teams=mention_all(config.teams.production + config.teams.supply),
        window=confirm_window(config),
    )
    status = "\n".join(
        _("*{team}:* {status}", team=team_label(team), status=_ack_status(ack)) for team, ack in acks.items()
    )
    blocks = [section(text), section(status)]
    buttons = [
        button(acknowledge_label(team), acknowledge_action(team), str(ack.id), "primary")
        for team, ack in acks.items()
        if ack.acked_at is None
    ]
    if buttons:
        blocks.append(actions(*buttons))
    return {
        "text": _("{order} changed: {change}", order=order.number, change=describe_change(change)),
        "blocks": blocks,
    }


def _ack_button(ack: ChangeAck) -> dict:
    return actions(button(acknowledge_label(ack.team), acknowledge_action(ack.team), str(ack.id), "primary"))


def change_reminder(order: Order, change: OrderChange, ack: ChangeAck, config: Config) -> Message:
    text = _(
        ":alarm_clock: {who} reminder: the change to {order} ({change}) still needs {team}'s "
        "acknowledgement. Due *{due}* ({window} after the change).",
        who=mention_all(getattr(config.teams, ack.team)),
        order=order.number,
        change=describe_change(change),
        team=team_word(ack.team),
        due=when(ack.due_at),
        window=confirm_window(config),
    )
    return {
        "text": _("Reminder: acknowledge the change to {order}", order=order.number),
        "blocks": [section(text), _ack_button(ack)],
    }


def change_reminder_dm(
    order: Order, change: OrderChange, ack: ChangeAck, link: str | None, config: Config
) -> Message:
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
            ":alarm_clock: {order} (<{link}|thread>) for {customer} was changed: {change}. It needs {team}'s "
            "acknowledgement by *{due}* ({window} after the change).",
            link=link,
            **data,
        )
    else:
        text = _(
            ":alarm_clock: {order} for {customer} was changed: {change}. It needs {team}'s acknowledgement "
            "by *{due}* ({window} after the change).",
            **data,
        )
    return {
        "text": _("Reminder: acknowledge the change to {order}", order=order.number),
        "blocks": [section(text), _ack_button(ack)],
    }


def change_escalation(order: Order, change: OrderChange, ack: ChangeAck, config: Config) -> Message:
    text = _(
        ":rotating_light: {managers} {order} was changed ({change}) and {team_members} did not "
        "acknowledge it within {window}, by {due}. This is recorded as a breach for {team}. "
        "A late acknowledgement is still accepted.",
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
            "Overdue: {team} has not acknowledged the change to {order}",
            team=team_word(ack.team),
            order=order.number,
        ),
        "blocks": [section(text), _ack_button(ack)],
    }
