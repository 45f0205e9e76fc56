"""Issue 12 §4: before sales commits, the team that answered corrects its answer ("Correct answer",
a form prefilled with the answer): the correction is recorded (who, when, old, new), the thread
shows it, the earliest date is recomputed and the commit prompt and card follow; only that team,
never after commitment; a yes turned into a no (or back) goes on as a fresh answer would."""

from __future__ import annotations

from sqlalchemy import select

from bot.ids import Action
from bot.orders.blocks import CORRECT_ANSWER
from storage.models import OrderEvent, OrderStatus
from tests.conftest import PRODUCTION_A, SALES, SUPPLY
from tests.e2e.test_order_plan import approve_plans
from tests.e2e.test_pseudo_orders import keyed, press
from tests.helpers import (
    buttons,
    card,
    ephemeral_texts,
    find,
    get_order,
    mrkdwn_texts,
    reach_commit_prompt,
    register,
    snapshot,
    thread,
)

PRODUCTION_ECHO = "Production answered for CO-0001"
SUPPLY_ECHO = "Supply answered for CO-0001"


def corrections(bot) -> list[OrderEvent]:  # noqa: ANN001
    with bot.svc.session() as session:
        stmt = select(OrderEvent).where(OrderEvent.kind == "answer_corrected").order_by(OrderEvent.id)
        return list(session.execute(stmt).scalars())


def open_correction(bot, user: str, echo: str) -> dict:  # noqa: ANN001
    message = find(thread(bot), echo)
    assert press(bot, user, message, CORRECT_ANSWER).status == 200
    return bot.slack.last_view()


def initial(view: dict, block_id: str) -> object:
    element = next(b for b in view["blocks"] if b.get("block_id") == block_id)["element"]
    if element["type"] == "radio_buttons":
        return (element.get("initial_option") or {}).get("value")
    return element.get("initial_date") or element.get("initial_value")


def production_request(bot) -> str:  # noqa: ANN001
    from storage.models import ConfirmationRequest

    with bot.svc.session() as session:
        stmt = select(ConfirmationRequest.id).where(ConfirmationRequest.team == "production")
        return str(session.execute(stmt).scalar_one())


def prompt_text(bot) -> str:  # noqa: ANN001
    return mrkdwn_texts(keyed(bot, "order:1:r1:commit"))[1]


def test_production_corrects_its_lead_time_and_the_earliest_date_moves(bot) -> None:  # noqa: ANN001
    register(bot)
    reach_commit_prompt(bot)  # lead time 10 days, materials 5 Dec: earliest 15 Dec
    assert "Earliest feasible delivery: *Tue 15 Dec 2026*" in prompt_text(bot)
    view = open_correction(bot, PRODUCTION_A, PRODUCTION_ECHO)
    assert view["callback_id"] == "order.correct.production"
    assert (initial(view, "can_do"), initial(view, "lead_time_days")) == ("yes", "10")  # prefilled
    bot.clock.advance(hours=1)
    reply = bot.slack.submit(PRODUCTION_A, view, {"can_do": "yes", "lead_time_days": "20", "notes": ""})
    assert reply.status == 200 and b"errors" not in reply.body, reply.body

    [event] = corrections(bot)
    assert (event.actor, event.at.replace(tzinfo=None)) == (PRODUCTION_A, bot.clock.now.replace(tzinfo=None))
    assert event.data["team"] == "production"
    assert (event.data["before"]["lead_time_days"], event.data["after"]["lead_time_days"]) == (10, 20)
    shown = find(thread(bot), "Production corrected its answer for CO-0001")
    texts = mrkdwn_texts(shown)
    assert (
        f":pencil2: <@{PRODUCTION_A}> corrected production's answer for CO-0001: yes, lead time 10 days"
        " → *yes, lead time 20 days*"
    ) in texts
    assert "Earliest feasible delivery is now Fri 25 Dec 2026." in texts
    assert "Earliest feasible delivery: *Fri 25 Dec 2026*" in prompt_text(bot)  # the prompt, edited
    assert "lead time 20 days" in str(card(bot).blocks)  # and the card
    assert get_order(bot).status == OrderStatus.AWAITING_COMMITMENT

    assert press(bot, SALES, keyed(bot, "order:1:r1:commit"), Action.COMMIT).status == 200
    form = bot.slack.last_view()
    shown_on_form = [e["text"] for b in form["blocks"] if b["type"] == "context" for e in b["elements"]]
    assert "Earliest feasible: 2026-12-25 · requested by the customer: 2026-12-20" in shown_on_form


def test_the_recomputed_earliest_date_follows_the_plan(bot) -> None:  # noqa: ANN001
    approve_plans(bot, ("2026-12", 100), ("2027-01", 900))  # December cannot take 250
    register(bot)
    reach_commit_prompt(bot)
    view = open_correction(bot, SUPPLY, SUPPLY_ECHO)
    assert initial(view, "material_date") == "2026-12-05"
    assert (
        bot.slack.submit(SUPPLY, view, {"can_do": "yes", "material_date": "2027-01-10", "notes": ""}).status
        == 200
    )
    texts = mrkdwn_texts(find(thread(bot), "Supply corrected its answer for CO-0001"))
    assert (
        f":pencil2: <@{SUPPLY}> corrected supply's answer for CO-0001: yes, materials arrive Sat 05 Dec 2026"
        " → *yes, materials arrive Sun 10 Jan 2027*" in texts
    )
    assert "Earliest feasible delivery is now Wed 20 Jan 2027." in texts
    prompt = keyed(bot, "order:1:r1:commit")
    assert "Earliest feasible delivery: *Wed 20 Jan 2027*" in mrkdwn_texts(prompt)[1]
    assert ":bar_chart: January 2027 plan for GBX-100: 900 of 900 left → earliest Wed 20 Jan 2027" in (
        mrkdwn_texts(prompt)
    )


def test_only_the_team_that_answered_may_correct_it(bot) -> None:  # noqa: ANN001
    register(bot)
    reach_commit_prompt(bot)
    before = snapshot(bot)
    for user in (SUPPLY, SALES):
        assert press(bot, user, find(thread(bot), PRODUCTION_ECHO), CORRECT_ANSWER).status == 200
        assert ephemeral_texts(bot)[-1].startswith(":no_entry_sign: Only the production team")
    assert snapshot(bot)[1:] == before[1:] and corrections(bot) == []
    # a form opened by production, submitted by someone else, is refused inline too
    view = open_correction(bot, PRODUCTION_A, PRODUCTION_ECHO)
    reply = bot.slack.submit(SUPPLY, view, {"can_do": "yes", "lead_time_days": "1", "notes": ""})
    assert reply.status == 200 and corrections(bot) == []


def test_a_yes_turned_into_no_declines_and_a_no_turned_into_yes_goes_ahead(bot) -> None:  # noqa: ANN001
    register(bot)
    reach_commit_prompt(bot)
    view = open_correction(bot, SUPPLY, SUPPLY_ECHO)
    reply = bot.slack.submit(
        SUPPLY, view, {"can_do": "no", "material_date": None, "notes": "Supplier closed"}
    )
    assert reply.status == 200 and b"errors" not in reply.body, reply.body
    assert get_order(bot).status == OrderStatus.DECLINED
    assert not buttons(keyed(bot, "order:1:r1:commit"))  # the commit prompt is struck out
    declined = keyed(bot, "order:1:r1:declined")
    assert "Supplier closed" in str(declined.blocks) and buttons(declined)

    view = open_correction(bot, SUPPLY, SUPPLY_ECHO)  # the answer's message, now showing the "no"
    assert initial(view, "can_do") == "no"
    reply = bot.slack.submit(SUPPLY, view, {"can_do": "yes", "material_date": "2026-12-07", "notes": ""})
    assert reply.status == 200 and b"errors" not in reply.body, reply.body
    assert get_order(bot).status == OrderStatus.AWAITING_COMMITMENT
    assert "The answer was corrected: the order goes ahead." in str(keyed(bot, "order:1:r1:declined").blocks)
    assert not buttons(keyed(bot, "order:1:r1:declined"))
    prompt = keyed(bot, "order:1:r1:commit")
    assert "Earliest feasible delivery: *Thu 17 Dec 2026*" in mrkdwn_texts(prompt)[1]
    assert [b["action_id"] for b in buttons(prompt)] == [Action.COMMIT]
    assert [e.data["after"]["can_do"] for e in corrections(bot)] == [False, True]


def test_a_no_from_the_first_team_corrected_asks_the_other_team_again(bot) -> None:  # noqa: ANN001
    from tests.helpers import answer_supply, decline_by_production

    register(bot)
    decline_by_production(bot)
    assert get_order(bot).status == OrderStatus.DECLINED
    view = open_correction(bot, PRODUCTION_A, PRODUCTION_ECHO)
    assert (
        bot.slack.submit(PRODUCTION_A, view, {"can_do": "yes", "lead_time_days": "10", "notes": ""}).status
        == 200
    )
    assert get_order(bot).status == OrderStatus.AWAITING_CONFIRMATION  # supply still owes its answer
    assert answer_supply(bot).status == 200
    assert get_order(bot).status == OrderStatus.AWAITING_COMMITMENT


def test_after_commitment_the_answer_can_no_longer_be_corrected(bot) -> None:  # noqa: ANN001
    register(bot)
    reach_commit_prompt(bot)
    assert press(bot, SALES, keyed(bot, "order:1:r1:commit"), Action.COMMIT).status == 200
    assert (
        bot.slack.submit(SALES, bot.slack.last_view(), {"committed_date": "2026-12-20", "notes": ""}).status
        == 200
    )
    before = snapshot(bot)
    echo = find(thread(bot), PRODUCTION_ECHO)
    assert not buttons(echo)  # the button went with the commitment; a stale copy of it is refused
    assert bot.slack.click(PRODUCTION_A, CORRECT_ANSWER, production_request(bot), message=echo).status == 200
    assert ephemeral_texts(bot)[-1] == (
        ":no_entry_sign: Sales has already promised CO-0001 to the customer (committed), so the answer can no"
        " longer be corrected. Raise a problem in the order's thread if something changed."
    )
    assert snapshot(bot)[1:] == before[1:] and corrections(bot) == []


def test_a_form_opened_before_the_commitment_saves_nothing_after_it(bot) -> None:  # noqa: ANN001
    register(bot)
    reach_commit_prompt(bot)
    view = open_correction(bot, PRODUCTION_A, PRODUCTION_ECHO)
    assert press(bot, SALES, keyed(bot, "order:1:r1:commit"), Action.COMMIT).status == 200
    assert (
        bot.slack.submit(SALES, bot.slack.last_view(), {"committed_date": "2026-12-20", "notes": ""}).status
        == 200
    )
    reply = bot.slack.submit(PRODUCTION_A, view, {"can_do": "yes", "lead_time_days": "30", "notes": ""})
    assert "can no longer be corrected" in str(reply.json())
    assert corrections(bot) == [] and get_order(bot).status == OrderStatus.COMMITTED


def test_the_button_goes_once_the_order_is_committed_or_cancelled(bot) -> None:  # noqa: ANN001
    register(bot)
    reach_commit_prompt(bot)
    echoes = [find(thread(bot), PRODUCTION_ECHO), find(thread(bot), SUPPLY_ECHO)]
    assert all(CORRECT_ANSWER in [b["action_id"] for b in buttons(m)] for m in echoes)
    view = open_correction(bot, PRODUCTION_A, PRODUCTION_ECHO)
    assert (
        bot.slack.submit(PRODUCTION_A, view, {"can_do": "yes", "lead_time_days": "12", "notes": ""}).status
        == 200
    )
    corrected = find(thread(bot), PRODUCTION_ECHO)
    assert "yes, lead time 12 days" in str(corrected.blocks)  # the answer's message shows the correction
    assert not buttons(find(thread(bot), "Production corrected its answer"))  # one button: on the answer
    assert press(bot, SALES, keyed(bot, "order:1:r1:commit"), Action.COMMIT).status == 200
    reply = bot.slack.submit(SALES, bot.slack.last_view(), {"committed_date": "2026-12-20", "notes": ""})
    assert reply.status == 200 and b"errors" not in reply.body, reply.body
    assert not buttons(find(thread(bot), PRODUCTION_ECHO)) and not buttons(find(thread(bot), SUPPLY_ECHO))
