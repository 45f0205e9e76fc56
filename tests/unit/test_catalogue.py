"""The product catalogue: [[products]] plus the review's core products, and its config errors as one line."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import load_config
from tests.unit.test_settings import GOOD_TOML, config_file, one_line_error
from workflows.catalogue import DEFAULT_UNIT, catalogue

CORE = '\n[review]\ncore_products = ["GBX-100", "MTR-7"]\n'
PRODUCTS = """
[[products]]
code = "GBX-100"
name = "Gearbox GBX-100"
unit = "台"

[[products]]
code = "GBX-100-HD"
name = "Gearbox GBX-100, heavy duty"
unit = "台"
line = "GBX-100"

[[products]]
code = "KIT-9"
name = "Mounting kit"
unit = "套"
"""


def load(tmp_path, text: str):  # noqa: ANN001, ANN201
    return load_config(config_file(tmp_path, GOOD_TOML + text))


def test_listed_products_their_lines_and_implied_core_products(tmp_path) -> None:  # noqa: ANN001
    products = catalogue(load(tmp_path, CORE + PRODUCTS))
    assert [(p.code, p.name, p.unit, p.line, p.is_core) for p in products] == [
        ("GBX-100", "Gearbox GBX-100", "台", "GBX-100", True),  # listed: its name and unit
        ("MTR-7", "MTR-7", DEFAULT_UNIT, "MTR-7", True),  # not listed: implied, code = name, "pcs"
        ("GBX-100-HD", "Gearbox GBX-100, heavy duty", "台", "GBX-100", False),
        ("KIT-9", "Mounting kit", "套", None, False),  # no line: planned by no review
    ]
    assert products.lines() == ("GBX-100", "MTR-7")
    assert [p.code for p in products.on_line("GBX-100")] == ["GBX-100", "GBX-100-HD"]


def test_look_ups_ignore_case_and_spaces_and_unknown_codes_are_not_in_the_catalogue(tmp_path) -> None:  # noqa: ANN001
    products = catalogue(load(tmp_path, CORE + PRODUCTS))
    assert products.product(" gbx-100-hd ").code == "GBX-100-HD"
    assert products.line_of("GBX-100-HD") == "GBX-100"
    assert products.line_of("gbx-100") == "GBX-100"
    assert products.line_of("KIT-9") is None
    assert products.is_core("mtr-7") and not products.is_core("GBX-100-HD")
    assert products.product("GBX-200") is None and products.line_of("GBX-200") is None
    assert products.product(None) is None and not products.is_core(None)


def test_without_products_or_core_products_the_catalogue_is_empty(tmp_path) -> None:  # noqa: ANN001
    assert len(catalogue(load(tmp_path, ""))) == 0


def test_core_products_alone_make_the_catalogue(tmp_path) -> None:  # noqa: ANN001
    products = catalogue(load(tmp_path, CORE))
    assert [(p.code, p.unit, p.line) for p in products] == [
        ("GBX-100", "pcs", "GBX-100"),
        ("MTR-7", "pcs", "MTR-7"),
    ]


def entry(code: str = "GBX-100-HD", name: str = "HD", unit: str = "台", line: str | None = "GBX-100") -> str:
    text = f'\n[[products]]\ncode = "{code}"\nname = "{name}"\nunit = "{unit}"\n'
    return text + (f'line = "{line}"\n' if line is not None else "")


@pytest.mark.parametrize(
    ("products", "expected"),
    [
        (
            entry() + entry(name="again"),
            "orderloop.toml: products: code 'GBX-100-HD' is listed twice (as 'GBX-100-HD' in products)",
        ),
        (
            entry() + entry(code="gbx-100-hd"),
            "orderloop.toml: products: code 'gbx-100-hd' is listed twice (as 'GBX-100-HD' in products)",
        ),
        (
            entry(code="gbx-100", line=None),
            "orderloop.toml: products: code 'gbx-100' is listed twice (as 'GBX-100' in review.core_products)",
        ),
        (
            entry(code="GBX-100", line=None) + entry(code="GBX-100", line=None),
            "orderloop.toml: products: code 'GBX-100' is listed twice (as 'GBX-100' in products)",
        ),
        (
            entry(line="GBX-200"),
            "orderloop.toml: products: 'GBX-100-HD' has line 'GBX-200', which is not in review.core_products",
        ),
        (
            entry(code="KIT-9", line=None) + entry(line="KIT-9"),
            "orderloop.toml: products: 'GBX-100-HD' has line 'KIT-9', which is not in review.core_products",
        ),
        (
            entry(code="MTR-7", line="GBX-100"),
            "orderloop.toml: products: 'MTR-7' is a core product, so it is its own line (not 'GBX-100')",
        ),
        (entry(unit=""), "orderloop.toml: products[0].unit: must not be empty"),
        (entry(unit="  "), "orderloop.toml: products[0].unit: must not be empty"),
        (entry() + entry(code="X-1", name=" "), "orderloop.toml: products[1].name: must not be empty"),
        (entry(code="GBX 100 HD"), "orderloop.toml: products[0].code: 'GBX 100 HD' has a space in it"),
        (
            entry() + '\n[[products]]\ncode = "X-2"\nname = "X"\n',
            "orderloop.toml: products[1].unit: is required but not set",
        ),
        (
            '\n[[products]]\ncode = "X-2"\nname = "X"\nunit = "pcs"\ncolour = "red"\n',
            "orderloop.toml: products[0].colour: is not a known setting",
        ),
    ],
)
def test_a_bad_catalogue_is_one_line_naming_the_setting(tmp_path, products: str, expected: str) -> None:  # noqa: ANN001
    path = config_file(tmp_path, GOOD_TOML + CORE + products)
    assert one_line_error(lambda: load_config(path)).startswith(expected)


def test_a_line_without_any_core_products_configured_is_refused(tmp_path) -> None:  # noqa: ANN001
    path = config_file(tmp_path, GOOD_TOML + entry())
    assert one_line_error(lambda: load_config(path)) == (
        "orderloop.toml: products: 'GBX-100-HD' has line 'GBX-100', which is not in review.core_products"
    )


def test_the_example_configuration_loads_with_its_products_switched_on(tmp_path) -> None:  # noqa: ANN001
    example = (Path(__file__).parents[2] / "orderloop.example.toml").read_text(encoding="utf-8")
    head, products = example.split("# [[products]]", 1)
    products = "# [[products]]" + products
    switched_on = "\n".join(line.removeprefix("# ").removeprefix("#") for line in products.splitlines())
    listed = catalogue(load_config(config_file(tmp_path, head + switched_on)))
    assert [(p.code, p.unit, p.line) for p in listed] == [
        ("GBX-100", "台", "GBX-100"),
        ("MTR-7", "pcs", "MTR-7"),
        ("GBX-100-HD", "台", "GBX-100"),
        ("KIT-9", "套", None),
    ]
    assert not catalogue(load_config(config_file(tmp_path, example))).product("KIT-9")  # commented out
