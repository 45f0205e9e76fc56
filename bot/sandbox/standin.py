"""A local Slack Web API stand-in for end-to-end tests and ``orderloop demo``.

It answers the methods OrderLoop calls with realistic shapes, keeps posted messages for
inspection, and rejects the payloads real Slack rejects (slack_sdk validation plus what it misses).
"""

from __future__ import annotations

import base64
import contextlib
import json
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, quote, unquote, urlsplit

from slack_sdk.models.basic_objects import JsonObject
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from bot.sandbox import rules

MAX_MESSAGE_BLOCKS = 50
MAX_VIEW_BLOCKS = 100
MAX_MESSAGE_TEXT = 40_000
MAX_HISTORY_LIMIT = 999
# Form-encoded requests carry these arguments as JSON strings.
_JSON_ARGS = {"blocks", "view", "attachments", "metadata", "unfurls"}
_BOT_IDENTITY = {"user_id": "UBOT", "bot_id": "BBOT", "team_id": "T0001"}
_Answer = tuple[int, dict[str, Any], int | None]  # HTTP status, JSON body, Retry-After


RESPONSE_URL = "response_url"  # the pseudo-method under which response_url posts are recorded


@dataclass
class Call:
    method: str
    args: dict[str, Any]
    status: int
    response: dict[str, Any]
    arrived_at: float = 0.0  # time.time() when the call reached the stand-in


@dataclass
class Message:
    channel: str
    ts: str
    thread_ts: str | None
    text: str
    blocks: list[dict[str, Any]] = field(default_factory=list)
    user: str | None = None  # None for messages posted by the bot itself
    updates: int = 0
    metadata: dict[str, Any] | None = None  # chat.postMessage `metadata` (event_type, event_payload)
    files: list[dict[str, Any]] = field(default_factory=list)  # files shared with the message


@dataclass
class _Failure:
    method: str | None
    remaining: int
    status: int
    retry_after: int | None
    error: str | None
    channel: str | None = None  # only calls for this channel (or user, for a DM) fail


def _is_user(channel: Any) -> bool:
    return isinstance(channel, str) and channel[:1] in ("U", "W")


def _dm_channel(channel: Any) -> Any:
    """Where a post to `channel` lands: a user ID means the bot's DM with them (a D… conversation)."""
    return "D" + channel if _is_user(channel) else channel


class _SlackError(Exception):
    """Turns into a ``{"ok": false, "error": ...}`` answer; `invalid` marks a rejected payload."""

    def __init__(self, error: str, invalid: bool = False, **extra: Any) -> None:
        super().__init__(error)
        self.error, self.invalid, self.extra = error, invalid, extra


def _invalid_arguments(message: str, invalid: bool = False) -> _SlackError:
    return _SlackError("invalid_arguments", invalid, response_metadata={"messages": [f"[ERROR] {message}"]})


def _check_blocks(blocks: Any, limit: int) -> None:
    """Raise on blocks the real Slack would reject."""
    if not isinstance(blocks, list):
        raise ValueError("blocks must be a list [json-pointer:/blocks]")
    if len(blocks) > limit:
        raise ValueError(f"no more than {limit} items allowed [json-pointer:/blocks]")
    for i, raw in enumerate(blocks):
        where = f"[json-pointer:/blocks/{i}]"
        block = Block.parse(raw) if isinstance(raw, dict) else None
        if block is None:  # slack_sdk skips unknown types; Slack refuses them
            raise ValueError(f"unknown block type {where}")
        block.validate_json()
        # A block's validate_json does not descend into its elements, so an
        # oversized button text or action_id would slip through: check them.
        for attr in ("elements", "accessory", "element"):
            children = getattr(block, attr, None)
            for child in children if isinstance(children, list) else [children] if children else []:
                if child is None:
                    raise ValueError(f"unknown element type {where}")
                if isinstance(child, JsonObject):
                    child.validate_json()
    rules.check_blocks(blocks)  # what slack_sdk does not check


def _check_view(view: Any) -> None:
    if not isinstance(view, dict):
        raise ValueError("view must be an object")
    parsed = View(**view)
    parsed.validate_json()  # type, title/submit/close length, block count, metadata
    if parsed.type == "modal" and parsed.title is None:
        raise ValueError("modal views require a title")
    for name in ("title", "submit", "close"):
        text = getattr(parsed, name)
        if text is not None and text.type != "plain_text":
            raise ValueError(f"{name} must be plain_text")
    _check_blocks(view.get("blocks"), MAX_VIEW_BLOCKS)  # View does not validate its blocks
    rules.check_modal_submit(view)


def _history_limit(value: Any) -> int:
    """conversations.history / .replies take `limit` up to 999 (default 100)."""
    if value in (None, ""):
        return 100
    try:
        limit = int(value)
    except (TypeError, ValueError):
        raise _invalid_arguments(f"limit must be a whole number, not {value!r}", invalid=True) from None
    if not 1 <= limit <= MAX_HISTORY_LIMIT:
        raise _invalid_arguments(f"limit must be between 1 and {MAX_HISTORY_LIMIT}", invalid=True)
    return limit


def _cursor(offset: int) -> str:
    return base64.b64encode(f"next:{offset}".encode()).decode()


def _cursor_offset(cursor: Any) -> int:
    if not cursor:
        return 0
    try:
        prefix, _, offset = base64.b64decode(str(cursor), validate=True).decode().partition(":")
        if prefix == "next" and offset.isdigit():
            return int(offset)
    except ValueError:  # binascii.Error and UnicodeDecodeError are ValueErrors
        pass
    raise _SlackError("invalid_cursor", invalid=True)


def _check_metadata(metadata: Any) -> None:
    """Message metadata needs an event_type and an event_payload object."""
    if metadata is None:
        return
    ok = (
        isinstance(metadata, dict)
        and isinstance(metadata.get("event_type"), str)
        and bool(metadata["event_type"])
        and isinstance(metadata.get("event_payload"), dict)
    )
    if not ok:
        raise _SlackError("invalid_metadata_format", invalid=True)


class SlackStandin:
    def __init__(
        self,
        token: str = "xoxb-test",
        usergroups: dict[str, list[str]] | None = None,
        users: dict[str, dict] | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.token = token
        self.clock = clock  # Slack's "now" (epoch seconds): message ts follow it, like real ts do
        self.usergroups: dict[str, list[str]] = dict(usergroups or {})
        self.users: dict[str, dict] = dict(users or {})
        self.delay: float = 0.0
        # Socket Mode: apps.connections.open, called with this app-level token, hands out this URL
        self.app_token: str | None = None
        self.socket_mode_url: str | None = None
        self.calls: list[Call] = []
        self.invalid: list[Call] = []
        self._messages: list[Message] = []
        self._failures: list[_Failure] = []
        self._last_ts_micros = 0
        self._view_seq = 0
        self._lock = threading.Lock()
        self._arrived = threading.Condition()  # notified as each request arrives, before any delay
        self._arrivals: list[str] = []
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._files: dict[str, _File] = {}  # what people and the bot uploaded, by file id
        self._file_seq = 0
        self.downloads: list[tuple[str, str | None]] = []  # (path, bearer) of each file download

    # -- lifecycle ---------------------------------------------------------
    def start(self) -> SlackStandin:
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.standin = self
        # a short poll interval: stop() returns within 50 ms instead of serve_forever's 0.5 s
        self._thread = threading.Thread(
            target=self._server.serve_forever,
            kwargs={"poll_interval": 0.05},
            name="slack-standin",
            daemon=True,
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join()
            self._thread = None

    def __enter__(self) -> SlackStandin:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def response_url(self, name: str = "r") -> str:
        """A URL to put in a payload's `response_url`; what is posted there is recorded as a call."""
        return self.url.removesuffix("/api/") + f"/response/{name}"

    def responses(self) -> list[Call]:
        return self.calls_to(RESPONSE_URL)

    @property
    def url(self) -> str:
        if self._server is None:
            raise RuntimeError("SlackStandin is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}/api/"

    # -- inspection --------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def assert_all_valid(self) -> None:
        with self._lock:
            bad = list(self.invalid)
        if bad:
            lines = [f"{c.method}: {c.response.get('errors') or c.response}" for c in bad]
            raise AssertionError(f"{len(bad)} invalid Slack call(s):\n" + "\n".join(lines))

    def messages(self, channel: str | None = None) -> list[Message]:
        """Messages in a channel; a user ID means the bot's DM conversation with that user."""
        wanted = None if channel is None else {channel, _dm_channel(channel)}
        with self._lock:  # copies, so callers see a consistent snapshot
            return [
                replace(m, blocks=list(m.blocks))
                for m in self._messages
                if wanted is None or m.channel in wanted
            ]

    def thread(self, channel: str, ts: str) -> list[Message]:
        return [m for m in self.messages(channel) if m.thread_ts == ts]

    def wait_for_arrival(self, method: str, count: int = 1, timeout: float = 30) -> bool:
        """Block until `count` requests for `method` have arrived (answered or not yet)."""
        with self._arrived:
            return self._arrived.wait_for(lambda: self._arrivals.count(method) >= count, timeout=timeout)

    def fail(
        self,
        method: str | None,
        *,
        status: int = 500,
        times: int = 1,
        retry_after: int | None = None,
        error: str | None = None,
        channel: str | None = None,
    ) -> None:
        with self._lock:
            self._failures.append(
                _Failure(method, times, 200 if error else status, retry_after, error, channel)
            )

    # -- request handling (called from server threads) ----------------------
    def _handle(self, method: str, args: dict[str, Any] | None, bearer: str | None) -> _Answer:
        """Answer one call; `args` is None when the body could not be decoded."""
        arrived_at = time.time()
        with self._arrived:
            self._arrivals.append(method)
            self._arrived.notify_all()
        if self.delay:
            time.sleep(self.delay)  # outside the lock: a slow Slack must not serialise calls
        with self._lock:
            status, body, retry_after, invalid = 200, {"ok": True}, None, False
            failure = next(
                (
                    f
                    for f in self._failures
                    if f.method in (None, method) and f.channel in (None, (args or {}).get("channel"))
                ),
                None,
            )
            if args is None:
                status, body, args = 400, {"ok": False, "error": "invalid_json"}, {}
            elif failure is not None:
                failure.remaining -= 1
                if failure.remaining <= 0:
                    self._failures.remove(failure)
                status, retry_after = failure.status, failure.retry_after
                default = "ratelimited" if status == 429 else "internal_error"
                body = {"ok": False, "error": failure.error or default}
            elif method != RESPONSE_URL and (bearer or args.get("token")) != self._token_for(method):
                body = {"ok": False, "error": "invalid_auth"}
            elif (handler := getattr(self, "_m_" + method.replace(".", "_"), None)) is None:
                body = {"ok": False, "error": "unknown_method"}
            else:
                try:
                    body.update(handler(args))
                except _SlackError as exc:
                    body = {"ok": False, "error": exc.error, **exc.extra}
                    invalid = exc.invalid
            call = Call(method, {k: v for k, v in args.items() if k != "token"}, status, body, arrived_at)
            self.calls.append(call)
            if invalid:
                self.invalid.append(call)
            return status, body, retry_after

    # -- validation helpers (lock held) -------------------------------------
    @staticmethod
    def _validate_message(args: dict[str, Any], needs_content: bool = True) -> None:
        if needs_content and not args.get("text") and not args.get("blocks"):
            raise _SlackError("no_text")
        if len(str(args.get("text") or "")) > MAX_MESSAGE_TEXT:
            raise _SlackError("msg_too_long", invalid=True)
        if "blocks" in args:
            try:
                _check_blocks(args["blocks"], MAX_MESSAGE_BLOCKS)
            except Exception as exc:  # slack_sdk raises assorted types (TypeError, ...) on bad blocks
                raise _SlackError("invalid_blocks", invalid=True, errors=[str(exc)]) from exc

    def _validated_view(self, args: dict[str, Any]) -> dict[str, Any]:
        view = args.get("view")
        try:
            _check_view(view)
        except Exception as exc:  # as above: any slack_sdk complaint means Slack would refuse it
            raise _invalid_arguments(str(exc), invalid=True) from exc
        self._view_seq += 1
        view_id = str(args.get("view_id") or f"V{self._view_seq:08d}")
        return {"view": {**view, "id": view_id, "hash": f"{self._view_seq}.h{view_id}", "team_id": "T0001"}}

    def _token_for(self, method: str) -> str | None:
        return self.app_token if method == "apps.connections.open" else self.token

    def _find(self, channel: Any, ts: Any) -> Message | None:
        return next((m for m in self._messages if m.channel == channel and m.ts == ts), None)

    def _next_ts(self) -> str:
        # Real ts are the posting time; strictly increasing even when the clock stands still.
        micros = max(self._last_ts_micros + 100, int(self.clock() * 1_000_000))
        self._last_ts_micros = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    @staticmethod
    def _message_json(m: Message) -> dict[str, Any]:
        out = dict(type="message", user="UBOT", bot_id="BBOT", ts=m.ts, text=m.text, blocks=m.blocks)
        return {**out, "thread_ts": m.thread_ts} if m.thread_ts else out

    @staticmethod
    def _require(args: dict[str, Any], *names: str) -> None:
        for name in names:
            if not args.get(name):
                raise _invalid_arguments(f"missing required field: {name}")

    # -- Web API methods (lock held) ----------------------------------------
    def _m_response_url(self, args: dict[str, Any]) -> dict[str, Any]:
        self._validate_message(args, needs_content=not args.get("delete_original"))
        return {}

    def _m_apps_connections_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if self.socket_mode_url is None:
            raise _SlackError("not_allowed_token_type")
        return {"url": self.socket_mode_url}

    def _m_auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"url": "https://example.slack.com/", "team": "OrderLoop", "user": "orderloop"} | _BOT_IDENTITY

    def _m_chat_postMessage(self, args: dict[str, Any]) -> dict[str, Any]:
        # A user ID posts to the bot's DM with that user; Slack answers with the DM's own ID.
        channel, thread_ts = _dm_channel(args.get("channel")), args.get("thread_ts") or None
        if not channel:
            raise _SlackError("channel_not_found")
        self._validate_message(args)
        _check_metadata(args.get("metadata"))
        if thread_ts and self._find(channel, thread_ts) is None:
            raise _SlackError("thread_not_found")
        text, blocks = str(args.get("text") or ""), list(args.get("blocks") or [])
        msg = Message(
            str(channel),
            self._next_ts(),
            thread_ts and str(thread_ts),
            text,
            blocks,
            metadata=args.get("metadata") or None,
        )
        self._messages.append(msg)
        return {"channel": channel, "ts": msg.ts, "message": self._message_json(msg)}

    def _m_conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        """Top-level messages of a channel, newest first, like Slack (metadata only when asked)."""
        if _is_user(args.get("channel")):
            raise _SlackError("channel_not_found")  # history takes a conversation ID, not a user ID
        oldest = float(args.get("oldest") or 0)
        found = [
            m
            for m in self._messages
            if m.channel == args.get("channel") and m.thread_ts is None and float(m.ts) >= oldest
        ]
        return self._page(list(reversed(found)), args)

    def _m_conversations_replies(self, args: dict[str, Any]) -> dict[str, Any]:
        parent = self._find(args.get("channel"), args.get("ts"))
        if parent is None:
            raise _SlackError("thread_not_found")
        replies = [m for m in self._messages if m.channel == parent.channel and m.thread_ts == parent.ts]
        return self._page([parent, *replies], args)

    def _page(self, found: list[Message], args: dict[str, Any]) -> dict[str, Any]:
        """One page of `found`, paged like Slack: `limit` (1 to 999), `cursor`, `has_more`."""
        limit, start = _history_limit(args.get("limit")), _cursor_offset(args.get("cursor"))
        with_meta = str(args.get("include_all_metadata")).lower() in ("true", "1")
        page, more = found[start : start + limit], start + limit < len(found)
        return {
            "messages": [self._history_json(m, with_meta) for m in page],
            "has_more": more,
            "response_metadata": {"next_cursor": _cursor(start + limit) if more else ""},
        }

    def _history_json(self, m: Message, with_metadata: bool) -> dict[str, Any]:
        data = self._message_json(m)
        if with_metadata and m.metadata:
            data["metadata"] = m.metadata
        return data

    def _m_chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        msg = self._find(args.get("channel"), args.get("ts"))
        if msg is None:
            raise _SlackError("message_not_found")
        self._validate_message(args, needs_content=False)
        if "text" in args:
            msg.text = str(args["text"] or "")
        if "blocks" in args:
            msg.blocks = list(args["blocks"] or [])
        msg.updates += 1
        return {"channel": msg.channel, "ts": msg.ts, "text": msg.text, "message": self._message_json(msg)}

    def _m_chat_postEphemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        self._require(args, "channel", "user")
        self._validate_message(args)
        return {"message_ts": self._next_ts()}

    def _m_chat_getPermalink(self, args: dict[str, Any]) -> dict[str, Any]:
        self._require(args, "channel", "message_ts")
        channel, ts = args["channel"], str(args["message_ts"])
        link = f"https://example.slack.com/archives/{channel}/p{ts.replace('.', '')}"
        return {"channel": channel, "permalink": link}

    def _m_views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        self._require(args, "trigger_id", "view")
        return self._validated_view(args)

    _m_views_push = _m_views_open

    def _m_views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        if not args.get("view_id") and not args.get("external_id"):
            raise _invalid_arguments("missing required field: view_id")
        self._require(args, "view")
        return self._validated_view(args)

    def _m_views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        self._require(args, "user_id", "view")
        return self._validated_view(args)

    def _m_usergroups_users_list(self, args: dict[str, Any]) -> dict[str, Any]:
        group = str(args.get("usergroup") or "")
        if group not in self.usergroups:
            raise _SlackError("no_such_subteam")
        return {"users": list(self.usergroups[group])}

    def _m_conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        users = [u for u in str(args.get("users") or "").split(",") if u]
        if not users:
            raise _SlackError("users_list_not_supplied")
        channel_id = "D" + users[0] if len(users) == 1 else "G" + "".join(sorted(users))
        return {"channel": {"id": channel_id}}

    def _m_users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = str(args.get("user") or "")
        if not user_id:
            raise _SlackError("user_not_found")
        default = dict(id=user_id, name=user_id.lower(), real_name=f"User {user_id}", tz="Asia/Shanghai")
        user = {**default, **self.users.get(user_id, {})}
        if _truthy(args.get("include_locale")):
            user.setdefault("locale", "en-US")
        else:  # Slack says a person's locale only when asked for it
            user.pop("locale", None)
        return {"user": user}

    # -- files (files.info, downloads, uploads v2, and the file events people cause) --------
    def share_file(
        self, user: str, channel: str, name: str, data: bytes, *, filetype: str | None = None
    ) -> str:
        """A person uploads a file into a channel (a D… id is their DM with the bot): Slack keeps
        it, posts the message that carries it, and would send `file_shared` (see file_shared_event)."""
        with self._lock:
            file = self._new_file(user, name, data, filetype)
            file.shared_in.append(channel)
            file.ready = True
            self._messages.append(
                Message(channel, self._next_ts(), None, "", user=user, files=[{"id": file.id}])
            )
            return file.id

    def file_shared_event(self, file_id: str) -> dict[str, Any]:
        """The `file_shared` event as Slack sends it: ids only; the bot asks files.info for the rest."""
        with self._lock:
            file = self._files[file_id]
            return {
                "type": "file_shared",
                "channel_id": file.shared_in[0] if file.shared_in else "",
                "file_id": file.id,
                "user_id": file.user,
                "file": {"id": file.id},
                "event_ts": f"{int(self.clock())}.000100",
            }

    def file_message_event(self, file_id: str) -> dict[str, Any]:
        """The `message` event (subtype file_share) a DM with a file sends to `message.im`."""
        with self._lock:
            file = self._files[file_id]
            channel = file.shared_in[0] if file.shared_in else ""
            message = next(m for m in self._messages if m.channel == channel and {"id": file.id} in m.files)
            return {
                "type": "message",
                "subtype": "file_share",
                "channel": channel,
                "channel_type": "im" if channel.startswith("D") else "channel",
                "user": file.user,
                "text": "",
                "ts": message.ts,
                "event_ts": message.ts,
                "files": [self._file_json(file)],
                "upload": False,
            }

    def file_bytes(self, file_id: str) -> bytes:
        with self._lock:
            return self._files[file_id].data

    def _new_file(self, user: str, name: str, data: bytes, filetype: str | None) -> _File:
        self._file_seq += 1
        file = _File(f"F{self._file_seq:08d}", user, name, data, filetype or name.rpartition(".")[2].lower())
        self._files[file.id] = file
        return file

    def _files_origin(self) -> str:
        return self.url.removesuffix("/api/")

    def _file_json(self, file: _File) -> dict[str, Any]:
        origin = self._files_origin()
        name = quote(file.name)  # Slack's file URLs carry the name percent-encoded
        private = f"{origin}/files-pri/T0001-{file.id}/{name}"
        channels = [c for c in file.shared_in if c.startswith("C")]
        return {
            "id": file.id,
            "created": file.created,
            "timestamp": file.created,
            "name": file.name,
            "title": file.title or file.name,
            "mimetype": _MIMETYPES.get(file.filetype, "application/octet-stream"),
            "filetype": file.filetype,
            "pretty_type": file.filetype.upper(),
            "user": file.user,
            "user_team": "T0001",
            "editable": False,
            "size": len(file.data),
            "mode": "hosted",
            "is_external": False,
            "external_type": "",
            "is_public": bool(channels),
            "public_url_shared": False,
            "url_private": private,
            "url_private_download": f"{origin}/files-pri/T0001-{file.id}/download/{name}",
            "permalink": f"https://example.slack.com/files/{file.user}/{file.id}/{file.name}",
            "channels": channels,
            "groups": [c for c in file.shared_in if c.startswith("G")],
            "ims": [c for c in file.shared_in if c.startswith("D")],
            "comments_count": 0,
        }

    def _m_files_info(self, args: dict[str, Any]) -> dict[str, Any]:
        file = self._files.get(str(args.get("file") or ""))
        if file is None or not file.ready:
            raise _SlackError("file_not_found")
        return {"file": self._file_json(file), "comments": [], "response_metadata": {"next_cursor": ""}}

    def _m_files_getUploadURLExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        self._require(args, "filename", "length")
        try:
            length = int(args["length"])
        except (TypeError, ValueError):
            raise _invalid_arguments("length must be a whole number", invalid=True) from None
        if not 0 < length <= rules.MAX_UPLOAD_BYTES:
            raise _invalid_arguments("length is out of range", invalid=True)
        file = self._new_file("UBOT", str(args["filename"]), b"", None)
        file.expected = length
        return {"upload_url": f"{self._files_origin()}/upload/v1/{file.id}", "file_id": file.id}

    def _m_files_completeUploadExternal(self, args: dict[str, Any]) -> dict[str, Any]:
        listed = args.get("files")
        if isinstance(listed, str):
            try:
                listed = json.loads(listed)
            except ValueError:
                raise _invalid_arguments("files must be a JSON array", invalid=True) from None
        if not isinstance(listed, list) or not listed:
            raise _invalid_arguments("missing required field: files", invalid=True)
        files = []
        for entry in listed:
            file = self._files.get(str((entry or {}).get("id") or "")) if isinstance(entry, dict) else None
            if file is None or file.expected is None or len(file.data) != file.expected:
                raise _SlackError("file_not_found", invalid=True)  # never uploaded, or not all of it
            file.title = str(entry.get("title") or file.name)
            files.append(file)
        targets = [str(args["channel_id"])] if args.get("channel_id") else []
        targets += [c for c in str(args.get("channels") or "").split(",") if c]
        comment = str(args.get("initial_comment") or "")
        thread_ts = args.get("thread_ts") or None
        for target in targets:
            if not re.fullmatch(r"[CGDUW][A-Z0-9]{2,}", target):
                raise _SlackError("channel_not_found", invalid=True)
            channel = _dm_channel(target)
            if thread_ts and self._find(channel, thread_ts) is None:
                raise _SlackError("thread_not_found", invalid=True)
            message = Message(
                channel, self._next_ts(), thread_ts, comment, files=[{"id": f.id} for f in files]
            )
            self._messages.append(message)
            for file in files:
                file.shared_in.append(channel)
        for file in files:
            file.ready = True
        return {"files": [{"id": f.id, "title": f.title} for f in files]}

    def _file_request(self, verb: str, path: str, bearer: str | None, body: bytes) -> tuple[int, str, bytes]:
        """A download from url_private (GET, the bot token) or an upload to an upload_url (POST)."""
        with self._lock:
            if path.startswith("/files-pri/"):
                self.downloads.append((path, bearer))
            if path.startswith("/upload/v1/"):
                file = self._files.get(path.removeprefix("/upload/v1/"))
                if verb != "POST" or file is None or file.expected is None or file.ready:
                    return 404, "text/plain", b"not found"
                file.data = body
                return 200, "text/plain", f"OK - {len(body)}".encode()
            parts = path.removeprefix("/files-pri/").split("/")
            file = self._files.get(parts[0].removeprefix("T0001-")) if parts else None
            if verb != "GET" or file is None or not file.ready or unquote(parts[-1]) != file.name:
                return 404, "text/plain", b"not found"
            if bearer != self.token:  # Slack answers its sign-in page, never the file
                return 200, "text/html", b"<html><body>Sign in to Slack</body></html>"
            return 200, _MIMETYPES.get(file.filetype, "application/octet-stream"), file.data

    def file_messages(self, channel: str) -> list[Message]:
        """Messages in a channel (or a user's DM) that carry files."""
        return [m for m in self.messages(channel) if m.files]


@dataclass
class _File:
    id: str
    user: str
    name: str
    data: bytes
    filetype: str
    title: str = ""
    created: int = field(default_factory=lambda: int(time.time()))
    shared_in: list[str] = field(default_factory=list)
    expected: int | None = None  # an upload's announced length (files.getUploadURLExternal)
    ready: bool = False  # shared (or its upload completed): files.info knows it


_FILE_PATHS = ("/files-pri/", "/upload/v1/")
_MIMETYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv",
    "txt": "text/plain",
    "pdf": "application/pdf",
}


class _Server(ThreadingHTTPServer):
    daemon_threads = True  # never let a stuck client keep the process alive
    request_queue_size = 128  # a burst of calls is queued, as Slack would, not reset (default 5)
    standin: SlackStandin


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Silenced: request lines would flood test output and the demo console."""

    def _serve(self) -> None:
        parts = urlsplit(self.path)
        if parts.path.startswith(_FILE_PATHS):  # file bytes, not a Web API call
            self._serve_file(parts.path)
            return
        method = parts.path.removeprefix("/api/") if parts.path.startswith("/api/") else ""
        if parts.path.startswith("/response/"):
            method = RESPONSE_URL  # a command's or action's response_url: no token, like Slack's
        args: dict[str, Any] | None
        try:
            args = self._read_args(parts.query)
        except ValueError:  # json.JSONDecodeError, bad UTF-8, bad Content-Length: answered as 400
            args = None
        auth = self.headers.get("Authorization", "")
        bearer = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else None
        self._reply(*self.server.standin._handle(method, args, bearer))

    do_GET = do_POST = _serve  # WebClient uses GET (query string) for some methods, POST for most

    def _read_args(self, query: str) -> dict[str, Any]:
        args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode("utf-8")
        if self.headers.get_content_type() == "application/json":
            decoded = json.loads(raw or "{}")
            if not isinstance(decoded, dict):
                raise ValueError("JSON body must be an object")
            return {**args, **decoded}
        args.update(parse_qsl(raw, keep_blank_values=True))
        for key in _JSON_ARGS & args.keys():
            if isinstance(args[key], str) and args[key]:
                args[key] = json.loads(args[key])
        return args

    def _serve_file(self, path: str) -> None:
        auth = self.headers.get("Authorization", "")
        bearer = auth.removeprefix("Bearer ").strip() if auth.startswith("Bearer ") else None
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, content_type, payload = self.server.standin._file_request(self.command, path, bearer, body)
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(payload)

    def _reply(self, status: int, body: dict[str, Any], retry_after: int | None) -> None:
        payload = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(payload)))
        if retry_after is not None:
            self.send_header("Retry-After", str(retry_after))
        self.end_headers()
        # the caller may have gone away (a killed process); the call itself is recorded
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            self.wfile.write(payload)


def _truthy(value: object) -> bool:
    """A Web API boolean as clients send it: true, "true" or "1"."""
    return value is True or str(value).lower() in ("true", "1")
