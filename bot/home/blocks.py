"""The App Home tab: what waits on this person (with the buttons to act), for managers what is overdue
across the teams, their open orders, KPIs."""

from __future__ import annotations

from bot.common_refusals import cannot_read
from bot.digest.blocks import item_line
from bot.ids import Action, AfterCommit
from bot.kpi.blocks import kpi_summary, month_label
from bot.mrkdwn import esc_clip, linked
from bot.orders.blocks import button, context, order_value, section
from bot.orders.replies import HELP
from storage.models import Order
from workflows.digest import Digest, Item
from workflows.kpi import MonthKpis

MAX_WAITING = 25  # one block each: with the rest the tab stays far inside Slack's 100 blocks
MAX_ORDERS = 20
MAX_ESCALATED = 25  # with the rest of the tab: at most ~70 blocks, inside Slack's 100
SHORT_TITLE = {
    "overdue": "Overdue",
    "production": "Production",
    "supply": "Supply",
    "commit": "To commit",
    "acks": "Change to acknowledge",
    "materials": "Late materials",
    "problems": "Problem",
}


def _accessory(key: str, item: Item, link: str | None) -> dict | None:
    """The button that acts on the item; existing action ids, so the thread's listeners handle it."""
    if key in ("overdue", "production", "supply") and item.ref_id is not None:
        return button(f"Answer for {item.team}", Action.ANSWER, str(item.ref_id), "primary")
    if key == "commit":
        return button("Confirm delivery date", Action.COMMIT, order_value(item.order), "primary")
    if key == "acks" and item.ref_id is not None:
        return button(f"Acknowledge for {item.team}", AfterCommit.A_ACKNOWLEDGE, str(item.ref_id), "primary")
    if key == "problems" and item.ref_id is not None:
        return button("Resolved", AfterCommit.A_RESOLVE, str(item.ref_id), "primary")
    if key == "materials":
        return button("Materials arrived", AfterCommit.A_MATERIALS, str(item.order.id))
    if link:
        return {**button("Open thread", Action.OPEN_THREAD, str(item.order.id)), "url": link}
    return None


def waiting_blocks(waiting: Digest, links: dict[int, str]) -> list[dict]:
    if not waiting.sections:
        return [section("*Waiting on you*\nNothing right now. :tada:")]
    blocks = [section(f"*Waiting on you* ({waiting.waiting})")]
    shown = 0
    for part in waiting.sections:
        for item in part.items:
            if shown == MAX_WAITING:
                break
            line = item_line(part.key, item, links, waiting.now, waiting.day).removeprefix("• ")
            block = section(f"*{SHORT_TITLE[part.key]}* · {line}")
            accessory = _accessory(part.key, item, links.get(item.order.id))
            if accessory:
                block["accessory"] = accessory
            blocks.append(block)
            shown += 1
    if waiting.waiting > shown:
        blocks.append(
            context(f"{waiting.waiting - shown} more not shown. The daily digest and `/order list` show all.")
        )
    return blocks


ESCALATED_TITLE = {
    "overdue": "Overdue answer",
    "acks": "Overdue acknowledgement",
    "materials": "Late materials",
    "problems": "Open problem",
}


def escalated_blocks(escalated: Digest, links: dict[int, str]) -> list[dict]:
    """A manager's view across the teams: each item with a link to its thread (they act there)."""
    if not escalated.sections:
        return [section("*Overdue and escalated across the teams*\nNothing is overdue. :tada:")]
    blocks = [section(f"*Overdue and escalated across the teams* ({escalated.waiting})")]
    items = [(part.key, item) for part in escalated.sections for item in part.items][:MAX_ESCALATED]
    for key, item in items:
        line = item_line(key, item, links, escalated.now, escalated.day).removeprefix("• ")
        block = section(f"*{ESCALATED_TITLE[key]}* · {line}")
        if link := links.get(item.order.id):
            block["accessory"] = {
                **button("Open thread", Action.OPEN_THREAD, str(item.order.id)),
                "url": link,
            }
        blocks.append(block)
    if escalated.waiting > len(items):
        more = escalated.waiting - len(items)
        blocks.append(context(f"{more} more not shown. The daily digest lists every section."))
    return blocks


def orders_blocks(orders: list[Order], total: int, links: dict[int, str]) -> list[dict]:
    if not orders:
        return [section("*Your open orders*\nYou have no open orders.")]
    lines = [
        f"• {linked(o.number, links.get(o.id))} · {esc_clip(o.customer, 50)} · {o.status.replace('_', ' ')}"
        for o in orders[:MAX_ORDERS]
    ]
    blocks = [section(f"*Your open orders* ({total})")]
    blocks += [section("\n".join(lines[i : i + 10])) for i in range(0, len(lines), 10)]
    if total > len(lines):
        blocks.append(context(f"Showing the newest {len(lines)}; `/order list` shows all open orders."))
    return blocks


def home_view(
    waiting: Digest,
    my_orders: list[Order],
    open_total: int,
    kpis: MonthKpis,
    links: dict[int, str],
    escalated: Digest | None = None,
) -> dict:
    """`escalated`: a manager's view across the teams (None for everyone else)."""
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": "OrderLoop"}}]
    if escalated is not None:  # first: what a manager is escalated to matters most to them
        blocks += escalated_blocks(escalated, links)
        blocks.append({"type": "divider"})
    blocks += waiting_blocks(waiting, links)
    blocks.append({"type": "divider"})
    blocks += orders_blocks(my_orders, open_total, links)
    blocks.append({"type": "divider"})
    blocks.append(section(f"*Shared KPIs · {month_label(kpis)}* (so far)\n{kpi_summary(kpis)}"))
    blocks.append(context("`/kpi` compares with last month; `/kpi YYYY-MM` shows any month."))
    blocks.append({"type": "divider"})
    blocks.append(section(HELP))
    return {"type": "home", "blocks": blocks}


def no_access_view() -> dict:
    """The Home tab of someone who may not read orders: what OrderLoop is, and how to get access."""
    return {
        "type": "home",
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "OrderLoop"}},
            section(
                "OrderLoop runs custom orders between sales, production and supply, with a daily "
                "digest, the monthly demand review and shared KPIs."
            ),
            section(f"*You have no access yet.* {cannot_read()}"),
        ],
    }
