"""Pure Block Kit builders for an order's life after commitment: the status message with its
buttons, the card's extra lines, problems, changes and their acknowledgement clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.ids import AfterCommit, acknowledge_action
from bot.mrkdwn import day, esc_clip, esc_name, mention_all, when
from bot.orders.blocks import actions, button, context, section
from storage.models import ChangeAck, Order, OrderChange, OrderStatus, Problem
from workflows.config import Config

Message = dict
TEAM_LABEL = {"sales": "Sales", "production": "Production", "supply": "Supply"}
LISTED_PROBLEMS = 5


@dataclass(frozen=True)
class AfterFacts:
    """What the after-commitment message and the card show, read from the database at render time."""

    order: Order
    promised: date | None  # supply's promised material date
    today: date  # in the configured zone: decides whether the materials are late
    open_problems: list[Problem] = field(default_factory=list)
    change: OrderChange | None = None  # the change still waiting for an acknowledgement
    acks: dict[str, ChangeAck] = field(default_factory=dict)


def compare(actual: date, promised: date | None) -> str:
    if promised is None:
        return "no promised date to compare"
    days = (actual - promised).days
    if days > 0:
        return f":warning: *{days} day{'s' if days != 1 else ''} late*"
    if days < 0:
        return f"{-days} day{'s' if days != -1 else ''} early"
    return "on time"


def materials_late(facts: AfterFacts) -> bool:
    order = facts.order
    return (
        order.materials_arrived_date is None
        and order.status == OrderStatus.COMMITTED
        and facts.promised is not None
        and facts.today > facts.promised
    )


def materials_line(facts: AfterFacts) -> str:
    order = facts.order
    if order.materials_arrived_date is not None:
        return (
            f":package: *Materials arrived* {day(order.materials_arrived_date)} · "
            f"{compare(order.materials_arrived_date, facts.promised)} (promised {day(facts.promised)}) · "
            f"<@{order.materials_recorded_by}>"
        )
    if order.status != OrderStatus.COMMITTED:  # closed: nobody will record the arrival any more
        return ":package: Materials arrival was not recorded"
    if materials_late(facts):
        return f":warning: *Materials late*: promised for {day(facts.promised)}, no arrival recorded yet"
    return f":package: Materials promised for {day(facts.promised)}, not arrived yet"


def delivery_line(order: Order) -> str:
    if order.delivered_date is None:
        return f":calendar: Delivery committed for *{day(order.committed_date)}*"
    return (
        f":truck: *Delivered* {day(order.delivered_date)} · "
        f"{compare(order.delivered_date, order.committed_date)} (committed {day(order.committed_date)}) · "
        f"<@{order.delivered_by}>"
    )


def describe_change(change: OrderChange) -> str:
    parts = []
    if change.before.get("quantity") != change.after.get("quantity"):
        parts.append(f"quantity {change.before.get('quantity'):,} → {change.after.get('quantity'):,}")
    if change.before.get("committed_date") != change.after.get("committed_date"):
        parts.append(f"delivery date {day(_date(change.before))} → {day(_date(change.after))}")
    return ", ".join(parts) or "no field changed"


def _date(values: dict) -> date | None:
    text = values.get("committed_date")
    return date.fromisoformat(text) if text else None


def _waiting(acks: dict[str, ChangeAck]) -> list[str]:
    return [team for team, ack in acks.items() if ack.acked_at is None]


def pending_line(facts: AfterFacts) -> str | None:
    if facts.change is None or facts.order.status != OrderStatus.COMMITTED:
        return None  # a delivered order's unacknowledged change is history, not a pending task
    waiting = _waiting(facts.acks)
    due = min((facts.acks[t].due_at for t in waiting), default=None)
    overdue = any(facts.acks[t].escalated_at for t in waiting)
    who = " and ".join(waiting) or "nobody"
    clock = (
        f", :rotating_light: *OVERDUE* since {when(due)}" if overdue else f", due {when(due)}" if due else ""
    )
    return (
        f":pencil2: *Pending change*: {describe_change(facts.change)} · not acknowledged yet by {who}{clock}"
    )


def problems_line(problems: list[Problem], *, listed: int) -> str | None:
    if not problems:
        return None
    count = len(problems)
    head = f":rotating_light: *{count} open problem{'s' if count != 1 else ''}*"
    items = [f"\n• {TEAM_LABEL[p.team]} must act: {esc_clip(p.description, 150)}" for p in problems[:listed]]
    more = f"\n…and {count - listed} more in the thread" if 0 < listed < count else ""
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
        f"*After commitment* · {order.number}: {order.quantity:,} × {esc_name(order.product)} for "
        f"{esc_name(order.customer)}",
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
            buttons.append(button("Materials arrived", AfterCommit.A_MATERIALS, value))
        buttons.append(button("Delivered", AfterCommit.A_DELIVERED, value, "primary"))
        buttons.append(button("Change order", AfterCommit.A_CHANGE, value))
    buttons.append(button("Raise a problem", AfterCommit.A_RAISE, value, "danger"))
    blocks = [section("\n".join(lines)), actions(*buttons)]
    if order.status == OrderStatus.COMMITTED:
        blocks.append(
            context(
                "Supply records the materials' arrival · sales records the delivery and changes the order · "
                "sales, production or supply can raise a problem"
            )
        )
    return {"text": f"{order.number}: after commitment", "blocks": blocks}


def materials_note(order: Order, promised: date | None, notes: str) -> Message:
    text = (
        f":package: <@{order.materials_recorded_by}> recorded the materials for {order.number} as arrived on "
        f"*{day(order.materials_arrived_date)}*: {compare(order.materials_arrived_date, promised)} "
        f"(promised {day(promised)})."
    )
    if notes:
        text += f"\n>{esc_clip(notes, 1500)}"
    return {"text": f"{order.number}: materials arrived", "blocks": [section(text)]}


def delivered_note(order: Order) -> Message:
    text = (
        f":truck: <@{order.delivered_by}> recorded {order.number} as delivered on "
        f"*{day(order.delivered_date)}*: "
        f"{compare(order.delivered_date, order.committed_date)} (committed {day(order.committed_date)})."
    )
    return {"text": f"{order.number} delivered", "blocks": [section(text)]}


def late_flag(order: Order, promised: date, config: Config) -> Message:
    supply = mention_all(config.teams.supply)
    if order.materials_arrived_date is not None:
        text = f"~Materials for {order.number} late~ · arrived {day(order.materials_arrived_date)}."
        return {"text": f"{order.number}: materials arrived", "blocks": [section(text)]}
    text = (
        f":warning: {supply} the materials for {order.number} were promised for *{day(promised)}* and no "
        "arrival is recorded. Press *Materials arrived* when they come in, or raise a problem if they are "
        f"delayed. <@{order.salesperson}>, the customer may need to hear about it."
    )
    return {"text": f"{order.number}: materials are late", "blocks": [section(text)]}


def problem_message(order: Order, problem: Problem, config: Config) -> Message:
    team = TEAM_LABEL[problem.team]
    quote = f">{esc_clip(problem.description, 2000)}"
    raised = f"<@{problem.raised_by}> {when(problem.raised_at)}"
    if problem.resolved_at is not None:
        text = (
            f":white_check_mark: ~Problem on {order.number}~ resolved by <@{problem.resolved_by}> "
            f"{when(problem.resolved_at)} ({team} had to act; raised by {raised})\n{quote}"
        )
        return {"text": f"{order.number}: problem resolved", "blocks": [section(text)]}
    who = mention_all(getattr(config.teams, problem.team))
    text = (
        f":warning: {who} *Problem on {order.number}* for {team.lower()} to act on (raised by {raised}):\n"
        f"{quote}\nPress *Resolved* once it is sorted out. <@{order.salesperson}> (sales on this order), "
        "the customer may need to hear about it."
    )
    return {
        "text": f"{order.number}: problem for {problem.team}",
        "blocks": [
            section(text),
            actions(button("Resolved", AfterCommit.A_RESOLVE, str(problem.id), "primary")),
        ],
    }


def _ack_status(ack: ChangeAck) -> str:
    if ack.acked_at is not None:
        late = " _(late)_" if ack.late else ""
        return f":white_check_mark: acknowledged by <@{ack.acked_by}> {when(ack.acked_at)}{late}"
    if ack.escalated_at is not None:
        return f":rotating_light: *OVERDUE* · was due {when(ack.due_at)}"
    return f"waiting · due {when(ack.due_at)}"


def change_message(order: Order, change: OrderChange, acks: dict[str, ChangeAck], config: Config) -> Message:
    teams = mention_all(config.teams.production + config.teams.supply)
    text = (
        f":pencil2: Committed order {order.number} was changed by <@{change.requested_by}> "
        f"{when(change.requested_at)}: *{describe_change(change)}*\n>{esc_clip(change.reason, 1200)}\n"
        f"{teams}: please acknowledge that you have seen it."
    )
    status = "\n".join(f"*{TEAM_LABEL[team]}:* {_ack_status(ack)}" for team, ack in acks.items())
    blocks = [section(text), section(status)]
    buttons = [
        button(f"Acknowledge for {team}", acknowledge_action(team), str(ack.id), "primary")
        for team, ack in acks.items()
        if ack.acked_at is None
    ]
    if buttons:
        blocks.append(actions(*buttons))
    return {"text": f"{order.number} changed: {describe_change(change)}", "blocks": blocks}


def _ack_button(ack: ChangeAck) -> dict:
    return actions(
        button(f"Acknowledge for {ack.team}", acknowledge_action(ack.team), str(ack.id), "primary")
    )


def change_reminder(order: Order, change: OrderChange, ack: ChangeAck, config: Config) -> Message:
    who = mention_all(getattr(config.teams, ack.team))
    text = (
        f":alarm_clock: {who} reminder: the change to {order.number} ({describe_change(change)}) still needs "
        f"{ack.team}'s acknowledgement. Due *{when(ack.due_at)}*."
    )
    return {
        "text": f"Reminder: acknowledge the change to {order.number}",
        "blocks": [section(text), _ack_button(ack)],
    }


def change_reminder_dm(order: Order, change: OrderChange, ack: ChangeAck, link: str | None) -> Message:
    thread = f" (<{link}|thread>)" if link else ""
    text = (
        f":alarm_clock: {order.number}{thread} for {esc_name(order.customer)} was changed: "
        f"{describe_change(change)}. It needs {ack.team}'s acknowledgement by *{when(ack.due_at)}*."
    )
    return {
        "text": f"Reminder: acknowledge the change to {order.number}",
        "blocks": [section(text), _ack_button(ack)],
    }


def change_escalation(order: Order, change: OrderChange, ack: ChangeAck, config: Config) -> Message:
    managers = mention_all(config.teams.managers)
    team = mention_all(getattr(config.teams, ack.team))
    text = (
        f":rotating_light: {managers} {order.number} was changed ({describe_change(change)}) and {team} did "
        f"not acknowledge it by {when(ack.due_at)}. This is recorded as a breach for {ack.team}. "
        "A late acknowledgement is still accepted."
    )
    return {
        "text": f"Overdue: {ack.team} has not acknowledged the change to {order.number}",
        "blocks": [section(text), _ack_button(ack)],
    }
