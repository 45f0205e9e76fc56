"""Links to messages, built locally from channel and ts (no chat.getPermalink call per order)."""

from __future__ import annotations

from sqlmodel import Session

from storage import outbox
from storage.models import Order
from workflows.notices import card_key


def message_link(channel: str, ts: str) -> str:
    return f"https://slack.com/archives/{channel}/p{ts.replace('.', '')}"


def thread_link(session: Session, order: Order) -> str | None:
    posted = outbox.posted(session, card_key(order))
    return message_link(posted.channel, posted.ts) if posted else None
