"""Each person's language, as their Slack client is set (users.info with include_locale).

What only one person reads (a modal, an ephemeral reply, a DM, their Home) is written in their
language when `language_per_user` is on; anything Slack does not tell us falls back to the
workspace's `language`. Known languages are kept for a day. The ack path never asks Slack:
`known()` answers from memory and asks for a person not seen yet in the background, so their
next form or reply is in their language.
"""

from __future__ import annotations

import logging
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.text import normalize
from workflows.config import Config

log = logging.getLogger(__name__)

KEEP_SECONDS = 24 * 3600
RETRY_SECONDS = 300  # after a failed look-up, ask again no sooner than this


class People:
    def __init__(self, client: WebClient, config: Config) -> None:
        self.client, self.config = client, config
        self._known: dict[str, tuple[float, str | None]] = {}
        self._lock = threading.Lock()
        self._pending: set[str] = set()
        self._pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="locale")

    @property
    def default(self) -> str:
        return self.config.language

    def known(self, user: str | None) -> str:
        """The language to build for this person now, without waiting on Slack."""
        if not user or not self.config.language_per_user:
            return self.default
        cached = self._cached(user)
        if cached is None:
            self._ask_later(user)
            return self.default
        return cached[1] or self.default

    def cached(self, user: str) -> str | None:
        """The person's language if known (or no asking is needed), else None; never asks Slack."""
        if not self.config.language_per_user:
            return self.default
        entry = self._cached(user)
        return None if entry is None else (entry[1] or self.default)

    def language_of(self, user: str) -> str:
        """The person's language, asking Slack if it is not known (for delivery, never an ack)."""
        if not self.config.language_per_user:
            return self.default
        cached = self._cached(user)
        return (cached[1] if cached else self._fetch(user)) or self.default

    def _cached(self, user: str) -> tuple[float, str | None] | None:
        with self._lock:
            entry = self._known.get(user)
        if entry is None or entry[0] < time.monotonic():
            return None
        return entry

    def _ask_later(self, user: str) -> None:
        with self._lock:
            if user in self._pending:
                return
            self._pending.add(user)
        self._pool.submit(self._fetch, user)

    def _fetch(self, user: str) -> str | None:
        try:
            answer = self.client.users_info(user=user, include_locale=True)
            found, keep = normalize(str((answer.get("user") or {}).get("locale") or "")), KEEP_SECONDS
        except (SlackApiError, SlackClientError, OSError) as exc:
            log.warning("users.info failed for %s (%s); writing to them in %s", user, exc, self.default)
            found, keep = None, RETRY_SECONDS
        with self._lock:
            self._known[user] = (time.monotonic() + keep, found)
            self._pending.discard(user)
        return found
