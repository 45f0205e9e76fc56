"""The `[[materials]]` list of orderloop.toml: the key materials whose stock OrderLoop keeps.

    [[materials]]
    code = "ALLOY-A"
    name = "Alloy A"
    unit = "kg"
    safety_stock = 1500          # optional
    per_unit = { "GBX-100" = 2.5 }  # kg of alloy A in one GBX-100

Stock items are the catalogue's products (finished goods) and these materials. A bad entry is
one start-up error naming the setting, e.g. `materials: the per_unit of ALLOY-A names 'GBX-999',
which is not a line (review.core_products)`.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationInfo

if TYPE_CHECKING:
    from workflows.config import Config

CODE_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._/-]{0,39}"
MAX_PER_UNIT = 1_000_000


def _code(value: str) -> str:
    if not re.fullmatch(CODE_PATTERN, value):
        raise ValueError(f"{value!r} is not an item code (letters, digits, . _ / -, at most 40)")
    return value


Code = Annotated[str, AfterValidator(_code)]


class Material(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    code: Code
    name: Annotated[str, Field(min_length=1, max_length=80)]
    unit: Annotated[str, Field(min_length=1, max_length=20)]
    safety_stock: Annotated[float, Field(ge=0, le=1e12)] | None = None
    # how much of this material one unit of each line (product) needs
    per_unit: dict[str, Annotated[float, Field(gt=0, le=MAX_PER_UNIT)]] = Field(default_factory=dict)


def _unique(materials: list[Material]) -> list[Material]:
    seen: set[str] = set()
    for material in materials:
        if material.code.casefold() in seen:
            raise ValueError(f"{material.code!r} is listed twice")
        seen.add(material.code.casefold())
    return materials


Materials = Annotated[list[Material], AfterValidator(_unique)]


def product_codes(config: Config) -> list[str]:
    """The finished goods, as the catalogue lists them: the review's core products first, then
    the other `[[products]]` (workflows/catalogue.py once it is there)."""
    return _codes(getattr(config, "products", None), config.review)


def line_codes(config: Config) -> list[str]:
    """The lines output and shipments are recorded for, and per_unit names: the core products."""
    return list(config.review.core_products)


def _codes(catalogue: object, review: object) -> list[str]:
    core = list(getattr(review, "core_products", None) or [])
    listed = [p if isinstance(p, str) else p.code for p in (catalogue or [])]
    return core + [code for code in listed if code not in core]


def check_materials(cls: type, materials: list[Material], info: ValidationInfo) -> list[Material]:
    """A field validator of Config.materials (declared after `review` and `products`): every
    per_unit names a line (a core product), and no material has a product's code."""
    if "review" not in info.data:  # the review settings are wrong: that error is reported instead
        return materials
    products = {code.casefold() for code in _codes(info.data.get("products"), info.data["review"])}
    lines = {code.casefold() for code in info.data["review"].core_products}
    for material in materials:
        if material.code.casefold() in products:
            raise ValueError(f"{material.code!r} is a product's code already")
        for line in material.per_unit:
            if line.casefold() not in lines:
                raise ValueError(
                    f"the per_unit of {material.code} names {line!r},"
                    " which is not a line (review.core_products)"
                )
    return materials
