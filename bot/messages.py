"""MessageKind → renderer: the one table delivery asks to build a queued message's payload.

Each feature's renderers module registers its renderers with `@renders(MessageKind.X)`. A
renderer takes (session, params, config, now), reads the current state and returns
{"text", "blocks"}. The feature modules are imported on first use, so this module imports none
of them and none of them import each other to build the table.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from storage.models import OutboxMessage
from workflows.config import Config
from workflows.enums import MessageKind

Renderer = Callable[[Session, dict, Config, datetime], dict]

FEATURES = (
    "bot.orders.renderers",
    "bot.after_commit.renderers",
    "bot.review.renderers",
    "bot.digest.renderers",
)
_RENDERERS: dict[MessageKind, Renderer] = {}


class NothingToRender(Exception):
    """The thing the message is about is gone; the message is dropped."""


def renders(*kinds: MessageKind) -> Callable[[Renderer], Renderer]:
    def register(renderer: Renderer) -> Renderer:
        for kind in kinds:
            if kind in _RENDERERS:
                raise RuntimeError(f"two renderers for {kind}: {_RENDERERS[kind]} and {renderer}")
            _RENDERERS[MessageKind(kind)] = renderer
        return renderer

    return register


def renderers() -> dict[MessageKind, Renderer]:
    for module in FEATURES:
        importlib.import_module(module)
    return _RENDERERS


def render(session: Session, message: OutboxMessage, config: Config, now: datetime) -> dict:
    renderer = renderers().get(MessageKind(message.kind))
    if renderer is None:
        raise ValueError(f"no renderer for message kind {message.kind!r}")
    return renderer(session, message.params, config, now)
