"""`/stock` for 200 items: every page built in under 200 ms, in English and in Chinese.

The pages are built from the same synthetic overview the unit test checks against Block Kit's
limits (tests/unit/test_stock_blocks.py): 200 items with every flag and a coverage line for a
quarter of them. Timed: all pages of one reply, worst of `repeats` builds (the first is cold).
"""

from __future__ import annotations

import time

from benchmarks.common import Outcome, ms
from bot.stock import blocks
from bot.text import language
from tests.unit.test_stock_blocks import overview

BAR = 0.2


def run(items: int = 200, repeats: int = 20) -> Outcome:
    out = Outcome("/stock pages")
    data = overview(items)
    for code in ("en", "zh_CN"):
        spent = []
        with language(code):
            for _ in range(repeats):
                started = time.perf_counter()
                replies = [blocks.overview_reply(data, page) for page in range(blocks.pages(data))]
                spent.append(time.perf_counter() - started)
        worst = max(spent)
        out.figures[code] = {"pages": len(replies), "worst_s": worst, "best_s": min(spent)}
        out.lines.append(
            f"{items} items, {code}: {len(replies)} pages, worst {ms(worst)}, best {ms(min(spent))}"
        )
        out.bar(f"/stock for {items} items built in < 200 ms ({code})", worst < BAR, ms(worst))
    return out
