"""After commitment end to end: materials, delivery, problems, changes and their acknowledgement clock."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from bot.after_commit.listeners import open_edit
from bot.sweep import run_due
from storage import after_commit_repo, digest_repo, repo
from storage.models import OrderEvent, OrderStatus
from tests.conftest import MANAGER, OUTSIDER, PRODUCTION_A, PRODUCTION_B, SALES, SUPPLY
from tests.e2e.test_order_loop import card, find, post_key, register, thread


def committed_order(bot, *, material_date: str = "2026-12-05", committed: str = "2026-12-16") -> None:  # noqa: ANN001
    """Register CO-0001, both teams say yes, sales commits: the starting point of every test here."""
    register(bot, requested_date="2026-12-01")
    bot.slack.press(PRODUCTION_A, find(thread(bot), "Production:"), "Answer for production")
    bot.slack.submit(PRODUCTION_A, bot.slack.last_view(), {"can_do": "yes", "lead_time_days": "10"})
    bot.slack.press(SUPPLY, find(thread(bot), "Supply:"), "Answer for supply")
    bot.slack.submit(SUPPLY, bot.slack.last_view(), {"can_do": "yes", "material_date": material_date})
    bot.slack.press(SALES, find(thread(bot), "confirm a delivery date"), "Confirm delivery date")
    bot.slack.submit(SALES, bot.slack.last_view(), {"committed_date": committed, "notes": ""})


def text_of(message) -> str:  # noqa: ANN001
    """Everything a reader sees in a message's blocks: section texts, fields, context and button labels."""
    parts = []
    for block in message.blocks:
        parts.append((block.get("text") or {}).get("text", ""))
        parts += [f.get("text", "") for f in block.get("fields", [])]
        parts += [
            (e.get("text") or {}).get("text", "") if isinstance(e.get("text"), dict) else e.get("text", "")
            for e in block.get("elements", [])
        ]
    return "\n".join(parts)


def buttons(message) -> list[str]:  # noqa: ANN001
    return [
        e["text"]["text"] for b in message.blocks for e in b.get("elements", []) if e.get("type") == "button"
    ]


def after(bot):  # noqa: ANN001, ANN202
    return find(thread(bot), "after commitment")


def last_refusal(bot) -> str:  # noqa: ANN001
    responses = bot.standin.responses()
    assert responses, "nobody was told anything"
    assert responses[-1].args.get("response_type") == "ephemeral"
    return responses[-1].args["text"]


def events(bot, kind: str) -> list[OrderEvent]:  # noqa: ANN001
    from sqlalchemy import select

    with bot.svc.session() as session:
        return list(session.execute(select(OrderEvent).where(OrderEvent.kind == kind)).scalars())


def order(bot):  # noqa: ANN001, ANN202
    with bot.svc.session() as session:
        return repo.find_order(session, "CO-0001")


def record_materials(bot, arrived: str, user: str = SUPPLY):  # noqa: ANN001, ANN202
    bot.slack.press(user, after(bot), "Materials arrived")
    return bot.slack.submit(user, bot.slack.last_view(), {"arrived_date": arrived, "notes": "Batch 7"})


def record_delivery(bot, delivered: str):  # noqa: ANN001, ANN202
    bot.slack.press(SALES, after(bot), "Delivered")
    return bot.slack.submit(SALES, bot.slack.last_view(), {"delivered_date": delivered})


def sweep(bot, moment: datetime) -> list[str]:  # noqa: ANN001
    return [line for line in run_due(bot.svc, moment).outcomes if line.startswith(("order:", "ack:"))]


# -- the after-commitment message ---------------------------------------------------------------


def test_committing_posts_the_after_commitment_message_with_its_buttons(bot):  # noqa: ANN001
    committed_order(bot)
    message = after(bot)
    # updated: supply's "New material date" (a slip after commitment) joined the buttons
    assert buttons(message) == [
        "Materials arrived",
        "New material date",
        "Delivered",
        "Change order",
        "Raise a problem",
    ]
    assert "Materials promised for Sat 05 Dec 2026" in text_of(message)
    assert "Delivery committed for *Wed 16 Dec 2026*" in text_of(message)
    texts = [m.text for m in thread(bot)]
    assert texts.index(message.text) == len(texts) - 1  # after the "committed" notice


# -- materials arrived --------------------------------------------------------------------------


def test_materials_arrived_on_time_is_recorded_once(bot):  # noqa: ANN001
    committed_order(bot)
    bot.clock.advance(days=9)  # Fri 4 Dec, local
    bot.slack.press(SUPPLY, after(bot), "Materials arrived")
    view = bot.slack.last_view()
    arrived = [b for b in view["blocks"] if b.get("block_id") == "arrived_date"][0]
    assert arrived["element"]["initial_date"] == "2026-12-04"  # today by default
    assert bot.slack.submit(SUPPLY, view, {"arrived_date": "2026-12-04", "notes": "Batch 7"}).status == 200
    assert order(bot).materials_arrived_date == date(2026, 12, 4)
    assert order(bot).materials_recorded_by == SUPPLY
    note = find(thread(bot), "materials arrived")
    assert "1 day early" in text_of(note) and "Batch 7" in text_of(note)
    assert [e.data["late"] for e in events(bot, "materials_arrived")] == [False]
    assert "Materials arrived" not in buttons(after(bot))
    assert "Materials arrived* Fri 04 Dec 2026" in text_of(card(bot))

    bot.slack.click(SUPPLY, "after.materials", "1")  # a stale button pressed again
    assert "<@U03> already recorded that the materials for CO-0001 arrived on 2026-12-04" in last_refusal(bot)
    assert len(events(bot, "materials_arrived")) == 1


def test_materials_arrived_late_counts_the_days(bot):  # noqa: ANN001
    committed_order(bot)
    bot.clock.advance(days=13)  # Tue 8 Dec
    record_materials(bot, "2026-12-07")
    assert "*2 days late*" in text_of(find(thread(bot), "materials arrived"))
    assert [e.data for e in events(bot, "materials_arrived")][0]["late"] is True


def test_only_supply_records_materials(bot):  # noqa: ANN001
    committed_order(bot)
    opened = len(bot.standin.calls_to("views.open"))
    bot.slack.press(PRODUCTION_A, after(bot), "Materials arrived")
    assert "Only the supply team" in last_refusal(bot)
    assert len(bot.standin.calls_to("views.open")) == opened


def test_an_arrival_date_in_the_future_is_refused_inline(bot):  # noqa: ANN001
    committed_order(bot)
    reply = record_materials(bot, "2026-11-30")
    assert "future" in reply.json()["errors"]["arrived_date"]
    assert order(bot).materials_arrived_date is None


def test_a_second_open_form_cannot_record_materials_again(bot):  # noqa: ANN001
    committed_order(bot)
    bot.slack.press(SUPPLY, after(bot), "Materials arrived")
    first = bot.slack.last_view()
    bot.slack.press(SUPPLY, after(bot), "Materials arrived")
    second = bot.slack.last_view()
    bot.slack.submit(SUPPLY, first, {"arrived_date": "2026-11-25"})
    reply = bot.slack.submit(SUPPLY, second, {"arrived_date": "2026-11-24"})
    assert "@U03 already recorded" in reply.json()["errors"]["arrived_date"]
    assert order(bot).materials_arrived_date == date(2026, 11, 25)


# -- delivered ----------------------------------------------------------------------------------


def test_delivered_on_time_closes_the_order(bot):  # noqa: ANN001
    committed_order(bot)
    bot.clock.advance(days=21)  # Wed 16 Dec
    record_delivery(bot, "2026-12-16")
    current = order(bot)
    assert current.status == OrderStatus.DELIVERED and current.delivered_by == SALES
    assert "on time" in text_of(find(thread(bot), "delivered"))
    assert [e.data["late"] for e in events(bot, "delivered")] == [False]
    assert card(bot).text.endswith("delivered")
    assert "Delivered* Wed 16 Dec 2026" in text_of(card(bot))
    assert buttons(after(bot)) == ["Raise a problem"]  # nothing left to record but a problem


def test_delivered_late_and_no_change_afterwards(bot):  # noqa: ANN001
    committed_order(bot)
    bot.clock.advance(days=25)
    record_delivery(bot, "2026-12-19")
    assert "*3 days late*" in text_of(find(thread(bot), "delivered"))
    assert events(bot, "delivered")[0].data["late"] is True
    bot.slack.click(SALES, "after.change", "1")
    assert "was delivered on 2026-12-19; it can no longer be changed" in last_refusal(bot)
    bot.slack.click(SALES, "after.delivered", "1")
    assert "<@U01> already recorded CO-0001 as delivered on 2026-12-19" in last_refusal(bot)
    assert len(events(bot, "delivered")) == 1


def test_only_sales_records_the_delivery(bot):  # noqa: ANN001
    committed_order(bot)
    bot.slack.press(SUPPLY, after(bot), "Delivered")
    assert "Only the order's salesperson or the sales team" in last_refusal(bot)
    assert order(bot).status == OrderStatus.COMMITTED


# -- problems -----------------------------------------------------------------------------------


def raise_problem(bot, user: str, team: str, text: str = "Wrong <!channel> bore size") -> None:  # noqa: ANN001
    bot.slack.press(user, after(bot), "Raise a problem")
    reply = bot.slack.submit(user, bot.slack.last_view(), {"problem": text, "team": team})
    assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body


def test_problem_is_posted_to_the_team_listed_and_resolved_by_that_team_only(bot):  # noqa: ANN001
    committed_order(bot)
    raise_problem(bot, PRODUCTION_A, "supply")
    posted = find(thread(bot), "problem for supply")
    assert "<@U03>" in text_of(posted) and "&lt;!channel&gt;" in text_of(posted)
    assert buttons(posted) == ["Resolved"]
    assert "1 open problem" in text_of(card(bot)) and "more in the thread" not in text_of(card(bot))
    assert "Supply must act" in text_of(after(bot))
    with bot.svc.session() as session:
        listed, total = digest_repo.open_problems(session, teams=["supply"], limit=10)
        assert total == 1 and listed[0][0].description == "Wrong <!channel> bore size"

    bot.slack.press(PRODUCTION_B, posted, "Resolved")
    assert "Only the supply team can resolve this problem" in last_refusal(bot)
    bot.slack.press(SUPPLY, posted, "Resolved")
    resolved = find(thread(bot), "problem resolved")
    assert buttons(resolved) == [] and "resolved by <@U03>" in text_of(resolved)
    assert "open problem" not in text_of(card(bot))
    bot.slack.press(SUPPLY, posted, "Resolved")
    assert "<@U03> already resolved this problem" in last_refusal(bot)
    assert [len(events(bot, k)) for k in ("problem_raised", "problem_resolved")] == [1, 1]


def test_outsiders_and_managers_cannot_raise_problems(bot):  # noqa: ANN001
    committed_order(bot)
    for user in (OUTSIDER, MANAGER):
        bot.slack.press(user, after(bot), "Raise a problem")
        assert "Only the sales, production and supply teams" in last_refusal(bot)


def test_a_problem_needs_a_description_and_a_team(bot):  # noqa: ANN001
    committed_order(bot)
    bot.slack.press(SALES, after(bot), "Raise a problem")
    errors = bot.slack.submit(SALES, bot.slack.last_view(), {"problem": " ", "team": None}).json()["errors"]
    assert set(errors) == {"problem", "team"}


# -- the late-material flag ---------------------------------------------------------------------


def flag_moment() -> datetime:
    return datetime(2026, 12, 6, 1, 0, tzinfo=UTC)  # 09:00 in Shanghai the day after the promised 5 Dec


def test_materials_not_recorded_by_the_morning_after_the_promise_are_flagged_once(bot):  # noqa: ANN001
    committed_order(bot)
    assert sweep(bot, flag_moment() - timedelta(minutes=1)) == []
    assert sweep(bot, flag_moment()) == ["order:1:materials-late:2026-12-05: sent: late material flag"]
    flag = find(thread(bot), "materials are late")
    assert "<@U03>" in text_of(flag) and "Sat 05 Dec 2026" in text_of(flag)
    bot.clock.now = flag_moment()
    assert "Materials late" in text_of(card(bot)) and "Materials late" in text_of(after(bot))
    assert sweep(bot, flag_moment() + timedelta(days=3)) == []
    assert len([m for m in thread(bot) if "materials are late" in m.text]) == 1


def test_materials_recorded_in_time_are_not_flagged(bot):  # noqa: ANN001
    committed_order(bot)
    bot.clock.advance(days=10)
    record_materials(bot, "2026-12-05")
    assert sweep(bot, flag_moment()) == ["order:1:materials-late:2026-12-05: skipped: materials arrived"]
    assert [m for m in thread(bot) if "materials are late" in m.text] == []


# -- changes and their acknowledgement clock ----------------------------------------------------


def change(
    bot,  # noqa: ANN001
    quantity: str = "300",
    delivery: str = "2026-12-20",
    reason: str = "Customer asked",
    origin: str = "customer",
    override: str = "",
):  # noqa: ANN202
    bot.slack.press(SALES, after(bot), "Change order")
    view = bot.slack.last_view()
    values = {"quantity": quantity, "delivery_date": delivery, "reason": reason, "origin": origin}
    return bot.slack.submit(SALES, view, values | ({"override_reason": override} if override else {}))


def answer_change(bot, team: str, values: dict, user: str | None = None):  # noqa: ANN001, ANN202
    user = user or (PRODUCTION_A if team == "production" else SUPPLY)
    bot.slack.press(user, change_message(bot), f"Answer for {team}")
    return bot.slack.submit(user, bot.slack.last_view(), values)


def ack_dms(bot) -> list:  # noqa: ANN001
    return [
        c
        for c in bot.standin.calls_to("chat.postMessage")
        if post_key(c).startswith("dm:") and ":ack:" in post_key(c)
    ]


def change_message(bot):  # noqa: ANN001, ANN202
    return find(thread(bot), "CO-0001 change asked:")


def test_change_form_is_prefilled_with_the_committed_values(bot):  # noqa: ANN001
    committed_order(bot)
    bot.slack.press(SALES, after(bot), "Change order")
    blocks = {b.get("block_id"): b for b in bot.slack.last_view()["blocks"]}
    assert blocks["quantity"]["element"]["initial_value"] == "250"
    assert blocks["delivery_date"]["element"]["initial_date"] == "2026-12-16"


def test_a_change_is_recorded_and_both_teams_are_asked_to_answer(bot):  # noqa: ANN001
    # rewritten: the order keeps its commitment while the change is asked; the teams answer it
    committed_order(bot)
    change(bot)
    current = order(bot)
    assert (current.quantity, current.committed_date) == (250, date(2026, 12, 16))
    with bot.svc.session() as session:
        recorded = after_commit_repo.pending_change(session, current.id)
        assert recorded.before == {"quantity": 250, "committed_date": "2026-12-16"}
        assert recorded.after == {"quantity": 300, "committed_date": "2026-12-20"}
        assert (recorded.reason, recorded.origin) == ("Customer asked", "customer")
    notice = change_message(bot)
    assert "<!subteam^S02>" in text_of(notice) and "<@U03>" in text_of(notice)
    assert "quantity 250 → 300, delivery date Wed 16 Dec 2026 → Sun 20 Dec 2026" in text_of(notice)
    assert "Asked by: the customer" in text_of(notice)
    assert buttons(notice) == ["Answer for production", "Answer for supply"]
    assert "Pending change" in text_of(card(bot)) and "by production and supply" in text_of(card(bot))
    assert "Pending change* (asked by the customer)" in text_of(card(bot))
    assert len(events(bot, "changed")) == 1


def test_the_change_form_requires_who_asked_for_it(bot):  # noqa: ANN001
    committed_order(bot)
    bot.slack.press(SALES, after(bot), "Change order")
    view = bot.slack.last_view()
    reply = bot.slack.submit(SALES, view, {"quantity": "300", "delivery_date": "2026-12-20", "reason": "x"})
    assert "who asked for the change" in reply.json()["errors"]["origin"]
    assert events(bot, "changed") == []


def test_answer_clock_reminds_and_escalates_exactly_once(bot):  # noqa: ANN001
    # rewritten: the reminders ask for an answer, not an acknowledgement
    committed_order(bot)
    start = bot.clock.now
    change(bot)
    assert sweep(bot, start + timedelta(hours=19, minutes=59)) == []
    reminded = sweep(bot, start + timedelta(hours=20))
    assert sorted(reminded) == [
        "ack:1:remind: sent: thread reminder and 2 direct message(s)",
        "ack:2:remind: sent: thread reminder and 1 direct message(s)",
    ]
    assert len([m for m in thread(bot) if m.text.startswith("Reminder: answer the change")]) == 2
    for user in (PRODUCTION_A, PRODUCTION_B, SUPPLY):
        assert len([c for c in ack_dms(bot) if c.args["channel"] == user]) == 1, user
    assert sweep(bot, start + timedelta(hours=23)) == []

    escalated = sweep(bot, start + timedelta(hours=24))
    assert sorted(escalated) == [
        "ack:1:escalate: sent: escalated to managers",
        "ack:2:escalate: sent: escalated to managers",
    ]
    escalations = [m for m in thread(bot) if m.text.startswith("Overdue:")]
    assert len(escalations) == 2 and all("<@U04>" in text_of(m) for m in escalations)
    assert len(events(bot, "change_breached")) == 2
    assert "OVERDUE" in text_of(card(bot)) and "OVERDUE" in text_of(change_message(bot))
    assert sweep(bot, start + timedelta(hours=72)) == []


def test_both_yes_applies_the_change(bot):  # noqa: ANN001
    # rewritten: two answers (yes with figures) apply the change; before, two acknowledgements cleared it
    committed_order(bot)
    change(bot)
    answer_change(bot, "production", {"can_do": "yes", "lead_time_days": "10"}, user=PRODUCTION_B)
    assert "not answered yet by supply" in text_of(card(bot))
    assert buttons(change_message(bot)) == ["Answer for supply"]
    assert order(bot).quantity == 250  # the old commitment is still in force
    answer_change(bot, "supply", {"can_do": "yes", "material_date": "2026-12-05"})
    assert "Pending change" not in text_of(card(bot)) and "Pending change" not in text_of(after(bot))
    assert buttons(change_message(bot)) == []
    assert "yes, lead time 10 days · <@U06>" in text_of(change_message(bot))
    assert "Agreed and applied" in text_of(change_message(bot))
    assert (order(bot).quantity, order(bot).committed_date) == (300, date(2026, 12, 20))
    applied = find(thread(bot), "change applied")
    assert "<@U01>, please confirm it with the customer" in text_of(applied)
    assert [e.data["team"] for e in events(bot, "change_answered")] == ["production", "supply"]
    # the reminders due later find nothing to do
    assert all("skipped: answered" in line for line in sweep(bot, bot.clock.now + timedelta(hours=30)))


def test_production_yes_supply_no_then_sales_withdraws(bot):  # noqa: ANN001
    committed_order(bot)
    change(bot)
    answer_change(bot, "production", {"can_do": "yes", "lead_time_days": "10"})
    reply = answer_change(bot, "supply", {"can_do": "no", "notes": ""})
    assert "reason" in reply.json()["errors"]["notes"]  # a no needs the reason, as for a request
    bot.slack.submit(SUPPLY, bot.slack.last_view(), {"can_do": "no", "notes": "Steel sold out"})
    returned = find(thread(bot), "returned to sales")
    assert "<@U01>" in text_of(returned) and "Steel sold out" in text_of(returned)
    assert buttons(returned) == ["Revise change", "Withdraw change"]
    assert "Change returned to sales" in text_of(card(bot))
    bot.slack.press(PRODUCTION_A, returned, "Withdraw change")
    assert "Only the order's salesperson or the sales team can change" in last_refusal(bot)
    bot.slack.press(SALES, returned, "Withdraw change")
    bot.slack.press(SALES, returned, "Withdraw change")  # a stale button: one withdrawal
    assert "no longer waiting for sales" in last_refusal(bot)
    assert len(events(bot, "change_withdrawn")) == 1
    assert (order(bot).quantity, order(bot).committed_date) == (250, date(2026, 12, 16))
    assert buttons(find(thread(bot), "returned to sales")) == []
    assert "Pending change" not in text_of(card(bot)) and "returned" not in text_of(card(bot))


def test_a_returned_change_is_revised_and_asked_again(bot):  # noqa: ANN001
    committed_order(bot)
    change(bot)
    answer_change(bot, "production", {"can_do": "no", "notes": "Line booked"})
    bot.slack.press(SALES, find(thread(bot), "returned to sales"), "Revise change")
    view = bot.slack.last_view()
    blocks = {b.get("block_id"): b for b in view["blocks"]}
    assert blocks["quantity"]["element"]["initial_value"] == "300"  # what the change asked
    values = {"quantity": "300", "delivery_date": "2027-01-10", "reason": "Later", "origin": "internal"}
    assert bot.slack.submit(SALES, view, values).status == 200
    assert bot.slack.submit(SALES, view, values).status == 200  # replayed: nothing twice
    assert len(events(bot, "changed")) == 2
    asked = [m for m in thread(bot) if m.text.startswith("CO-0001 change asked:")]
    assert buttons(asked[-1]) == ["Answer for production", "Answer for supply"]
    assert "Asked by: internal" in text_of(asked[-1])


def test_only_the_team_answers_and_only_once(bot):  # noqa: ANN001
    # rewritten: the teams' Answer buttons open their answer forms; one answer per team
    committed_order(bot)
    change(bot)
    notice = change_message(bot)
    bot.slack.press(SUPPLY, notice, "Answer for production")
    assert "Only the production team can answer this change" in last_refusal(bot)
    bot.slack.press(PRODUCTION_A, notice, "Answer for production")
    first = bot.slack.last_view()
    bot.slack.press(PRODUCTION_B, notice, "Answer for production")  # a second person opens it too
    second = bot.slack.last_view()
    bot.slack.submit(PRODUCTION_A, first, {"can_do": "yes", "lead_time_days": "10"})
    reply = bot.slack.submit(PRODUCTION_B, second, {"can_do": "yes", "lead_time_days": "12"})
    assert "@U05 already answered this change for production" in reply.json()["errors"]["can_do"]
    assert len(events(bot, "change_answered")) == 1


def test_only_sales_changes_and_not_while_a_change_is_pending(bot):  # noqa: ANN001
    committed_order(bot)
    bot.slack.press(PRODUCTION_A, after(bot), "Change order")
    assert "Only the order's salesperson or the sales team can change" in last_refusal(bot)
    change(bot)
    bot.slack.press(SALES, after(bot), "Change order")
    assert "already has a change waiting for production's and supply's answers" in last_refusal(bot)
    assert len(events(bot, "changed")) == 1


def test_a_change_earlier_than_feasible_needs_a_manager_who_approves(bot):  # noqa: ANN001
    committed_order(bot)  # earliest: 5 Dec + 10 days = 15 Dec
    reply = change(bot, quantity="250", delivery="2026-12-10")
    assert "before the earliest feasible date" in reply.json()["errors"]["quantity"]
    assert events(bot, "changed") == []
    change(bot, quantity="250", delivery="2026-12-10", override="Key customer; overtime agreed")
    answer_change(bot, "production", {"can_do": "yes", "lead_time_days": "10"})
    answer_change(bot, "supply", {"can_do": "yes", "material_date": "2026-12-05"})
    assert order(bot).committed_date == date(2026, 12, 16)  # waits for a manager
    approval = find(thread(bot), "a change beyond the plan needs a manager")
    assert "<@U04>" in text_of(approval) and "Key customer; overtime agreed" in text_of(approval)
    assert "before the earliest feasible date" in text_of(approval)
    assert "Change waits for a manager" in text_of(card(bot))
    bot.slack.press(SALES, approval, "Approve promise")
    assert order(bot).committed_date == date(2026, 12, 16)  # not a manager: refused, nothing changed
    bot.slack.press(MANAGER, approval, "Approve promise")
    bot.slack.press(MANAGER, approval, "Approve promise")  # a second click: one decision
    assert "already approved" in last_refusal(bot)
    assert order(bot).committed_date == date(2026, 12, 10)
    assert len(events(bot, "approval_approved")) == 1
    assert buttons(find(thread(bot), "a change beyond the plan needs a manager")) == []


def test_a_manager_rejects_a_change_and_sales_hears_why(bot):  # noqa: ANN001
    committed_order(bot)
    change(bot, quantity="250", delivery="2026-12-10", override="Key customer")
    answer_change(bot, "production", {"can_do": "yes", "lead_time_days": "10"})
    answer_change(bot, "supply", {"can_do": "yes", "material_date": "2026-12-05"})
    approval = find(thread(bot), "a change beyond the plan needs a manager")
    bot.slack.press(MANAGER, approval, "Reject")
    bot.slack.submit(MANAGER, bot.slack.last_view(), {"reason": "No overtime this month"})
    rejected = find(thread(bot), "change rejected")
    assert "<@U01>" in text_of(rejected) and "No overtime this month" in text_of(rejected)
    assert order(bot).committed_date == date(2026, 12, 16)


def test_a_slip_that_makes_the_date_infeasible_tells_sales_and_managers(bot):  # noqa: ANN001
    committed_order(bot)  # committed 16 Dec; production's lead time 10 days
    bot.slack.press(SALES, after(bot), "New material date")
    assert "Only the supply team can record" in last_refusal(bot)
    bot.slack.press(SUPPLY, after(bot), "New material date")
    view = bot.slack.last_view()
    reply = bot.slack.submit(SUPPLY, view, {"material_date": "2026-12-10", "reason": ""})
    assert "reason" in reply.json()["errors"]["reason"].lower()
    assert (
        bot.slack.submit(SUPPLY, view, {"material_date": "2026-12-10", "reason": "Ship delayed"}).status
        == 200
    )
    told = find(thread(bot), "can no longer be made")
    assert "<@U01>" in text_of(told) and "<@U04>" in text_of(told)
    assert "Sun 20 Dec 2026" in text_of(told)  # the new earliest date
    assert "New material date* Thu 10 Dec 2026" in text_of(card(bot))
    assert len(events(bot, "material_date_slipped")) == 1


def test_a_change_that_changes_nothing_is_refused_inline(bot):  # noqa: ANN001
    committed_order(bot)
    reply = change(bot, quantity="250", delivery="2026-12-16")
    assert "Nothing to change" in reply.json()["errors"]["quantity"]
    assert events(bot, "changed") == []


def test_order_edit_opens_the_change_form_or_explains(bot):  # noqa: ANN001
    committed_order(bot)
    told: list[str] = []

    def respond(**kw: object) -> None:
        told.append(str(kw["text"]))

    open_edit(bot.svc, bot.svc.client, respond, user=SALES, trigger_id="t-1", number_text="CO-0001")
    assert bot.slack.last_view()["callback_id"] == "after.change.form" and told == []
    open_edit(bot.svc, bot.svc.client, respond, user=SALES, trigger_id="t-2", number_text="CO-0999")
    open_edit(bot.svc, bot.svc.client, respond, user=SALES, trigger_id="t-3", number_text="")
    assert "can't find an order `CO-0999`" in told[0] and "/order edit CO-0042" in told[1]


def test_an_order_not_yet_committed_cannot_be_changed_this_way(bot):  # noqa: ANN001
    register(bot)
    told: list[str] = []
    open_edit(
        bot.svc,
        bot.svc.client,
        lambda **kw: told.append(kw["text"]),
        user=SALES,
        trigger_id="t",
        number_text="1",
    )
    assert "not committed" in told[0] and "Revise order" in told[0]


def test_the_order_edit_command_opens_the_change_form_or_explains_privately(bot):  # noqa: ANN001
    committed_order(bot)
    assert bot.slack.command(SALES, "edit CO-0001").status == 200
    assert bot.slack.last_view()["callback_id"] == "after.change.form"
    assert bot.slack.command(SALES, "edit CO-0999").status == 200
    told = bot.standin.responses()[-1].args
    assert told["response_type"] == "ephemeral" and "can't find an order `CO-0999`" in told["text"]
