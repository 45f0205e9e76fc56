"""Renderers for the digest's queued messages, see bot/render.py.

They build the content at delivery time from current state; the window of "what changed" is the
one the due item fixed when it ran, so consecutive digests neither miss nor repeat a change.
"""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Session

from bot.digest import blocks
from bot.links import thread_link
from bot.messages import renders
from bot.review.followups import add_to_digest as add_followups
from workflows import digest
from workflows.config import Config
from workflows.enums import MessageKind as K


def _links(session: Session, found: digest.Digest) -> dict[int, str]:
    return {o.id: link for o in blocks.orders_in(found) if (link := thread_link(session, o))}


def _window(params: dict) -> tuple[datetime, datetime]:
    return datetime.fromisoformat(params["since"]), datetime.fromisoformat(params["until"])


@renders(K.DIGEST)
def channel_digest(session: Session, params: dict, config: Config, now: datetime) -> dict:
    found = digest.build(session, config, now, window=_window(params))
    return add_followups(blocks.digest_message(found, _links(session, found)), session, now, config)


@renders(K.DIGEST_DM)
def personal_digest(session: Session, params: dict, config: Config, now: datetime) -> dict:
    scope = digest.Scope(teams=tuple(params.get("teams", [])), user=params["person"])
    found = digest.build(session, config, now, scope=scope)
    return blocks.personal_message(found, params["person"], _links(session, found))
