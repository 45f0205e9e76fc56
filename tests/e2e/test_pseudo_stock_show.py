"""No English leaks in the stock figures of the digest, `/kpi` and the review agenda: under the
pseudo-locale every word comes from a catalog (the flow of tests/e2e/test_stock_show.py, with more
stale items than the digest lists, and every wording of a turnover figure)."""

from __future__ import annotations

import pytest

from bot.digest.blocks import stock_titles
from bot.kpi.blocks import turnover_value
from bot.review.blocks import actual_line
from bot.sweep import run_due
from bot.text import PSEUDO, language
from tests.conftest import SALES, make_config
from tests.e2e.test_review import post_agenda
from tests.e2e.test_stock_show import DATA, MATERIALS, NOW, recorded, token  # noqa: F401
from tests.leaks import everything_shown, leaks, pseudo, unmarked_words  # noqa: F401
from workflows.inventory import NotEnoughCounts, PlanActual, Turnover

NEVER_COUNTED = [
    {"code": f"BOLT-{i}", "name": f"Bolt {i}", "unit": "pcs", "safety_stock": 10, "per_unit": {"MTR-7": 4}}
    for i in range(7)
]


@pytest.fixture
def config():  # noqa: ANN201
    return make_config(materials=MATERIALS + NEVER_COUNTED)


def test_the_stock_figures_speak_only_catalog_words(bot, pseudo, token) -> None:  # noqa: ANN001, F811
    recorded(bot)
    run_due(bot.svc, NOW)
    for text in ("2026-11", "2026-12", "2026-10"):
        assert bot.slack.command(SALES, text, command="/kpi").status == 200
    post_agenda(bot)
    shown = "\n".join(everything_shown(bot))
    with language(PSEUDO):
        assert [t for t in stock_titles().values() if t not in shown] == []  # every list was shown
    assert "never counted⟧" in shown and "`/stock`" in shown  # 9 stale items: 5 shown, "4 more"
    assert "Production · inventory turnover*⟧" in shown and "Plan against actual" in shown
    data = DATA + [m["code"] for m in NEVER_COUNTED] + [m["name"] for m in NEVER_COUNTED] + ["pcs"]
    assert leaks(bot, data) == []
    assert bot.standin.invalid == []


def test_every_wording_of_a_figure_comes_from_the_catalog() -> None:
    figures = [
        Turnover("GBX-100", "2026-11", 0, 400, 0, None, 3),
        Turnover("GBX-100", "2026-11", 1200, 400, 3, 10, 3, value_turnover=3, average_value=20000),
        NotEnoughCounts("GBX-100", "2026-11", ("count_before", "count_in_month")),
        NotEnoughCounts("GBX-100", "2026-11", ("count_before",)),
        NotEnoughCounts("GBX-100", "2026-11", ("count_in_month",)),
        NotEnoughCounts("GBX-100", "2026-11", ("stock_on_hand",)),
    ]
    rows = [PlanActual("GBX-100", 900, 500, 1200), PlanActual("GBX-100", None, 0, 0)]
    with language(PSEUDO):
        texts = [turnover_value(f) for f in figures] + [actual_line(r) for r in rows]
    assert all(text.startswith("⟦") for text in texts)
    assert [words for text in texts if (words := unmarked_words(text, ["GBX-100"]))] == []
