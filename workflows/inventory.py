"""Inventory health, material coverage and inventory turnover, as pure functions.

Counts are given per item as `{day: (quantity, unit_cost)}`: the current count of each day
(storage/stock_repo.py takes the newest when a day was counted twice). Use per day is given
as `{line: {day: units}}` (shipments for products, output for materials through per_unit).

- on hand: the quantity of the newest count on or before today;
- days of cover = on hand ÷ average daily use over the 30 days ending today (None: no use);
- flags: `below_safety` (on hand < safety stock), `stale` (no count on any of the last 7 days,
  so a count made 7 days ago is stale; never counted is stale too), `excess` (over 90 days of
  cover), `no_use` (stock on hand but no use in 30 days: days of cover cannot be computed);
- coverage: units of a line the material on hand covers = ⌊on hand ÷ per_unit⌋, and against the
  month's approved plan its material target for that line;
- turnover per line and month = units shipped ÷ average units on hand, the average being the
  mean of the last count before the month and every count in it (both needed); days of
  inventory = days in the month ÷ turnover. Too few counts is a result (`NotEnoughCounts`).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_FLOOR, Decimal

from workflows.materials_config import product_codes
from workflows.stock_inputs import Item

USE_WINDOW_DAYS = 30
STALE_DAYS = 7
EXCESS_DAYS = 90
DEFAULT_PRODUCT_UNIT = None  # a catalogue product without a unit: any unit given is accepted

Counts = Mapping[date, tuple[float, float | None]]  # day -> (quantity, unit cost)
Daily = Mapping[str, Mapping[date, float]]  # line -> day -> units


def stock_items(config) -> list[Item]:  # noqa: ANN001  (workflows.config.Config)
    """The catalogue's products, then the configured materials."""
    catalogue = {getattr(p, "code", p): p for p in (getattr(config, "products", None) or [])}
    products = [
        Item(
            code=code,
            name=getattr(catalogue.get(code), "name", code),
            unit=getattr(catalogue.get(code), "unit", DEFAULT_PRODUCT_UNIT),
            kind="product",
            safety_stock=getattr(catalogue.get(code), "safety_stock", None),
        )
        for code in product_codes(config)
    ]
    materials = [
        Item(m.code, m.name, m.unit, "material", m.safety_stock, dict(m.per_unit)) for m in config.materials
    ]
    return products + materials


def _exact(value: float) -> Decimal:
    return Decimal(str(value))


def latest_count(counts: Counts, today: date) -> tuple[date, float] | None:
    days = [day for day in counts if day <= today]
    if not days:
        return None
    day = max(days)
    return day, counts[day][0]


def window(today: date, days: int = USE_WINDOW_DAYS) -> tuple[date, date]:
    """The `days` days ending today, both ends included."""
    return today - timedelta(days=days - 1), today


def daily_use(item: Item, shipped: Daily, produced: Daily, today: date) -> float:
    """Average use per day over the window: shipments of a product, output × per_unit for a material."""
    first, last = window(today)

    def total(by_day: Mapping[date, float]) -> Decimal:
        return sum((_exact(q) for day, q in by_day.items() if first <= day <= last), Decimal(0))

    if item.kind == "product":
        used = total(shipped.get(item.code, {}))
    else:
        used = sum(
            (total(produced.get(line, {})) * _exact(per) for line, per in item.per_unit.items()), Decimal(0)
        )
    return float(used / USE_WINDOW_DAYS)


@dataclass(frozen=True)
class Health:
    item: Item
    on_hand: float | None  # None: never counted
    counted_on: date | None
    daily_use: float
    days_of_cover: float | None  # None: nothing used in the window (or never counted)
    flags: tuple[str, ...]  # below_safety, stale, excess, no_use


def health(item: Item, counts: Counts, shipped: Daily, produced: Daily, today: date) -> Health:
    latest = latest_count(counts, today)
    use = daily_use(item, shipped, produced, today)
    if latest is None:
        return Health(item, None, None, use, None, ("stale",))
    counted_on, on_hand = latest
    cover = float(_exact(on_hand) / _exact(use)) if use > 0 else None
    flags = []
    if item.safety_stock is not None and on_hand < item.safety_stock:
        flags.append("below_safety")
    if (today - counted_on).days >= STALE_DAYS:
        flags.append("stale")
    if cover is not None and cover > EXCESS_DAYS:
        flags.append("excess")
    if cover is None and on_hand > 0:
        flags.append("no_use")
    return Health(item, on_hand, counted_on, use, cover, tuple(flags))


# -- material coverage ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Coverage:
    material: str
    line: str
    covers: int  # whole units of the line the material on hand is enough for
    target: int | None = None  # the approved plan's material target for the line this month
    short: int | None = None  # target − covers when positive, else 0; None without a target


def coverage(item: Item, on_hand: float, plan_rows: Iterable[Mapping] | None = None) -> list[Coverage]:
    """For a material: units of each line its stock covers, and the plan's target when there is one.
    `plan_rows`: the approved plan's rows for the month (ReviewPlan.rows), or None."""
    targets = {
        row["product"]: row.get("material_target")
        for row in (plan_rows or [])
        if row.get("material_target") is not None
    }
    result = []
    for line, per in item.per_unit.items():
        covers = int((_exact(on_hand) / _exact(per)).to_integral_value(rounding=ROUND_FLOOR))
        target = targets.get(line)
        short = None if target is None else max(target - covers, 0)
        result.append(Coverage(item.code, line, covers, target, short))
    return result


# -- inventory turnover ---------------------------------------------------------------------------


@dataclass(frozen=True)
class NotEnoughCounts:
    """Turnover cannot be computed: `missing` says what is missing ("count_before", "count_in_month")."""

    line: str
    month: str
    missing: tuple[str, ...]


@dataclass(frozen=True)
class Turnover:
    line: str
    month: str  # "2026-11"
    shipped: int
    average_on_hand: float
    turnover: float  # times the average stock was shipped in the month
    days_of_inventory: float | None  # None: nothing shipped (the stock would last for ever)
    counts_used: int
    # by value, when every count used has a unit cost
    value_turnover: float | None = None
    average_value: float | None = None


def month_bounds(month: str) -> tuple[date, date]:
    year, number = (int(part) for part in month.split("-"))
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])


def turnover(line: str, month: str, counts: Counts, shipped: int) -> Turnover | NotEnoughCounts:
    first, last = month_bounds(month)
    before = [day for day in counts if day < first]
    inside = sorted(day for day in counts if first <= day <= last)
    missing = tuple(
        name
        for name, present in (("count_before", bool(before)), ("count_in_month", bool(inside)))
        if not present
    )
    if missing:
        return NotEnoughCounts(line, month, missing)
    used = [counts[max(before)], *(counts[day] for day in inside)]
    average = sum((_exact(q) for q, _ in used), Decimal(0)) / len(used)
    days = (last - first).days + 1
    if average == 0:
        # nothing on hand at any count: turnover is not a number either
        return NotEnoughCounts(line, month, ("stock_on_hand",))
    ratio = Decimal(shipped) / average
    result = Turnover(
        line=line,
        month=month,
        shipped=shipped,
        average_on_hand=float(average),
        turnover=float(ratio),
        days_of_inventory=float(Decimal(days) / ratio) if shipped else None,
        counts_used=len(used),
    )
    if all(cost is not None for _, cost in used):
        value = sum((_exact(q) * _exact(c) for q, c in used), Decimal(0)) / len(used)
        # the cost of what was shipped, at the month's last counted unit cost
        shipped_value = Decimal(shipped) * _exact(used[-1][1])
        result = (
            Turnover(
                **{
                    **result.__dict__,
                    "average_value": float(value),
                    "value_turnover": float(shipped_value / value),
                }
            )
            if value
            else result
        )
    return result


def previous_month(month: str) -> str:
    first, _ = month_bounds(month)
    return (first - timedelta(days=1)).strftime("%Y-%m")


# -- plan against actual -------------------------------------------------------------------------


@dataclass(frozen=True)
class PlanActual:
    product: str
    agreed: int | None  # None: the month had no approved plan for it
    produced: int
    shipped: int

    @property
    def produced_difference(self) -> int | None:
        return None if self.agreed is None else self.produced - self.agreed

    @property
    def shipped_difference(self) -> int | None:
        return None if self.agreed is None else self.shipped - self.agreed


def plan_against_actual(
    products: Sequence[str], plan_rows: Iterable[Mapping] | None, produced: Mapping, shipped: Mapping
) -> list[PlanActual]:
    """Per core product: the month's agreed quantity, units produced and shipped (totals by line)."""
    agreed = {row["product"]: row.get("agreed") for row in (plan_rows or [])}
    return [PlanActual(p, agreed.get(p), int(produced.get(p, 0)), int(shipped.get(p, 0))) for p in products]
