"""Modal submissions, the one way: parse (pure) and a read-only check before the ack, the write after.

Before the ack only fast, local work happens: validation and a read-only look at the state and
at group membership known without asking Slack, so a busy database or a slow Slack never
delays the answer. The write after the ack rechecks everything; a refusal there (a lost race)
is sent to the person directly, since the form is closed by then.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TypeVar

from slack_bolt import Ack
from slack_sdk import WebClient
from sqlmodel import Session

from bot.directory import CachedDirectory, NotCached
from bot.ids import INPUT_ACTION
from bot.services import Services
from storage.models import Order
from workflows import inputs, notices
from workflows.context import Context
from workflows.permissions import Refusal

T = TypeVar("T")
Parse = Callable[[Context, dict], tuple[object, dict]]
Precheck = Callable[[Session, Context, str, object, dict], None]  # (…, user, parsed input, metadata)
Apply = Callable[[Session, Context, str, object, dict], Order]


@dataclass(frozen=True)
class Submission:
    callback: StrEnum
    error_field: StrEnum  # where a refusal found before the ack is shown
    parse: Parse
    precheck: Precheck
    apply: Apply


def submission_listener(svc: Services, submission: Submission) -> Callable:
    def submit(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        ctx, user, meta = svc.context(), body["user"]["id"], metadata(view)
        parsed, errors = submission.parse(ctx, field_values(view))
        order = check_ack_write(
            svc,
            ack,
            client,
            user=user,
            errors=errors,
            error_field=submission.error_field,
            check=lambda session, checking: submission.precheck(session, checking, user, parsed, meta),
            write=lambda session: submission.apply(session, ctx, user, parsed, meta),
        )
        if order is not None:
            svc.deliver_for([notices.stream(order)], user=user)

    return submit


def check_ack_write(
    svc: Services,
    ack: Ack,
    client: WebClient,
    *,
    user: str,
    errors: dict[str, str],
    error_field: str,
    check: Callable[[Session, Context], None],
    write: Callable[[Session], T],
) -> T | None:
    """Before the ack only a read-only check with group members known without Slack (a refusal
    is shown on `error_field`); the write after it. What `write` returned, or None if nothing was
    written (a refusal then, a lost race, goes to the person by DM: the form is closed)."""
    if not errors:
        try:
            with svc.session(read_only=True) as session:
                check(session, replace(svc.context(), directory=CachedDirectory(svc.directory)))
        except Refusal as refusal:
            errors = {error_field: plain(str(refusal))}
        except NotCached:
            pass  # group members unknown without Slack: the check after the ack decides
    if errors:
        ack(response_action="errors", errors=errors)
        return None
    ack()
    try:
        with svc.session() as session:
            return write(session)
    except Refusal as refusal:
        client.chat_postMessage(channel=user, text=f":no_entry_sign: Nothing was saved: {refusal}")
        return None


def field_values(view: dict) -> dict[str, object]:
    """The submitted value of each input block, whatever its element type; missing → None."""
    values: dict[str, object] = {}
    for block_id, actions in (view.get("state", {}).get("values") or {}).items():
        element = actions.get(INPUT_ACTION) or {}
        if "selected_option" in element:
            values[block_id] = (element["selected_option"] or {}).get("value")
        elif "selected_date" in element:
            values[block_id] = inputs.parse_date(element["selected_date"])
        else:
            values[block_id] = element.get("value")
    return values


def metadata(view: dict) -> dict:
    try:
        data = json.loads(view.get("private_metadata") or "{}")
    except json.JSONDecodeError:
        return {}
    return data if isinstance(data, dict) else {}


MAX_ID = 2**63 - 1  # a larger number would overflow the database driver


def meta_int(data: dict, key: str) -> int:
    value = data.get(key)
    # bool is an int subclass: `true` must not pass for id 1
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_ID:
        raise Refusal("This form is out of date; close it and start again.")
    return value


def plain(text: str) -> str:
    """Modal errors are plain text: show mentions as @id rather than raw <@U…> markup."""
    return re.sub(r"<@([A-Z0-9]+)>", r"@\1", text)[:1000]
