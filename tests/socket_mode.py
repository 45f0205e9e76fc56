"""Slack's side of Socket Mode, for tests: a WebSocket server that hands envelopes to the bot and
collects its acknowledgements, reached the way Slack is (apps.connections.open on the stand-in).

The envelope shapes follow Slack's Socket Mode protocol: a `hello` on connect, then
{envelope_id, type, payload, accepts_response_payload, retry_attempt, retry_reason}; the app acks
with {envelope_id, payload?}.
"""

from __future__ import annotations

import json
import threading
import uuid
from typing import Any

from websockets.exceptions import ConnectionClosed
from websockets.sync.server import ServerConnection, serve

from bot.sandbox.standin import SlackStandin

APP_TOKEN = "xapp-1-A0001-test"


class SocketModeSlack:
    def __init__(self, standin: SlackStandin) -> None:
        self._server = serve(self._session, "127.0.0.1", 0)
        port = self._server.socket.getsockname()[1]
        standin.app_token, standin.socket_mode_url = APP_TOKEN, f"ws://127.0.0.1:{port}/link"
        self._thread = threading.Thread(target=self._server.serve_forever, name="socket-mode", daemon=True)
        self._connection: ServerConnection | None = None
        self._acks: dict[str, dict[str, Any]] = {}
        self._changed = threading.Condition()

    def __enter__(self) -> SocketModeSlack:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._thread.join(timeout=5)

    def _session(self, connection: ServerConnection) -> None:
        connection.send(
            json.dumps({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0001"}})
        )
        with self._changed:
            self._connection = connection
            self._changed.notify_all()
        try:
            for raw in connection:  # ends when the app disconnects
                ack = json.loads(raw)
                with self._changed:
                    self._acks[ack["envelope_id"]] = ack
                    self._changed.notify_all()
        except ConnectionClosed:  # slack_sdk's client drops the socket without a close frame
            pass

    def deliver(
        self,
        kind: str,
        payload: dict[str, Any],
        *,
        envelope_id: str | None = None,
        retry_attempt: int = 0,
        timeout: float = 10,
    ) -> dict[str, Any]:
        """Send one envelope (events_api, slash_commands or interactive); its ack, once it arrives."""
        envelope_id = envelope_id or str(uuid.uuid4())
        with self._changed:
            if not self._changed.wait_for(lambda: self._connection is not None, timeout=timeout):
                raise AssertionError("the app never connected over Socket Mode")
            connection = self._connection
        envelope = {
            "envelope_id": envelope_id,
            "type": kind,
            "payload": payload,
            "accepts_response_payload": kind != "events_api",
            "retry_attempt": retry_attempt,
            "retry_reason": "timeout" if retry_attempt else "",
        }
        connection.send(json.dumps(envelope))
        with self._changed:
            if not self._changed.wait_for(lambda: envelope_id in self._acks, timeout=timeout):
                raise AssertionError(f"no ack for {kind} envelope {envelope_id}")
            return self._acks.pop(envelope_id)
