"""Sends queued messages to Slack: claim the head of a stream, render, call, record the ts.

Slack is called outside any database transaction. A failure leaves the message queued with
a retry time (Slack's Retry-After on 429, exponential backoff otherwise), so the next
delivery pass or sweep sends it; nothing is ever lost or posted twice by two deliverers.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.engine import Engine

from bot.messages import NothingToRender, render
from bot.people import People
from bot.text import language
from storage import outbox
from storage.db import session_scope
from storage.models import OutboxMessage
from workflows.config import Config

log = logging.getLogger(__name__)

# Slack answered; the payload or the call itself is wrong, so retrying cannot help.
PERMANENT_ERRORS = {
    "invalid_blocks",
    "invalid_arguments",
    "msg_too_long",
    "no_text",
    "cant_update_message",
    "message_not_found",
    "thread_not_found",
    "is_archived",
    "invalid_metadata_format",
}
# Fixable by a person (token, channel membership); retried slowly, logged clearly.
SETUP_ERRORS = {
    "invalid_auth",
    "not_authed",
    "account_inactive",
    "token_revoked",
    "channel_not_found",
    "not_in_channel",
    "missing_scope",
}
# What the person who acted is told when a setup error holds their messages back.
SETUP_HINTS = {
    "not_in_channel": "the bot is not a member of the channel. Invite it with `/invite @OrderLoop`",
    "channel_not_found": "the configured channel does not exist or the bot cannot see it; check the "
    "channel IDs in orderloop.toml",
    "invalid_auth": "Slack rejected the bot's token; an admin must check SLACK_BOT_TOKEN",
    "not_authed": "Slack rejected the bot's token; an admin must check SLACK_BOT_TOKEN",
    "token_revoked": "the bot's token was revoked; an admin must reinstall the app",
    "account_inactive": "the bot's token was revoked; an admin must reinstall the app",
    "missing_scope": "the app lacks a permission (scope); an admin must reinstall it from manifest.yml",
}
MAX_BACKOFF = timedelta(minutes=15)
METADATA_EVENT = "orderloop_message"
# Reading back a maybe-posted message: Slack takes `limit` up to 999 and recommends 200 or fewer.
LOOKUP_PAGE_SIZE = 200
MAX_LOOKUP_PAGES = 50


def backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=5 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def retry_after_seconds(response) -> int:  # noqa: ANN001
    """Slack's Retry-After header (seconds); at least one second, whatever the header says."""
    headers = {k.lower(): v for k, v in (getattr(response, "headers", None) or {}).items()}
    value = headers.get("retry-after", "1")
    value = value[0] if isinstance(value, list) else value
    try:
        return max(int(value), 1)
    except (TypeError, ValueError):
        return 1


class Deliverer:
    def __init__(
        self,
        engine: Engine,
        client: WebClient,
        config: Config,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        people: People | None = None,
    ) -> None:
        self.engine, self.client, self.config, self.clock = engine, client, config, clock
        self.people = people or People(client, config)

    def deliver(
        self, *, streams: list[str] | None = None, now: datetime | None = None, limit: int = 500
    ) -> int:
        """Deliver what is ready, stream heads first, until nothing more can go. Returns messages sent."""
        sent = 0
        for _ in range(limit):
            moment = now or self.clock()
            with session_scope(self.engine) as session:
                heads = outbox.claimable_heads(
                    session, now=moment, streams=streams, limit=20, clock_now=self.clock()
                )
            if not heads:
                return sent
            # A head that failed is retried later; one that died unblocks the next, so go on.
            sent += sum(self._deliver_one(message_id, moment) for message_id in heads)
        return sent

    def setup_problem(self, streams: list[str]) -> str | None:
        """A setup error (token, channel, membership) holding back these streams, if any."""
        with session_scope(self.engine, read_only=True) as session:
            return outbox.stuck_with(session, streams=streams, errors=SETUP_ERRORS)

    def _reader_language(self, stream: str) -> str:
        """A channel reads the workspace's language; a DM its one reader's (which may ask Slack,
        so it is called outside any database session)."""
        if stream.startswith("dm:"):
            return self.people.language_of(stream.removeprefix("dm:"))
        return self.config.language

    def _deliver_one(self, message_id: int, now: datetime) -> bool:
        with session_scope(self.engine) as session:
            # The claim runs on the real clock, not the pass's `now`: a long pass (a backlog, a slow
            # Slack) or `run-due --now` in the past must not hand out claims that expired already,
            # which another replica would take while this one is still posting.
            if not outbox.claim(session, message_id, now=self.clock()):
                return False
            stream = session.get(OutboxMessage, message_id).stream
        reader = self._reader_language(stream)
        with session_scope(self.engine) as session:
            message = session.get(OutboxMessage, message_id)
            try:
                with language(reader):
                    payload = render(session, message, self.config, now)
                call = self._call_for(session, message, payload)
            except NothingToRender:
                outbox.mark_failed(session, message, retry_at=None, error="nothing to render")
                return False
            if call is None:  # what it answers or edits is not posted (yet)
                return self._target_missing(session, message, now)
            uncertain, key, since = outbox.may_have_posted(message), message.target_key, message.created_at
        method, args = call
        looked_up = not uncertain
        try:
            found = None if looked_up else self._already_posted(args, key, since)
            looked_up = True
            response = found or self.client.api_call(method, json=args)
            outcome: tuple[str, str | None] | Exception = (response["channel"], response.get("ts"))
        except (SlackApiError, SlackClientError, OSError) as exc:
            outcome = exc
        with session_scope(self.engine) as session:
            message = session.get(OutboxMessage, message_id)
            if isinstance(outcome, Exception):
                # A lookup that failed settled nothing: the next attempt must look again.
                self._record_failure(session, message, outcome, now, still_uncertain=not looked_up)
                return False
            channel, ts = outcome
            outbox.mark_sent(session, message, now=self.clock(), channel=channel, ts=ts)
        return True

    def _already_posted(self, args: dict, key: str, since: datetime) -> dict | None:
        """Find a post of ours carrying this key, left by an attempt that crashed or timed out."""
        channel = args["channel"]
        if channel[:1] in ("U", "W"):
            # A DM (posted to the user's ID). Reading it back needs im:history, which the app does
            # not ask for (manifest.yml): post it again, at worst a repeated DM, never a lost one.
            log.info("DM %s to %s may have reached Slack; it cannot be looked up, posting it", key, channel)
            return None
        if "thread_ts" in args:
            read, where = self.client.conversations_replies, {"ts": args["thread_ts"]}
        else:
            read, where = self.client.conversations_history, {"oldest": str(since.timestamp() - 60)}
        for page in self._pages(read, channel=channel, include_all_metadata=True, **where):
            for found in page:
                if (found.get("metadata") or {}).get("event_payload", {}).get("key") == key:
                    log.info("message %s was already posted (ts %s); not posting it again", key, found["ts"])
                    return {"channel": channel, "ts": found["ts"]}
        return None

    @staticmethod
    def _pages(read: Callable, **args: object) -> Iterator[list[dict]]:
        """The messages of each page Slack hands out, following its cursor to the window's end."""
        cursor = None
        for _ in range(MAX_LOOKUP_PAGES):
            page = read(**args, limit=LOOKUP_PAGE_SIZE, cursor=cursor)
            yield page.get("messages", [])
            cursor = (page.get("response_metadata") or {}).get("next_cursor")
            if not page.get("has_more") or not cursor:
                return
        # So long a window is a channel far busier than the bot's: posting again is the lesser harm.
        log.warning("stopped looking after %d pages of %s", MAX_LOOKUP_PAGES, args.get("channel"))

    def _call_for(self, session, message: OutboxMessage, payload: dict) -> tuple[str, dict] | None:  # noqa: ANN001
        args = {"text": payload["text"], "blocks": payload["blocks"]}
        if message.op == "update":
            target = outbox.posted(session, message.target_key)
            if target is None:
                return None
            return "chat.update", {"channel": target.channel, "ts": target.ts, **args}
        channel = message.channel
        if message.thread_key:
            parent = outbox.posted(session, message.thread_key)
            if parent is None:
                return None
            channel, args["thread_ts"] = parent.channel, parent.ts
        # Our key rides along as message metadata so an uncertain retry can find the post.
        metadata = {"event_type": METADATA_EVENT, "event_payload": {"key": message.target_key}}
        return "chat.postMessage", {"channel": channel, "unfurl_links": False, "metadata": metadata, **args}

    def _target_missing(self, session, message: OutboxMessage, now: datetime) -> bool:  # noqa: ANN001
        """The message it answers or edits is not posted: wait for it, unless it never will be."""
        target = message.thread_key if message.op == "post" else message.target_key
        if outbox.gave_up_posting(session, target):
            # Without this, one dead post would hold back every later message of its order forever.
            log.error(
                "giving up %s: %s could not be posted (see the error logged for it)", message.key, target
            )
            outbox.mark_failed(session, message, retry_at=None, error=f"{target} was never posted")
        else:
            outbox.mark_failed(
                session, message, retry_at=now + backoff(message.attempts), error="target missing"
            )
        return False

    def _record_failure(  # noqa: ANN001
        self, session, message: OutboxMessage, exc: Exception, now: datetime, *, still_uncertain: bool = False
    ) -> None:
        response = getattr(exc, "response", None)
        status = getattr(response, "status_code", None)
        error = response.get("error") if response is not None and status == 200 else None
        # Slack said no (429, or an error answer): nothing was posted. Otherwise it may have been.
        sure = status == 429 or error is not None or isinstance(exc, ConnectionRefusedError)
        not_sent = sure and not still_uncertain
        if status == 429:
            retry_at = now + timedelta(seconds=retry_after_seconds(response))
        elif error in PERMANENT_ERRORS:
            log.error("Slack rejected %s message %s: %s", message.kind, message.key, error)
            retry_at = None
        else:
            retry_at = now + backoff(message.attempts)
            if error in SETUP_ERRORS:
                log.error(
                    "Slack answered %s for message %s: check the bot token, scopes and channel "
                    "membership; retrying at %s",
                    error,
                    message.key,
                    retry_at.isoformat(),
                )
            else:
                log.warning(
                    "delivering %s failed (%s); retrying at %s",
                    message.key,
                    error or status or type(exc).__name__,
                    retry_at.isoformat(),
                )
        outbox.mark_failed(
            session, message, retry_at=retry_at, error=str(error or status or exc), not_sent=not_sent
        )
