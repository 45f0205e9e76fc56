"""The `orderloop` command: serve, run-due, backup, demo."""

from __future__ import annotations

import logging
import sys
from datetime import UTC, datetime
from pathlib import Path

import click

from bot.settings import Settings, SettingsError, load_settings

log = logging.getLogger("orderloop")


def _setup_logging() -> None:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("alembic").setLevel(logging.WARNING)  # its start-up chatter is not news


def _settings_or_exit() -> Settings:
    try:
        return load_settings()
    except SettingsError as exc:
        click.echo(f"orderloop: configuration error: {exc}", err=True)
        sys.exit(2)


def _parse_now(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(
            f"{value!r} is not an ISO-8601 time like 2026-11-25T09:00:00+08:00"
        ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


@click.group()
def main() -> None:
    """OrderLoop: the custom-order loop between sales, production and supply, in Slack."""


@main.command()
def serve() -> None:
    """Serve Slack (HTTP on $PORT, or Socket Mode when SLACK_APP_TOKEN is set) and run due work."""
    _setup_logging()
    from bot.runtime import serve as run

    sys.exit(run(_settings_or_exit()))


@main.command("run-due")
@click.option("--now", "now_text", metavar="ISO-8601", help="Act as if it were this moment (default: now).")
def run_due_command(now_text: str | None) -> None:
    """Do, once, all work due at this moment (for cron, or to drive time in tests)."""
    _setup_logging()
    now = _parse_now(now_text)
    from bot.runtime import build_services
    from bot.sweep import run_due

    try:
        svc = build_services(_settings_or_exit(), create=False)
    except SettingsError as exc:
        click.echo(f"orderloop: configuration error: {exc}", err=True)
        sys.exit(2)
    result = run_due(svc, now)
    for line in result.outcomes:
        click.echo(line)
    click.echo(
        f"run-due at {now.isoformat()}: {len(result.outcomes)} due item(s), "
        f"{result.delivered} message(s) delivered"
    )


@main.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def backup(file: Path) -> None:
    """Write a consistent copy of the SQLite database to FILE, also while `serve` runs."""
    from bot.settings import load_database_env
    from storage.backup import BackupError, backup_sqlite
    from storage.db import sqlite_file

    try:
        url = load_database_env().DATABASE_URL
    except SettingsError as exc:
        click.echo(f"orderloop: configuration error: {exc}", err=True)
        sys.exit(2)
    source = sqlite_file(url)
    if source is None and url.startswith("sqlite"):
        click.echo("orderloop: DATABASE_URL is an in-memory database; there is nothing to back up", err=True)
        sys.exit(2)
    if source is None:
        click.echo(
            "orderloop: DATABASE_URL is a PostgreSQL database: back it up with pg_dump "
            "(for example `pg_dump --format=custom --file=orderloop.dump orderloop`), not with this command",
            err=True,
        )
        sys.exit(2)
    try:
        orders = backup_sqlite(source, file)
    except BackupError as exc:
        click.echo(f"orderloop: backup failed: {exc}", err=True)
        sys.exit(1)
    click.echo(f"backed up {source} to {file} ({orders} order(s))")


@main.command()
@click.option("--quiet", is_flag=True, help="Print only the transcript.")
@click.option(
    "--lang",
    type=click.Choice(["en", "zh-CN", "zh"], case_sensitive=False),
    default="en",
    show_default=True,
    help="The language the bot and the transcript speak.",
)
def demo(quiet: bool, lang: str) -> None:
    """Play one custom order end to end against a local Slack stand-in and print the conversation."""
    if not quiet:
        _setup_logging()
        logging.getLogger().setLevel(logging.WARNING)
    from bot.sandbox.demo import run_demo

    sys.exit(run_demo(click.echo, lang))
