"""The /stock pages for 200 items: accepted by the Slack stand-in (its Block Kit checks are
Slack's), in English and Chinese; the wording of flags and coverage. How fast they are built is
measured by `python -m benchmarks --only stock_pages`, not here."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from slack_sdk import WebClient

from bot.sandbox.standin import SlackStandin
from bot.stock import blocks
from bot.stock.modals import MAX_FORM_ITEMS, counts_modal
from bot.text import language
from workflows.inventory import Coverage, Health
from workflows.stock_inputs import Item
from workflows.stock_report import Overview

TODAY = date(2026, 11, 25)


def overview(count: int) -> Overview:
    health = []
    for n in range(count):
        kind = "product" if n % 4 == 0 else "material"
        item = Item(
            f"ITEM-{n:03d}", f"A rather long material name number {n}", "kg", kind, 1500, {"GBX-100": 2.5}
        )
        flags = ("below_safety", "stale", "excess")[: n % 4]
        cover = None if n % 5 == 0 else 12.0 + n
        on_hand = None if n % 7 == 0 else 1_234_567.25
        counted = None if on_hand is None else TODAY - timedelta(days=n % 10)
        health.append(
            Health(item, on_hand, counted, 3.5, cover, flags if on_hand is not None else ("stale",))
        )
    coverage = [Coverage(f"ITEM-{n:03d}", "GBX-100", 820, 1000, 180) for n in range(1, count, 4)]
    return Overview(TODAY, "2026-11", health, coverage, True)


@pytest.fixture(scope="module")
def slack():  # noqa: ANN201
    with SlackStandin(token="xoxb-unit") as standin:
        yield standin, WebClient(token="xoxb-unit", base_url=standin.url)


@pytest.mark.parametrize("code", ["en", "zh_CN"])
def test_200_items_page_inside_block_kit(slack, code: str) -> None:  # noqa: ANN001
    standin, client = slack
    data = overview(200)
    with language(code):
        replies = [blocks.overview_reply(data, page) for page in range(blocks.pages(data))]
    assert len(replies) == 5
    shown = set()
    for reply in replies:
        assert len(reply["blocks"]) <= 50
        client.chat_postMessage(channel="C1", **reply)  # the stand-in refuses what Slack would
        shown |= {f"ITEM-{n:03d}" for n in range(200) if f"*ITEM-{n:03d}*" in str(reply["blocks"])}
    standin.assert_all_valid()
    assert len(shown) == 200  # every item on some page


def test_the_pages_walk_forward_and_back() -> None:
    data = overview(90)
    first, last = blocks.overview_reply(data, 0), blocks.overview_reply(data, 99)

    def ids(reply: dict) -> list[str]:
        return [e["action_id"] for b in reply["blocks"] for e in b.get("elements", []) if "action_id" in e]

    assert ids(first)[-1] == "stock.page.next" and "stock.page.previous" not in ids(first)
    assert ids(last)[-1] == "stock.page.previous" and "Page 3 of 3." in str(last["blocks"])


def test_an_item_line_says_each_flag() -> None:
    item = Item("ALLOY-A", "Alloy A", "kg", "material", 1500, {"GBX-100": 2.5})
    line = blocks.item_line(Health(item, 1000.0, TODAY, 10.0, 100.0, ("below_safety", "stale", "excess")))
    assert line == (
        ":red_circle: *ALLOY-A* Alloy A: 1,000 kg on hand (counted Wed 25 Nov 2026). Safety stock 1,500. "
        "100 days of cover. *Below safety stock.* No count in the last 7 days. Over 90 days of cover."
    )
    target = blocks.coverage_line(Coverage("ALLOY-A", "GBX-100", 820, 1000, 180), {"ALLOY-A": "Alloy A"})
    assert target == ":warning: *ALLOY-A* Alloy A covers 820 of 1,000 GBX-100 (the plan's material target)."


def test_the_counts_form_fits_a_modal_with_many_items(slack) -> None:  # noqa: ANN001
    standin, client = slack
    items = [Item(f"M-{n}", f"Material {n}", "kg", "material") for n in range(150)]
    with language("zh_CN"):
        view = counts_modal(items, {"M-1": 2.5}, TODAY)
    inputs = [b for b in view["blocks"] if b["type"] == "input" and b["block_id"].startswith("item:")]
    assert len(inputs) == MAX_FORM_ITEMS and len(view["blocks"]) <= 100
    assert inputs[1]["element"]["initial_value"] == "2.5"
    client.views_open(trigger_id="t", view=view)
    standin.assert_all_valid()
