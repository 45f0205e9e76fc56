"""Ephemeral answers to /order commands: help, the list of open orders, one order's details."""

from __future__ import annotations

from bot.blocks.order import answer_summary, context, section
from bot.blocks.text import day, esc_clip, esc_name, linked
from storage.models import ConfirmationRequest, Order

HELP = """*OrderLoop* runs the custom-order loop between sales, production and supply.
• `/order new` (or just `/order`): register a custom order; production and supply are asked to confirm.
• `/order list`: the open orders.
• `/order show CO-0042`: one order's status, answers, dates and a link to its thread.
• `/order edit CO-0042`: change a committed order's quantity or delivery date.
• `/order help`: what OrderLoop can do.
Production and supply answer with the buttons in each order's thread; sales then commits the delivery date.
After commitment the thread has *Materials arrived* (supply), *Delivered* and *Change order* (sales)
and *Raise a problem* (sales, production or supply).
Also: `/review` (monthly demand review) and `/kpi` (shared KPIs)."""

MAX_LISTED = 40  # keeps the reply far inside 50 blocks and readable


def help_reply(prefix: str = "") -> dict:
    text = f"{prefix}\n\n{HELP}" if prefix else HELP
    return {"text": text, "blocks": [section(text)]}


def list_reply(orders: list[Order], total: int, links: dict[int, str]) -> dict:
    if not orders:
        text = "There are no open orders. Register one with `/order new`."
        return {"text": text, "blocks": [section(text)]}
    lines = [
        f"• {linked(o.number, links.get(o.id))} · {esc_clip(o.customer, 60)} · {o.quantity:,} × "
        f"{esc_clip(o.product, 40)} · {o.status.replace('_', ' ')}"
        for o in orders[:MAX_LISTED]
    ]
    blocks = [section(f"*Open orders ({total})*")]
    for start in range(0, len(lines), 10):  # ten lines a section stays well under 3,000 characters
        blocks.append(section("\n".join(lines[start : start + 10])))
    if total > MAX_LISTED:
        blocks.append(
            context(f"Showing the newest {MAX_LISTED} of {total}. Use `/order show CO-…` for any order.")
        )
    return {"text": f"Open orders: {total}", "blocks": blocks}


def show_reply(order: Order, requests: dict[str, ConfirmationRequest], link: str | None) -> dict:
    thread = f"<{link}|Open the thread>" if link else "The thread is being posted."
    text = (
        f"*{order.number}* · {esc_name(order.customer)} · {order.quantity:,} × {esc_name(order.product)}\n"
        f"*Status:* {order.status.replace('_', ' ')} (revision {order.revision})\n"
        f"*Requested:* {day(order.requested_date)} · *Committed:* {day(order.committed_date)}\n"
        f"*Sales:* <@{order.salesperson}>\n"
        f"*Production:* {answer_summary(requests.get('production'))}\n"
        f"*Supply:* {answer_summary(requests.get('supply'))}\n{thread}"
    )
    return {"text": f"{order.number}: {order.status}", "blocks": [section(text)]}
