"""No English leaks in /stock: under the pseudo-locale every word of the stock's pages, its help
and import how-to, the forms, their inline errors, the saved DMs, a spreadsheet's preview (good
and bad rows), the import's answer, the template's answer and the refusals comes from a catalog."""

from __future__ import annotations

import pytest

from bot.stock.ids import Stock
from tests.conftest import OUTSIDER, PRODUCTION_A, SALES, SUPPLY, make_config
from tests.e2e.stock_flows import MATERIALS, TODAY, csv, preview, record, seed_counts, stock, upload, xlsx
from tests.leaks import leaks, pseudo  # noqa: F401  (the fixture)

DATA = [
    "ALLOY-A",
    "Alloy A",
    "GBX-100",
    "MTR-7",
    "kg",
    "NOPE-1",
    "many",
    "counts.xlsx",
    "bad.csv",
    "photo.png",
]
DATA += ["xlsx", "csv", "MB", "stock", "orderloop.toml"]  # file types, units and commands people type


@pytest.fixture
def config():  # noqa: ANN201
    many = [
        {"code": f"MAT-{n:03d}", "name": f"Material {n}", "unit": "kg", "per_unit": {"GBX-100": 1}}
        for n in range(50)
    ]
    return make_config(materials=MATERIALS + many)


def test_stock_speaks_only_from_the_catalogs(bot, pseudo) -> None:  # noqa: ANN001, F811
    seed_counts(bot, [("ALLOY-A", "2026-11-24", 1000), ("GBX-100", "2026-11-10", 40), ("MAT-001", TODAY, 9)])
    for text in ("", "help", "import", "nonsense"):
        assert stock(bot, SUPPLY, text).status == 200
    bot.slack.click(SUPPLY, f"{Stock.A_PAGE}.next", "1")  # the second page, with Previous
    record(bot, SUPPLY, Stock.A_RECORD_COUNTS, {"ALLOY-A": "-1"})  # an inline error
    record(bot, SUPPLY, Stock.A_RECORD_COUNTS, {"ALLOY-A": "5"}, day="2026-12-30")
    record(bot, SUPPLY, Stock.A_RECORD_COUNTS, {"ALLOY-A": "many"})
    record(bot, SUPPLY, Stock.A_RECORD_COUNTS, {})
    record(bot, SUPPLY, Stock.A_RECORD_COUNTS, {"ALLOY-A": "2050"})
    record(bot, PRODUCTION_A, Stock.A_RECORD_OUTPUT, {"GBX-100": "1.5"})
    record(bot, PRODUCTION_A, Stock.A_RECORD_OUTPUT, {"GBX-100": "10"})
    record(bot, SALES, Stock.A_RECORD_SHIPMENTS, {"MTR-7": "3"})
    bot.slack.click(SALES, Stock.A_RECORD_COUNTS, "counts")  # refused
    bot.slack.click(SUPPLY, Stock.A_RECORD_OUTPUT, "output")
    bot.slack.click(PRODUCTION_A, Stock.A_RECORD_SHIPMENTS, "shipments")
    stock(bot, OUTSIDER)
    stock(bot, SUPPLY, "template")
    upload(bot, SUPPLY, "counts.xlsx", xlsx([["item", "date", "quantity"], ["ALLOY-A", TODAY, 7]]))
    shown = preview(bot, SUPPLY)
    bot.slack.press(SUPPLY, shown, "⟦Import⟧")
    bot.slack.press(SUPPLY, shown, "⟦Import⟧")  # imported already
    upload(bot, SUPPLY, "counts.xlsx", xlsx([["item", "date", "quantity"], ["ALLOY-A", TODAY, 8]]))
    bot.slack.press(SUPPLY, preview(bot, SUPPLY), "⟦Cancel⟧")
    bad = [
        ["item", "date", "quantity", "unit"],
        ["NOPE-1", TODAY, 1, ""],
        ["ALLOY-A", "2027-01-01", "many", "t"],
    ]
    bad += [["GBX-100", TODAY, 1, ""], ["ALLOY-A", "1999-12-31", 1, ""], ["ALLOY-A", "soon", 1, ""]]
    upload(bot, SUPPLY, "bad.csv", csv(bad))
    upload(bot, SUPPLY, "bad.csv", csv([["item", "quantity"], ["ALLOY-A", 1]]))  # no date column
    upload(bot, SUPPLY, "photo.png", b"\x89PNG")
    upload(bot, OUTSIDER, "counts.xlsx", xlsx([["item"]]))
    upload(bot, SALES, "counts.xlsx", xlsx([["item"]]))
    names = [f"MAT-{n:03d}" for n in range(50)] + [f"Material {n}" for n in range(50)]
    found = leaks(bot, DATA + sorted(names, key=len, reverse=True))
    assert found == [], "\n".join(f"{words}: {text[:300]}" for text, words in found[:15])
