"""Who is in which user group, from Slack, cached briefly so a burst of clicks costs one call."""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger(__name__)


class NotCached(Exception):
    """A user group's members are not known without asking Slack."""


class CachedDirectory:
    """The directory as far as it is known now, without calling Slack (for checks before an ack)."""

    def __init__(self, directory: SlackDirectory) -> None:
        self.directory = directory

    def expand(self, member_ids: list[str]) -> set[str]:
        users: set[str] = set()
        for member in member_ids:
            users |= self.directory.cached_group(member) if member.startswith("S") else {member}
        return users


class SlackDirectory:
    def __init__(self, client: WebClient, ttl_seconds: float = 300) -> None:
        self.client, self.ttl = client, ttl_seconds
        self._groups: dict[str, tuple[float, frozenset[str]]] = {}
        self._lock = threading.Lock()
        self._settled = threading.local()  # .active: this thread answers from memory only
        self._failing: set[str] = set()  # groups whose last look-up failed

    @contextmanager
    def settled(self, group_ids: Iterable[str]) -> Iterator[None]:
        """Bring these groups up to date now, then answer from memory only until the block ends.

        For work inside a database write transaction: a Slack call there (a cache that expired
        while someone filled in a form) would hold the write lock, and every other writer, for as
        long as Slack takes. Members known a moment ago are good enough for that transaction."""
        for group_id in group_ids:
            self._group(group_id)
        outer, self._settled.active = getattr(self._settled, "active", False), True
        try:
            yield
        finally:
            self._settled.active = outer  # a nested block leaves the outer one settled

    def expand(self, member_ids: list[str]) -> set[str]:
        users: set[str] = set()
        for member in member_ids:
            users |= self._group(member) if member.startswith("S") else {member}
        return users

    def unknown(self, group_ids: Iterable[str]) -> list[str]:
        """Those of these groups whose members Slack never told us (every look-up failed so far)."""
        with self._lock:
            return sorted(group_id for group_id in group_ids if group_id not in self._groups)

    def unreadable(self, group_ids: Iterable[str]) -> list[str]:
        """Those of these groups Slack just failed to tell us about, with no earlier answer kept:
        a refusal resting on them means "unknown", not "not a member"."""
        with self._lock:
            return sorted(g for g in group_ids if g in self._failing and g not in self._groups)

    def cached_group(self, group_id: str) -> frozenset[str]:
        with self._lock:
            cached = self._groups.get(group_id)
        if cached is None or time.monotonic() - cached[0] >= self.ttl:
            raise NotCached(group_id)
        return cached[1]

    def _group(self, group_id: str) -> frozenset[str]:
        with self._lock:
            cached = self._groups.get(group_id)
        if cached and time.monotonic() - cached[0] < self.ttl:
            return cached[1]
        if getattr(self._settled, "active", False):
            # settled() just tried Slack for it: what it left is the answer (unknown: nobody)
            return cached[1] if cached else frozenset()
        try:
            members = frozenset(self.client.usergroups_users_list(usergroup=group_id)["users"])
        except (SlackApiError, SlackClientError, OSError) as exc:
            # Deny by default: an unreadable group grants nobody, but a stale answer is kept.
            log.error("could not read members of user group %s: %s", group_id, exc)
            with self._lock:
                self._failing.add(group_id)
            return cached[1] if cached else frozenset()
        with self._lock:
            self._groups[group_id] = (time.monotonic(), members)
            self._failing.discard(group_id)
        return members
