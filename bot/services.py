"""What listeners need, built once per process: config, database, Slack client, directory, delivery."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from slack_sdk import WebClient
from sqlalchemy.engine import Engine
from sqlmodel import Session

from bot.delivery import Deliverer
from bot.directory import SlackDirectory
from storage.db import session_scope
from workflows.config import Config
from workflows.context import Context


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

    @classmethod
    def build(
        cls, config: Config, engine: Engine, client: WebClient, clock: Callable[[], datetime] = utc_now
    ) -> Services:
        return cls(
            config=config,
            engine=engine,
            client=client,
            directory=SlackDirectory(client),
            deliverer=Deliverer(engine, client, config, clock),
            clock=clock,
        )

    def context(self) -> Context:
        return Context(config=self.config, directory=self.directory, now=self.clock())

    @contextmanager
    def session(self, *, read_only: bool = False) -> Iterator[Session]:
        with session_scope(self.engine, read_only=read_only) as session:
            yield session
