"""Ephemeral answers to /order commands: help, lists of orders, one order's details."""

from __future__ import annotations

from dataclasses import dataclass

from bot.mrkdwn import day, esc, esc_clip, esc_name, linked
from bot.orders.blocks import answer_summary, context, section
from storage.models import ConfirmationRequest, Order

HELP = """*OrderLoop* runs the custom-order loop between sales, production and supply.
• `/order new` (or just `/order`): register a custom order; production and supply are asked to confirm.
• `/order list`: the open orders. `/order list mine`: yours, or waiting on your team.
  `/order list all`: delivered and cancelled too. Add words to search numbers, customers and products,
  and `page 2` for more: `/order list all acme page 2`.
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


@dataclass(frozen=True)
class ListQuery:
    """What `/order list …` asked for."""

    mine: bool = False
    closed_too: bool = False
    text: str = ""
    page: int = 1

    def command(self, page: int | None = None) -> str:
        words = ["/order list", "mine" * self.mine, "all" * self.closed_too, esc(self.text)]
        if (page or self.page) > 1:
            words.append(f"page {page or self.page}")
        return " ".join(w for w in words if w)

    def heading(self) -> str:
        which = "All" if self.closed_too else "Open"
        whose = "your " + which.lower() if self.mine else which
        matching = f" matching “{esc(self.text)}”" if self.text else ""
        return f"{whose[0].upper()}{whose[1:]} orders{matching}"


def list_reply(query: ListQuery, orders: list[Order], total: int, links: dict[int, str]) -> dict:
    if not orders:
        return _nothing_listed(query, total)
    lines = [
        f"• {linked(o.number, links.get(o.id))} · {esc_clip(o.customer, 60)} · {o.quantity:,} × "
        f"{esc_clip(o.product, 40)} · {o.status.replace('_', ' ')}"
        for o in orders[:MAX_LISTED]
    ]
    blocks = [section(f"*{query.heading()} ({total})*")]
    for start in range(0, len(lines), 10):  # ten lines a section stays well under 3,000 characters
        blocks.append(section("\n".join(lines[start : start + 10])))
    pages = -(-total // MAX_LISTED)
    if pages > 1:
        first = (query.page - 1) * MAX_LISTED + 1
        where = f"Page {query.page} of {pages} (orders {first}–{first + len(lines) - 1} of {total})."
        after = f" Next page: `{query.command(query.page + 1)}`" if query.page < pages else ""
        blocks.append(context(f"{where}{after} · `/order show CO-…` shows any order."))
    return {"text": f"{query.heading()}: {total}", "blocks": blocks}


def _nothing_listed(query: ListQuery, total: int) -> dict:
    if total:
        pages = -(-total // MAX_LISTED)
        text = (
            f"Page {query.page} is past the end: {total} orders match, on {pages} page(s). "
            f"Try `{query.command(1)}`."
        )
    elif query == ListQuery():
        text = "There are no open orders. Register one with `/order new`."
    else:
        text = f"No orders match `{query.command()}`."
        if not query.closed_too:
            wider = ListQuery(query.mine, True, query.text).command()
            text += f" `{wider}` includes delivered and cancelled ones."
    return {"text": text, "blocks": [section(text)]}


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
