"""Global Bolt middleware (runs after Bolt has verified the request's signature)."""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App, BoltResponse

from bot.services import Services
from storage import events

log = logging.getLogger(__name__)


def register(app: App, svc: Services) -> None:
    @app.middleware
    def ignore_redelivered_events(body: dict, next: Callable[[], BoltResponse]) -> BoltResponse | None:  # noqa: A002
        """Slack retries an event it thinks failed (HTTP retries, Socket Mode redeliveries) with the
        same event_id: acknowledge the repeat and do nothing."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            with svc.session() as session:
                first = events.first_sighting(session, str(event_id), now=svc.clock())
            if not first:
                log.info("event %s already handled; ignoring the redelivery", event_id)
                return BoltResponse(status=200, body="")
        return next()
