"""mrkdwn helpers: escaping user text, mentions, dates every reader sees in their own zone."""

from __future__ import annotations

import re
from datetime import date, datetime

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
    """A time Slack renders in each reader's own time zone, with a UTC fallback."""
    epoch = int(moment.timestamp())
    fallback = moment.strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{epoch}^{{date_short_pretty}} at {{time}}|{fallback}>"


def day(value: date | None) -> str:
    return value.strftime("%a %d %b %Y") if value else "—"


def linked(label: str, url: str | None) -> str:
    return f"<{url}|{label}>" if url else label
