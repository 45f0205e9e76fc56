"""The review's plan arithmetic, as pure functions.

agreed = min(forecast, achievable capacity, securable materials); the constraint(s) equal to
the minimum bind; shortfall = forecast − agreed (sales follows up with key customers);
capacity target = ⌈agreed × (1 + capacity_buffer)⌉ and material target = ⌈agreed × (1 + material_buffer)⌉.

Buffers are read through their decimal text (Decimal(str(0.055)) == Decimal("0.055")), so the
products are exact: 900 × 1.055 = 949.5 → 950, 100 × 1.1 = 110 (not 110.00000000000001 → 111).

Materials: supply's "securable" quantity may be None, meaning *materials do not limit this
product* (supply left the field blank): it drops out of the minimum. A department that has not
submitted at all is different: its value is MISSING and the row shows what is missing instead
of numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import ROUND_CEILING, Decimal
from enum import Enum


class _Missing(Enum):
    MISSING = "missing"


MISSING = _Missing.MISSING
Quantity = int | _Missing
Securable = int | None | _Missing  # None: materials unconstrained

# the constraint each input stands for, as stored in a plan's `binding` (worded in bot/review)
CONSTRAINT_NAMES = {"forecast": "demand", "achievable": "capacity", "securable": "materials"}


@dataclass(frozen=True)
class PlanRow:
    product: str
    forecast: int | None
    achievable: int | None
    securable: int | None
    materials_unconstrained: bool
    missing: tuple[str, ...] = ()  # the inputs not submitted ("forecast", "achievable", "securable")
    agreed: int | None = None
    binding: tuple[str, ...] = ()  # "demand", "capacity", "materials" or "adjusted"
    shortfall: int | None = None
    capacity_target: int | None = None
    material_target: int | None = None
    # managers agreed more than production can make / supply can secure: by how much (else None);
    # such a row needs the reason in the plan's note (workflows.review_actions.plan_rows)
    above_capacity: int | None = None
    above_materials: int | None = None

    @property
    def above(self) -> tuple[tuple[str, int], ...]:
        """("capacity", 50), ("materials", 30): what the agreed quantity exceeds, and by how much."""
        pairs = (("capacity", self.above_capacity), ("materials", self.above_materials))
        return tuple((name, by) for name, by in pairs if by)

    @property
    def complete(self) -> bool:
        return not self.missing

    def as_dict(self) -> dict:
        return {
            "product": self.product,
            "forecast": self.forecast,
            "achievable": self.achievable,
            "securable": self.securable,
            "materials_unconstrained": self.materials_unconstrained,
            "agreed": self.agreed,
            "binding": list(self.binding),
            "shortfall": self.shortfall,
            "capacity_target": self.capacity_target,
            "material_target": self.material_target,
            "above_capacity": self.above_capacity,
            "above_materials": self.above_materials,
        }

    @classmethod
    def from_dict(cls, data: dict) -> PlanRow:
        return cls(**{**data, "binding": tuple(data.get("binding") or ())})


def buffered(quantity: int, buffer: float | Decimal | str) -> int:
    """⌈quantity × (1 + buffer)⌉, exactly."""
    factor = Decimal(1) + Decimal(str(buffer))
    return int((Decimal(quantity) * factor).to_integral_value(rounding=ROUND_CEILING))


def targets(agreed: int, capacity_buffer: float, material_buffer: float) -> tuple[int, int]:
    return buffered(agreed, capacity_buffer), buffered(agreed, material_buffer)


def plan_row(
    product: str,
    *,
    forecast: Quantity,
    achievable: Quantity,
    securable: Securable,
    capacity_buffer: float,
    material_buffer: float,
) -> PlanRow:
    values = {"forecast": forecast, "achievable": achievable, "securable": securable}
    missing = tuple(name for name, value in values.items() if value is MISSING)
    known = {name: (None if value is MISSING else value) for name, value in values.items()}
    row = PlanRow(
        product=product,
        forecast=known["forecast"],
        achievable=known["achievable"],
        securable=known["securable"],
        materials_unconstrained=securable is None,
        missing=missing,
    )
    if missing:
        return row
    limits = {name: value for name, value in values.items() if value is not None}
    agreed = min(limits.values())
    binding = tuple(CONSTRAINT_NAMES[name] for name, value in limits.items() if value == agreed)
    capacity, material = targets(agreed, capacity_buffer, material_buffer)
    return replace(
        row,
        agreed=agreed,
        binding=binding,
        shortfall=forecast - agreed,
        capacity_target=capacity,
        material_target=material,
    )


def adjusted_row(row: PlanRow, agreed: int, *, capacity_buffer: float, material_buffer: float) -> PlanRow:
    """Managers set the agreed quantity themselves; targets follow it, the shortfall too if known."""
    if row.agreed == agreed and row.complete:
        return row
    capacity, material = targets(agreed, capacity_buffer, material_buffer)
    return replace(
        row,
        missing=(),
        agreed=agreed,
        binding=("adjusted",),
        shortfall=None if row.forecast is None else max(row.forecast - agreed, 0),
        capacity_target=capacity,
        material_target=material,
        above_capacity=_excess(agreed, row.achievable),
        above_materials=None if row.materials_unconstrained else _excess(agreed, row.securable),
    )


def _excess(agreed: int, limit: int | None) -> int | None:
    """How far `agreed` exceeds a known limit; None when it does not (or the limit is unknown)."""
    return agreed - limit if limit is not None and agreed > limit else None
