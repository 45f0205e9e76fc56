"""HTTP serving: POST /slack/events (Bolt's WSGI adapter), GET /healthz and the ERP API, on waitress."""

from __future__ import annotations

import gc
import json
import logging
import threading
from collections.abc import Callable, Iterable

from slack_bolt import App
from slack_bolt.adapter.wsgi.http_request import WsgiHttpRequest
from slack_bolt.adapter.wsgi.http_response import WsgiHttpResponse
from slack_bolt.request import BoltRequest
from slack_bolt.request.internals import parse_body
from sqlalchemy import text

from bot import api
from bot.services import Services
from storage.db import probe_write, session_scope

log = logging.getLogger(__name__)

EVENTS_PATH = "/slack/events"
MAX_BODY_BYTES = 1_000_000  # Slack's payloads are far smaller; anything bigger is not from Slack
# Slack's timestamps are Unix seconds: 10 digits until the year 2286. Bolt's signature check
# compares them with the clock in float arithmetic, which raises on one of some 310 digits or more.
MAX_STAMP_DIGITS = 12


def make_wsgi_app(app: App, svc: Services, *, slack_events: bool = True) -> Callable:
    """`slack_events=False` (Socket Mode: Slack's requests come over the socket): /healthz and
    the API only, and /slack/events is not found."""

    def wsgi(environ: dict, start_response: Callable) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO", ""), environ.get("REQUEST_METHOD", "")
        if path == "/healthz" and method == "GET":
            return _healthz(svc, start_response)
        if path.startswith(api.PREFIX):  # the ERP and warehouse API (bot/api.py)
            return api.handle(svc, environ, start_response)
        if path == EVENTS_PATH and method == "POST" and slack_events:
            with svc.acks.awaiting_answer():  # listeners' follow-up work waits for this answer
                status, headers, body = _dispatch(app, environ)
            start_response(status, headers)
            return [body]
        known = ("/healthz", EVENTS_PATH) if slack_events else ("/healthz",)
        status = "405 Method Not Allowed" if path in known else "404 Not Found"
        start_response(status, [("Content-Type", "text/plain")])
        return [status.encode()]

    return wsgi


def _dispatch(app: App, environ: dict) -> tuple[str, list[tuple[str, str]], bytes]:
    """Hand a request to Bolt; a body Slack would never send gets a 4xx, never a 500.

    Bolt parses the body before it checks the signature and raises on malformed JSON, so
    the shape is checked here first. Bolt then verifies the signature (401 before any work).
    """
    request = WsgiHttpRequest(environ)
    stamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
    if not (stamp.isascii() and stamp.isdigit()) or len(stamp) > MAX_STAMP_DIGITS:
        # Bolt's signature check raises on these instead of refusing them.
        return _plain(401, "Unauthorized: missing or malformed request timestamp")
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return _plain(400, "Bad Request: invalid Content-Length")
    if length > MAX_BODY_BYTES:
        return _plain(413, "Payload Too Large")
    try:
        body = environ["wsgi.input"].read(length).decode("utf-8")
        parsed = parse_body(body, environ.get("CONTENT_TYPE", "").split(";")[0].strip() or None)
    except ValueError:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        parsed = None
    if not isinstance(parsed, dict):
        return _plain(400, "Bad Request: the body is not a Slack payload")
    bolt_request = BoltRequest(body=body, query=request.query_string, headers=request.get_headers())
    answer = app.dispatch(bolt_request)
    response = WsgiHttpResponse(status=answer.status, headers=answer.headers, body=answer.body)
    return response.status, response.get_headers(), b"".join(response.get_body())


def _plain(status: int, text: str) -> tuple[str, list[tuple[str, str]], bytes]:
    return f"{status} {text.split(':')[0]}", [("Content-Type", "text/plain; charset=utf-8")], text.encode()


HEALTH_WRITE_BUDGET = 1.0  # seconds: a database that takes longer to accept a write is not healthy


def _healthz(svc: Services, start_response: Callable) -> Iterable[bytes]:
    try:
        with session_scope(svc.engine, read_only=True) as session:  # a read waits for no writer
            session.execute(text("SELECT 1"))
    except Exception as exc:  # any database failure means "not healthy", never a crash
        log.error("health check failed: %s", exc)
        status, body = "503 Service Unavailable", {"ok": False, "error": "database unavailable"}
    else:
        # Readable is not enough: a locked, read-only or full database closes no form.
        try:
            probe_write(svc.engine, now=svc.clock(), budget=HEALTH_WRITE_BUDGET)
            status, body = "200 OK", {"ok": True}
        except Exception as exc:  # as above
            log.error("health check: the database cannot be written: %s", exc)
            status, body = "503 Service Unavailable", {"ok": False, "error": "database cannot be written"}
    start_response(status, [("Content-Type", "application/json")])
    return [json.dumps(body).encode()]


def freeze_startup_heap() -> None:
    """Take what start-up allocated (modules, the app, table metadata: over 100,000 objects, all
    living as long as the process) out of the garbage collector's full collections, which then
    scan only what requests allocate. Measured: without it a full collection in the middle of a
    burst of acks paused every thread for 20-70 ms (benchmarks/ack_latency)."""
    gc.collect()
    gc.freeze()


def make_http_server(wsgi_app: Callable, *, host: str, port: int, threads: int = 16):  # noqa: ANN201
    """A waitress server, not yet running; `.run()` serves, `.close()` stops. Port 0 picks a free one."""
    from waitress.server import create_server

    return create_server(
        wsgi_app,
        host=host,
        port=port,
        threads=threads,
        max_request_body_size=MAX_BODY_BYTES,
        ident="orderloop",
        clear_untrusted_proxy_headers=True,
    )


class BackgroundServer:
    """A waitress server on its own thread (tests, demo, benchmarks); `stop()` shuts it down cleanly."""

    def __init__(
        self, wsgi_app: Callable, *, host: str = "127.0.0.1", port: int = 0, threads: int = 8
    ) -> None:
        self.server = make_http_server(wsgi_app, host=host, port=port, threads=threads)
        self.thread = threading.Thread(target=self.server.run, name="http", daemon=True)
        self.thread.start()
        self.url = f"http://{self.server.effective_host}:{self.server.effective_port}"

    def stop(self) -> None:
        # Workers first; then close the listener and open connections from waitress's own loop
        # thread (closing them from here while select() runs dies with EBADF). The trigger pipe
        # only leaves the loop's map, so the loop ends, and is closed once the loop is gone: a
        # late wake-up from a finishing worker then writes to an open pipe, not a closed fd.
        self.server.task_dispatcher.shutdown()
        try:
            self.server.trigger.pull_trigger(self._close_all)
        except OSError:  # the trigger is already closed (waitress closed the server on an error)
            self._close_all()
        self.thread.join(timeout=5)
        self.server.trigger.close()

    def _close_all(self) -> None:
        trigger = self.server.trigger
        for channel in list(self.server._map.values()):
            if channel is not trigger:
                channel.close()
        trigger.del_channel()
