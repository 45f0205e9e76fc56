"""The one mechanism for time: do everything that is due at `now`, once."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.services import Services

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SweepResult:
    delivered: int


def run_due(svc: Services, now: datetime) -> SweepResult:
    """Deliver every queued message whose time has come (retries included)."""
    delivered = svc.deliverer.deliver(now=now)
    return SweepResult(delivered=delivered)
