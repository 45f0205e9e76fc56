"""Read-only answers never wait for the database's write lock (held by a sweep, another replica,
a long write): under WAL they read a consistent snapshot while the writer works."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from tests.conftest import SALES
from tests.helpers import register


@contextmanager
def write_lock_held(bot) -> Iterator[None]:  # noqa: ANN001
    """Another connection holds SQLite's write lock, as a sweep writing many rows would."""
    other = sqlite3.connect(bot.svc.engine.url.database, isolation_level=None)
    try:
        other.execute("BEGIN IMMEDIATE")
        yield
        other.execute("ROLLBACK")
    finally:
        other.close()


def test_order_list_show_and_kpi_answer_while_another_writer_holds_the_lock(bot) -> None:  # noqa: ANN001
    register(bot)
    with write_lock_held(bot):
        listed = bot.slack.command(SALES, "list")
        shown = bot.slack.command(SALES, "show CO-0001")
        kpis = bot.slack.command(SALES, "", command="/kpi")
    assert all("went wrong" not in r.body.decode() for r in (listed, shown, kpis))
    assert listed.json()["text"] == "Open orders: 1" and "CO-0001" in str(listed.json()["blocks"])
    assert "CO-0001" in shown.json()["text"]
    assert "KPI" in str(kpis.json())
