"""Where the database is: one file found the same way from any folder, named at start-up
(without secrets), refused by run-due when it is not OrderLoop's; and a backup while it is written."""

from __future__ import annotations

import logging
import sqlite3
import threading
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from bot.cli import main
from bot.runtime import build_services
from bot.settings import load_settings, resolve_database_url, shown_database_url
from storage import repo
from storage.db import create_schema, make_engine, session_scope
from storage.models import Order
from tests.unit.test_settings import ENV, SETTINGS_VARS, config_file

T = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
ORDER = {"customer": "ACME", "product": "GBX-100", "quantity": 1, "requested_date": date(2026, 12, 20)}
ORDER |= {"salesperson": "U01"}


@pytest.fixture
def elsewhere(monkeypatch, tmp_path) -> Path:  # noqa: ANN001
    """A clean environment, started from a folder that is not the configuration's (as cron does)."""
    for name in SETTINGS_VARS:
        monkeypatch.delenv(name, raising=False)
    folder = tmp_path / "home"
    folder.mkdir()
    monkeypatch.chdir(folder)
    etc(folder.parent)
    return folder


def etc(tmp_path: Path) -> Path:
    folder = tmp_path / "etc"
    folder.mkdir(exist_ok=True)
    return config_file(folder)


def test_a_relative_sqlite_path_is_read_beside_the_configuration_file(elsewhere, tmp_path) -> None:  # noqa: ANN001
    settings = load_settings({**ENV, "ORDERLOOP_CONFIG": str(etc(tmp_path))})
    assert f"sqlite:///{tmp_path / 'etc' / 'orderloop.db'}" == settings.env.DATABASE_URL


@pytest.mark.parametrize(
    "url",
    ["sqlite:////var/lib/orderloop.db", "sqlite://", "sqlite:///:memory:", "postgresql://u:p@db/orderloop"],
)
def test_absolute_in_memory_and_postgresql_urls_are_left_as_they_are(url) -> None:  # noqa: ANN001
    assert resolve_database_url(url, Path("/etc/orderloop")) == url


def test_the_start_up_log_names_the_database_and_masks_a_password(elsewhere, tmp_path, caplog) -> None:  # noqa: ANN001
    url = "postgresql://orderloop:hunter2@127.0.0.1:1/orderloop"
    settings = load_settings({**ENV, "ORDERLOOP_CONFIG": str(etc(tmp_path)), "DATABASE_URL": url})
    caplog.set_level(logging.INFO, logger="orderloop")
    with pytest.raises(Exception, match="DATABASE_URL: cannot open the database"):
        build_services(settings)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert "database: postgresql://orderloop:***@127.0.0.1:1/orderloop" in logged
    assert "hunter2" not in logged
    assert shown_database_url(f"sqlite:///{tmp_path}/x.db") == f"sqlite:///{tmp_path}/x.db"


def run(args: list[str], tmp_path: Path, **env: str):  # noqa: ANN201
    return CliRunner().invoke(main, args, env={**ENV, "ORDERLOOP_CONFIG": str(etc(tmp_path)), **env})


def test_run_due_refuses_a_database_without_orderloop_tables_in_one_line(elsewhere, tmp_path) -> None:  # noqa: ANN001
    result = run(["run-due"], tmp_path)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(
        f"orderloop: configuration error: DATABASE_URL: sqlite:///{tmp_path / 'etc' / 'orderloop.db'} "
        "has no OrderLoop tables"
    ), result.stderr
    assert not (tmp_path / "etc" / "orderloop.db").exists()  # no empty database left behind
    assert not (elsewhere / "orderloop.db").exists()


def test_run_due_refuses_an_existing_database_that_is_not_orderloops(elsewhere, tmp_path) -> None:  # noqa: ANN001
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE notes (id INTEGER)").connection.close()
    result = run(["run-due"], tmp_path, DATABASE_URL=f"sqlite:///{other}")
    assert result.exit_code == 2
    assert "DATABASE_URL" in result.stderr and "has no OrderLoop tables" in result.stderr


def test_run_due_from_another_folder_uses_the_database_beside_the_configuration(elsewhere, tmp_path) -> None:  # noqa: ANN001
    create_schema(make_engine(f"sqlite:///{tmp_path / 'etc' / 'orderloop.db'}"))
    result = run(["run-due", "--now", "2026-11-25T09:00:00+08:00"], tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "run-due at 2026-11-25T01:00:00+00:00" in result.stdout
    assert not (elsewhere / "orderloop.db").exists()


# -- backup ------------------------------------------------------------------------------------


def test_backup_while_a_writer_is_active_is_a_valid_complete_database(elsewhere, tmp_path) -> None:  # noqa: ANN001
    url = f"sqlite:///{tmp_path / 'etc' / 'orderloop.db'}"
    engine = make_engine(url)
    create_schema(engine)
    stop, written = threading.Event(), []

    def writer() -> None:  # one order per transaction, numbered 1, 2, 3, … with no gaps
        while not stop.is_set():
            with session_scope(engine) as session:
                repo.add_order(session, Order(**ORDER, created_at=T, updated_at=T))
            written.append(len(written) + 1)

    thread = threading.Thread(target=writer)
    thread.start()
    try:
        while len(written) < 50:  # the writer is well under way
            assert thread.is_alive(), "the writer stopped"
            stop.wait(0.01)
        result = run(["backup", str(tmp_path / "copy.db")], tmp_path)
        during = len(written)
    finally:
        stop.set()
        thread.join()
    assert result.exit_code == 0, result.stderr
    copy = sqlite3.connect(tmp_path / "copy.db")
    assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    ids = [row[0] for row in copy.execute("SELECT id FROM orders ORDER BY id")]
    assert 50 <= len(ids) <= during + 1 and ids == list(range(1, len(ids) + 1))  # a snapshot, no gaps
    assert copy.execute("SELECT count(*) FROM alembic_version").fetchone() == (1,)
    assert f"({len(ids)} order(s))" in result.stdout
    assert not (tmp_path / "copy.db-wal").exists()


def test_backup_of_postgresql_says_to_use_pg_dump_in_one_line(elsewhere, tmp_path) -> None:  # noqa: ANN001
    result = run(["backup", str(tmp_path / "x.db")], tmp_path, DATABASE_URL="postgresql://u:p@db/orderloop")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "pg_dump" in lines[0]
    assert not (tmp_path / "x.db").exists()


def test_backup_of_a_missing_database_writes_nothing_and_says_why(elsewhere, tmp_path) -> None:  # noqa: ANN001
    result = run(["backup", str(tmp_path / "x.db")], tmp_path)
    assert result.exit_code == 1
    assert "does not exist, so there is nothing to back up" in result.stderr
    assert not (tmp_path / "x.db").exists() and not (tmp_path / "etc" / "orderloop.db").exists()


def test_backup_needs_no_slack_secrets(elsewhere, tmp_path) -> None:  # noqa: ANN001
    create_schema(make_engine(f"sqlite:///{tmp_path / 'etc' / 'orderloop.db'}"))
    env = {"ORDERLOOP_CONFIG": str(etc(tmp_path))}
    result = CliRunner().invoke(main, ["backup", str(tmp_path / "copy.db")], env=env)
    assert result.exit_code == 0, result.stderr
    assert "(0 order(s))" in result.stdout
