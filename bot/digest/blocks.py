"""Block Kit for the daily digest (channel) and the personal digest (direct message).

One section block per non-empty section, holding its most urgent items, plus one context line
with the count of the rest: at most ~20 blocks whatever the backlog, far inside Slack's 50.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.mrkdwn import day, esc, esc_clip, linked, when
from bot.orders.blocks import context, section
from workflows.digest import Digest, Item, Section

TITLES = {
    "overdue": ":rotating_light: Overdue answers, oldest first",
    "production": ":factory: Waiting for production",
    "supply": ":package: Waiting for supply",
    "commit": ":handshake: Waiting for sales to commit a delivery date",
    "acks": ":memo: Changes not acknowledged yet",
    "materials": ":warning: Late material arrivals",
    "problems": ":triangular_flag_on_post: Open problems",
    "deliveries": ":truck: Deliveries due in the next 7 days",
}
CHANGE_TITLES = {
    "registered": "New",
    "committed": "Committed",
    "delivered": "Delivered",
    "cancelled": "Cancelled",
}
TEAM = {"production": "Production", "supply": "Supply", "sales": "Sales"}
MORE = "{more} more not shown. `/order list` shows every open order, `/order show CO-…` any one."
CHANGED_NAMES = 8  # order numbers listed per kind of change


def plural(count: int, noun: str) -> str:
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def duration(span: timedelta) -> str:
    """A short human span: "2d 3h", "5h 10m", "12m"."""
    minutes = max(int(span.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return f"{days}d {hours}h"
    return f"{hours}h {mins}m" if hours else f"{mins}m"


def time_left(due_at: datetime, now: datetime) -> str:
    if due_at <= now:
        return f"overdue by {duration(now - due_at)}"
    return f"{duration(due_at - now)} left"


def _head(item: Item, links: dict[int, str]) -> str:
    order = item.order
    return f"• {linked(order.number, links.get(order.id))} · {esc_clip(order.customer, 40)}"


def item_line(key: str, item: Item, links: dict[int, str], now: datetime, today: date) -> str:
    head, order = _head(item, links), item.order
    what = f"{order.quantity:,} × {esc_clip(order.product, 30)}"
    if key == "overdue":
        return f"{head} · {TEAM[item.team]} · was due {when(item.due_at)} · *{time_left(item.due_at, now)}*"
    if key in ("production", "supply"):
        return f"{head} · {what} · *{time_left(item.due_at, now)}*"
    if key == "commit":
        return f"{head} · {what} · <@{order.salesperson}> · requested {day(item.day)}"
    if key == "acks":
        return f"{head} · {esc_clip(item.text, 120)} · {TEAM[item.team]} · *{time_left(item.due_at, now)}*"
    if key == "materials":
        late = (today - item.day).days
        return f"{head} · promised {day(item.day)} · *{plural(late, 'day')} late*"
    if key == "problems":
        return (
            f"{head} · *{TEAM.get(item.team, esc(item.team))}* must act: {esc_clip(item.text, 150)} · "
            f"open since {when(item.raised_at)}"
        )
    overdue = " · :warning: *not delivered yet*" if item.day < today else ""
    return f"{head} · {what} · {day(item.day)}{overdue}"


def section_blocks(part: Section, links: dict[int, str], now: datetime, today: date) -> list[dict]:
    lines = [item_line(part.key, item, links, now, today) for item in part.items]
    blocks = [section(f"*{TITLES[part.key]}* ({part.total})\n" + "\n".join(lines))]
    if part.more > 0:
        blocks.append(context(MORE.format(more=part.more)))
    return blocks


def changes_block(digest: Digest, links: dict[int, str]) -> dict:
    since = when(digest.since) if digest.since else "yesterday"
    if not digest.changes:
        return context(f"Nothing was registered, committed, delivered or cancelled since {since}.")
    lines = []
    for kind, title in CHANGE_TITLES.items():
        orders = digest.changes.get(kind, [])
        if orders:
            names = ", ".join(linked(o.number, links.get(o.id)) for o in orders[:CHANGED_NAMES])
            rest = f" and {len(orders) - CHANGED_NAMES} more" if len(orders) > CHANGED_NAMES else ""
            lines.append(f"• {title} ({len(orders)}): {names}{rest}")
    return section(f"*:newspaper: Since {since}*\n" + "\n".join(lines))


def digest_message(digest: Digest, links: dict[int, str]) -> dict:
    title = f"Daily digest · {day(digest.day)}"
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": title}}]
    for part in digest.sections:
        blocks += section_blocks(part, links, digest.now, digest.day)
    if not digest.sections:
        blocks.append(section("Nothing is waiting on anyone and no delivery is due this week. :tada:"))
    blocks.append(changes_block(digest, links))
    return {"text": f"{title}: {plural(digest.waiting, 'item')} waiting", "blocks": blocks}


def personal_message(digest: Digest, user: str, links: dict[int, str]) -> dict:
    if not digest.sections:
        text = f"<@{user}> nothing is waiting on you any more today. :tada:"
        return {"text": "Your digest: nothing waiting on you", "blocks": [section(text)]}
    items = "1 item waits" if digest.waiting == 1 else f"{digest.waiting} items wait"
    intro = f":wave: <@{user}> {items} on you or your team today ({day(digest.day)}):"
    blocks = [section(intro)]
    for part in digest.sections:
        blocks += section_blocks(part, links, digest.now, digest.day)
    return {"text": f"Your digest: {plural(digest.waiting, 'item')} waiting on you", "blocks": blocks}


def orders_in(digest: Digest) -> list:
    """Every order the digest names (to look up their thread links once)."""
    found = [item.order for part in digest.sections for item in part.items]
    found += [o for orders in digest.changes.values() for o in orders[:CHANGED_NAMES]]
    return found
