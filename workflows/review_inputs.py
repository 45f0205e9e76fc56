"""What each department submits for the review, and checking what they typed.

One row per core product. When a form with every field per product would exceed Slack's 100
blocks per modal, the least important per-product fields are left out: text notes first (they
move into one team-wide note), then secondary numbers. The key number of each team is always asked.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from workflows.inputs import character_code, clean_text

MAX_QUANTITY = 10_000_000
MAX_LEAD_DAYS = 3650
MAX_TEXT = 300
MAX_NOTE = 2000
MAX_INPUT_BLOCKS = 98  # 100 per modal, minus the explanation and the team-wide note
NOTE_BLOCK = "note"


@dataclass(frozen=True)
class Problem:
    """An input error as data: bot/review words `code` with `data` in the reader's language.

    `data` holds plain values: the field's key, the product as configured, limits and counts."""

    code: str
    data: dict = field(default_factory=dict)


Errors = dict[str, Problem]


@dataclass(frozen=True)
class FieldSpec:
    """One per-product field of a team's form; its label and hint are worded in bot/ by `key`."""

    key: str
    number: bool
    required: bool
    priority: int  # 0 always asked; 1 dropped second; 2 (notes) dropped first
    high: int = MAX_QUANTITY
    name: bool = False  # a name or code: loses invisible marks (workflows.inputs.clean_text)


TEAM_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "sales": (
        FieldSpec("forecast", True, True, 0),
        FieldSpec("customers", False, False, 2),
    ),
    "production": (
        FieldSpec("achievable", True, True, 0),
        FieldSpec("max_capacity", True, True, 1),
        FieldSpec("note", False, False, 2),
    ),
    "supply": (
        FieldSpec("securable", True, False, 0),
        FieldSpec("lead_time_days", True, False, 1, high=MAX_LEAD_DAYS),
        FieldSpec("key_material", False, False, 2, name=True),
        FieldSpec("risk", False, False, 2),
    ),
}
AGREED = FieldSpec("agreed", True, True, 0)
KEY_FIELD = {"sales": "forecast", "production": "achievable", "supply": "securable"}


def form_fields(team: str, product_count: int) -> tuple[FieldSpec, ...] | None:
    """The per-product fields that fit in one modal; None when even the key number does not fit."""
    fields = TEAM_FIELDS[team]
    for keep_below in (3, 2, 1):
        chosen = tuple(f for f in fields if f.priority < keep_below)
        if len(chosen) * product_count <= MAX_INPUT_BLOCKS:
            return chosen
    return None


def block_id(index: int, spec: FieldSpec) -> str:
    return f"p{index}.{spec.key}"


def _number(errors: Errors, where: str, text: str, spec: FieldSpec, product: str) -> int | None:
    # full-width digits and the Chinese comma read as digits and a comma (２５０ → 250, 1，000 → 1,000)
    cleaned = unicodedata.normalize("NFKC", text).replace(",", "").replace("_", "").replace(" ", "")
    if not cleaned.isascii() or not cleaned.lstrip("+").isdigit():
        errors[where] = Problem("not_whole_number", {"field": spec.key, "product": product})
        return None
    number = int(cleaned)
    if number > spec.high:
        errors[where] = Problem("number_too_big", {"field": spec.key, "product": product, "high": spec.high})
        return None
    return number


def _text(errors: Errors, where: str, text: str, limit: int, key: str, product: str | None) -> str:
    """`key` is the field's key, or NOTE_BLOCK for the form's one note (then `product` is None)."""
    if len(text) > limit:
        data = {"field": key, "product": product, "limit": limit, "length": len(text)}
        errors[where] = Problem("text_too_long", data)
    elif problem := character_code(text):
        errors[where] = Problem(problem, {"field": key, "product": product})
    return text


def submission(
    team: str, products: list[str], values: dict[str, object]
) -> tuple[tuple[dict[str, dict], str] | None, Errors]:
    """(rows by product, team-wide note) or inline errors keyed by block id."""
    fields = form_fields(team, len(products)) or ()
    errors: Errors = {}
    rows: dict[str, dict] = {}
    for index, product in enumerate(products):
        row: dict[str, object] = {}
        for spec in fields:
            where = block_id(index, spec)
            text = clean_text(str(values.get(where) or ""), name=spec.name)
            if not text:
                if spec.required:
                    errors[where] = Problem("field_missing", {"field": spec.key, "product": product})
                row[spec.key] = None if spec.number else ""
            elif spec.number:
                row[spec.key] = _number(errors, where, text, spec, product)
            else:
                row[spec.key] = _text(errors, where, text, MAX_TEXT, spec.key, product)
        rows[product] = row
        _cross_check(errors, team, index, product, row)
    note = _text(
        errors, NOTE_BLOCK, clean_text(str(values.get(NOTE_BLOCK) or "")), MAX_NOTE, NOTE_BLOCK, None
    )
    return (None, errors) if errors else ((rows, note), {})


def _cross_check(errors: Errors, team: str, index: int, product: str, row: dict) -> None:
    achievable, maximum = row.get("achievable"), row.get("max_capacity")
    bounded = team == "production" and isinstance(achievable, int) and isinstance(maximum, int)
    if bounded and achievable > maximum:
        where = f"p{index}.achievable"
        errors.setdefault(
            where, Problem("achievable_above_maximum", {"product": product, "maximum": maximum})
        )


def agreed_quantities(
    products: list[str], values: dict[str, object]
) -> tuple[tuple[dict[str, int], str] | None, Errors]:
    """The adjust-plan modal: an agreed quantity per product (block "p{i}.agreed") and a note."""
    errors: Errors = {}
    agreed: dict[str, int] = {}
    for index, product in enumerate(products):
        where = block_id(index, AGREED)
        text = clean_text(str(values.get(where) or ""))
        if not text:
            errors[where] = Problem("field_missing", {"field": AGREED.key, "product": product})
            continue
        number = _number(errors, where, text, AGREED, product)
        if number is not None:
            agreed[product] = number
    note = _text(
        errors, NOTE_BLOCK, clean_text(str(values.get(NOTE_BLOCK) or "")), MAX_NOTE, NOTE_BLOCK, None
    )
    return (None, errors) if errors else ((agreed, note), {})
