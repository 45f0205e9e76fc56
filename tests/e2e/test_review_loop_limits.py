"""The review's notes and follow-ups with many products and long notes stay inside Block Kit limits,
and nothing is dropped: cut notes keep a way to the full submission, follow-ups that do not fit
the approval form are still created."""

from __future__ import annotations

import pytest

from bot.sandbox.standin import MAX_MESSAGE_BLOCKS, _check_blocks
from storage import review_repo
from tests.conftest import MANAGER, PRODUCTION_A, SALES, SUPPLY, make_config
from tests.e2e.test_review import REVIEW, agenda, errors, everyone_attends, post_agenda, submit, text_of

MONTH = "2027-01"


@pytest.fixture
def config(request):  # noqa: ANN001, ANN201
    count = getattr(request, "param", 40)
    return make_config(review={"core_products": [f"PRODUCT-{i:02d}" for i in range(count)]})


@pytest.mark.parametrize("config", [40], indirect=True)
def test_forty_products_form_and_messages_within_limits(bot) -> None:  # noqa: ANN001
    count = 40
    values = {
        SALES: {f"p{i}.forecast": str(1000 + i) for i in range(count)},
        PRODUCTION_A: {
            **{f"p{i}.achievable": "900" for i in range(count)},
            **{f"p{i}.max_capacity": "1200" for i in range(count)},
        },
        SUPPLY: {
            **{f"p{i}.securable": "" for i in range(count)},
            **{f"p{i}.lead_time_days": "12" for i in range(count)},
        },
    }
    for user, numbers in values.items():
        assert errors(submit(bot, user, numbers)) == {}
    post_agenda(bot)
    message = agenda(bot)
    _check_blocks(message.blocks, MAX_MESSAGE_BLOCKS)
    text = text_of(message.blocks)
    assert "*What the departments wrote*" in text
    assert "Production: full submission" in str(message.blocks)  # the way to every note, always
    everyone_attends(bot)
    assert bot.slack.press(MANAGER, agenda(bot), "Adjust plan").status == 200
    view = bot.slack.last_view()  # the stand-in refused it if it broke a limit (100 blocks, metadata)
    assert len(view["blocks"]) <= 100
    assert "do not fit this form; they are created as proposed." in text_of(view["blocks"])
    kept = {}
    for block in view["blocks"]:
        if block["type"] == "input":
            element = block["element"]
            kept[block["block_id"]] = (
                element.get("initial_value") or element.get("initial_user") or element.get("initial_date")
            )
    assert errors(bot.slack.submit(MANAGER, view, kept)) == {}
    with bot.svc.session() as session:
        made = review_repo.followups(session, MONTH)
    assert len(made) == count * 3  # a shortfall, a material and a capacity target per product
    minutes = bot.standin.thread(REVIEW, agenda(bot).ts)[0]
    _check_blocks(minutes.blocks, MAX_MESSAGE_BLOCKS)


@pytest.mark.parametrize("config", [8], indirect=True)
def test_eight_products_with_the_longest_notes_keep_every_product_within_limits(bot) -> None:  # noqa: ANN001
    count, note = 8, "N" * 299 + "!"
    values = {
        SALES: {
            **{f"p{i}.forecast": "1000" for i in range(count)},
            **{f"p{i}.customers": note for i in range(count)},
        },
        PRODUCTION_A: {
            **{f"p{i}.achievable": "900" for i in range(count)},
            **{f"p{i}.max_capacity": "1200" for i in range(count)},
            **{f"p{i}.note": note for i in range(count)},
        },
        SUPPLY: {
            **{f"p{i}.securable": "" for i in range(count)},
            **{f"p{i}.key_material": note for i in range(count)},
            **{f"p{i}.risk": note for i in range(count)},
        },
    }
    for user, numbers in values.items():
        assert errors(submit(bot, user, numbers)) == {}
    post_agenda(bot)
    message = agenda(bot)
    _check_blocks(message.blocks, MAX_MESSAGE_BLOCKS)
    text = text_of(message.blocks)
    assert all(f"*PRODUCT-{i:02d}*\n    Sales: key customers: " in text for i in range(count))
    assert "!" not in text.split("*What the departments wrote*")[1].split("Custom orders")[0]  # all cut
    assert "Notes longer than 150 characters are cut" in text
