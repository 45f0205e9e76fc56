"""What managers watch: everything overdue or escalated across the teams, for their App Home.

The same items as the digest's urgent sections, unscoped: overdue confirmation requests, change
acknowledgements past their deadline, late materials and open problems of any team.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from sqlmodel import Session

from storage import digest_repo as repo
from workflows import after_commit, digest
from workflows.clock import local_today
from workflows.config import Config
from workflows.enums import ANSWERING_TEAMS


def build(session: Session, config: Config, now: datetime, *, limit: int) -> digest.Digest:
    today = local_today(config, now)
    sections: list[digest.Section] = []

    def add(key: str, page: tuple[list, int], make: Callable[..., digest.Item]) -> None:
        rows, total = page
        if total:
            sections.append(digest.Section(key, [make(*row) for row in rows], total))

    teams = list(ANSWERING_TEAMS)
    add(
        "overdue",
        repo.waiting_requests(session, now=now, overdue=True, teams=teams, limit=limit),
        digest._request,
    )
    add("acks", repo.pending_acks(session, teams=teams, limit=limit, due_by=now), digest._ack)
    add(
        "materials",
        repo.late_materials(
            session, late_before=after_commit.late_if_promised_before(config, now), limit=limit
        ),
        digest._late_material,
    )
    add("problems", repo.open_problems(session, teams=digest.OWNING_TEAMS, limit=limit), digest._problem)
    return digest.Digest(day=today, now=now, since=None, sections=sections)
