"""The migration that made change acknowledgements into answers keeps existing rows sensible:
a change made before it had already moved the order (applied), an acknowledgement given is a yes,
one never given stays unanswered. On SQLite and PostgreSQL."""

from __future__ import annotations

from alembic import command
from sqlalchemy import text

from storage.db import alembic_config, make_engine

BEFORE = "b81eca7e34ae"
AT = "2026-11-25 01:00:00"


def test_existing_changes_migrate_as_applied_and_acknowledgements_as_a_yes(blank_database_url: str) -> None:
    engine = make_engine(blank_database_url)
    try:
        with engine.begin() as conn:
            command.upgrade(alembic_config(conn), BEFORE)
            conn.execute(
                text(
                    "INSERT INTO orders (id, customer, product, quantity, requested_date, specification, "
                    "salesperson, status, revision, created_at, updated_at, commit_notes) VALUES (1, 'ACME', "
                    "'GBX', 300, '2026-12-20', '', 'U01', 'committed', 1, :at, :at, '')"
                ),
                {"at": AT},
            )
            conn.execute(
                text(
                    "INSERT INTO orderchange (id, order_id, requested_by, origin, requested_at, before, "
                    "after, reason) VALUES (1, 1, 'U01', 'customer', :at, '{}', '{}', 'moved')"
                ),
                {"at": AT},
            )
            conn.execute(
                text(
                    "INSERT INTO changeack (id, change_id, order_id, team, due_at, acked_at, acked_by, late) "
                    "VALUES (1, 1, 1, 'production', :at, :at, 'U05', :no), "
                    "(2, 1, 1, 'supply', :at, NULL, NULL, :no)"
                ),
                {"at": AT, "no": False},
            )
            command.upgrade(alembic_config(conn), "head")
            change = conn.execute(text("SELECT status, override_reason FROM orderchange")).one()
            acks = conn.execute(text("SELECT team, can_do, notes FROM changeack ORDER BY id")).all()
        assert tuple(change) == ("applied", "")
        assert [tuple(a) for a in acks] == [("production", True, ""), ("supply", None, "")]
    finally:
        engine.dispose()
