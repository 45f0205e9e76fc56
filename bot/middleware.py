"""Global Bolt middleware (runs after Bolt has verified the request's signature).

The reader's language is not chosen here: Bolt runs global middleware before it runs the
listener, so a context set in one would be gone by then (bot.app.ReadersApp chooses it).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient

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
            with svc.session(settle_groups=False) as session:  # before the ack: no Slack call
                first = events.first_sighting(session, str(event_id), now=svc.clock())
            if not first:
                log.info("event %s already handled; ignoring the redelivery", event_id)
                return BoltResponse(status=200, body="")
        return next()

    @app.middleware
    def reply_by_dm_without_response_url(
        body: dict,
        context: BoltContext,
        next: Callable[[], BoltResponse],  # noqa: A002
    ) -> BoltResponse | None:
        """Buttons on the App Home tab come without a response_url, so Bolt's respond() could only
        raise: what a listener would say ephemerally (a refusal, a setup note) goes to the person's
        DM with the bot instead."""
        if body.get("type") == "block_actions" and context.response_url is None and context.user_id:
            context["respond"] = DirectReply(context.client, context.user_id)
        return next()


class DirectReply:
    """Stands in for Bolt's Respond where there is no response_url: posts to the user's DM."""

    response_url = None

    def __init__(self, client: WebClient, user: str) -> None:
        self.client, self.user = client, user

    def __call__(self, text: str = "", blocks: list | None = None, **_how: object) -> None:
        # response_type / replace_original only make sense for a response_url; a DM is all there is
        self.client.chat_postMessage(channel=self.user, text=text, blocks=blocks)
