"""Pure Block Kit builders for the order card and the messages in its thread."""

from __future__ import annotations

from datetime import date

from bot.ids import Action
from bot.mrkdwn import clip, clip_mrkdwn, day, esc_clip, esc_name, mention_all, when
from storage.models import ConfirmationRequest, Order, OrderStatus
from workflows.config import Config
from workflows.orders import describe_status

Message = dict  # {"text": fallback, "blocks": [...]}

STATUS_EMOJI = {
    OrderStatus.AWAITING_CONFIRMATION: ":hourglass_flowing_sand:",
    OrderStatus.AWAITING_COMMITMENT: ":handshake:",
    OrderStatus.DECLINED: ":no_entry:",
    OrderStatus.COMMITTED: ":white_check_mark:",
    OrderStatus.DELIVERED: ":truck:",
    OrderStatus.CANCELLED: ":x:",
}
BEFORE_COMMITMENT = (OrderStatus.AWAITING_CONFIRMATION, OrderStatus.AWAITING_COMMITMENT, OrderStatus.DECLINED)
TEAM_LABEL = {"production": "Production", "supply": "Supply"}


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip_mrkdwn(text, 3000)}}


def context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip_mrkdwn(text, 3000)}]}


def button(
    label: str, action_id: str, value: str, style: str | None = None, confirm: str | None = None
) -> dict:
    element = {
        "type": "button",
        "text": {"type": "plain_text", "text": clip(label, 75)},
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    if confirm:  # Slack asks "are you sure?" before the click reaches us
        element["confirm"] = {
            "title": {"type": "plain_text", "text": "Are you sure?"},
            "text": {"type": "mrkdwn", "text": clip(confirm, 300)},
            "confirm": {"type": "plain_text", "text": "Yes"},
            "deny": {"type": "plain_text", "text": "No, keep it"},
        }
    return element


def actions(*elements: dict, block_id: str | None = None) -> dict:
    block = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


def answer_summary(request: ConfirmationRequest | None) -> str:
    if request is None:
        return "—"
    if request.superseded and request.answered_at is None:
        return "_not needed any more_"
    if request.answered_at is None and request.escalated_at is not None:
        return f":rotating_light: *OVERDUE* · was due {when(request.due_at)}"
    if request.answered_at is None:
        return f"waiting · due {when(request.due_at)}"
    verdict = ":white_check_mark: yes" if request.can_do else ":no_entry: no"
    if request.team == "production" and request.can_do:
        verdict += f", lead time {request.lead_time_days} days"
    if request.team == "supply" and request.can_do:
        verdict += f", materials arrive {day(request.material_date)}"
    late = " _(late)_" if request.late else ""
    return f"{verdict} · <@{request.answered_by}> {when(request.answered_at)}{late}"


def card_status(order: Order, requests: dict[str, ConfirmationRequest]) -> str:
    """The order's state, naming the team(s) still owing an answer while confirmation runs."""
    if order.status == OrderStatus.AWAITING_CONFIRMATION:
        waiting = [TEAM_LABEL[t].lower() for t, r in requests.items() if r.answered_at is None]
        if waiting:
            return f"Waiting for {' and '.join(waiting)}"
    return describe_status(order).capitalize()


def quoted(text: str, limit: int = 1500) -> str:
    """User text as a mrkdwn quote, every line of it."""
    return "\n".join(f">{line}" for line in esc_clip(text, limit).splitlines())


def cancelled_line(order: Order, reason: str) -> str:
    why = f"\n{quoted(reason)}" if reason else ""
    return f":x: *Cancelled* by <@{order.cancelled_by}> {when(order.updated_at)}{why}"


def order_card(
    order: Order,
    requests: dict[str, ConfirmationRequest],
    extra: list[dict] | None = None,
    *,
    cancel_reason: str = "",
) -> Message:
    """`extra`: blocks about the order's life after commitment (bot/blocks/after_commit.py)."""
    status = f"{STATUS_EMOJI.get(order.status, '')} {card_status(order, requests)}"
    blocks = [
        {
            "type": "header",
            "text": {"type": "plain_text", "text": clip(f"{order.number} · {order.customer}", 150)},
        },
        {
            "type": "section",
            "fields": [
                {"type": "mrkdwn", "text": f"*Customer*\n{esc_name(order.customer)}"},
                {"type": "mrkdwn", "text": f"*Product*\n{esc_name(order.product)}"},
                {"type": "mrkdwn", "text": f"*Quantity*\n{order.quantity:,}"},
                {"type": "mrkdwn", "text": f"*Requested delivery*\n{day(order.requested_date)}"},
                {"type": "mrkdwn", "text": f"*Status*\n{status}"},
                {"type": "mrkdwn", "text": f"*Sales*\n<@{order.salesperson}>"},
            ],
        },
        section(f"*Specification*\n{esc_clip(order.specification, 2800)}"),
        section(
            f"*Production:* {answer_summary(requests.get('production'))}\n"
            f"*Supply:* {answer_summary(requests.get('supply'))}"
        ),
    ]
    if order.status in (OrderStatus.COMMITTED, OrderStatus.DELIVERED):
        blocks.append(
            section(
                f":calendar: *Committed delivery: {day(order.committed_date)}* · <@{order.committed_by}> "
                f"{when(order.committed_at)}"
            )
        )
    if order.status == OrderStatus.CANCELLED:
        blocks.append(section(cancelled_line(order, cancel_reason)))
    blocks.extend(extra or [])
    blocks.append(
        context(
            f"Revision {order.revision} · registered {when(order.created_at)} · updated "
            f"{when(order.updated_at)}"
        )
    )
    if order.status in BEFORE_COMMITMENT:
        blocks.append(sales_actions(order))
    text = f"{order.number} for {esc_name(order.customer)}: {card_status(order, requests).lower()}"
    return {"text": text, "blocks": blocks}


def request_message(order: Order, request: ConfirmationRequest, config: Config) -> Message:
    team = request.team
    who = mention_all(getattr(config.teams, team))
    question = "make it" if team == "production" else "source the materials"
    if request.superseded and request.answered_at is None:
        text = f"~{TEAM_LABEL[team]}: can you {question}?~ Not needed any more (revision {request.revision})."
        return {"text": text, "blocks": [section(text)]}
    head = (
        f"{who} *{TEAM_LABEL[team]}: can you {question}?* {order.number}, {order.quantity:,} × "
        f"{esc_name(order.product)} for {esc_name(order.customer)}, requested {day(order.requested_date)}."
    )
    if request.answered_at is None:
        blocks = [
            section(f"{head}\nPlease answer by *{when(request.due_at)}*."),
            actions(button(f"Answer for {team}", Action.ANSWER, str(request.id), "primary")),
        ]
    else:
        blocks = [section(head), context(f"Answered: {answer_summary(request)}")]
    return {"text": f"{TEAM_LABEL[team]}: can you {question}? {order.number}", "blocks": blocks}


def answer_echo(order: Order, request: ConfirmationRequest) -> Message:
    notes = f"\n>{esc_clip(request.notes, 1500)}" if request.notes else ""
    text = f"*{TEAM_LABEL[request.team]}* answered for {order.number}: {answer_summary(request)}{notes}"
    return {"text": f"{TEAM_LABEL[request.team]} answered for {order.number}", "blocks": [section(text)]}


def order_value(order: Order, revision: int | None = None) -> str:
    return f"{order.id}:{order.revision if revision is None else revision}"


def commit_prompt(order: Order, revision: int, feasible: date | None) -> Message:
    if order.status == OrderStatus.COMMITTED:
        text = (
            f":white_check_mark: <@{order.committed_by}> committed {order.number} to the customer for "
            f"*{day(order.committed_date)}*."
        )
        return {"text": text, "blocks": [section(text)]}
    if order.status != OrderStatus.AWAITING_COMMITMENT or order.revision != revision:
        text = f"~Confirm a delivery date for {order.number}~ ({describe_status(order)})."
        return {"text": text, "blocks": [section(text)]}
    text = (
        f"<@{order.salesperson}> production and supply both said yes to {order.number}. "
        f"Earliest feasible delivery: *{day(feasible)}* (requested {day(order.requested_date)}). "
        "Please confirm a delivery date with the customer."
    )
    return {
        "text": f"{order.number}: confirm a delivery date",
        "blocks": [
            section(text),
            actions(button("Confirm delivery date", Action.COMMIT, order_value(order, revision), "primary")),
        ],
    }


def sales_actions(order: Order, revision: int | None = None, *, urge_revise: bool = False) -> dict:
    """Revise or cancel an order before its date is committed (sales only; checked on click)."""
    value = order_value(order, revision)
    return actions(
        button("Revise order", Action.REVISE, value, "primary" if urge_revise else None),
        button("Cancel order", Action.CANCEL, value, "danger"),  # its form asks for the reason
    )


def declined_prompt(order: Order, revision: int, requests: dict[str, ConfirmationRequest]) -> Message:
    reasons = "\n".join(
        f"• *{TEAM_LABEL[r.team]}* (<@{r.answered_by}>): {esc_clip(r.notes, 1000) or 'no reason given'}"
        for r in requests.values()
        if r.can_do is False
    )
    head = f"{order.number} cannot go ahead as registered (revision {revision}).\n{reasons}"
    if order.status != OrderStatus.DECLINED or order.revision != revision:
        outcome = (
            "cancelled"
            if order.status == OrderStatus.CANCELLED
            else f"revised (now revision {order.revision})"
        )
        text = f"{head}\n_The order was {outcome}._"
        return {"text": f"{order.number} was {outcome}", "blocks": [section(text)]}
    return {
        "text": f"{order.number} was declined",
        "blocks": [
            section(
                f"<@{order.salesperson}> {head}\nRevise the order (both teams are asked again) or cancel it."
            ),
            sales_actions(order, revision, urge_revise=True),
        ],
    }


def committed_notice(order: Order, config: Config) -> Message:
    teams = mention_all(config.teams.production + config.teams.supply)
    text = (
        f"{teams} {order.number} is committed to {esc_name(order.customer)} for "
        f"*{day(order.committed_date)}*: "
        f"{order.quantity:,} × {esc_name(order.product)}. Please plan for it."
    )
    if order.commit_notes:
        text += f"\n>{esc_clip(order.commit_notes, 1200)}"  # two teams' mentions share it
    return {"text": f"{order.number} committed for {day(order.committed_date)}", "blocks": [section(text)]}


def revised_notice(order: Order, before: dict, after: dict) -> Message:
    changes = [
        f"• {name.replace('_', ' ')}: {esc_clip(str(before[name]), 300)} → {esc_clip(str(after[name]), 300)}"
        for name in after
        if before.get(name) != after[name]
    ]
    body = "\n".join(changes) or "• no field changed"
    text = f"<@{order.salesperson}> revised {order.number} (now revision {order.revision}):\n{body}"
    return {"text": f"{order.number} revised", "blocks": [section(text)]}


def cancelled_notice(order: Order, reason: str) -> Message:
    why = f"\n{quoted(reason)}" if reason else ""
    text = f":x: <@{order.cancelled_by}> cancelled {order.number}. Nobody needs to act on it any more.{why}"
    if order.cancelled_by != order.salesperson:  # the order's salesperson tells the customer
        text += (
            f"\n<@{order.salesperson}>, your order was cancelled by someone else: please tell the customer."
        )
    return {"text": f"{order.number} cancelled", "blocks": [section(text)]}
