"""Ephemeral answers to /order commands: help, lists of orders, one order's details."""

from __future__ import annotations

from dataclasses import dataclass

from bot.kit import context, section
from bot.mrkdwn import day, esc, esc_clip, esc_name, linked, mention
from bot.orders.blocks import answer_summary
from bot.phrases import order_status
from bot.text import _, n_
from storage.models import ConfirmationRequest, Order


def help_text() -> str:
    """What /order can do, in the reader's language, with the Chinese aliases of the sub-commands."""
    return "\n".join(
        (
            _("*OrderLoop* runs the custom-order loop between sales, production and supply."),
            _(
                "• `/order new` (or just `/order`): register a custom order; production and supply are "
                "asked to confirm."
            ),
            _(
                "• `/order list`: the open orders. `/order list mine`: yours, or waiting on your team.\n"
                "  `/order list all`: delivered and cancelled too. Add words to search numbers, customers "
                "and products,\n  and `page 2` for more: `/order list all acme page 2`."
            ),
            _("• `/order show CO-0042`: one order's status, answers, dates and a link to its thread."),
            _("• `/order edit CO-0042`: change a committed order's quantity or delivery date."),
            _("• `/order help`: what OrderLoop can do."),
            _(
                "• In Chinese: `/order 新建 | 列表 | 查看 CO-0042 | 修改 CO-0042 | 帮助`, "
                "and `/order 列表 我的` for yours."
            ),
            _(
                "Production and supply answer with the buttons in each order's thread; sales then commits "
                "the delivery date."
            ),
            _(
                "After commitment the thread has *Materials arrived* (supply), *Delivered* and "
                "*Change order* (sales)\nand *Raise a problem* (sales, production or supply)."
            ),
            _("Also: `/review` (monthly demand review) and `/kpi` (shared KPIs)."),
        )
    )


MAX_LISTED = 40  # keeps the reply far inside 50 blocks and readable


def help_reply(prefix: str = "") -> dict:
    text = f"{prefix}\n\n{help_text()}" if prefix else help_text()
    return {"text": text, "blocks": [section(text)]}


def unknown_command(sub: str) -> dict:
    return help_reply(_("I don't know `/order {sub}`. Here is what I can do:", sub=sub))


def which_order() -> dict:
    return help_reply(_("Which order? For example `/order show CO-0042`."))


def no_such_order(shown: str) -> dict:
    return help_reply(
        _(
            "I can't find an order `{number}`. Order numbers look like `CO-0042`; "
            "`/order list` shows the open ones.",
            number=shown,
        )
    )


@dataclass(frozen=True)
class ListQuery:
    """What `/order list …` asked for."""

    mine: bool = False
    closed_too: bool = False
    text: str = ""
    page: int = 1

    def command(self, page: int | None = None) -> str:
        """The command again (its English keywords, which every language takes)."""
        words = ["/order list", "mine" * self.mine, "all" * self.closed_too, esc(self.text)]
        if (page or self.page) > 1:
            words.append(f"page {page or self.page}")
        return " ".join(w for w in words if w)

    def heading(self) -> str:
        if self.text:
            matching = esc(self.text)
            if self.mine:
                if self.closed_too:
                    return _("All your orders matching “{text}”", text=matching)
                return _("Your open orders matching “{text}”", text=matching)
            if self.closed_too:
                return _("All orders matching “{text}”", text=matching)
            return _("Open orders matching “{text}”", text=matching)
        if self.mine:
            return _("All your orders") if self.closed_too else _("Your open orders")
        return _("All orders") if self.closed_too else _("Open orders")


def list_reply(query: ListQuery, orders: list[Order], total: int, links: dict[int, str]) -> dict:
    if not orders:
        return _nothing_listed(query, total)
    lines = [
        f"• {linked(o.number, links.get(o.id))} · {esc_clip(o.customer, 60)} · {o.quantity:,} × "
        f"{esc_clip(o.product, 40)} · {order_status(o.status)}"
        for o in orders[:MAX_LISTED]
    ]
    heading = query.heading()
    blocks = [section(_("*{heading} ({total})*", heading=heading, total=total))]
    for start in range(0, len(lines), 10):  # ten lines a section stays well under 3,000 characters
        blocks.append(section("\n".join(lines[start : start + 10])))
    pages = -(-total // MAX_LISTED)
    if pages > 1:
        first = (query.page - 1) * MAX_LISTED + 1
        where = _(
            "Page {page} of {pages} (orders {first}–{last} of {total}).",
            page=query.page,
            pages=pages,
            first=first,
            last=first + len(lines) - 1,
            total=total,
        )
        if query.page < pages:
            where += " " + _("Next page: `{command}`", command=query.command(query.page + 1))
        show_any = _("`/order show CO-…` shows any order.")
        blocks.append(context(f"{where} · {show_any}"))
    return {"text": _("{heading}: {total}", heading=heading, total=total), "blocks": blocks}


def _nothing_listed(query: ListQuery, total: int) -> dict:
    if total:
        pages = -(-total // MAX_LISTED)
        text = n_(
            "Page {page} is past the end: {n} order matches, on {pages} page(s). Try `{command}`.",
            "Page {page} is past the end: {n} orders match, on {pages} page(s). Try `{command}`.",
            total,
            page=query.page,
            pages=pages,
            command=query.command(1),
        )
    elif query == ListQuery():
        text = _("There are no open orders. Register one with `/order new`.")
    elif query.closed_too:
        text = _("No orders match `{command}`.", command=query.command())
    else:
        wider = ListQuery(query.mine, True, query.text).command()
        text = _(
            "No orders match `{command}`. `{wider}` includes delivered and cancelled ones.",
            command=query.command(),
            wider=wider,
        )
    return {"text": text, "blocks": [section(text)]}


def show_reply(order: Order, requests: dict[str, ConfirmationRequest], link: str | None) -> dict:
    thread = _("<{link}|Open the thread>", link=link) if link else _("The thread is being posted.")
    status = order_status(order.status)
    lines = (
        f"*{order.number}* · {esc_name(order.customer)} · {order.quantity:,} × {esc_name(order.product)}",
        _("*Status:* {status} (revision {revision})", status=status, revision=order.revision),
        _(
            "*Requested:* {requested} · *Committed:* {committed}",
            requested=day(order.requested_date),
            committed=day(order.committed_date),
        ),
        _("*Sales:* {salesperson}", salesperson=mention(order.salesperson)),
        _("*Production:* {answer}", answer=answer_summary(requests.get("production"))),
        _("*Supply:* {answer}", answer=answer_summary(requests.get("supply"))),
        thread,
    )
    text = "\n".join(lines)
    return {"text": _("{order}: {status}", order=order.number, status=status), "blocks": [section(text)]}
