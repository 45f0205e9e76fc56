"""mrkdwn helpers: escaping user text, mentions, dates every reader sees in their own zone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from babel.dates import format_date, format_datetime

from bot.text import babel_locale, p_

_ESCAPES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_PARTIAL_MARKUP = re.compile(r"(&[a-z]*|<[^>]*)$")
# Escaped room for a customer or product name (120 characters typed; `&` takes five escaped).
NAME = 240


def esc(text: str | None) -> str:
    """Escape user text so `<!channel>` or `<@U…>` inside it pings nobody."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def esc_clip(text: str | None, limit: int) -> str:
    """User text escaped in at most `limit` characters: cut before escaping, so no entity is split
    and the sentences around it keep the room the caller gave them."""
    escaped = esc(text)
    if len(escaped) <= limit:
        return escaped
    out, used = [], 0
    for char in text or "":
        piece = _ESCAPES.get(char, char)
        if used + len(piece) > limit - 1:
            break
        out.append(piece)
        used += len(piece)
    return "".join(out) + "…"


def esc_name(text: str | None) -> str:
    """A customer or product name, escaped, in the room every message gives it."""
    return esc_clip(text, NAME)


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def clip_mrkdwn(text: str, limit: int) -> str:
    """The last resort for a whole mrkdwn text: never leaves half an entity, mention or link."""
    if len(text) <= limit:
        return text
    return _PARTIAL_MARKUP.sub("", text[: limit - 1]) + "…"


def mention(member_id: str) -> str:
    return f"<!subteam^{member_id}>" if member_id.startswith("S") else f"<@{member_id}>"


def mention_all(member_ids: list[str]) -> str:
    return " ".join(mention(m) for m in member_ids)


def when(moment: datetime) -> str:
    """A time Slack renders in each reader's own time zone, with a UTC fallback in the words' language."""
    epoch = int(moment.timestamp())
    fallback = format_datetime(moment, p_("date", "y-MM-dd HH:mm 'UTC'"), tzinfo=UTC, locale=babel_locale())
    # TRANSLATORS: Slack's date token; keep {date_short_pretty} and {time} as they are.
    token = p_("date", "{date_short_pretty} at {time}")
    return f"<!date^{epoch}^{token}|{fallback}>"


def day(value: date | None) -> str:
    # TRANSLATORS: a day in Babel's date pattern syntax, e.g. "Sat 19 Dec 2026".
    return format_date(value, p_("date", "EEE dd MMM y"), locale=babel_locale()) if value else "—"


def month(key: str) -> str:
    """A month key ("2026-12") as its name, e.g. "December 2026"."""
    year, number = (int(part) for part in key.split("-"))
    # TRANSLATORS: a month as Babel formats it, e.g. "December 2026".
    return format_date(date(year, number, 1), p_("date", "MMMM y"), locale=babel_locale())


def number(value: int | float | None) -> str:
    return "—" if value is None else f"{value:,}"


def linked(label: str, url: str | None) -> str:
    return f"<{url}|{label}>" if url else label
