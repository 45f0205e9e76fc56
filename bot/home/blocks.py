"""The App Home tab: what waits on this person (with the buttons to act), for managers what is overdue
across the teams, their open orders, KPIs."""

from __future__ import annotations

from bot.common_refusals import cannot_read
from bot.digest.blocks import item_line, stock_blocks
from bot.ids import Action, AfterCommit
from bot.kit import button, context, section
from bot.kpi.blocks import kpi_summary, month_label
from bot.mrkdwn import esc_clip, linked
from bot.orders.blocks import order_value
from bot.orders.replies import help_text
from bot.phrases import order_status, team_label
from bot.text import _, n_, p_
from storage.models import Order
from workflows.digest import Digest, Item
from workflows.kpi import MonthKpis

MAX_WAITING = 25  # one block each: with the rest the tab stays far inside Slack's 100 blocks
MAX_ORDERS = 20
MAX_ESCALATED = 25  # with the rest of the tab: at most ~70 blocks, inside Slack's 100


def short_title(key: str) -> str:
    """The label of a waiting item's kind on the Home tab."""
    return {
        "overdue": p_("home item", "Overdue"),
        "production": p_("home item", "Production"),
        "supply": p_("home item", "Supply"),
        "approvals": p_("home item", "Promise to approve"),
        "commit": p_("home item", "To commit"),
        "acks": p_("home item", "Change to answer"),
        "materials": p_("home item", "Late materials"),
        "problems": p_("home item", "Problem"),
    }[key]


def _answer_label(team: str) -> str:
    return {"production": _("Answer for production"), "supply": _("Answer for supply")}.get(
        team, _("Answer for {team}", team=team_label(team))
    )


def _acknowledge_label(team: str) -> str:
    return {
        "production": _("Answer the change for production"),
        "supply": _("Answer the change for supply"),
    }.get(team, _("Answer the change for {team}", team=team_label(team)))


def _open_thread(order_id: int, link: str) -> dict:
    return {**button(_("Open thread"), Action.OPEN_THREAD, str(order_id)), "url": link}


def _accessory(key: str, item: Item, link: str | None) -> dict | None:
    """The button that acts on the item; existing action ids, so the thread's listeners handle it."""
    if key in ("overdue", "production", "supply") and item.ref_id is not None:
        return button(_answer_label(item.team), Action.ANSWER, str(item.ref_id), "primary")
    if key == "commit":
        return button(_("Confirm delivery date"), Action.COMMIT, order_value(item.order), "primary")
    if key == "acks" and item.ref_id is not None:
        return button(_acknowledge_label(item.team), AfterCommit.A_ACKNOWLEDGE, str(item.ref_id), "primary")
    if key == "problems" and item.ref_id is not None:
        return button(_("Resolved"), AfterCommit.A_RESOLVE, str(item.ref_id), "primary")
    if key == "materials":
        return button(_("Materials arrived"), AfterCommit.A_MATERIALS, str(item.order.id))
    if link:
        return _open_thread(item.order.id, link)
    return None


def waiting_blocks(waiting: Digest, links: dict[int, str]) -> list[dict]:
    if not waiting.sections:
        return [section(_("*Waiting on you*\nNothing right now. :tada:"))]
    blocks = [section(_("*Waiting on you* ({n})", n=waiting.waiting))]
    shown = 0
    for part in waiting.sections:
        for item in part.items:
            if shown == MAX_WAITING:
                break
            line = item_line(part.key, item, links, waiting.now, waiting.day).removeprefix("• ")
            block = section(_("*{title}* · {item}", title=short_title(part.key), item=line))
            accessory = _accessory(part.key, item, links.get(item.order.id))
            if accessory:
                block["accessory"] = accessory
            blocks.append(block)
            shown += 1
    if waiting.waiting > shown:
        blocks.append(
            context(
                n_(
                    "{n} more not shown. The daily digest and `/order list` show all.",
                    "{n} more not shown. The daily digest and `/order list` show all.",
                    waiting.waiting - shown,
                )
            )
        )
    return blocks


def escalated_title(key: str) -> str:
    """The label of an escalated item's kind on a manager's Home tab."""
    return {
        "overdue": p_("home item", "Overdue answer"),
        "acks": p_("home item", "Overdue change answer"),
        "materials": p_("home item", "Late materials"),
        "problems": p_("home item", "Open problem"),
    }[key]


def escalated_blocks(escalated: Digest, links: dict[int, str]) -> list[dict]:
    """A manager's view across the teams: each item with a link to its thread (they act there)."""
    if not escalated.sections:
        return [section(_("*Overdue and escalated across the teams*\nNothing is overdue. :tada:"))]
    blocks = [section(_("*Overdue and escalated across the teams* ({n})", n=escalated.waiting))]
    items = [(part.key, item) for part in escalated.sections for item in part.items][:MAX_ESCALATED]
    for key, item in items:
        line = item_line(key, item, links, escalated.now, escalated.day).removeprefix("• ")
        block = section(_("*{title}* · {item}", title=escalated_title(key), item=line))
        if link := links.get(item.order.id):
            block["accessory"] = _open_thread(item.order.id, link)
        blocks.append(block)
    if escalated.waiting > len(items):
        more = escalated.waiting - len(items)
        blocks.append(
            context(
                n_(
                    "{n} more not shown. The daily digest lists every section.",
                    "{n} more not shown. The daily digest lists every section.",
                    more,
                )
            )
        )
    return blocks


def orders_blocks(orders: list[Order], total: int, links: dict[int, str]) -> list[dict]:
    if not orders:
        return [section(_("*Your open orders*\nYou have no open orders."))]
    lines = [
        f"• {linked(o.number, links.get(o.id))} · {esc_clip(o.customer, 50)} · {order_status(o.status)}"
        for o in orders[:MAX_ORDERS]
    ]
    blocks = [section(_("*Your open orders* ({n})", n=total))]
    blocks += [section("\n".join(lines[i : i + 10])) for i in range(0, len(lines), 10)]
    if total > len(lines):
        blocks.append(
            context(_("Showing the newest {n}; `/order list` shows all open orders.", n=len(lines)))
        )
    return blocks


def _header() -> dict:
    return {"type": "header", "text": {"type": "plain_text", "text": _("OrderLoop")}}


def home_view(
    waiting: Digest,
    my_orders: list[Order],
    open_total: int,
    kpis: MonthKpis,
    links: dict[int, str],
    escalated: Digest | None = None,
) -> dict:
    """`escalated`: a manager's view across the teams (None for everyone else)."""
    blocks: list[dict] = [_header()]
    if escalated is not None:  # first: what a manager is escalated to matters most to them
        blocks += escalated_blocks(escalated, links)
        blocks.append({"type": "divider"})
    blocks += waiting_blocks(waiting, links)
    if waiting.stock is not None:  # the flagged stock this person's team looks after
        blocks += stock_blocks(waiting.stock, waiting.day)
    blocks.append({"type": "divider"})
    blocks += orders_blocks(my_orders, open_total, links)
    blocks.append({"type": "divider"})
    blocks.append(
        section(
            _("*Shared KPIs · {month}* (so far)\n{kpis}", month=month_label(kpis), kpis=kpi_summary(kpis))
        )
    )
    blocks.append(context(_("`/kpi` compares with last month; `/kpi YYYY-MM` shows any month.")))
    blocks.append({"type": "divider"})
    blocks.append(section(help_text()))
    return {"type": "home", "blocks": blocks}


def no_access_view() -> dict:
    """The Home tab of someone who may not read orders: what OrderLoop is, and how to get access."""
    return {
        "type": "home",
        "blocks": [
            _header(),
            section(
                _(
                    "OrderLoop runs custom orders between sales, production and supply, with a daily "
                    "digest, the monthly demand review and shared KPIs."
                )
            ),
            section(_("*You have no access yet.* {why}", why=cannot_read())),
        ],
    }
