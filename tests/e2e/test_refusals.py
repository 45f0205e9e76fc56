"""Deny by default, as people meet it: refusals are ephemeral, open nothing and change nothing."""

from __future__ import annotations

import json

import pytest

from bot.ids import Action, View
from storage.models import Order, OrderStatus
from tests.conftest import MANAGER, OUTSIDER, PRODUCTION_A, PRODUCTION_B, SALES, SUPPLY
from tests.helpers import (
    answer_production,
    button_labels,
    count,
    decline_by_production,
    ephemeral_texts,
    find,
    get_order,
    inline_errors,
    reach_commit_prompt,
    register,
    requests_of,
    snapshot,
    submit_new_order,
    thread,
    views_opened,
)


def assert_refused(bot, reply, before: tuple, opened: int, says: str) -> None:  # noqa: ANN001
    """One ephemeral explanation on the response_url, no modal, and nothing else changed."""
    assert reply.status == 200, reply.body
    responses = bot.standin.responses()
    assert len(responses) == 1, [c.args for c in responses]
    assert responses[0].args["response_type"] == "ephemeral"
    assert responses[0].args.get("replace_original") in (None, False)
    assert says in responses[0].args["text"], responses[0].args["text"]
    assert views_opened(bot) == opened
    assert snapshot(bot) == before


# -- answering a request ------------------------------------------------------------------


@pytest.mark.parametrize("user", [SALES, SUPPLY, MANAGER, OUTSIDER])
def test_someone_outside_production_pressing_answer_for_production_is_refused(bot, user):  # noqa: ANN001
    register(bot)
    request = find(thread(bot), "Production: can you make it?")
    before, opened = snapshot(bot), views_opened(bot)
    reply = bot.slack.press(user, request, "Answer for production")
    assert_refused(bot, reply, before, opened, "Only the production team can answer production's request")


@pytest.mark.parametrize("user", [SALES, PRODUCTION_A, MANAGER, OUTSIDER])
def test_someone_outside_supply_pressing_answer_for_supply_is_refused(bot, user):  # noqa: ANN001
    register(bot)
    request = find(thread(bot), "Supply: can you source the materials?")
    before, opened = snapshot(bot), views_opened(bot)
    reply = bot.slack.press(user, request, "Answer for supply")
    assert_refused(bot, reply, before, opened, "Only the supply team can answer supply's request")


@pytest.mark.parametrize("user", [PRODUCTION_A, PRODUCTION_B])
def test_a_member_of_the_production_user_group_can_answer(bot, user):  # noqa: ANN001
    register(bot)
    reply = answer_production(bot, user=user, lead_time_days="7")
    assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body
    assert bot.standin.responses() == []
    production = [r for r in requests_of(bot) if r.team == "production"][0]
    assert (production.answered_by, production.can_do, production.lead_time_days) == (user, True, 7)
    asked = [c.args.get("usergroup") for c in bot.standin.calls_to("usergroups.users.list")]
    assert "S02" in asked


def test_an_outsider_submitting_an_answer_modal_gets_an_inline_error_and_nothing_changes(bot):  # noqa: ANN001
    register(bot)
    request = find(thread(bot), "Production: can you make it?")
    bot.slack.press(PRODUCTION_A, request, "Answer for production")
    view = bot.slack.last_view()
    before = snapshot(bot)
    reply = bot.slack.submit(OUTSIDER, view, {"can_do": "yes", "lead_time_days": "3", "notes": ""})
    # the form was opened for PRODUCTION_A: refused before any permission check is reached
    assert "opened for someone else" in inline_errors(reply)["can_do"]
    assert snapshot(bot) == before


# -- sales-only steps -----------------------------------------------------------------------


@pytest.mark.parametrize("user", [PRODUCTION_A, SUPPLY, MANAGER, OUTSIDER])
def test_only_sales_may_confirm_the_delivery_date(bot, user):  # noqa: ANN001
    register(bot)
    reach_commit_prompt(bot)
    prompt = find(thread(bot), "confirm a delivery date")
    before, opened = snapshot(bot), views_opened(bot)
    reply = bot.slack.press(user, prompt, "Confirm delivery date")
    assert_refused(
        bot,
        reply,
        before,
        opened,
        "Only the order's salesperson or the sales team can commit a delivery date",
    )


@pytest.mark.parametrize(("label", "doing"), [("Revise order", "revise"), ("Cancel order", "cancel")])
@pytest.mark.parametrize("user", [PRODUCTION_A, SUPPLY, OUTSIDER])
def test_only_sales_may_revise_or_cancel_a_declined_order(bot, user, label, doing):  # noqa: ANN001
    register(bot)
    decline_by_production(bot)
    prompt = find(thread(bot), "was declined")
    before, opened = snapshot(bot), views_opened(bot)
    reply = bot.slack.press(user, prompt, label)
    assert_refused(
        bot, reply, before, opened, f"Only the order's salesperson or the sales team can {doing} the order"
    )
    assert get_order(bot).status == OrderStatus.DECLINED


def test_the_orders_own_salesperson_may_confirm_even_when_outside_the_sales_team(bot):  # noqa: ANN001
    reply = submit_new_order(bot, user=MANAGER)
    assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body
    reach_commit_prompt(bot)
    opened = views_opened(bot)
    bot.slack.press(MANAGER, find(thread(bot), "confirm a delivery date"), "Confirm delivery date")
    assert views_opened(bot) == opened + 1
    assert bot.slack.last_view()["callback_id"] == View.COMMIT
    assert bot.standin.responses() == []


@pytest.mark.parametrize("user", [OUTSIDER, PRODUCTION_A, SUPPLY])
def test_someone_outside_sales_running_order_new_is_refused_without_a_modal(bot, user):  # noqa: ANN001
    reply = bot.slack.command(user, "new")
    assert reply.status == 200
    assert views_opened(bot) == 0
    assert ephemeral_texts(bot) == ["Only the sales team (or a manager) can register custom orders."]
    assert bot.standin.responses()[0].args["response_type"] == "ephemeral"


def test_an_outsider_submitting_a_new_order_modal_saves_and_posts_nothing(bot):  # noqa: ANN001
    view = bot.slack.command(SALES, "new") and bot.slack.last_view()
    reply = bot.slack.submit(
        OUTSIDER,
        view,
        {
            "customer": "Sneaky Ltd",
            "product": "GBX-100",
            "quantity": "5",
            "requested_date": "2026-12-20",
            "specification": "x",
        },
    )
    # the form was opened for SALES: refused before any permission check is reached
    assert "opened for someone else" in inline_errors(reply)["customer"]
    assert count(bot, Order) == 0
    assert bot.standin.messages() == []


# -- answered, superseded and stale --------------------------------------------------------


def test_a_second_click_on_an_answered_request_says_who_answered_and_when(bot):  # noqa: ANN001
    register(bot)
    old_request = find(thread(bot), "Production: can you make it?")  # the message as first posted
    answer_production(bot, user=PRODUCTION_A)
    assert button_labels(find(thread(bot), "Production: can you make it?")) == []
    before, opened = snapshot(bot), views_opened(bot)
    reply = bot.slack.press(PRODUCTION_B, old_request, "Answer for production")
    # the fake clock stands at 01:00 UTC, 09:00 in Asia/Shanghai
    assert_refused(
        bot, reply, before, opened, "<@U05> already answered this for production on 2026-11-25 09:00"
    )


def test_an_answer_modal_submitted_after_the_request_was_answered_changes_nothing(bot):  # noqa: ANN001
    register(bot)
    request = find(thread(bot), "Production: can you make it?")
    bot.slack.press(PRODUCTION_B, request, "Answer for production")
    late_view = bot.slack.last_view()
    assert answer_production(bot, user=PRODUCTION_A, lead_time_days="10").status == 200
    before = snapshot(bot)
    bot.clock.advance(minutes=5)
    reply = bot.slack.submit(PRODUCTION_B, late_view, {"can_do": "no", "lead_time_days": None, "notes": "No"})
    # modal errors are plain text, so the mention shows as @U05 rather than raw <@U05> markup
    assert "@U05 already answered" in inline_errors(reply)["can_do"]
    assert snapshot(bot) == before


def revise_while_awaiting_commitment(bot) -> None:  # noqa: ANN001
    """Sales revises revision 1 (its Revise value) while the commit prompt is still showing."""
    assert bot.slack.click(SALES, Action.REVISE, "1:1").status == 200
    reply = bot.slack.submit(
        SALES, bot.slack.last_view(), {**_fields(), "quantity": "300", "requested_date": "2026-12-22"}
    )
    assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body


def _fields() -> dict:
    return {
        "customer": "ACME Gears",
        "product": "GBX-100",
        "quantity": "250",
        "requested_date": "2026-12-20",
        "specification": "Hardened steel, 1:40 ratio",
    }


def test_a_confirm_button_from_revision_1_after_a_revision_is_refused(bot):  # noqa: ANN001
    register(bot)
    reach_commit_prompt(bot)
    old_prompt = find(thread(bot), "confirm a delivery date")
    revise_while_awaiting_commitment(bot)
    assert (get_order(bot).revision, get_order(bot).status) == (2, OrderStatus.AWAITING_CONFIRMATION)
    assert button_labels(find(thread(bot), "Confirm a delivery date for CO-0001")) == []
    before, opened = snapshot(bot), views_opened(bot)
    reply = bot.slack.press(SALES, old_prompt, "Confirm delivery date")
    assert_refused(bot, reply, before, opened, "CO-0001 is not waiting for a delivery date any more")


def test_a_commit_modal_opened_on_revision_1_and_submitted_after_a_revision_commits_nothing(bot):  # noqa: ANN001
    register(bot)
    reach_commit_prompt(bot)
    bot.slack.press(SALES, find(thread(bot), "confirm a delivery date"), "Confirm delivery date")
    stale_view = bot.slack.last_view()
    revise_while_awaiting_commitment(bot)
    before = snapshot(bot)
    reply = bot.slack.submit(SALES, stale_view, {"committed_date": "2026-12-20", "notes": ""})
    assert "not waiting for a delivery date any more" in inline_errors(reply)["committed_date"]
    assert snapshot(bot) == before
    assert get_order(bot).status == OrderStatus.AWAITING_CONFIRMATION


def test_answer_on_a_superseded_request_is_refused(bot):  # noqa: ANN001
    register(bot)
    old_supply = find(thread(bot), "Supply: can you source the materials?")
    decline_by_production(bot)
    bot.slack.press(SALES, find(thread(bot), "was declined"), "Revise order")
    bot.slack.submit(SALES, bot.slack.last_view(), _fields())
    assert get_order(bot).revision == 2
    before, opened = snapshot(bot), views_opened(bot)
    reply = bot.slack.press(SUPPLY, old_supply, "Answer for supply")
    assert_refused(bot, reply, before, opened, "CO-0001 was changed since this request")


def test_an_answer_modal_for_a_superseded_request_changes_nothing(bot):  # noqa: ANN001
    register(bot)
    bot.slack.press(SUPPLY, find(thread(bot), "Supply:"), "Answer for supply")
    stale_view = bot.slack.last_view()
    decline_by_production(bot)
    bot.slack.press(SALES, find(thread(bot), "was declined"), "Revise order")
    bot.slack.submit(SALES, bot.slack.last_view(), _fields())
    before = snapshot(bot)
    reply = bot.slack.submit(
        SUPPLY, stale_view, {"can_do": "yes", "material_date": "2026-12-01", "notes": ""}
    )
    assert "was changed since this request" in inline_errors(reply)["can_do"]
    assert snapshot(bot) == before
    assert all(r.answered_at is None for r in requests_of(bot) if r.revision == 2)


@pytest.mark.parametrize("label", ["Revise order", "Cancel order"])
def test_revise_or_cancel_from_an_old_declined_prompt_never_reopens_a_committed_order(bot, label):  # noqa: ANN001
    register(bot)
    decline_by_production(bot)
    old_prompt = find(thread(bot), "was declined")
    bot.slack.press(SALES, old_prompt, "Revise order")
    bot.slack.submit(SALES, bot.slack.last_view(), _fields())
    reach_commit_prompt(bot)
    bot.slack.press(SALES, find(thread(bot), "confirm a delivery date"), "Confirm delivery date")
    bot.slack.submit(SALES, bot.slack.last_view(), {"committed_date": "2026-12-20", "notes": ""})
    assert get_order(bot).status == OrderStatus.COMMITTED
    before, opened = snapshot(bot), views_opened(bot)
    reply = bot.slack.press(SALES, old_prompt, label)
    assert_refused(bot, reply, before, opened, "CO-0001 is committed")


def test_a_second_commit_of_the_same_order_is_refused_and_keeps_the_first_date(bot):  # noqa: ANN001
    register(bot)
    reach_commit_prompt(bot)
    prompt = find(thread(bot), "confirm a delivery date")
    bot.slack.press(SALES, prompt, "Confirm delivery date")
    second_view = bot.slack.last_view()
    bot.slack.submit(SALES, second_view, {"committed_date": "2026-12-20", "notes": ""})
    before, opened = snapshot(bot), views_opened(bot)
    reply = bot.slack.press(SALES, prompt, "Confirm delivery date")
    assert_refused(bot, reply, before, opened, "CO-0001 is already committed for 2026-12-20 by <@U01>")
    reply = bot.slack.submit(SALES, second_view, {"committed_date": "2027-01-10", "notes": ""})
    # the same form again, already saved: it closes and changes nothing (no error for a double click)
    assert (reply.status, reply.body) == (200, b"")
    assert snapshot(bot) == before


# -- mangled values -----------------------------------------------------------------------


@pytest.mark.parametrize("value", ["", "abc", "-1", "1.0", "²", "99999999999999999999", "1 OR 1=1"])
def test_a_mangled_answer_button_value_is_refused_not_a_crash(bot, value):  # noqa: ANN001
    register(bot)
    before, opened = snapshot(bot), views_opened(bot)
    reply = bot.slack.click(PRODUCTION_A, Action.ANSWER, value)
    assert_refused(bot, reply, before, opened, "That button is not valid any more.")


@pytest.mark.parametrize("action", [Action.COMMIT, Action.REVISE, Action.CANCEL])
@pytest.mark.parametrize("value", ["", "1", "1:2:3", "a:1", "1:b", "1:", "99999999999999999999:1", "1:-1"])
def test_a_mangled_order_button_value_is_refused_not_a_crash(bot, action, value):  # noqa: ANN001
    register(bot)
    decline_by_production(bot)
    before, opened = snapshot(bot), views_opened(bot)
    reply = bot.slack.click(SALES, action, value)
    assert_refused(bot, reply, before, opened, "That button is not valid any more.")


@pytest.mark.parametrize("action", [Action.ANSWER, Action.COMMIT, Action.REVISE, Action.CANCEL])
def test_a_button_for_an_order_that_does_not_exist_is_refused(bot, action):  # noqa: ANN001
    value = "42" if action == Action.ANSWER else "42:1"
    reply = bot.slack.click(SALES, action, value)
    assert_refused(bot, reply, snapshot(bot), 0, "no longer exists")


@pytest.mark.parametrize(
    "metadata",
    [
        "not json",
        "[1, 2]",
        "{}",
        '{"request_id": "1"}',
        '{"request_id": true}',
        '{"request_id": 1.0}',
        '{"request_id": -1}',
        '{"request_id": 100000000000000000000000000000}',
    ],
)
def test_a_mangled_private_metadata_is_refused_inline_not_a_crash(bot, metadata):  # noqa: ANN001
    register(bot)
    bot.slack.press(PRODUCTION_A, find(thread(bot), "Production:"), "Answer for production")
    view = {**bot.slack.last_view(), "private_metadata": metadata}
    before = snapshot(bot)
    reply = bot.slack.submit(PRODUCTION_A, view, {"can_do": "yes", "lead_time_days": "3", "notes": ""})
    assert reply.status == 200
    assert inline_errors(reply)["can_do"] in (
        "This form is out of date; close it and start again.",
        "That request no longer exists.",
    )
    assert snapshot(bot) == before


@pytest.mark.parametrize("metadata", ["{}", '{"order_id": 1}', '{"order_id": 1, "revision": 1e400}'])
def test_a_mangled_commit_form_metadata_is_refused_inline_not_a_crash(bot, metadata):  # noqa: ANN001
    register(bot)
    reach_commit_prompt(bot)
    bot.slack.press(SALES, find(thread(bot), "confirm a delivery date"), "Confirm delivery date")
    view = {**bot.slack.last_view(), "private_metadata": metadata}
    before = snapshot(bot)
    reply = bot.slack.submit(SALES, view, {"committed_date": "2026-12-20", "notes": ""})
    assert "out of date" in inline_errors(reply)["committed_date"]
    assert snapshot(bot) == before


def test_a_revise_form_with_a_huge_order_id_is_refused_inline_not_a_crash(bot):  # noqa: ANN001
    register(bot)
    decline_by_production(bot)
    bot.slack.press(SALES, find(thread(bot), "was declined"), "Revise order")
    view = {**bot.slack.last_view(), "private_metadata": json.dumps({"order_id": 10**40, "revision": 1})}
    before = snapshot(bot)
    reply = bot.slack.submit(SALES, view, _fields())
    assert "out of date" in inline_errors(reply)["customer"]
    assert snapshot(bot) == before


def test_supply_answering_with_a_production_answer_modal_is_refused(bot):  # noqa: ANN001
    register(bot)
    bot.slack.press(PRODUCTION_A, find(thread(bot), "Production:"), "Answer for production")
    view = bot.slack.last_view()
    supply_id = [r.id for r in requests_of(bot) if r.team == "supply"][0]
    forged = {**view, "private_metadata": json.dumps({"request_id": supply_id})}
    before = snapshot(bot)
    reply = bot.slack.submit(SUPPLY, forged, {"can_do": "yes", "lead_time_days": "1", "notes": ""})
    # someone else's form, with edited metadata: refused as a form the bot did not open for them
    assert "opened for someone else" in inline_errors(reply)["can_do"]
    assert snapshot(bot) == before
