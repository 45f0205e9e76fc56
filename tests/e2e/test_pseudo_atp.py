"""No English leaks in the catalogue's form, its errors and the plan's reasoning (issue 12)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.ids import Action
from bot.orders.blocks import APPROVE_PROMISE, REJECT_PROMISE
from bot.orders.modals import PRODUCT_CODE
from bot.sweep import run_due
from tests.conftest import MANAGER, SALES, make_config
from tests.e2e.test_order_catalogue import PRODUCTS, new_order, open_form
from tests.e2e.test_order_plan import approve_plans, commit, confirm
from tests.e2e.test_promise_approval import MANAGER_B, REASON, approval, over_plan, request_id
from tests.e2e.test_pseudo_orders import keyed, press
from tests.helpers import ORDER_DEFAULTS, inline_errors, mrkdwn_texts
from tests.leaks import leaks, pseudo, texts_of, unmarked_words  # noqa: F401
from workflows.config import Config
from workflows.inputs import NOT_IN_CATALOGUE

DATA = [
    *(ORDER_DEFAULTS[k] for k in ("customer", "product", "specification")),
    *(p[k] for p in PRODUCTS for k in ("code", "name", "unit")),
    "MTR-7",
    "pcs",
    "Blue gearbox",
    "GONE-1",
]


@pytest.fixture
def config() -> Config:
    return make_config(products=PRODUCTS)


def test_the_catalogue_form_and_its_errors_speak_only_catalog_words(bot, pseudo) -> None:  # noqa: ANN001, F811
    view = open_form(bot)
    assert [(t, w) for t in texts_of(view) if (w := unmarked_words(t, DATA))] == []
    errors = inline_errors(new_order(bot, "GBX-100", "Blue gearbox"))
    assert errors["product"].startswith("⟦"), errors
    errors = inline_errors(new_order(bot, "GONE-1"))
    assert errors[PRODUCT_CODE].startswith("⟦"), errors
    errors = inline_errors(new_order(bot, NOT_IN_CATALOGUE, ""))
    assert errors["product"].startswith("⟦"), errors
    assert new_order(bot, NOT_IN_CATALOGUE, "Blue gearbox").status == 200
    assert leaks(bot, DATA) == []


class TestThePlansReasoning:
    @pytest.fixture
    def config(self) -> Config:
        return make_config()

    def test_the_commit_prompt_and_form_speak_only_catalog_words(self, bot, pseudo) -> None:  # noqa: ANN001, F811
        approve_plans(bot, ("2026-12", 900), ("2027-01", 900))
        confirm(bot, 1, quantity="800")
        commit(bot, 1, "2026-12-20")
        prompt = confirm(bot, 2, quantity="250", customer="Globex")
        assert any(t.startswith("⟦:bar_chart:") for t in mrkdwn_texts(prompt)), mrkdwn_texts(prompt)
        assert press(bot, SALES, prompt, Action.COMMIT).status == 200
        form = bot.slack.last_view()
        assert [(t, w) for t in texts_of(form) if (w := unmarked_words(t, [*DATA, "Globex"]))] == []
        assert leaks(bot, [*DATA, "Globex"]) == []


class TestAPromiseForAManager:
    @pytest.fixture
    def config(self) -> Config:
        teams = {"sales": [SALES], "production": ["S02"], "supply": ["U03"], "managers": [MANAGER, MANAGER_B]}
        return make_config(teams=teams)

    def test_the_override_the_approval_and_the_rejection_speak_only_catalog_words(self, bot, pseudo) -> None:  # noqa: ANN001, F811
        data = [*DATA, "Globex", REASON, "Line 2 is full in December", "managers"]  # the config key
        form = over_plan(bot)
        errors = inline_errors(bot.slack.submit(SALES, form, {"committed_date": "2026-12-20", "notes": ""}))
        assert errors["committed_date"].startswith("⟦"), errors
        reply = bot.slack.submit(
            SALES, form, {"committed_date": "2026-12-20", "notes": "", "override_reason": REASON}
        )
        assert reply.status == 200
        run_due(bot.svc, bot.clock.now + timedelta(hours=20))  # the managers' reminders (thread and DMs)
        run_due(bot.svc, bot.clock.now + timedelta(hours=24, minutes=1))  # and the escalation
        press(bot, SALES, approval(bot), APPROVE_PROMISE)  # refused: not a manager
        assert press(bot, MANAGER, approval(bot), REJECT_PROMISE).status == 200
        assert (
            bot.slack.submit(MANAGER, bot.slack.last_view(), {"reason": "Line 2 is full in December"}).status
            == 200
        )
        value = str(request_id(bot))
        bot.slack.click(MANAGER_B, REJECT_PROMISE, value, message=approval(bot))  # refused: decided already
        assert press(bot, SALES, keyed(bot, "order:2:r1:commit"), Action.COMMIT).status == 200
        again = {"committed_date": "2026-12-21", "notes": "", "override_reason": REASON}
        form = bot.slack.last_view()
        assert inline_errors(bot.slack.submit(SALES, form, again))["committed_date"].startswith("⟦")
        refusals = [r.args["text"] for r in bot.standin.responses()]
        assert len(refusals) == 2 and all(t.startswith(":no_entry_sign: ⟦") for t in refusals), refusals
        clock = [
            c.args
            for c in bot.standin.calls_to("chat.postMessage")
            if str((c.args.get("metadata") or {}).get("event_payload", {}).get("key", "")).startswith("dm:")
        ]
        assert [(t, w) for t in texts_of(clock) if (w := unmarked_words(t, data))] == []
        assert leaks(bot, data) == []
