"""The data assembly behind the stock figures of the digest, `/kpi` and the agenda, with figures
worked out by hand: what each team's digest lists, in which order and how many; when there is no
stock record at all; the month the agenda compares; turnover of a month and the month before."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.kpi.blocks import turnover_sections
from bot.review.blocks import actual_line
from storage import stock_repo
from storage.db import session_scope
from tests.conftest import make_config
from workflows import digest, inventory, kpi, review
from workflows.inventory import NotEnoughCounts, PlanActual, Turnover
from workflows.stock_inputs import CountRow, Item
from workflows.stock_report import Overview

TODAY = date(2026, 11, 25)
NOW = datetime(2026, 11, 25, 1, 0, tzinfo=UTC)
ALLOY = Item("ALLOY-A", "Alloy A", "kg", "material", 2500, {"GBX-100": 2.5})
STEEL = Item("STEEL-B", "Steel B", "kg", "material", 100, {"GBX-100": 1})
GEARBOX = Item("GBX-100", "GBX-100", None, "product", 300)
MOTOR = Item("MTR-7", "MTR-7", None, "product")


def health(item: Item, counts: dict, produced: int = 0, shipped: int = 0) -> inventory.Health:
    """`produced` and `shipped`: units a day of GBX-100 over the last 30 days."""
    days = [date(2026, 10, 27 + n) if n < 5 else date(2026, 11, n - 4) for n in range(30)]
    return inventory.health(
        item,
        counts,
        {"GBX-100": dict.fromkeys(days, shipped)},
        {"GBX-100": dict.fromkeys(days, produced)},
        TODAY,
    )


def overview() -> Overview:
    alloy = health(ALLOY, {date(2026, 11, 24): (2050, None)}, produced=20)  # 50 kg a day: 41 days
    steel = health(STEEL, {date(2026, 11, 24): (60, None)}, produced=20)  # 20 kg a day: 3 days
    gearbox = health(GEARBOX, {date(2026, 11, 15): (200, None)}, shipped=40)  # 5 days, stale
    motor = health(MOTOR, {})  # never counted
    coverage = [
        *inventory.coverage(ALLOY, 2050, [{"product": "GBX-100", "material_target": 1000}]),  # 820: 180 short
        *inventory.coverage(STEEL, 60, [{"product": "GBX-100", "material_target": 1000}]),  # 60: 940 short
    ]
    return Overview(TODAY, "2026-11", [gearbox, motor, alloy, steel], coverage, True)


def test_the_channel_digest_lists_every_flagged_item_most_urgent_first() -> None:
    stock = digest.stock_part(overview(), None, limit=5)
    lists = {part.key: part for part in stock.lists}
    # below safety, the least cover first: steel 60 kg ÷ 20 kg a day = 3 days, the gearbox 200 (under
    # its 300) ÷ 40 shipped a day = 5 days, the alloy 2,050 kg ÷ 50 kg a day = 41 days
    below = [h.item.code for h in lists["below_safety"].items]
    assert below == ["STEEL-B", "GBX-100", "ALLOY-A"]
    assert [h.days_of_cover for h in lists["below_safety"].items] == [3, 5, 41]
    # the largest share of the target missing first: steel 940 of 1,000, then the alloy 180
    assert [(c.material, c.covers, c.short) for c in lists["short_of_target"].items] == [
        ("STEEL-B", 60, 940),
        ("ALLOY-A", 820, 180),
    ]
    # never counted first, then the oldest count
    assert [h.item.code for h in lists["stale"].items] == ["MTR-7", "GBX-100"]
    assert stock.total == 3 + 2 + 2 and stock.items["ALLOY-A"].name == "Alloy A"


def test_each_team_gets_only_what_it_looks_after() -> None:
    supply = digest.stock_part(overview(), ("supply",), limit=5)
    assert {
        part.key: [getattr(e, "material", None) or e.item.code for e in part.items] for part in supply.lists
    } == {
        "below_safety": ["STEEL-B", "ALLOY-A"],
        "short_of_target": ["STEEL-B", "ALLOY-A"],
    }
    production = digest.stock_part(overview(), ("production",), limit=5)
    assert {part.key: [h.item.code for h in part.items] for part in production.lists} == {
        "below_safety": ["GBX-100"],
        "stale": ["MTR-7", "GBX-100"],
    }
    assert digest.stock_part(overview(), ("sales",), limit=5) is None


def test_the_lists_are_cut_at_the_limit_and_count_the_rest() -> None:
    stock = digest.stock_part(overview(), None, limit=1)
    assert [(p.key, len(p.items), p.total, p.more) for p in stock.lists] == [
        ("below_safety", 1, 3, 2),
        ("short_of_target", 1, 2, 1),
        ("stale", 1, 2, 1),
    ]
    counted = digest.stock_part(overview(), ("production",), limit=0)  # who gets a digest at all
    assert counted is not None and counted.total == 3


def test_nothing_ever_counted_is_no_stock_section_at_all() -> None:
    never = Overview(TODAY, "2026-11", [health(GEARBOX, {}), health(ALLOY, {})], [], False)
    assert all("stale" in h.flags for h in never.health)
    assert digest.stock_part(never, None, limit=5) is None


def test_the_agenda_compares_the_last_full_month() -> None:
    # the review of 5 Dec plans January 2027: last month is November; of 5 Jan, December
    assert review.last_month("2027-01") == "2026-11"
    assert review.last_month("2027-02") == "2026-12"
    assert actual_line(PlanActual("GBX-100", 900, 900, 870)) == (
        "• GBX-100 · agreed 900 · produced 900 (±0) · shipped 870 (−30)"
    )


def test_turnover_of_the_month_and_the_month_before(engine) -> None:  # noqa: ANN001
    config = make_config()
    with session_scope(engine) as session:
        assert kpi.turnover_pair(session, config, (2026, 11)) == ([], [])  # nothing ever counted
        rows = [CountRow("GBX-100", date(2026, 9, 30), 300), CountRow("GBX-100", date(2026, 10, 31), 500)]
        stock_repo.save_counts(session, rows, source="api", who="api", now=NOW)
    with session_scope(engine) as session:
        november, october = kpi.turnover_pair(session, config, (2026, 11))
    # November: the count before it (500 on 31 Oct), none in it; October: 300 before, 500 in: 400
    assert november[0] == NotEnoughCounts("GBX-100", "2026-11", ("count_in_month",))
    assert (october[0].average_on_hand, october[0].shipped, october[0].days_of_inventory) == (400, 0, None)
    assert november[1] == NotEnoughCounts("MTR-7", "2026-11", ("count_before", "count_in_month"))


def test_forty_lines_of_turnover_stay_inside_a_sections_3000_characters() -> None:
    figures = [Turnover(f"LINE-{i:02d}", "2026-11", 1200, 400, 3, 10, 3, 3, 20000) for i in range(40)]
    sections = turnover_sections(figures, figures, "October 2026")
    assert len(sections) == 4 and all(len(s["text"]["text"]) < 3000 for s in sections)
    assert sum(s["text"]["text"].count("Inventory turnover · LINE-") for s in sections) == 40
