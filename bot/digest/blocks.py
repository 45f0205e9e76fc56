"""Block Kit for the daily digest (channel) and the personal digest (direct message).

One section block per non-empty section, holding its most urgent items, plus one context line
with the count of the rest: at most ~20 blocks whatever the backlog, far inside Slack's 50.

Every line is one whole sentence of the catalog with named placeholders (Chinese orders the
parts differently); the words are chosen when a message is built, in its reader's language.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from bot.kit import context, section
from bot.mrkdwn import day, esc_clip, linked, mention, number, when
from bot.phrases import team_label
from bot.text import _, n_, p_
from storage.models import OrderChange
from workflows.digest import Digest, Item, Section, Stock, StockList, changed_fields
from workflows.inventory import Coverage, Health

CHANGED_NAMES = 8  # order numbers listed per kind of change


def titles() -> dict[str, str]:
    """Each section's title, in the language being built."""
    return {
        "overdue": _(":rotating_light: Overdue answers, oldest first"),
        "production": _(":factory: Waiting for production"),
        "supply": _(":package: Waiting for supply"),
        "approvals": _(":hourglass_flowing_sand: Promises waiting for a manager"),
        "commit": _(":handshake: Waiting for sales to commit a delivery date"),
        "acks": _(":memo: Changes waiting for an answer"),
        "materials": _(":warning: Late material arrivals"),
        "problems": _(":triangular_flag_on_post: Open problems"),
        "deliveries": _(":truck: Deliveries due in the next 7 days"),
    }


def _change_line(kind: str, count: int, orders: str) -> str:
    lines = {
        "registered": _("• New ({count}): {orders}", count=count, orders=orders),
        "committed": _("• Committed ({count}): {orders}", count=count, orders=orders),
        "delivered": _("• Delivered ({count}): {orders}", count=count, orders=orders),
        "cancelled": _("• Cancelled ({count}): {orders}", count=count, orders=orders),
    }
    return lines[kind]


def listing(items: list[str]) -> str:
    """Items of a list (order numbers, changes) joined the way the language separates them."""
    # TRANSLATORS: what separates the items of a list, e.g. "CO-0001, CO-0002".
    return p_("list", ", ").join(items)


def duration(span: timedelta) -> str:
    """A short human span: "2d 3h", "5h 10m", "12m"."""
    minutes = max(int(span.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return _("{days}d {hours}h", days=days, hours=hours)
    if hours:
        return _("{hours}h {minutes}m", hours=hours, minutes=mins)
    return _("{minutes}m", minutes=mins)


def time_left(due_at: datetime, now: datetime) -> str:
    if due_at <= now:
        return _("overdue by {duration}", duration=duration(now - due_at))
    return _("{duration} left", duration=duration(due_at - now))


def describe_change(change: OrderChange | None) -> str:
    """ "quantity 250 → 300, committed date 2026-12-16 → 2026-12-20": what a change alters."""
    parts = []
    for name, before, after in changed_fields(change) if change else []:
        if name == "quantity":
            parts.append(_("quantity {before} → {after}", before=_shown(before), after=_shown(after)))
        elif name == "committed_date":
            parts.append(_("committed date {before} → {after}", before=_shown(before), after=_shown(after)))
        else:
            parts.append(
                _("{field} {before} → {after}", field=name, before=_shown(before), after=_shown(after))
            )
    return listing(parts) or _("no field changed")


def _shown(value: object) -> str:
    return "—" if value is None else str(value)


def item_line(key: str, item: Item, links: dict[int, str], now: datetime, today: date) -> str:
    order = item.order
    facts = {
        "order": linked(order.number, links.get(order.id)),
        "customer": esc_clip(order.customer, 40),
        "quantity": number(order.quantity),
        "product": esc_clip(order.product, 30),
    }
    if key == "overdue":
        return _(
            "• {order} · {customer} · {team} · was due {deadline} · *{left}*",
            team=team_label(item.team),
            deadline=when(item.due_at),
            left=time_left(item.due_at, now),
            **facts,
        )
    if key in ("production", "supply"):
        return _(
            "• {order} · {customer} · {quantity} × {product} · *{left}*",
            left=time_left(item.due_at, now),
            **facts,
        )
    if key == "approvals":
        return _(
            "• {order} · {customer} · {quantity} × {product} · {salesperson} waits for a manager · *{left}*",
            salesperson=mention(order.salesperson),
            left=time_left(item.due_at, now),
            **facts,
        )
    if key == "commit":
        salesperson = mention(order.salesperson)
        return _(
            "• {order} · {customer} · {quantity} × {product} · {salesperson} · requested {date}",
            salesperson=salesperson,
            date=day(item.day),
            **facts,
        )
    if key == "acks":
        return _(
            "• {order} · {customer} · {change} · {team} · *{left}*",
            change=esc_clip(describe_change(item.change), 120),
            team=team_label(item.team),
            left=time_left(item.due_at, now),
            **facts,
        )
    if key == "materials":
        late = (today - item.day).days
        return n_(
            "• {order} · {customer} · promised {date} · *{n} day late*",
            "• {order} · {customer} · promised {date} · *{n} days late*",
            late,
            date=day(item.day),
            **facts,
        )
    if key == "problems":
        return _(
            "• {order} · {customer} · *{team}* must act: {problem} · open since {since}",
            team=esc_clip(team_label(item.team), 40),
            problem=esc_clip(item.text, 150),
            since=when(item.raised_at),
            **facts,
        )
    if item.day < today:
        return _(
            "• {order} · {customer} · {quantity} × {product} · {date} · :warning: *not delivered yet*",
            date=day(item.day),
            **facts,
        )
    return _("• {order} · {customer} · {quantity} × {product} · {date}", date=day(item.day), **facts)


# -- stock ------------------------------------------------------------------------------------


def stock_titles() -> dict[str, str]:
    """Each stock list's title, in the language being built."""
    return {
        "below_safety": _(":small_red_triangle_down: Stock below safety stock"),
        "short_of_target": _(":package: Materials short of this month's target"),
        "stale": _(":hourglass: Stock counts out of date"),
    }


def amount(value: float | None) -> str:
    """A quantity as counted: whole numbers without decimals, others to two places at most."""
    if value is None:
        return "—"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def quantity(value: float | None, unit: str | None) -> str:
    if not unit:
        return amount(value)
    # TRANSLATORS: a quantity and its unit, e.g. "2,050 kg".
    return p_("quantity", "{quantity} {unit}", quantity=amount(value), unit=esc_clip(unit, 20))


def item_name(code: str, stock: Stock) -> str:
    """ "Alloy A (ALLOY-A)", or the code alone when the name is the code."""
    item = stock.items.get(code)
    name = getattr(item, "name", None) or code
    if name == code:
        return f"*{esc_clip(code, 40)}*"
    return _("*{name}* ({code})", name=esc_clip(name, 60), code=esc_clip(code, 40))


def stock_line(key: str, entry: Health | Coverage, stock: Stock, today: date) -> str:
    if key == "short_of_target":
        return _(
            "• {material} covers {covers} of {target} {line} · short {short}",
            material=item_name(entry.material, stock),
            covers=number(entry.covers),
            target=number(entry.target),
            line=esc_clip(entry.line, 40),
            short=number(entry.short),
        )
    item = entry.item
    name = item_name(item.code, stock)
    if key == "below_safety":
        values = {
            "item": name,
            "on_hand": quantity(entry.on_hand, item.unit),
            "safety": quantity(item.safety_stock, item.unit),
        }
        if entry.days_of_cover is None:
            return _("• {item} · {on_hand} on hand · safety stock {safety}", **values)
        cover = int(entry.days_of_cover)
        return n_(
            "• {item} · {on_hand} on hand · safety stock {safety} · *{n} day of cover*",
            "• {item} · {on_hand} on hand · safety stock {safety} · *{n} days of cover*",
            cover,
            **values,
        )
    if entry.counted_on is None:
        return _("• {item} · never counted", item=name)
    return n_(
        "• {item} · last counted {date} · *{n} day ago*",
        "• {item} · last counted {date} · *{n} days ago*",
        (today - entry.counted_on).days,
        item=name,
        date=day(entry.counted_on),
    )


def stock_list_blocks(part: StockList, stock: Stock, today: date) -> list[dict]:
    lines = [stock_line(part.key, entry, stock, today) for entry in part.items]
    head = _("*{title}* ({count})", title=stock_titles()[part.key], count=part.total)
    blocks = [section(head + "\n" + "\n".join(lines))]
    if part.more > 0:
        blocks.append(context(_("{more} more not shown. `/stock` shows every item.", more=part.more)))
    return blocks


def stock_blocks(stock: Stock | None, today: date) -> list[dict]:
    """The digest's stock section: at most 6 blocks (3 lists, each with its count of the rest)."""
    if stock is None:
        return []
    return [block for part in stock.lists for block in stock_list_blocks(part, stock, today)]


def section_blocks(part: Section, links: dict[int, str], now: datetime, today: date) -> list[dict]:
    lines = [item_line(part.key, item, links, now, today) for item in part.items]
    head = _("*{title}* ({count})", title=titles()[part.key], count=part.total)
    blocks = [section(head + "\n" + "\n".join(lines))]
    if part.more > 0:
        more = _(
            "{more} more not shown. `/order list` shows every open order, `/order show CO-…` any one.",
            more=part.more,
        )
        blocks.append(context(more))
    return blocks


def changes_block(digest: Digest, links: dict[int, str]) -> dict:
    since = when(digest.since) if digest.since else None
    if not digest.changes:
        if since is None:
            return context(_("Nothing was registered, committed, delivered or cancelled since yesterday."))
        return context(
            _("Nothing was registered, committed, delivered or cancelled since {since}.", since=since)
        )
    lines = []
    for kind in ("registered", "committed", "delivered", "cancelled"):
        orders = digest.changes.get(kind, [])
        if orders:
            names = listing([linked(o.number, links.get(o.id)) for o in orders[:CHANGED_NAMES]])
            if len(orders) > CHANGED_NAMES:
                names = _("{orders} and {more} more", orders=names, more=len(orders) - CHANGED_NAMES)
            lines.append(_change_line(kind, len(orders), names))
    head = _("*:newspaper: Since {since}*", since=since) if since else _("*:newspaper: Since yesterday*")
    return section(head + "\n" + "\n".join(lines))


def digest_message(digest: Digest, links: dict[int, str]) -> dict:
    title = _("Daily digest · {date}", date=day(digest.day))
    blocks: list[dict] = [{"type": "header", "text": {"type": "plain_text", "text": title}}]
    for part in digest.sections:
        blocks += section_blocks(part, links, digest.now, digest.day)
    if not digest.sections:
        blocks.append(section(_("Nothing is waiting on anyone and no delivery is due this week. :tada:")))
    blocks += stock_blocks(digest.stock, digest.day)
    blocks.append(changes_block(digest, links))
    text = n_("{title}: {n} item waiting", "{title}: {n} items waiting", digest.waiting, title=title)
    return {"text": text, "blocks": blocks}


def personal_message(digest: Digest, user: str, links: dict[int, str]) -> dict:
    person = mention(user)
    if not digest.sections and digest.stock is None:
        text = _("{person} nothing is waiting on you any more today. :tada:", person=person)
        return {"text": _("Your digest: nothing waiting on you"), "blocks": [section(text)]}
    if not digest.sections:
        intro = n_(
            ":wave: {person} {n} stock item your team looks after needs a look today ({date}):",
            ":wave: {person} {n} stock items your team looks after need a look today ({date}):",
            digest.stock.total,
            person=person,
            date=day(digest.day),
        )
        text = n_(
            "Your digest: {n} stock item needs a look",
            "Your digest: {n} stock items need a look",
            digest.stock.total,
        )
        return {"text": text, "blocks": [section(intro), *stock_blocks(digest.stock, digest.day)]}
    intro = n_(
        ":wave: {person} {n} item waits on you or your team today ({date}):",
        ":wave: {person} {n} items wait on you or your team today ({date}):",
        digest.waiting,
        person=person,
        date=day(digest.day),
    )
    blocks = [section(intro)]
    for part in digest.sections:
        blocks += section_blocks(part, links, digest.now, digest.day)
    blocks += stock_blocks(digest.stock, digest.day)
    text = n_("Your digest: {n} item waiting on you", "Your digest: {n} items waiting on you", digest.waiting)
    return {"text": text, "blocks": blocks}


def orders_in(digest: Digest) -> list:
    """Every order the digest names (to look up their thread links once)."""
    found = [item.order for part in digest.sections for item in part.items]
    found += [o for orders in digest.changes.values() for o in orders[:CHANGED_NAMES]]
    return found
