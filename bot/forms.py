"""Modal submissions, the one way: saved before they are acknowledged, at most once per view.

A form closes for the person (the ack) only once what they submitted is committed: parse (pure),
a read-only look (is this a view the bot opened for this person, unchanged and not saved yet;
the precheck), then one transaction that claims the view and writes (on SQLite shared with the
other submissions waiting at that moment, each in its savepoint: storage.group_commit), within
PERSON_WAITS so a locked or unwritable database is answered inline in Slack's 3 s ("not saved,
try again").
Refusals are shown on the form, which stays usable. A view already saved (an honest double
click, a replay) closes and changes nothing. Delivery to Slack comes after the ack.

A form whose precheck decides everything its write could refuse (a new order: Submission.after_ack)
is saved more cheaply: the claim carries what was submitted, in the same transaction as the
precheck, and that durable record is written into orders right after the ack, or, if the
process stops first, at the next start-up or sweep (apply_pending), once whichever gets there.

Modals are opened with `open_modal`, which records the view Slack returns.
"""

from __future__ import annotations

import contextlib
import json
import logging
import re
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import TypeVar

from slack_bolt import Ack, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from sqlmodel import Session

from bot.directory import CachedDirectory, NotCached
from bot.ids import INPUT_ACTION
from bot.refusals import say
from bot.services import PERSON_WAITS, Services
from bot.text import _, language
from storage import views
from storage.db import UNWRITABLE
from storage.group_commit import write_waited_for
from storage.models import OpenedView, Order
from storage.views import ViewState
from workflows import inputs, notices
from workflows.context import Context
from workflows.permissions import Refusal

log = logging.getLogger(__name__)

T = TypeVar("T")
Parse = Callable[[Context, dict], tuple[object, dict]]
Precheck = Callable[[Session, Context, str, object, dict], None]  # (…, user, parsed input, metadata)
Apply = Callable[[Session, Context, str, object, dict], Order]

FOLLOW_UP_PATIENCE = 2.0  # seconds a saved form's deliveries wait for a burst's acks to go out
# The refusal code of each state of a submitted view that is not open for its submitter
VIEW_REFUSALS = {
    ViewState.UNKNOWN: "form_not_opened",
    ViewState.OTHER_USER: "form_not_yours",
    ViewState.CHANGED: "form_out_of_date",
}


def not_saved() -> str:
    return _(
        "Not saved: the database could not take it just now. Nothing was changed; "
        "please press Submit again in a moment."
    )


def slack_unsure() -> str:
    return _("Slack could not confirm your team membership just now; try again in a moment.")


def not_saved_form() -> str:
    return _("The database is busy, so this form would not be saved; close it and try again shortly.")


def cannot_open() -> str:
    return _("Slack could not open the form just now. Please try again in a moment.")


class FormRefused(Refusal):
    """The submitted view itself is refused (not opened by us, someone else's, edited)."""


@dataclass(frozen=True)
class Submission:
    callback: StrEnum
    error_field: StrEnum  # where a refusal is shown
    parse: Parse
    precheck: Precheck  # read-only, before the write lock is taken: refusals cost no lock
    apply: Apply
    # Saved before the ack as what was submitted (the view's claim carries the values: one small
    # row) and applied from that right after the ack, or by the sweep if this process dies first.
    # Only for a form whose precheck decides everything its write could refuse (a new order):
    # a refusal found after the ack can only be told in a DM. Other forms write before the ack.
    after_ack: bool = False


def submission_listener(svc: Services, submission: Submission) -> Callable:
    def submit(ack: Ack, body: dict, view: dict, client: WebClient) -> None:
        ctx, user, meta = svc.context(), body["user"]["id"], metadata(view)
        parsed, errors = submission.parse(ctx, field_values(view))
        order = check_ack_write(
            svc,
            ack,
            client,
            view=view,
            user=user,
            errors=errors,
            error_field=submission.error_field,
            check=lambda session, checking: submission.precheck(session, checking, user, parsed, meta),
            write=lambda session: submission.apply(session, ctx, user, parsed, meta),
            after_ack=submission.after_ack,
        )
        if order is not None:
            svc.deliver_for([notices.stream(order)], user=user)

    return submit


@dataclass(frozen=True)
class _Submitted:
    """The submitted view as the claim compares it with the one recorded when it was opened."""

    view_id: str
    user: str
    callback_id: str
    metadata: str

    @classmethod
    def of(cls, view: dict, user: str) -> _Submitted:
        return cls(
            str(view.get("id") or ""),
            user,
            str(view.get("callback_id") or ""),
            str(view.get("private_metadata") or ""),
        )

    def fields(self) -> dict[str, str]:
        return {
            "view_id": self.view_id,
            "user": self.user,
            "callback_id": self.callback_id,
            "metadata": self.metadata,
        }


def check_ack_write(
    svc: Services,
    ack: Ack,
    client: WebClient,
    *,
    view: dict,
    user: str,
    errors: dict[str, str],
    error_field: str,
    check: Callable[[Session, Context], None],
    write: Callable[[Session], T],
    after_ack: bool = False,
) -> T | None:
    """Save, then acknowledge. What `write` returned, or None if nothing was written: the form
    then either shows why on `error_field` (and stays usable) or closes (it was saved before).
    `after_ack` (Submission.after_ack): save what was submitted, ack, then write it."""
    submitted, result, saved_only = _Submitted.of(view, user), None, False
    try:
        if not errors:
            state, result, saved_only = _save(svc, submitted, view, check, write, after_ack=after_ack)
            if state in VIEW_REFUSALS:
                log.warning("refused a submission of view %r by %s: %s", submitted.view_id, user, state)
                raise FormRefused(VIEW_REFUSALS[state])  # worded in bot/common_refusals.py
    except Refusal as refusal:
        errors = {error_field: plain(words(svc, refusal))}
    except UNWRITABLE as exc:
        log.error("could not save a %s form for %s: %s", submitted.callback_id, user, exc)
        errors = {error_field: not_saved()}
    if errors:
        ack(response_action="errors", errors=errors)
        return None
    ack()  # saved (or saved before): the form closes
    _yield_to_pending_acks(svc)
    if saved_only:
        result = apply_saved(svc, submitted.view_id, lambda session, _saved: write(session))
    return result


def _save(
    svc: Services,
    submitted: _Submitted,
    view: dict,
    check: Callable[[Session, Context], None],
    write: Callable[[Session], T],
    *,
    after_ack: bool,
) -> tuple[ViewState, T | None, bool]:
    """The view's state, what was written, and whether it was only saved (to write after the ack)."""
    if after_ack:
        values = json.dumps(view.get("state", {}).get("values") or {})
        try:
            state = _claim_saving(svc, submitted, values, check)
            return state, None, state is ViewState.OPEN
        except NotCached:  # the precheck needs Slack, which is not asked under the write lock
            pass  # so the write decides, before the ack, as for any other form
    elif (state := _look(svc, submitted, check)) is not ViewState.OPEN:
        return state, None, False
    state, result = _claim_and_write(svc, submitted, write)
    return state, result, False


def _yield_to_pending_acks(svc: Services) -> None:
    """What a saved form goes on to do (deliver what it queued) has no deadline of its own, unlike
    a modal's views.open; in a burst it would hold the write lock and the interpreter while the
    burst's later forms wait for their saves. So it waits, beyond bot.ack_first's bound, until no
    request is waiting for its answer, or FOLLOW_UP_PATIENCE has passed."""
    deadline = time.monotonic() + FOLLOW_UP_PATIENCE
    while time.monotonic() < deadline:
        started = time.monotonic()
        svc.acks.wait_turn()  # returns early once none is waiting (or nothing may be held)
        if time.monotonic() - started < svc.acks.max_wait:
            return


def _claim_and_write(svc: Services, submitted: _Submitted, write: Callable[[Session], T]) -> tuple:
    """Claim the view and write, committed together with the other submissions waiting at this
    moment (storage.group_commit: on SQLite one transaction for a burst, not a queue of them)."""

    def claim_and_write(session: Session) -> tuple[ViewState, T | None]:
        with svc.directory.settled(()):  # on the writer's thread: the groups settled below, from memory
            state = views.claim(session, **submitted.fields(), now=svc.clock())
            return state, (write(session) if state is ViewState.OPEN else None)

    with svc.directory.settled(svc.group_ids()):  # Slack asked here, before the write, if at all
        return write_waited_for(svc.engine, claim_and_write, budget=PERSON_WAITS)


def _claim_saving(
    svc: Services, submitted: _Submitted, values: str, check: Callable[[Session, Context], None]
) -> ViewState:
    """Claim the view with what was submitted (the durable record of an after-ack form) and run
    the precheck in the same small transaction: a refusal undoes the claim, and the form's ack
    costs one statement and no read of its own. Raises NotCached if the precheck needs Slack."""

    def claim(session: Session) -> ViewState:
        state = views.claim(session, **submitted.fields(), now=svc.clock(), values=values)
        if state is ViewState.OPEN:
            check(session, replace(svc.context(), directory=CachedDirectory(svc.directory)))
        return state

    # with the burst's other claims in one transaction (storage.group_commit): measured in
    # benchmarks/ack_latency, a transaction of its own each was some 1.7x slower at p99
    return write_waited_for(svc.engine, claim, budget=PERSON_WAITS)


def _look(svc: Services, submitted: _Submitted, check: Callable[[Session, Context], None]) -> ViewState:
    """Read-only, without the write lock: the view's state, then the precheck with the group
    members known without Slack (if some are not, the write's own check decides)."""
    with svc.session(read_only=True, budget=PERSON_WAITS) as session:
        state = views.state(session, **submitted.fields())
        if state is ViewState.OPEN:
            with contextlib.suppress(NotCached):
                check(session, replace(svc.context(), directory=CachedDirectory(svc.directory)))
    return state


def apply_saved(svc: Services, view_id: str, write: Callable[[Session, OpenedView], T]) -> T | None:
    """Write a submission saved before its ack, once: `write(session, saved view)` in the
    transaction that marks it applied. None if it was applied already (by the sweep, or another
    replica), refused (the person is told in a DM) or the database cannot take it now (it stays
    saved and the next sweep applies it)."""
    try:
        with svc.session() as session:
            saved = views.take_for_applying(session, view_id=view_id, now=svc.clock())
            return None if saved is None else write(session, saved)
    except Refusal as refusal:
        if svc.directory.unreadable(svc.group_ids()):  # perhaps only "unknown": Slack decides later
            log.error(
                "saved form %s waits: Slack could not confirm team membership (%s)", view_id, refusal.code
            )
        else:
            _refused_after_ack(svc, view_id, refusal)
    except UNWRITABLE as exc:
        log.error("saved form %s could not be applied yet; the next sweep applies it: %s", view_id, exc)
    return None


def _refused_after_ack(svc: Services, view_id: str, refusal: Refusal) -> None:
    with svc.session() as session:  # applied: refused for good, never tried again
        saved = views.take_for_applying(session, view_id=view_id, now=svc.clock())
    if saved is None:
        return
    log.warning(
        "a saved %s form of %s was refused when applied: %s", saved.callback_id, saved.user_id, refusal.code
    )
    with language(svc.people.language_of(saved.user_id)):
        text = not_applied(say(refusal))
    try:
        svc.client.chat_postMessage(channel=saved.user_id, text=text)
    except (SlackApiError, SlackClientError, OSError) as exc:
        log.error("could not tell %s their form was refused: %s", saved.user_id, exc)


def not_applied(reason: str) -> str:
    return _(":warning: The form you sent was saved but could not be applied: {reason}", reason=reason)


def apply_pending(svc: Services, submissions: Iterable[Submission]) -> int:
    """Apply every after-ack form saved but not applied (the sweep's first step): each parsed
    again from what was submitted, as of when it was submitted. How many were applied."""
    by_callback = {str(s.callback): s for s in submissions if s.after_ack}
    with svc.session(read_only=True) as session:
        waiting = views.pending(session)
    applied = 0
    for view_id in waiting:
        order = apply_saved(
            svc, view_id, lambda session, saved: _apply_again(svc, by_callback, session, saved)
        )
        if order is not None:
            applied += 1
    return applied


def _apply_again(
    svc: Services, by_callback: dict[str, Submission], session: Session, saved: OpenedView
) -> Order:
    submission = by_callback.get(saved.callback_id)
    if submission is None:  # no longer a form applied after its ack: nothing can apply it
        raise FormRefused("form_out_of_date")
    ctx = replace(svc.context(), now=saved.submitted_at)
    view = {"state": {"values": json.loads(saved.submitted_values or "{}")}}
    with language(svc.people.language_of(saved.user_id)):
        parsed, errors = submission.parse(ctx, field_values(view))
    if errors:  # it passed when submitted, as of the same day: only a changed configuration
        raise FormRefused("form_out_of_date")
    meta = metadata({"private_metadata": saved.private_metadata})
    return submission.apply(session, ctx, saved.user_id, parsed, meta)


def words(svc: Services, refusal: Refusal) -> str:
    """What to tell the person. While Slack fails to tell us some team's members (and never did),
    a refusal may only mean "unknown", so say that rather than "you are not in the team"."""
    if isinstance(refusal, FormRefused) or not svc.directory.unreadable(svc.group_ids()):
        return say(refusal)
    return slack_unsure()


def open_modal(
    svc: Services, client: WebClient, respond: Respond, *, user: str, trigger_id: str, view: dict
) -> bool:
    """views.open, then remember the view Slack opened (whom for, which form, its metadata), so
    only its own submission is taken. If Slack fails, the person is told to try again."""
    try:
        opened = client.views_open(trigger_id=trigger_id, view=view)["view"]
    except (SlackApiError, SlackClientError, OSError) as exc:
        log.error("views.open failed for %s: %s", user, exc)
        _tell(respond, f":warning: {cannot_open()}")
        return False
    try:
        # after the ack and views.open: nobody waits on this write, so storage's usual patience
        with svc.session(settle_groups=False) as session:
            views.record(
                session,
                view_id=str(opened["id"]),
                user=user,
                callback_id=str(view.get("callback_id") or ""),
                metadata=str(view.get("private_metadata") or ""),
                now=svc.clock(),
            )
    except UNWRITABLE as exc:
        log.error("could not record the view opened for %s: %s", user, exc)
        _tell(respond, f":warning: {not_saved_form()}")
        return False
    return True


def _tell(respond: Respond, text: str) -> None:
    try:
        respond(text=text, response_type="ephemeral", replace_original=False)
    except (SlackApiError, SlackClientError, OSError) as exc:
        log.error("could not tell the person: %s (%s)", text, exc)


def field_values(view: dict) -> dict[str, object]:
    """The submitted value of each input block, whatever its element type; missing → None."""
    values: dict[str, object] = {}
    for block_id, actions in (view.get("state", {}).get("values") or {}).items():
        element = actions.get(INPUT_ACTION) or {}
        if "selected_option" in element:
            values[block_id] = (element["selected_option"] or {}).get("value")
        elif "selected_date" in element:
            values[block_id] = inputs.parse_date(element["selected_date"])
        elif "selected_user" in element:  # users_select: a Slack user ID, or None when cleared
            values[block_id] = element["selected_user"]
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
        raise FormRefused("form_out_of_date")
    return value


def plain(text: str) -> str:
    """Modal errors are plain text: show mentions as @id rather than raw <@U…> markup."""
    return re.sub(r"<@([A-Z0-9]+)>", r"@\1", text)[:1000]
