"""(being written) The digest workflow."""

from __future__ import annotations

from sqlmodel import Session

from workflows.context import Context

HANDLERS: dict = {}  # due-item kind -> handler, see workflows/due.py


def plan(session: Session, ctx: Context) -> None:
    """Make sure the next recurring due item of this feature exists."""
