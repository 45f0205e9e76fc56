"""Acknowledged means saved: a form closes only on what is written, once per view, and only for
a view the bot opened for that person, unchanged. A database that cannot take the write, or a
Slack that cannot open a form, is answered in words."""

from __future__ import annotations

import json
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlmodel import select

from bot import forms
from bot.sweep import run_due
from storage.models import OpenedView, Order, Problem
from tests import databases
from tests.conftest import OUTSIDER, PRODUCTION_A, SALES, SUPPLY
from tests.e2e.test_after_commit import committed_order, raise_problem
from tests.helpers import (
    ORDER_DEFAULTS,
    all_text,
    card,
    count,
    ephemeral_texts,
    find,
    inline_errors,
    open_new_order_modal,
    register,
    snapshot,
    thread,
)


@contextmanager
def write_lock_held(bot) -> Iterator[None]:  # noqa: ANN001
    """Another process holds the write lock (a long job, a stuck replica)."""
    with databases.write_lock_held(bot.svc.engine):
        yield


def is_plain_ack(reply) -> bool:  # noqa: ANN001
    return reply.status == 200 and reply.body in (b"", b"{}")


# -- a database that cannot take the write ------------------------------------------------------


def test_a_form_submitted_while_the_database_is_locked_says_not_saved_and_stays_usable(bot) -> None:  # noqa: ANN001
    view = open_new_order_modal(bot)
    with write_lock_held(bot):
        reply = bot.slack.submit(SALES, view, ORDER_DEFAULTS)
    assert "Not saved" in inline_errors(reply)["customer"]
    assert count(bot, Order) == 0
    again = bot.slack.submit(SALES, view, ORDER_DEFAULTS)  # the same form, once the lock is gone
    assert is_plain_ack(again), again.body
    assert count(bot, Order) == 1


def test_a_button_that_writes_pressed_while_the_database_is_locked_gets_an_ephemeral_answer(bot) -> None:  # noqa: ANN001
    committed_order(bot)
    raise_problem(bot, PRODUCTION_A, "supply")
    posted = find(thread(bot), "problem for supply")
    with write_lock_held(bot):
        reply = bot.slack.press(SUPPLY, posted, "Resolved")
    assert reply.status == 200
    assert any("Not saved" in text for text in ephemeral_texts(bot)), ephemeral_texts(bot)
    with bot.svc.session(read_only=True) as session:
        assert session.exec(select(Problem)).one().resolved_at is None


def test_a_button_that_opens_a_form_pressed_while_the_database_is_locked_says_so(bot) -> None:  # noqa: ANN001
    register(bot)
    card = [m for m in bot.standin.messages() if m.thread_ts is None][-1]
    with write_lock_held(bot):
        reply = bot.slack.press(SALES, card, "Cancel order")
    assert reply.status == 200
    # SQLite: the form is not opened ("would not be saved"); PostgreSQL: the check's row lock waits
    # and is cancelled ("Not saved"). Either way the person is answered and nothing changes.
    assert any("saved" in text for text in ephemeral_texts(bot)), ephemeral_texts(bot)
    with bot.svc.session(read_only=True) as session:
        assert session.get(Order, 1).status != "cancelled"


def healthz(bot) -> tuple[int, dict]:  # noqa: ANN001
    url = bot.slack.url.removesuffix("/slack/events") + "/healthz"
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, json.loads(exc.read())


def test_healthz_is_503_while_the_database_cannot_be_written_and_200_after(bot) -> None:  # noqa: ANN001
    assert healthz(bot) == (200, {"ok": True})
    with write_lock_held(bot):
        status, body = healthz(bot)
    assert (status, body["ok"]) == (503, False) and "written" in body["error"]
    assert healthz(bot) == (200, {"ok": True})


# -- one view, one write ------------------------------------------------------------------------


def test_a_saved_form_submitted_again_closes_and_changes_nothing(bot) -> None:  # noqa: ANN001
    view = open_new_order_modal(bot)
    assert is_plain_ack(bot.slack.submit(SALES, view, ORDER_DEFAULTS))
    before = snapshot(bot)
    replay = bot.slack.submit(SALES, view, ORDER_DEFAULTS)  # a double click, or a replayed request
    assert is_plain_ack(replay), replay.body
    assert snapshot(bot) == before


def submit_in_parallel(bot, view: dict, n: int = 20) -> list:  # noqa: ANN001
    replies, barrier = [], threading.Barrier(n)

    def one() -> None:
        barrier.wait()
        replies.append(bot.slack.submit(SALES, view, ORDER_DEFAULTS))

    threads = [threading.Thread(target=one) for _ in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return replies


def test_twenty_parallel_submissions_of_one_form_register_one_order(bot) -> None:  # noqa: ANN001
    """On each backend (the bot fixture runs on SQLite and PostgreSQL); a replay afterwards too."""
    replies = submit_in_parallel(bot, open_new_order_modal(bot))
    assert len(replies) == 20 and all(is_plain_ack(r) for r in replies), [r.body for r in replies]
    assert count(bot, Order) == 1
    replay = bot.slack.submit(SALES, bot.slack.last_view(), ORDER_DEFAULTS)
    assert is_plain_ack(replay) and count(bot, Order) == 1


# -- only the forms the bot opened, as it opened them --------------------------------------------


@pytest.mark.parametrize(
    ("change", "user", "words"),
    [
        ({"id": "VFORGED1"}, SALES, "not opened by OrderLoop"),
        ({}, OUTSIDER, "opened for someone else"),
        ({"private_metadata": '{"order_id": 1}'}, SALES, "out of date"),
        ({"private_metadata": "x" * 3001}, SALES, "out of date"),
        ({"callback_id": "order.revise"}, SALES, "out of date"),
    ],
    ids=["forged view id", "another user", "edited metadata", "metadata over 3000", "another form"],
)
def test_a_submission_of_a_form_not_opened_as_it_came_is_refused_inline(bot, change, user, words) -> None:  # noqa: ANN001
    view = {**open_new_order_modal(bot), **change}
    reply = bot.slack.submit(user, view, ORDER_DEFAULTS)
    assert words in inline_errors(reply)["customer"]
    assert count(bot, Order) == 0


# -- Slack failing a call a person waits for -----------------------------------------------------


@pytest.mark.parametrize("status", [503, 429])
def test_a_form_slack_fails_to_open_is_answered_try_again(bot, status: int) -> None:  # noqa: ANN001
    bot.standin.fail("views.open", status=status, retry_after=1 if status == 429 else None)
    assert bot.slack.command(SALES, "new").status == 200
    assert any("could not open the form" in t and "try again" in t for t in ephemeral_texts(bot)), (
        ephemeral_texts(bot)
    )


def test_a_team_member_slack_cannot_confirm_is_told_so_not_that_they_are_outside_the_team(bot) -> None:  # noqa: ANN001
    register(bot)
    bot.svc.directory._groups.clear()  # the cached members expired, and Slack is failing
    bot.standin.fail("usergroups.users.list", status=500, times=10)
    before = snapshot(bot)
    request = find(thread(bot), "Production: can you make it?")
    assert bot.slack.press(PRODUCTION_A, request, "Answer for production").status == 200
    said = ephemeral_texts(bot)[-1]
    assert "Slack could not confirm your team membership just now; try again" in said
    assert "Only the production team" not in said
    assert snapshot(bot) == before


# -- a new-order form: saved as submitted before its ack, written from that after it -------------


def saved_views(bot) -> list[OpenedView]:  # noqa: ANN001
    with bot.svc.session(read_only=True) as session:
        return [v for v in session.exec(select(OpenedView)).all() if v.submitted_at is not None]


def dms_to(bot, user: str) -> list[str]:  # noqa: ANN001
    return [m.text for m in bot.standin.messages(user)]


@contextmanager
def process_stops_after_the_ack(monkeypatch) -> Iterator[None]:  # noqa: ANN001
    """The process dies between a new-order form's ack and its write: nothing writes it."""
    with monkeypatch.context() as patched:
        patched.setattr(forms, "apply_saved", lambda svc, view_id, write: None)
        yield


def test_a_new_order_form_acked_but_not_written_before_a_stop_is_written_by_the_sweep_once(  # noqa: ANN001
    bot, monkeypatch
) -> None:
    view = open_new_order_modal(bot)
    with process_stops_after_the_ack(monkeypatch):
        reply = bot.slack.submit(SALES, view, ORDER_DEFAULTS)
    assert is_plain_ack(reply), reply.body
    assert count(bot, Order) == 0  # not written yet, but saved: the form's values are recorded
    (saved,) = saved_views(bot)
    assert saved.applied_at is None and ORDER_DEFAULTS["customer"] in saved.submitted_values

    result = run_due(bot.svc, bot.clock.now)
    assert count(bot, Order) == 1
    assert "applied 1 saved form(s)" in result.outcomes
    assert card(bot) is not None and ORDER_DEFAULTS["customer"] in all_text(card(bot))
    assert [v.applied_at is not None for v in saved_views(bot)] == [True]

    again = run_due(bot.svc, bot.clock.now)  # a second sweep, and a replay of the form
    replay = bot.slack.submit(SALES, view, ORDER_DEFAULTS)
    assert is_plain_ack(replay) and count(bot, Order) == 1
    assert not any("applied" in line for line in again.outcomes)


def test_a_saved_new_order_written_after_its_ack_is_written_once_and_delivered(bot) -> None:  # noqa: ANN001
    view = open_new_order_modal(bot)
    reply = bot.slack.submit(SALES, view, ORDER_DEFAULTS)
    assert is_plain_ack(reply), reply.body
    assert count(bot, Order) == 1  # written right after the ack, in the same request's listener
    assert [v.applied_at is not None for v in saved_views(bot)] == [True]
    assert not any("applied" in line for line in run_due(bot.svc, bot.clock.now).outcomes)
    assert count(bot, Order) == 1


def test_a_saved_form_refused_when_written_is_told_in_a_dm_once_and_never_retried(bot, monkeypatch) -> None:  # noqa: ANN001
    view = open_new_order_modal(bot)
    with process_stops_after_the_ack(monkeypatch):
        assert is_plain_ack(bot.slack.submit(SALES, view, ORDER_DEFAULTS))
    # by the time it is written, the person may no longer register orders (left the sales team)
    config = bot.svc.config
    left = config.model_copy(update={"teams": config.teams.model_copy(update={"sales": ["U0NOBODY"]})})
    with monkeypatch.context() as patched:
        patched.setattr(bot.svc, "config", left)
        run_due(bot.svc, bot.clock.now)
    assert count(bot, Order) == 0
    told = [t for t in dms_to(bot, SALES) if "could not be applied" in t]
    assert len(told) == 1, dms_to(bot, SALES)
    run_due(bot.svc, bot.clock.now)
    assert len([t for t in dms_to(bot, SALES) if "could not be applied" in t]) == 1
    assert count(bot, Order) == 0
