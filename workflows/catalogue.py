"""The product catalogue: the `[[products]]` of orderloop.toml plus the review's core products.

A core product (`review.core_products`) is always in the catalogue and is its own line, whether
or not `[[products]]` repeats it; one it does not repeat has code = name = the core product's
text and unit "pcs". Every other product plans on the line it names, or on none (then nothing
limits how much of it can be promised). Look-ups by code ignore case and surrounding spaces, so
"gbx-100 " finds GBX-100; what is stored on an order is always the catalogue's own spelling.

Orders whose product is not in the catalogue keep their free text, with no code and no line.
"""

from __future__ import annotations

from dataclasses import dataclass

from workflows.config import Config

DEFAULT_UNIT = "pcs"


@dataclass(frozen=True)
class CatalogueProduct:
    code: str
    name: str
    unit: str
    line: str | None  # the core product whose plan it uses; None: planned by no review
    is_core: bool


class Catalogue:
    def __init__(self, products: list[CatalogueProduct]) -> None:
        self.products = tuple(products)
        self._by_code = {p.code.casefold(): p for p in products}

    @classmethod
    def from_config(cls, config: Config) -> Catalogue:
        core = list(config.review.core_products)
        listed = {p.code: p for p in config.products}
        products = []
        for code in core:  # core products first, in the review's order
            entry = listed.get(code)
            products.append(
                CatalogueProduct(
                    code=code,
                    name=entry.name if entry else code,
                    unit=entry.unit if entry else DEFAULT_UNIT,
                    line=code,
                    is_core=True,
                )
            )
        for entry in config.products:
            if entry.code not in core:
                products.append(
                    CatalogueProduct(
                        code=entry.code, name=entry.name, unit=entry.unit, line=entry.line, is_core=False
                    )
                )
        return cls(products)

    def __len__(self) -> int:
        return len(self.products)

    def __iter__(self):  # noqa: ANN204
        return iter(self.products)

    def product(self, code: str | None) -> CatalogueProduct | None:
        """The product with this code (any case), or None: not in the catalogue."""
        return None if code is None else self._by_code.get(code.strip().casefold())

    def line_of(self, code: str | None) -> str | None:
        """The line (core product) whose plan an order of `code` uses; None: unplanned or unknown."""
        product = self.product(code)
        return product.line if product else None

    def is_core(self, code: str | None) -> bool:
        product = self.product(code)
        return bool(product and product.is_core)

    def lines(self) -> tuple[str, ...]:
        return tuple(p.code for p in self.products if p.is_core)

    def on_line(self, line: str) -> tuple[CatalogueProduct, ...]:
        """The core product and every product that plans on its line."""
        return tuple(p for p in self.products if p.line == line)


def catalogue(config: Config) -> Catalogue:
    return Catalogue.from_config(config)
