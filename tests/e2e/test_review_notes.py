"""The review's agenda and minutes show what each department wrote per product (long notes cut, the
full submission one click away), and an agreed quantity above capacity or materials needs a reason."""

from __future__ import annotations

from bot.sandbox.standin import MAX_MESSAGE_BLOCKS, _check_blocks
from storage import review_repo
from tests.conftest import MANAGER, OUTSIDER, PRODUCTION_A, SALES, SUPPLY
from tests.e2e.test_review import (
    MONTH,
    NUMBERS,
    REVIEW,
    agenda,
    errors,
    everyone_attends,
    last_ephemeral,
    post_agenda,
    submit,
    text_of,
)

LONG = "Line 2 stops for a gearbox overhaul from the 10th to the 20th; " * 4 + "THE END <!here>"


def submit_all(bot, **changes) -> None:  # noqa: ANN001, ANN003
    for user in (SALES, PRODUCTION_A, SUPPLY):
        values = {**NUMBERS[user], **changes.get(user, {})}
        assert errors(submit(bot, user, values)) == {}


def test_the_agenda_shows_each_departments_notes_per_product(bot):  # noqa: ANN001
    submit_all(bot, **{SUPPLY: {"p0.risk": "Port strike"}})
    post_agenda(bot)
    text = text_of(agenda(bot).blocks)
    assert "*What the departments wrote*" in text
    assert "    Sales: key customers: ACME &lt;!channel&gt; wants 400 early" in text
    assert (
        "    Production: maintenance and capacity: Maintenance in the second half; maximum capacity 1,200"
        in text
    )
    assert "    Supply: key material: Material A; key material lead time 10 days; risk: Port strike" in text
    assert "*MTR-7*\n    Production: maximum capacity 700" in text
    assert "are cut" not in text  # nothing was long
    labels = [e["text"]["text"] for b in agenda(bot).blocks for e in b.get("elements", []) if e.get("value")]
    buttons = [label for label in labels if "full submission" in label]
    assert buttons == ["Sales: full submission", "Production: full submission", "Supply: full submission"]


def test_a_long_note_is_cut_before_escaping_and_the_full_submission_opens_uncut(bot):  # noqa: ANN001
    submit_all(bot, **{PRODUCTION_A: {"p0.note": LONG}})
    post_agenda(bot)
    message = agenda(bot)
    text = text_of(message.blocks)
    assert LONG[:100] in text and "THE END" not in text and "…" in text
    assert "Notes longer than 150 characters are cut: the buttons below open each full submission." in text
    _check_blocks(message.blocks, MAX_MESSAGE_BLOCKS)
    assert bot.slack.press(SUPPLY, message, "Production: full submission").status == 200
    view = bot.standin.calls_to("views.open")[-1].args["view"]
    shown = text_of(view["blocks"])
    assert "THE END &lt;!here&gt;" in shown and "<!here>" not in shown  # whole, and escaped
    assert "maximum capacity: 1,200" in shown and "*MTR-7*" in shown


def test_only_readers_open_a_full_submission(bot):  # noqa: ANN001
    submit_all(bot)
    post_agenda(bot)
    opened = len(bot.standin.calls_to("views.open"))
    bot.slack.press(OUTSIDER, agenda(bot), "Sales: full submission")
    assert len(bot.standin.calls_to("views.open")) == opened
    assert "no_entry_sign" in last_ephemeral(bot)


def test_the_minutes_show_the_notes_too(bot):  # noqa: ANN001
    submit_all(bot, **{SALES: {"p0.customers": LONG}})
    post_agenda(bot)
    everyone_attends(bot)
    assert bot.slack.press(MANAGER, agenda(bot), "Approve plan").status == 200
    minutes = bot.standin.thread(REVIEW, agenda(bot).ts)[0]
    text = text_of(minutes.blocks)
    assert "    Sales: key customers: " + LONG[:100] in text and "THE END" not in text
    assert "Sales: full submission" in str(minutes.blocks)
    _check_blocks(minutes.blocks, MAX_MESSAGE_BLOCKS)


def adjust(bot, values: dict):  # noqa: ANN001, ANN201
    bot.slack.press(MANAGER, agenda(bot), "Adjust plan")
    view = bot.slack.last_view()
    return bot.slack.submit(MANAGER, view, values)


def test_agreeing_above_capacity_needs_a_reason_and_is_flagged(bot):  # noqa: ANN001
    submit_all(bot)
    post_agenda(bot)
    everyone_attends(bot)
    # GBX-100: production can make 900; MTR-7: supply can secure 450
    reply = adjust(bot, {"p0.agreed": "950", "p1.agreed": "500"})
    found = errors(reply)
    assert set(found) == {"note"}
    assert (
        "GBX-100 is above capacity by 50" in found["note"]
        and "MTR-7 is above materials by 50" in found["note"]
    )
    with bot.svc.session() as session:
        assert review_repo.plan(session, MONTH) is None  # nothing saved
    view = bot.slack.last_view()
    reply = bot.slack.submit(MANAGER, view, {"p0.agreed": "950", "p1.agreed": "500", "note": "  "})
    assert "needs a reason" in errors(reply)["note"]
    reply = bot.slack.submit(
        MANAGER, view, {"p0.agreed": "950", "p1.agreed": "500", "note": "Overtime on Saturdays agreed"}
    )
    assert errors(reply) == {}
    with bot.svc.session() as session:
        plan = review_repo.plan(session, MONTH)
    assert [(r["above_capacity"], r["above_materials"]) for r in plan.rows] == [(50, None), (None, 50)]
    minutes = text_of(bot.standin.thread(REVIEW, agenda(bot).ts)[0].blocks)
    assert ":warning: above capacity by 50" in minutes and ":warning: above materials by 50" in minutes
    assert "Overtime on Saturdays agreed" in minutes
    top = text_of(agenda(bot).blocks)
    assert ":warning: above capacity by 50" in top and ":warning: above materials by 50" in top


def test_agreeing_within_the_limits_needs_no_reason(bot):  # noqa: ANN001
    submit_all(bot)
    post_agenda(bot)
    everyone_attends(bot)
    assert errors(adjust(bot, {"p0.agreed": "900", "p1.agreed": "400"})) == {}
    top = text_of(agenda(bot).blocks)
    assert "above capacity" not in top and "above materials" not in top
