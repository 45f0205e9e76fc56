"""What the stock displays read (/stock, the digest, Home, /kpi, the agenda), gathered from the
database and computed by workflows/inventory.py's rules. No Slack and no wording here."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlmodel import Session

from storage import review_repo, stock_repo
from workflows import inventory
from workflows.inventory import Coverage, Health, NotEnoughCounts, PlanActual, Turnover
from workflows.materials_config import line_codes


@dataclass(frozen=True)
class Overview:
    today: date
    month: str  # the month whose approved plan the coverage is read against
    health: list[Health]  # every stock item, products first
    coverage: list[Coverage]  # every material × line it is used in
    has_plan: bool

    @property
    def flagged(self) -> list[Health]:
        return [h for h in self.health if h.flags]

    @property
    def short_of_target(self) -> list[Coverage]:
        return [c for c in self.coverage if c.short]


def overview(session: Session, config, today: date) -> Overview:  # noqa: ANN001  (Config)
    items = inventory.stock_items(config)
    counts = stock_repo.counts(session, [i.code for i in items], until=today)
    first, last = inventory.window(today)
    shipped = stock_repo.shipments(session, first, last)
    produced = stock_repo.output(session, first, last)
    month = today.strftime("%Y-%m")
    plan = review_repo.plan(session, month)
    rows = plan.rows if plan is not None else None
    health = [inventory.health(i, counts.get(i.code, {}), shipped, produced, today) for i in items]
    coverage = [
        line
        for h in health
        if h.item.kind == "material" and h.on_hand is not None
        for line in inventory.coverage(h.item, h.on_hand, rows)
    ]
    return Overview(today, month, health, coverage, plan is not None)


def turnover(session: Session, config, month: str) -> list[Turnover | NotEnoughCounts]:  # noqa: ANN001
    """Inventory turnover of each product line in a month (with its finished-goods counts)."""
    first, last = inventory.month_bounds(month)
    lines = line_codes(config)
    counts = stock_repo.counts(session, lines, until=last)
    shipped = stock_repo.totals(stock_repo.shipments(session, first, last))
    return [inventory.turnover(line, month, counts.get(line, {}), shipped.get(line, 0)) for line in lines]


def plan_against_actual(session: Session, config, month: str) -> list[PlanActual]:  # noqa: ANN001
    """Per core product: the month's approved agreed quantity, units produced and shipped."""
    first, last = inventory.month_bounds(month)
    plan = review_repo.plan(session, month)
    produced = stock_repo.totals(stock_repo.output(session, first, last))
    shipped = stock_repo.totals(stock_repo.shipments(session, first, last))
    rows = plan.rows if plan is not None else None
    return inventory.plan_against_actual(config.review.core_products, rows, produced, shipped)
