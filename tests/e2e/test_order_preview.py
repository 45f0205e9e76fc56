"""Issue 12 §2 and §1: the new-order form says what the plan has left for the product's line in
the requested month before anything is saved (dispatch_action → ack → views.update with the
view's hash, the input ids unchanged so Slack keeps what was typed), the revision form opens with
it, the answers in the thread repeat it with the current figures; a catalogue longer than a
static select allows gets a type-ahead whose options the bot filters by code and name."""

from __future__ import annotations

import pytest

from bot.ids import Action
from bot.orders.modals import AVAILABILITY, MIN_QUERY_LENGTH, PRODUCT_CODE, PRODUCT_SEARCH
from bot.sandbox import rules
from tests.conftest import SALES, make_config
from tests.e2e.test_order_plan import approve_plans, commit, confirm
from tests.e2e.test_pseudo_orders import keyed, press
from tests.helpers import ORDER_DEFAULTS, get_order, mrkdwn_texts
from workflows.config import Config
from workflows.inputs import NOT_IN_CATALOGUE

PRODUCTS = [
    {"code": "GBX-100", "name": "Gearbox 100", "unit": "台"},
    {"code": "GBX-100-HD", "name": "Gearbox 100 heavy duty", "unit": "台", "line": "GBX-100"},
    {"code": "SPARE-KIT", "name": "Spare kit", "unit": "套"},
]


@pytest.fixture
def config() -> Config:
    return make_config(products=PRODUCTS)


def open_form(bot) -> dict:  # noqa: ANN001
    assert bot.slack.command(SALES, "new").status == 200
    return bot.slack.last_view()


def shown(view: dict) -> str | None:
    found = [b for b in view["blocks"] if b.get("block_id") == AVAILABILITY]
    return found[0]["elements"][0]["text"] if found else None


def change(bot, view: dict, block_id: str, **values: object) -> dict:  # noqa: ANN001
    """Change one input; returns the view the bot sent with views.update (asserts there is one)."""
    before = len(bot.standin.calls_to("views.update"))
    reply = bot.slack.change(SALES, view, block_id, values)
    assert reply.status == 200 and not reply.body.strip(b"{}"), reply.body  # a bare ack first
    updates = bot.standin.calls_to("views.update")[before:]
    assert len(updates) == 1, "the bot did not update the form"
    call = updates[0]
    assert call.response.get("ok"), call.response
    assert call.args["view_id"] == view["id"] and call.args["hash"] == view["hash"]
    return call.response["view"]


def test_picking_a_product_and_a_date_shows_what_the_month_has_left(bot) -> None:  # noqa: ANN001
    approve_plans(bot, ("2026-12", 900), ("2027-01", 900))
    confirm(bot, 1, quantity="800")
    commit(bot, 1, "2026-12-20")
    view = open_form(bot)
    assert shown(view) is None  # nothing picked yet: nothing to say
    ids = {b.get("block_id"): b for b in view["blocks"]}
    assert ids[PRODUCT_CODE]["dispatch_action"] is True and ids["requested_date"]["dispatch_action"] is True

    typed = {"customer": "Globex", "quantity": "250", PRODUCT_CODE: "GBX-100-HD", "requested_date": None}
    updated = change(bot, view, PRODUCT_CODE, **typed)
    assert shown(updated) is None  # no date yet
    typed["requested_date"] = "2026-12-20"
    updated = change(bot, updated, "requested_date", **typed)
    assert (
        shown(updated) == "Available for GBX-100 in December 2026: 100 of 900 agreed."
    )  # the variant's line
    typed["requested_date"] = "2027-01-10"
    updated = change(bot, updated, "requested_date", **typed)
    assert shown(updated) == "Available for GBX-100 in January 2027: 900 of 900 agreed."
    typed["requested_date"] = "2027-02-10"
    updated = change(bot, updated, "requested_date", **typed)
    assert shown(updated) == "No approved plan for GBX-100 in February 2027: the plan does not limit it."
    # Slack keeps typed values only when every input keeps its block_id and action_id
    before = [(b.get("block_id"), b.get("element", {}).get("action_id")) for b in view["blocks"]]
    after = [(b.get("block_id"), b.get("element", {}).get("action_id")) for b in updated["blocks"]]
    assert [i for i in after if i[0] != AVAILABILITY] == before
    assert updated["callback_id"] == view["callback_id"]
    assert updated["private_metadata"] == view["private_metadata"]

    # a product outside the catalogue, or on no line: nothing
    for picked in (NOT_IN_CATALOGUE, "SPARE-KIT"):
        typed[PRODUCT_CODE] = picked
        assert shown(change(bot, updated, PRODUCT_CODE, **typed)) is None
    bot.standin.assert_all_valid()


def test_the_form_still_registers_after_the_updates(bot) -> None:  # noqa: ANN001
    approve_plans(bot, ("2026-12", 900))
    view = open_form(bot)
    values = {**ORDER_DEFAULTS, "product": None, PRODUCT_CODE: "GBX-100"}
    updated = change(bot, view, "requested_date", **values)
    assert shown(updated) == "Available for GBX-100 in December 2026: 900 of 900 agreed."
    from tests.e2e.test_order_catalogue import submit

    assert submit(bot, {**updated, "id": view["id"]}, values).status == 200
    assert get_order(bot).product_code == "GBX-100"


def test_the_revision_form_opens_with_the_months_figures(bot) -> None:  # noqa: ANN001
    approve_plans(bot, ("2026-12", 900))
    from tests.e2e.test_order_catalogue import new_order
    from tests.helpers import decline_by_production

    assert new_order(bot, "GBX-100").status == 200
    decline_by_production(bot)
    assert press(bot, SALES, keyed(bot, "order:1:r1:declined"), Action.REVISE).status == 200
    view = bot.slack.last_view()
    assert view["callback_id"] == "order.revise"
    # the order itself is left out: it is not committed, and a revision is not counted twice
    assert shown(view) == "Available for GBX-100 in December 2026: 900 of 900 agreed."


def test_the_answers_repeat_the_months_figures(bot) -> None:  # noqa: ANN001
    approve_plans(bot, ("2026-12", 900))
    confirm(bot, 1, quantity="800")
    commit(bot, 1, "2026-12-20")
    confirm(bot, 2, quantity="50", customer="Globex")
    echoes = [
        m
        for m in bot.standin.messages()
        if (m.metadata or {}).get("event_payload", {}).get("key", "").startswith("order:2:")
        and "answered" in m.text
    ]
    assert len(echoes) == 2
    for echo in echoes:
        assert "Available for GBX-100 in December 2026: 100 of 900 agreed." in mrkdwn_texts(echo)


class TestALongCatalogue:
    @pytest.fixture
    def config(self) -> Config:
        many = [{"code": f"P-{i:03d}", "name": f"Part {i}", "unit": "pcs"} for i in range(150)]
        many.append({"code": "GBX-100-HD", "name": "Gearbox heavy duty", "unit": "台", "line": "GBX-100"})
        return make_config(products=many)

    def test_a_type_ahead_finds_products_by_code_and_name(self, bot) -> None:  # noqa: ANN001
        view = open_form(bot)
        search = next(b for b in view["blocks"] if b.get("block_id") == PRODUCT_SEARCH)
        assert search["element"]["type"] == "external_select"
        assert search["element"]["min_query_length"] == MIN_QUERY_LENGTH
        assert search["dispatch_action"] is True

        options = bot.slack.suggest(SALES, view, PRODUCT_SEARCH, "p-01")
        values = [o["value"] for o in options]
        assert values == [f"P-{i:03d}" for i in range(10, 20)] + [NOT_IN_CATALOGUE]
        assert options[0]["text"]["text"] == "P-010 · Part 10 (pcs)"
        by_name = [o["value"] for o in bot.slack.suggest(SALES, view, PRODUCT_SEARCH, "heavy")]
        assert by_name == ["GBX-100-HD", NOT_IN_CATALOGUE]
        # "p" matches all 150 parts: the answer stays within Slack's 100 options
        assert len(bot.slack.suggest(SALES, view, PRODUCT_SEARCH, "P")) == 100

    def test_picking_from_the_type_ahead_shows_the_plan_and_registers(self, bot) -> None:  # noqa: ANN001
        approve_plans(bot, ("2026-12", 900))
        view = open_form(bot)
        values = {**ORDER_DEFAULTS, "product": None, PRODUCT_SEARCH: "GBX-100-HD"}
        updated = change(bot, view, PRODUCT_SEARCH, **values)
        assert shown(updated) == "Available for GBX-100 in December 2026: 900 of 900 agreed."
        state = {
            PRODUCT_SEARCH: {
                "value": {"type": "external_select", "selected_option": {"value": "GBX-100-HD"}}
            },
        }
        for block in updated["blocks"]:
            bid = block.get("block_id")
            if block.get("type") == "input" and bid != PRODUCT_SEARCH:
                kind = block["element"]["type"]
                key = "selected_date" if kind == "datepicker" else "value"
                state[bid] = {"value": {"type": kind, key: values.get(bid)}}
        reply = bot.slack.interactive(
            {
                "type": "view_submission",
                "team": {"id": "T0001", "domain": "acme"},
                "user": {"id": SALES, "username": "u01", "team_id": "T0001"},
                "api_app_id": "A0001",
                "trigger_id": bot.slack.next_trigger(),
                "view": {**updated, "id": view["id"], "state": {"values": state}},
            }
        )
        assert reply.status == 200 and b"errors" not in reply.body, reply.body
        order = get_order(bot)
        assert (order.product_code, order.line) == ("GBX-100-HD", "GBX-100")


def test_the_options_rules_refuse_what_slack_refuses() -> None:
    good = {"options": [{"text": {"type": "plain_text", "text": "P-001"}, "value": "P-001"}]}
    rules.check_options_response(good)
    with pytest.raises(ValueError, match="100 options"):
        rules.check_options_response({"options": good["options"] * 101})
    with pytest.raises(ValueError, match="75"):
        rules.check_options_response(
            {"options": [{"text": {"type": "plain_text", "text": "x" * 76}, "value": "v"}]}
        )
    with pytest.raises(ValueError, match="150"):
        rules.check_options_response(
            {"options": [{"text": {"type": "plain_text", "text": "x"}, "value": "v" * 151}]}
        )
    with pytest.raises(ValueError, match="options"):
        rules.check_options_response({})


class TestCoreProductsOnly:
    """Without `[[products]]` the product stays free text; a core product's code typed there still
    finds its line, so picking the date shows what the plan has left (the seed's own set-up)."""

    @pytest.fixture
    def config(self) -> Config:
        return make_config()  # review.core_products only

    def test_a_typed_core_code_and_a_date_show_what_the_month_has_left(self, bot) -> None:  # noqa: ANN001
        approve_plans(bot, ("2026-12", 900))
        confirm(bot, 1, quantity="800")
        commit(bot, 1, "2026-12-20")
        view = open_form(bot)
        ids = {b.get("block_id"): b for b in view["blocks"]}
        assert PRODUCT_CODE not in ids and ids["requested_date"]["dispatch_action"] is True
        typed = {
            "customer": "Globex",
            "product": "gbx-100 ",
            "quantity": "250",
            "requested_date": "2026-12-20",
        }
        updated = change(bot, view, "requested_date", **typed)
        assert shown(updated) == "Available for GBX-100 in December 2026: 100 of 900 agreed."  # 900 − 800
