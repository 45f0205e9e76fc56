"""The context every workflow call gets besides the session: configuration, people, and the time."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from workflows.clock import local_today
from workflows.config import Config
from workflows.permissions import Directory


@dataclass(frozen=True)
class Context:
    config: Config
    directory: Directory
    now: datetime

    @property
    def today(self) -> date:
        return local_today(self.config, self.now)

    def stamp(self, moment: datetime) -> str:
        """A moment as refusals show it: local time and its zone ("2026-11-26 09:01 Asia/Shanghai")."""
        return f"{moment.astimezone(self.config.tz):%Y-%m-%d %H:%M} {self.config.timezone}"
