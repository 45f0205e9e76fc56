"""What each department submits for the review, and checking what they typed.

One row per core product. When a form with every field per product would exceed Slack's 100
blocks per modal, the least important per-product fields are left out: text notes first (they
move into one team-wide note), then secondary numbers. The key number of each team is always asked.
"""

from __future__ import annotations

from dataclasses import dataclass

from workflows.inputs import character_problem, clean_text

MAX_QUANTITY = 10_000_000
MAX_LEAD_DAYS = 3650
MAX_TEXT = 300
MAX_NOTE = 2000
MAX_INPUT_BLOCKS = 98  # 100 per modal, minus the explanation and the team-wide note
NOTE_BLOCK = "note"

Errors = dict[str, str]


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str
    number: bool
    required: bool
    priority: int  # 0 always asked; 1 dropped second; 2 (notes) dropped first
    hint: str = ""
    high: int = MAX_QUANTITY
    name: bool = False  # a name or code: loses invisible marks (workflows.inputs.clean_text)


TEAM_FIELDS: dict[str, tuple[FieldSpec, ...]] = {
    "sales": (
        FieldSpec("forecast", "forecast", True, True, 0),
        FieldSpec("customers", "key customers and orders", False, False, 2),
    ),
    "production": (
        FieldSpec("achievable", "achievable quantity", True, True, 0, "After maintenance and other limits"),
        FieldSpec("max_capacity", "maximum capacity", True, True, 1),
        FieldSpec("note", "note (e.g. maintenance window)", False, False, 2),
    ),
    "supply": (
        FieldSpec(
            "securable",
            "quantity materials can be secured for",
            True,
            False,
            0,
            "Leave blank if materials do not limit this product",
        ),
        FieldSpec("lead_time_days", "key material lead time (days)", True, False, 1, high=MAX_LEAD_DAYS),
        FieldSpec("key_material", "key material", False, False, 2, name=True),
        FieldSpec("risk", "risk note", False, False, 2),
    ),
}
KEY_FIELD = {"sales": "forecast", "production": "achievable", "supply": "securable"}


def form_fields(team: str, product_count: int) -> tuple[FieldSpec, ...] | None:
    """The per-product fields that fit in one modal; None when even the key number does not fit."""
    fields = TEAM_FIELDS[team]
    for keep_below in (3, 2, 1):
        chosen = tuple(f for f in fields if f.priority < keep_below)
        if len(chosen) * product_count <= MAX_INPUT_BLOCKS:
            return chosen
    return None


def block_id(index: int, field: FieldSpec) -> str:
    return f"p{index}.{field.key}"


def _number(errors: Errors, where: str, text: str, field: FieldSpec, product: str) -> int | None:
    cleaned = text.replace(",", "").replace("_", "").replace(" ", "")
    if not cleaned.isascii() or not cleaned.lstrip("+").isdigit():
        errors[where] = f"The {field.label} for {product} must be a whole number, like 900."
        return None
    number = int(cleaned)
    if number > field.high:
        errors[where] = f"The {field.label} for {product} must be at most {field.high:,}."
        return None
    return number


def _text(errors: Errors, where: str, text: str, limit: int, what: str) -> str:
    if len(text) > limit:
        errors[where] = f"Keep the {what} within {limit:,} characters (it has {len(text):,})."
    elif problem := character_problem(text, what):
        errors[where] = problem
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
        for field in fields:
            where = block_id(index, field)
            text = clean_text(str(values.get(where) or ""), name=field.name)
            if not text:
                if field.required:
                    errors[where] = f"Enter the {field.label} for {product}."
                row[field.key] = None if field.number else ""
            elif field.number:
                row[field.key] = _number(errors, where, text, field, product)
            else:
                row[field.key] = _text(errors, where, text, MAX_TEXT, f"{field.label} for {product}")
        rows[product] = row
        _cross_check(errors, team, index, product, row)
    note = _text(errors, NOTE_BLOCK, clean_text(str(values.get(NOTE_BLOCK) or "")), MAX_NOTE, "note")
    return (None, errors) if errors else ((rows, note), {})


def _cross_check(errors: Errors, team: str, index: int, product: str, row: dict) -> None:
    achievable, maximum = row.get("achievable"), row.get("max_capacity")
    bounded = team == "production" and isinstance(achievable, int) and isinstance(maximum, int)
    if bounded and achievable > maximum:
        where = f"p{index}.achievable"
        errors.setdefault(
            where,
            f"The achievable quantity for {product} cannot exceed its maximum capacity ({maximum:,}).",
        )


def agreed_quantities(
    products: list[str], values: dict[str, object]
) -> tuple[tuple[dict[str, int], str] | None, Errors]:
    """The adjust-plan modal: an agreed quantity per product (block "p{i}.agreed") and a note."""
    field = FieldSpec("agreed", "agreed quantity", True, True, 0)
    errors: Errors = {}
    agreed: dict[str, int] = {}
    for index, product in enumerate(products):
        where = block_id(index, field)
        text = clean_text(str(values.get(where) or ""))
        if not text:
            errors[where] = f"Enter the agreed quantity for {product}."
            continue
        number = _number(errors, where, text, field, product)
        if number is not None:
            agreed[product] = number
    note = _text(errors, NOTE_BLOCK, clean_text(str(values.get(NOTE_BLOCK) or "")), MAX_NOTE, "note")
    return (None, errors) if errors else ((agreed, note), {})
