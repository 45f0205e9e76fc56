"""Review steps aimed at the wrong month: a form re-pointed at another month, attendance before
the agenda or for a month without one. Each is refused with a sentence and changes nothing."""

from __future__ import annotations

import json

import pytest

from bot.refusals import say
from bot.review.blocks import ReviewAction
from storage import review_repo
from tests.conftest import PRODUCTION_A, SALES
from tests.e2e.test_review import MONTH, REVIEW, SALES_NUMBERS, agenda, errors, post_agenda, submit
from workflows import review_actions
from workflows.permissions import Refusal

NOTE = "note"


def repointed_form(bot, month: str) -> dict:  # noqa: ANN001
    assert bot.slack.command(SALES, "submit", command="/review", channel=REVIEW).status == 200
    view = bot.slack.last_view()
    meta = json.loads(view["private_metadata"])
    assert meta["month"] == MONTH
    return {**view, "private_metadata": json.dumps({**meta, "month": month})}


def submitted_months(bot) -> list[str]:  # noqa: ANN001
    with bot.svc.session() as session:
        return [
            m for m in ("2026-12", MONTH, "2027-02", "2027-03") if review_repo.current_submissions(session, m)
        ]


MONTHS = pytest.mark.parametrize(
    ("month", "named"), [("2027-03", "March 2027"), ("2026-12", "December 2026")]
)


@MONTHS
def test_a_form_re_pointed_at_another_month_is_refused_inline(bot, month, named) -> None:  # noqa: ANN001
    """Its private_metadata no longer matches the form the bot opened: refused before any rule."""
    reply = bot.slack.submit(SALES, repointed_form(bot, month), SALES_NUMBERS)
    said = errors(reply)[NOTE]
    assert "This form is out of date; close it and start again." in said
    assert submitted_months(bot) == []


@MONTHS
def test_numbers_for_a_month_other_than_the_coming_review_are_refused(bot, month, named) -> None:  # noqa: ANN001
    """The rule itself, behind the form check (a form left open while the coming review moved on)."""
    with bot.svc.session(read_only=True) as session, pytest.raises(Refusal) as refused:
        review_actions.check_can_submit(session, bot.svc.context(), actor=SALES, team="sales", month=month)
    assert (refused.value.code, refused.value.data) == (
        "review_not_the_coming_review",
        {"upcoming": MONTH, "month": month},
    )
    said = say(refused.value)
    assert f"the coming review, which plans January 2027, not {named}" in said
    assert "run `/review submit` again" in said


def test_the_same_form_for_the_coming_month_is_saved(bot) -> None:  # noqa: ANN001
    """The control: only the month differs."""
    reply = bot.slack.submit(SALES, repointed_form(bot, MONTH), SALES_NUMBERS)
    assert errors(reply) == {}
    assert submitted_months(bot) == [MONTH]


def attendees(bot, month: str) -> list[str]:  # noqa: ANN001
    with bot.svc.session() as session:
        return [a.user for a in review_repo.attendance(session, month)]


def test_attending_before_the_agenda_is_posted_is_refused(bot) -> None:  # noqa: ANN001
    submit(bot, SALES)
    reply = bot.slack.click(PRODUCTION_A, ReviewAction.ATTEND, MONTH)
    assert reply.status == 200
    [answer] = bot.standin.responses()
    assert answer.args["response_type"] == "ephemeral"
    assert "The review of January 2027 has no agenda posted" in answer.args["text"]
    assert attendees(bot, MONTH) == []


@pytest.mark.parametrize("month", ["2027-03", "2026-12"])
def test_attending_a_month_without_an_agenda_is_refused_and_the_agenda_is_left_alone(bot, month) -> None:  # noqa: ANN001
    post_agenda(bot)
    posted = agenda(bot)
    before = (posted.text, posted.blocks, posted.updates)
    reply = bot.slack.click(PRODUCTION_A, ReviewAction.ATTEND, month, message=posted)
    assert reply.status == 200
    assert "has no agenda posted" in bot.standin.responses()[-1].args["text"]
    assert attendees(bot, month) == [] and attendees(bot, MONTH) == []
    assert (agenda(bot).text, agenda(bot).blocks, agenda(bot).updates) == before


def test_attending_the_posted_agenda_is_recorded(bot) -> None:  # noqa: ANN001
    """The control: the same click on the agenda's own month."""
    post_agenda(bot)
    bot.slack.press(PRODUCTION_A, agenda(bot), "I'm attending")
    assert attendees(bot, MONTH) == [PRODUCTION_A]
