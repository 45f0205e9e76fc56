"""The Bolt app factory: one App wired to our listeners and services."""

from __future__ import annotations

import contextvars
import json
import logging
import os
from concurrent.futures import ThreadPoolExecutor

from slack_bolt import App, BoltResponse, Respond
from slack_bolt.error import BoltUnhandledRequestError
from slack_sdk.errors import SlackApiError, SlackClientError

from bot import middleware
from bot.after_commit import listeners as after_commit
from bot.home import listeners as home
from bot.kpi import listeners as kpi
from bot.orders import actions, commands, views
from bot.review import listeners as review
from bot.services import Services
from bot.stock import listeners as stock
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
    language, set by bot.middleware), which a plain pool would leave behind."""

    def submit(self, fn, /, *args, **kwargs):  # noqa: ANN001, ANN002, ANN003, ANN201
        return super().submit(contextvars.copy_context().run, fn, *args, **kwargs)


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
        App,
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
            text = NOT_SAVED_ACTION
        else:
            log.exception("unhandled error in a %s listener", kind, exc_info=error)
            text = WENT_WRONG
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


NOT_SAVED_ACTION = (
    "Not saved: the database could not take it just now, so nothing was changed. "
    "Please try again in a moment."
)
WENT_WRONG = "Something went wrong on our side and nothing was changed. Please try again in a moment."


def _tell(respond: Respond | None, text: str) -> None:
    if respond is None:
        return
    try:
        respond(text=f":warning: {text}", response_type="ephemeral", replace_original=False)
    except (SlackApiError, SlackClientError, OSError) as exc:
        log.error("could not tell the person that their action failed: %s", exc)
