"""Assembling a running bot from settings: database, Slack client, scheduler, server."""

from __future__ import annotations

import logging
import signal
import sys
import threading
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler
from slack_bolt import App
from slack_bolt.error import BoltError
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlalchemy.exc import DBAPIError

from bot import forms
from bot.app import create_app
from bot.server import freeze_startup_heap, make_http_server, make_wsgi_app
from bot.services import Services
from bot.settings import Settings, SettingsError, shown_database_url
from bot.sweep import AFTER_ACK, run_due
from storage.db import create_schema, has_schema, make_engine, missing_sqlite_file

log = logging.getLogger("orderloop")

SWEEP_JOB_ID = "orderloop-sweep"
# auth.test answers that mean the token itself is wrong; anything else is Slack having trouble
TOKEN_ERRORS = {
    "invalid_auth",
    "not_authed",
    "account_inactive",
    "token_revoked",
    "token_expired",
    "not_allowed_token_type",
}


def build_services(settings: Settings, *, create: bool = True) -> Services:
    """Raises SettingsError (one line naming DATABASE_URL) when the database cannot be opened, or,
    with `create=False` (run-due), when it has no OrderLoop schema: a job that finds an empty
    database is pointed at the wrong one, and must not quietly start a second record there."""
    env = settings.env
    shown = shown_database_url(env.DATABASE_URL)
    log.info("database: %s", shown)
    engine = make_engine(env.DATABASE_URL)
    try:
        if not create and (missing_sqlite_file(env.DATABASE_URL) or not has_schema(engine)):
            raise SettingsError(
                f"DATABASE_URL: {shown} has no OrderLoop tables; point DATABASE_URL at the database "
                "`orderloop serve` uses (a relative SQLite path is read beside the configuration file)"
            )
        create_schema(engine)
    except DBAPIError as exc:  # unreachable server, wrong role or password, a file that cannot be opened
        reason = str(exc.orig or exc).strip().splitlines()[0][:200]
        raise SettingsError(f"DATABASE_URL: cannot open the database ({reason})") from None
    client = WebClient(token=env.SLACK_BOT_TOKEN.get_secret_value(), base_url=env.SLACK_API_URL, timeout=10)
    return Services.build(settings.config, engine, client)


def _build_app(svc: Services, signing_secret: str) -> App | str:
    """The Bolt app, its token checked by the one auth.test Bolt then keeps for every request;
    a one-line problem if Slack rejects the token."""
    try:
        return create_app(svc, signing_secret=signing_secret, verify_token=True)
    except BoltError as exc:  # Bolt raises it while handling the SlackApiError of auth.test
        rejected = exc.__context__
        error = rejected.response.get("error") if isinstance(rejected, SlackApiError) else str(exc)
        if error in TOKEN_ERRORS:
            return f"SLACK_BOT_TOKEN: Slack rejected it ({error})"
        problem = f"Slack answered {error}"  # a 5xx, ratelimited…: Slack's trouble, not the token's
    except (SlackClientError, OSError) as exc:
        problem = str(exc)
    log.warning("could not check the token with Slack (%s); starting anyway", problem)
    return create_app(svc, signing_secret=signing_secret)  # Bolt checks it on the first request


def start_scheduler(svc: Services) -> BackgroundScheduler:
    """Runs the sweep every few seconds. The database, not this scheduler, knows what is due."""
    scheduler = BackgroundScheduler(timezone=svc.config.tz)
    scheduler.add_job(
        lambda: _sweep(svc),
        "interval",
        seconds=svc.config.schedule.sweep_seconds,
        id=SWEEP_JOB_ID,
        coalesce=True,  # after a stall, one sweep catches up on everything; no burst of repeats
        max_instances=1,
        misfire_grace_time=None,  # a late sweep still runs: due work must never be dropped
        next_run_time=datetime.now(UTC),
    )
    scheduler.start()
    return scheduler


def _sweep(svc: Services) -> None:
    try:
        run_due(svc, datetime.now(UTC))
    except Exception:  # the next sweep retries; a crash here must not stop the scheduler
        log.exception("sweep failed; will retry on the next run")


def _configuration_error(problem: str) -> int:
    print(f"orderloop: configuration error: {problem}", file=sys.stderr, flush=True)
    return 2


def serve(settings: Settings) -> int:
    env = settings.env
    try:
        svc = build_services(settings)
    except SettingsError as exc:
        return _configuration_error(str(exc))
    app = _build_app(svc, env.SLACK_SIGNING_SECRET.get_secret_value())
    if isinstance(app, str):
        return _configuration_error(app)
    socket_mode = env.SLACK_APP_TOKEN is not None
    # HTTP in both modes: Slack's requests (unless they come over Socket Mode), /healthz and the
    # ERP API. Bound before any work starts: a taken port is a setup error.
    try:
        wsgi = make_wsgi_app(app, svc, slack_events=not socket_mode)
        server = make_http_server(wsgi, host="0.0.0.0", port=env.PORT)
    except OSError as exc:
        return _configuration_error(f"PORT: cannot listen on port {env.PORT} ({exc.strerror or exc})")
    # forms acknowledged before the last process stopped and not yet written: write them before
    # taking requests (their deliveries go out with the first sweep)
    if applied := forms.apply_pending(svc, AFTER_ACK):
        log.info("applied %d form(s) saved before the last stop", applied)
    scheduler = start_scheduler(svc)
    freeze_startup_heap()
    try:
        if socket_mode:
            from slack_bolt.adapter.socket_mode import SocketModeHandler

            threading.Thread(target=server.run, name="http", daemon=True).start()
            log.info("serving Slack over Socket Mode; /healthz and the API on http://0.0.0.0:%s", env.PORT)
            SocketModeHandler(app, env.SLACK_APP_TOKEN.get_secret_value()).start()
        else:
            stop = threading.Event()
            signal.signal(signal.SIGTERM, lambda *_: (stop.set(), server.close()))
            log.info("serving Slack on http://0.0.0.0:%s/slack/events", env.PORT)
            try:
                server.run()
            except (KeyboardInterrupt, OSError):
                if not stop.is_set():
                    raise
    finally:
        scheduler.shutdown(wait=False)
    return 0
