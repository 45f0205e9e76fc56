"""User text full of characters to escape: cut before escaping, no broken entity, the bot's own
sentences kept whole, every payload within Slack's limits."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from bot.after_commit import blocks as ac
from bot.mrkdwn import esc_clip
from bot.orders import blocks as ob
from bot.sandbox.standin import MAX_MESSAGE_BLOCKS, _check_blocks
from storage.models import ChangeAck, ConfirmationRequest, Order, OrderChange, OrderStatus
from tests.conftest import make_config

NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
HOSTILE = "&<>" * 2000  # 6,000 characters typed, 18,000 once escaped
ENTITY = re.compile(r"&(amp|lt|gt);")
# Many members on both teams: their mentions take the room a real workspace's could.
BIG_TEAMS = {
    "sales": ["U01"],
    "production": [f"U{i:08d}" for i in range(38)],
    "supply": [f"U{i:08d}" for i in range(38, 76)],
    "managers": ["U04"],
}


def broken_entities(text: str) -> list[str]:
    """Any `&` left once complete entities are removed is half an entity (the bot writes none)."""
    return re.findall(r"&\w*;?", ENTITY.sub("", text))[:3]


def mrkdwn(message: dict) -> list[str]:
    texts = []
    for block in message["blocks"]:
        texts += [block["text"]["text"]] if block.get("type") == "section" and block.get("text") else []
        texts += [f["text"] for f in block.get("fields", [])]
    return texts


def hostile_order(**extra: object) -> Order:
    values = dict(
        id=1,
        number="CO-0001",
        customer=HOSTILE[:120],
        product=HOSTILE[:120],
        quantity=250,
        requested_date=date(2026, 12, 20),
        specification=HOSTILE[:2000],
        salesperson="U01",
        created_at=NOW,
        updated_at=NOW,
        committed_date=date(2026, 12, 16),
        committed_by="U01",
        committed_at=NOW,
        commit_notes=HOSTILE[:1000],
    )
    return Order(**{**values, **extra})


def declined(team: str) -> ConfirmationRequest:
    return ConfirmationRequest(
        id=1 if team == "production" else 2,
        order_id=1,
        team=team,
        revision=1,
        requested_at=NOW,
        due_at=NOW + timedelta(hours=24),
        answered_at=NOW,
        answered_by="U05",
        can_do=False,
        notes=HOSTILE[:1000],
    )


def test_esc_clip_cuts_the_typed_text_so_no_entity_is_split() -> None:
    for limit in range(1, 40):
        out = esc_clip(HOSTILE, limit)
        assert len(out) <= limit and out.endswith("…")
        assert broken_entities(out.removesuffix("…")) == [], out
    assert esc_clip("a & b", 100) == "a &amp; b"


def assert_accepted(message: dict) -> None:
    _check_blocks(message["blocks"], MAX_MESSAGE_BLOCKS)  # raises as Slack would refuse
    for text in mrkdwn(message):
        assert len(text) <= 3000
        assert broken_entities(text.removesuffix("…")) == [], text[-40:]


def test_the_declined_prompt_keeps_its_instruction_after_hostile_reasons() -> None:
    order = hostile_order(status=OrderStatus.DECLINED, committed_date=None)
    requests = {"production": declined("production"), "supply": declined("supply")}
    message = ob.declined_prompt(order, 1, requests)
    assert_accepted(message)
    assert mrkdwn(message)[0].endswith("Revise the order (both teams are asked again) or cancel it.")


def test_the_change_notice_keeps_its_request_after_a_hostile_reason_with_large_teams() -> None:
    config = make_config(teams=BIG_TEAMS)
    order = hostile_order(status=OrderStatus.COMMITTED)
    change = OrderChange(
        id=1,
        order_id=1,
        requested_by="U01",
        requested_at=NOW,
        before={"quantity": 250, "committed_date": "2026-12-16"},
        after={"quantity": 300, "committed_date": "2026-12-16"},
        reason=HOSTILE[:1000],
    )
    acks = {
        t: ChangeAck(id=i, change_id=1, order_id=1, team=t, due_at=NOW)
        for i, t in ((1, "production"), (2, "supply"))
    }
    message = ac.change_message(order, change, acks, config)
    assert_accepted(message)
    # updated: the teams now answer the change; the request still ends the (clipped) message whole
    assert mrkdwn(message)[0].endswith("The current commitment stays in force until both of you agree.")


@pytest.mark.parametrize("build", ["card", "committed", "problem", "request"])
def test_other_messages_with_hostile_text_stay_whole_and_within_limits(build: str) -> None:
    config = make_config(teams=BIG_TEAMS)
    order = hostile_order(status=OrderStatus.COMMITTED)
    if build == "card":
        message, tail = ob.order_card(order, {}), None
    elif build == "committed":
        message, tail = ob.committed_notice(order, config), "Please plan for it."
    elif build == "problem":
        from storage.models import Problem

        problem = Problem(
            id=1, order_id=1, team="supply", description=HOSTILE[:1000], raised_by="U05", raised_at=NOW
        )
        message, tail = ac.problem_message(order, problem, config), "Press *Resolved* once it is sorted out."
    else:
        request = declined("production")
        request.answered_at, request.can_do = None, None
        message, tail = ob.request_message(order, request, config), "Please answer by"
    assert_accepted(message)
    if tail:
        assert tail in mrkdwn(message)[0]
