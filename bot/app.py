"""The Bolt app factory: one App wired to our listeners and services."""

from __future__ import annotations

import contextvars
import json
import logging
import os
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltRequest, BoltResponse, Respond
from slack_bolt.error import BoltUnhandledRequestError
from slack_bolt.request import payload_utils
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import middleware
from bot.after_commit import listeners as after_commit
from bot.home import listeners as home
from bot.kpi import listeners as kpi
from bot.orders import actions, commands, views
from bot.people import People
from bot.review import listeners as review
from bot.services import Services
from bot.stock import listeners as stock
from bot.text import _, language
from storage.db import UNWRITABLE

log = logging.getLogger(__name__)

# Bolt runs each listener, its ack() and the Slack calls after it (views.open, delivery), on
# one pool thread while the request thread waits for the ack. A request that finds every
# thread busy waiting on Slack cannot ack: Bolt's default of 5 threads, or 32, let a burst of
# 40 commands against a 5 s Slack miss the 3 s window (benchmarks/slow_slack). Idle threads
# cost little and are created only when needed, so the pool is sized for bursts.
LISTENER_THREADS = 128
# bot.ack_first holds a listener after its ack while other requests wait for theirs; it never
# holds so many that fewer than this many threads are left to run new requests' acks (twice
# the HTTP server's request threads, bot.server.make_http_server).
FREE_FOR_ACKS = 32


class CarryingContext(ThreadPoolExecutor):
    """A listener runs on a pool thread with the request's context variables (its reader's
    language, set by ReadersApp.dispatch), which a plain pool would leave behind."""

    def submit(self, fn, /, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        return super().submit(contextvars.copy_context().run, fn, *args, **kwargs)


# The kind of request being dispatched (ReadersApp.dispatch sets it on the request's thread)
_REQUEST_KIND: contextvars.ContextVar[str | None] = contextvars.ContextVar("request_kind", default=None)
# What a request is, in Bolt's own terms, and the App method whose listeners can take it
REQUEST_KINDS = (
    ("command", payload_utils.is_slash_command),
    ("action", payload_utils.is_action),
    ("view", payload_utils.is_view),
    ("options", payload_utils.is_options),
    ("event", payload_utils.is_event),
    ("shortcut", payload_utils.is_shortcut),
)


def request_kind(body: object) -> str | None:
    if not isinstance(body, dict):
        return None
    return next((kind for kind, matches in REQUEST_KINDS if matches(body)), None)


class RoutedListeners(list):
    """Bolt tries every listener's matchers, in registration order, on every request; each try
    costs some 30 µs (Bolt builds the matcher's arguments by introspection), and with some 60
    listeners that was most of what a form's ack cost beyond a bare app's (benchmarks/ack_latency).
    So each listener is tagged with the kind of request its registering method takes (`command`,
    `action`, `view`, …), and while a request is dispatched only the listeners of its kind, and
    any untagged ones, are iterated, in their order: the same listener matches as before."""

    def __init__(self, listeners: list) -> None:
        super().__init__(listeners)
        self.kinds: dict[int, str] = {}  # id(listener) -> kind

    def __iter__(self):  # noqa: ANN204
        kind, everything = _REQUEST_KIND.get(), super().__iter__()
        if kind is None:
            return everything
        return (listener for listener in everything if self.kinds.get(id(listener), kind) == kind)


class ReadersApp(App):
    """Bolt's App, answering each request in its reader's language.

    Bolt runs the global middleware before it even matches a listener, so a middleware cannot
    wrap the listener: the language is chosen here, around the whole dispatch (middleware,
    listener, its ack, the error handler; CarryingContext takes it to the listener's thread).
    It is what bot/people.py knows without asking Slack, else the workspace's `language`. A
    person not seen yet is looked up in the background once the request is answered (dispatch
    returns with the ack), and only for a request some listener takes: an ignored click or a
    retired command costs no users.info, and no ack ever waits on one."""

    people: People | None = None

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)
        self._listeners = RoutedListeners(self._listeners)

    # the registering methods we use tag what they register (RoutedListeners)
    def command(self, *args: object, **kwargs: object):  # noqa: ANN201
        return self._tagging("command", super().command(*args, **kwargs))

    def action(self, *args: object, **kwargs: object):  # noqa: ANN201
        return self._tagging("action", super().action(*args, **kwargs))

    def view(self, *args: object, **kwargs: object):  # noqa: ANN201
        return self._tagging("view", super().view(*args, **kwargs))

    def options(self, *args: object, **kwargs: object):  # noqa: ANN201
        return self._tagging("options", super().options(*args, **kwargs))

    def event(self, *args: object, **kwargs: object):  # noqa: ANN201
        return self._tagging("event", super().event(*args, **kwargs))

    def _tagging(self, kind: str, register):  # noqa: ANN001, ANN202
        def tagged(*functions):  # noqa: ANN002, ANN202
            before = len(self._listeners)
            registered = register(*functions)
            for listener in self._listeners[before:]:
                self._listeners.kinds[id(listener)] = kind
            return registered

        return tagged

    def dispatch(self, req: BoltRequest) -> BoltResponse:
        token = _REQUEST_KIND.set(request_kind(req.body))
        try:
            return self._dispatch_in_language(req)
        finally:
            _REQUEST_KIND.reset(token)

    def _dispatch_in_language(self, req: BoltRequest) -> BoltResponse:
        people = self.people
        user = user_of(req.body) if isinstance(req.body, dict) else None
        if people is None or user is None:
            with language(people.default if people else None):
                return super().dispatch(req)
        known = people.cached(user)
        with language(known or people.default):
            response = super().dispatch(req)
        # not known: Slack is asked in the background, after the ack; never for a request Bolt
        # refused (a forged signature, a stale timestamp) or that no listener takes
        if known is None and response.status == 200 and self._handled(req):
            people.known(user)
        return response

    def _handled(self, req: BoltRequest) -> bool:
        probe = BoltResponse(status=200, body="")
        try:
            return any(listener.matches(req=req, resp=probe) for listener in self._listeners)
        except Exception:  # noqa: BLE001  (a forged payload a matcher chokes on: Bolt answered it)
            return False


def _without_env_token(factory: type[App], **kwargs: object) -> App:
    """Bolt reads SLACK_BOT_TOKEN from the environment even when it is given a client, then warns
    at every start that this token "will be unused": the client (built from the same variable by
    bot.settings) already carries the token, so Bolt is built without looking at the variable."""
    saved = os.environ.pop("SLACK_BOT_TOKEN", None)
    try:
        return factory(**kwargs)
    finally:
        if saved is not None:
            os.environ["SLACK_BOT_TOKEN"] = saved


def create_app(
    svc: Services, *, signing_secret: str, process_before_response: bool = False, verify_token: bool = False
) -> App:
    """`verify_token`: call auth.test now (raises BoltError if Slack rejects the token) and keep
    the result for every request; otherwise Bolt calls it once, on the first request."""
    app = _without_env_token(
        ReadersApp,
        client=svc.client,
        signing_secret=signing_secret,
        process_before_response=process_before_response,
        token_verification_enabled=verify_token,
        listener_executor=CarryingContext(max_workers=LISTENER_THREADS, thread_name_prefix="listener"),
        logger=logging.getLogger("slack_bolt"),
        # A request no listener takes (a button on an old message, another app's action, a
        # slash command we dropped) goes to on_error instead of a 404: Slack would show the
        # person an error icon for a click that can only be ignored.
        raise_error_for_unhandled_request=True,
    )
    app.people = svc.people
    if not process_before_response:  # acks go out before listener work: let them go first
        svc.acks.install(app, max_held=LISTENER_THREADS - FREE_FOR_ACKS)
    middleware.register(app, svc)
    commands.register(app, svc)
    actions.register(app, svc)
    views.register(app, svc)
    home.register(app, svc)
    review.register(app, svc)
    after_commit.register(app, svc)
    kpi.register(app, svc)
    stock.register(app, svc)

    @app.error
    def on_error(
        error: Exception, body: dict, response: BoltResponse | None, respond: Respond | None
    ) -> BoltResponse | None:
        if isinstance(error, BoltUnhandledRequestError):
            log.warning("ignored a request no listener handles: %s", unhandled_summary(body))
            return BoltResponse(status=200, body="")
        kind = body.get("type") or ("command" if "command" in body else "event")
        if isinstance(error, UNWRITABLE):  # the one place a button's failed write is answered
            log.error("the database could not take a %s's write: %s", kind, error)
            text = not_saved_action()  # in the reader's language: ReadersApp.dispatch chose it
        else:
            log.exception("unhandled error in a %s listener", kind, exc_info=error)
            text = went_wrong()
        if kind == "view_submission":
            return None  # forms answer their own errors inline; Slack keeps what was typed
        if kind == "block_actions" or response is None:
            # acknowledged already (a button's body is never shown): say it where the person is,
            # through the response_url or, for Home-tab buttons, their DM (middleware.DirectReply)
            _tell(respond, text)
            return None if response is None else BoltResponse(status=200, body="")
        return BoltResponse(
            status=200,
            body=json.dumps({"response_type": "ephemeral", "text": text}),
            headers={"content-type": "application/json"},
        )

    return app


def user_of(body: dict) -> str | None:
    """Who sent the request (a command, an interaction or an event), if the payload says."""
    user = body.get("user")
    if isinstance(user, dict):
        user = user.get("id")
    if user is None and isinstance(body.get("event"), dict):
        user = body["event"].get("user")
    user = user if user is not None else body.get("user_id")
    return user if isinstance(user, str) else None


def unhandled_summary(body: dict) -> str:
    """One line saying what came in: its kind and the id a listener would have matched."""
    kind = body.get("type") or ("command" if "command" in body else "unknown")
    if kind == "block_actions":
        actions = body.get("actions") if isinstance(body.get("actions"), list) else []
        names = [_part(a, "action_id") for a in actions[:3]]
    elif kind in ("view_submission", "view_closed"):
        names = [_part(body.get("view"), "callback_id")]
    elif kind == "event_callback":
        names = [_part(body.get("event"), "type")]
    else:
        names = [_part(body, "command" if kind == "command" else "callback_id")]
    return f"{str(kind)[:40]} {', '.join(names)!r}"


def _part(value: object, key: str) -> str:
    """A field of a part of the payload, whatever shape a forged one has, kept short."""
    return str(value.get(key) if isinstance(value, dict) else None)[:80]


def not_saved_action() -> str:
    return _(
        "Not saved: the database could not take it just now, so nothing was changed. "
        "Please try again in a moment."
    )


def went_wrong() -> str:
    return _("Something went wrong on our side and nothing was changed. Please try again in a moment.")


def _tell(respond: Respond | None, text: str) -> None:
    if respond is None:
        return
    try:
        respond(text=f":warning: {text}", response_type="ephemeral", replace_original=False)
    except (SlackApiError, SlackClientError, OSError) as exc:
        log.error("could not tell the person that their action failed: %s", exc)
