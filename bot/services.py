"""What listeners need, built once per process: config, database, Slack client, directory, delivery."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

from slack_bolt import Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.ack_first import AckFirst
from bot.delivery import SETUP_HINTS, Deliverer
from bot.directory import SlackDirectory
from bot.people import People
from storage.db import session_scope
from workflows.config import Config
from workflows.context import Context

log = logging.getLogger(__name__)

# Seconds a write made while a person waits may wait for the database (a lock held by another
# process, a slow statement): a form is saved before it is acknowledged, inside Slack's 3 s,
# so past this it is answered "not saved, try again" instead of missing its window.
PERSON_WAITS = 2.5


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    config: Config
    engine: Engine
    client: WebClient
    directory: SlackDirectory
    deliverer: Deliverer
    clock: Callable[[], datetime] = utc_now
    acks: AckFirst = field(default_factory=AckFirst)
    people: People | None = None

    def __post_init__(self) -> None:
        if self.people is None:
            self.people = self.deliverer.people

    @classmethod
    def build(
        cls, config: Config, engine: Engine, client: WebClient, clock: Callable[[], datetime] = utc_now
    ) -> Services:
        people = People(client, config)
        return cls(
            config=config,
            engine=engine,
            client=client,
            directory=SlackDirectory(client),
            deliverer=Deliverer(engine, client, config, clock, people),
            people=people,
            clock=clock,
        )

    def deliver_for(self, streams: list[str], *, user: str, respond: Respond | None = None) -> None:
        """Deliver what the person's action queued; if Slack's setup holds it back, tell them.

        Their change is saved either way and goes out by itself once the setup is fixed.
        """
        self.deliverer.deliver(streams=streams)
        problem = self.deliverer.setup_problem(streams)
        if problem is None:
            return
        note = (
            f":warning: Saved, but Slack would not post it yet: {SETUP_HINTS.get(problem, problem)}. "
            "It will be posted automatically once that is fixed."
        )
        try:
            if respond is not None:
                respond(text=note, response_type="ephemeral", replace_original=False)
            else:
                self.client.chat_postMessage(channel=user, text=note)
        except (SlackApiError, SlackClientError, OSError) as exc:
            log.error("could not tell %s that delivery is blocked (%s): %s", user, problem, exc)

    def context(self) -> Context:
        return Context(config=self.config, directory=self.directory, now=self.clock())

    @contextmanager
    def session(
        self, *, read_only: bool = False, settle_groups: bool = True, budget: float | None = None
    ) -> Iterator[Session]:
        """A unit of work. A write transaction first settles the user groups (settle_groups):
        permission checks inside it look them up, and must not wait on Slack while it holds the
        write lock. Writes that check no permission (bookkeeping) skip that. `budget`: seconds
        it may wait for the database (PERSON_WAITS where a person waits), else storage's default."""
        if read_only or not settle_groups:
            with session_scope(self.engine, read_only=read_only, budget=budget) as session:
                yield session
            return
        with (
            self.directory.settled(self.group_ids()),
            session_scope(self.engine, budget=budget) as session,
        ):
            yield session

    def group_ids(self) -> set[str]:
        teams = self.config.teams
        members = (*teams.sales, *teams.production, *teams.supply, *teams.managers)
        return {member for member in members if member.startswith("S")}
