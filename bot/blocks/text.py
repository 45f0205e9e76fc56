"""mrkdwn helpers: escaping user text, mentions, dates every reader sees in their own zone."""

from __future__ import annotations

from datetime import date, datetime


def esc(text: str | None) -> str:
    """Escape user text so `<!channel>` or `<@U…>` inside it pings nobody."""
    return (text or "").replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


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
