"""Turning what people typed into checked values, or into one error per field.

Every function returns (value, errors); errors maps a field name to an `InputError`: a code,
the subject it is about and plain data (numbers, ISO dates), which bot/ words in the reader's
language next to that field. Nothing here raises on bad input, and nothing here is a sentence.

Numbers are taken the way people type them in English and in Chinese: "1,250", full-width
digits ("２５０"), the Chinese comma or ideographic separators between thousands ("1，000"), and
a trailing unit that fits the field ("250台", "250 pcs", "10天", "10 days").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from workflows.catalogue import Catalogue

MAX_NAME = 120
MAX_SPEC = 2000
MAX_NOTES = 1000
MAX_QUANTITY = 10_000_000
MAX_LEAD_DAYS = 3650
MAX_YEARS_AHEAD = 5

# Bidirectional embeddings, overrides and isolates: invisible, they make text display in another
# order than it is stored ("Trojan Source"), so a name could read as a different customer.
DIRECTION_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Marks that show as nothing (zero-width space, joiners, BOM, direction marks, line and paragraph
# separators, soft hyphen, word joiner): in a name or code they make "ACME" and "AC\u200bME" read
# as one customer but match and sort as two. Removed from names and codes, kept in free text
# (a zero-width joiner holds an emoji such as a family together).
INVISIBLE = "\u200b\u200c\u200d\ufeff\u200e\u200f\u2028\u2029\u00ad\u2060"
_DROP_INVISIBLE = str.maketrans("", "", INVISIBLE)


@dataclass(frozen=True)
class InputError:
    """Why one field cannot be taken: `code` (e.g. "required", "not_whole_number"), `what` the
    field holds (e.g. "quantity", "lead_time") and the data its words need (limits, ISO dates)."""

    code: str
    what: str
    data: dict = field(default_factory=dict)


InputErrors = dict[str, InputError]


def clean_text(value: str | None, *, name: bool = False) -> str:
    """What people typed, trimmed; a name or code (`name`) also loses its invisible marks."""
    text = value or ""
    return (text.translate(_DROP_INVISIBLE) if name else text).strip()


@dataclass(frozen=True)
class OrderFields:
    customer: str
    product: str
    quantity: int
    requested_date: date
    specification: str
    # the catalogue product picked (its own spelling) and the line whose plan it uses; None for a
    # product typed as free text that is not in the catalogue
    product_code: str | None = None
    line: str | None = None


# The new-order form's "not in the catalogue" choice (bot/orders/modals.py offers it).
NOT_IN_CATALOGUE = "-"


@dataclass(frozen=True)
class ProductFields:
    product: str
    code: str | None
    line: str | None


def product_fields(
    errors: InputErrors, *, picked: str | None, typed: str | None, catalogue: Catalogue | None
) -> ProductFields:
    """The product of an order: the catalogue product picked, or the free text typed.

    Free text that is a catalogue code (any case, invisible marks dropped) is that catalogue
    product, so a typo in case or spacing cannot split one product into two. Picking a product
    and typing another is refused (which one was meant?); picking nothing is the same as "not
    in the catalogue". A picked code the catalogue no longer has is refused on `product_code`.
    """
    text = text_field(errors, "product", typed, required=False, limit=MAX_NAME, what="product", name=True)
    chosen = None if picked in (None, "", NOT_IN_CATALOGUE) or catalogue is None else picked
    if chosen is not None:
        product = catalogue.product(chosen)
        if product is None:
            errors["product_code"] = InputError("not_in_catalogue", "product", {"code": chosen})
            return ProductFields(text, None, None)
        if text and catalogue.product(text) is not product and "product" not in errors:
            errors["product"] = InputError("picked_and_typed", "product", {"code": product.code})
        return ProductFields(product.code, product.code, product.line)
    if not text and "product" not in errors:
        errors["product"] = InputError("required", "product")
    found = catalogue.product(text) if catalogue is not None and text else None
    if found is not None:
        return ProductFields(found.code, found.code, found.line)
    return ProductFields(text, None, None)


@dataclass(frozen=True)
class ProductionAnswer:
    can_do: bool
    lead_time_days: int | None
    notes: str


@dataclass(frozen=True)
class SupplyAnswer:
    can_do: bool
    material_date: date | None
    notes: str


def character_code(text: str) -> str | None:
    """Why `text` cannot be kept as typed (characters that are invisible or unsafe), or None."""
    if any(ord(c) < 32 and c not in "\n\t" for c in text):
        return "control_characters"
    if any(c in DIRECTION_OVERRIDES for c in text):
        return "direction_characters"
    return None


def text_field(
    errors: InputErrors,
    key: str,
    value: str | None,
    *,
    required: bool,
    limit: int,
    what: str,
    name: bool = False,
) -> str:
    text = clean_text(value, name=name)
    if required and not text:
        errors[key] = InputError("required", what)
    elif len(text) > limit:
        errors[key] = InputError("too_long", what, {"limit": limit, "length": len(text)})
    elif code := character_code(text):
        errors[key] = InputError(code, what)
    return text


# Full-width digits and signs as an IME types them ("２５０", "－５") read as ASCII.
_WIDE = str.maketrans({**{chr(0xFF10 + d): str(d) for d in range(10)}, "\uff0b": "+", "\uff0d": "-"})
# Between groups of three digits: the Chinese (full-width) comma, the ideographic comma (full and
# half width) and spaces (ASCII, no-break, narrow no-break, ideographic).
_GROUP_SEPARATORS = "\uff0c\u3001\uff64 \u00a0\u202f\u3000"
_GROUPED = re.compile(rf"\d{{1,3}}(?:[,{_GROUP_SEPARATORS}]\d{{3}})+")
# Units a number may carry, by what it counts; matched case-insensitively after the digits.
UNITS = {
    "pieces": ("台", "套", "件", "个", "只", "pcs", "pc", "pieces", "piece", "units", "unit", "sets", "set"),
    "days": ("天", "日", "days", "day"),
}
_UNIT = re.compile(r"^(?P<number>.*?\d)\s*(?P<unit>[^\d\s,_]+)$", re.DOTALL)


def _split_unit(text: str) -> tuple[str, str | None]:
    match = _UNIT.match(text)
    return (match["number"], match["unit"]) if match else (text, None)


def _unit_kind(unit: str) -> str | None:
    return next((kind for kind, units in UNITS.items() if unit.lower() in units), None)


def whole_number(
    errors: InputErrors,
    key: str,
    value: str | None,
    *,
    low: int,
    high: int,
    what: str,
    counts: str,
) -> int | None:
    """A whole number as typed in English or Chinese; `counts` ("pieces" or "days") is which
    units may follow it."""
    text = (value or "").translate(_WIDE).strip()
    if not text:
        errors[key] = InputError("required", what)
        return None
    text, unit = _split_unit(text)
    if unit is not None and _unit_kind(unit) != counts:
        # a unit of something else ("10天" as a quantity, "250元") is named back; other letters
        # ("1e3", "250 apples") mean it is not a number as typed
        if _unit_kind(unit) is not None or not unit.isascii():
            errors[key] = InputError("wrong_unit", what, {"unit": unit})
        else:
            errors[key] = InputError("not_whole_number", what)
        return None
    sign, digits = (text[0], text[1:]) if text[:1] in "+-" else ("", text)
    if any(c in _GROUP_SEPARATORS for c in digits):
        # "1，000" is a thousand; "1，5" or "1 5" could be a list or a decimal, so it is refused
        if not _GROUPED.fullmatch(digits):
            errors[key] = InputError("not_whole_number", what)
            return None
        digits = re.sub(rf"[,{_GROUP_SEPARATORS}]", "", digits)
    digits = digits.replace(",", "").replace("_", "")
    if not digits.isascii() or not digits.isdigit():
        errors[key] = InputError("not_whole_number", what)
        return None
    if len(digits.lstrip("0")) > len(str(high)):  # also keeps int() clear of Python's 4,300-digit limit
        errors[key] = (
            InputError("too_small", what, {"low": low})
            if sign == "-"
            else InputError("too_large", what, {"high": high})
        )
        return None
    number = -int(digits) if sign == "-" else int(digits)
    if number < low:
        errors[key] = InputError("too_small", what, {"low": low})
    elif number > high:
        errors[key] = InputError("too_large", what, {"high": high})
    return number


def future_date(
    errors: InputErrors,
    key: str,
    value: date | None,
    *,
    today: date,
    what: str,
    years: int = MAX_YEARS_AHEAD,
) -> date | None:
    if value is None:
        errors[key] = InputError("not_picked", what)
    elif value < today:
        errors[key] = InputError("in_past", what, {"today": today.isoformat()})
    elif value > today + timedelta(days=366 * years):
        errors[key] = InputError("too_far", what, {"years": years})
    return value


def parse_date(value: str | None) -> date | None:
    """Slack's datepicker sends YYYY-MM-DD; anything else counts as not picked."""
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def parse_yes_no(value: str | None) -> bool | None:
    return {"yes": True, "no": False}.get(value or "")


def order_fields(
    *,
    customer: str | None,
    product: str | None,
    quantity: str | None,
    requested_date: date | None,
    specification: str | None,
    today: date,
    product_code: str | None = None,
    catalogue: Catalogue | None = None,
) -> tuple[OrderFields | None, InputErrors]:
    """`product` is the free text typed, `product_code` the catalogue product picked (if any)."""
    errors: InputErrors = {}
    customer_name = text_field(
        errors, "customer", customer, required=True, limit=MAX_NAME, what="customer", name=True
    )
    picked = product_fields(errors, picked=product_code, typed=product, catalogue=catalogue)
    fields = OrderFields(
        customer=customer_name,
        product=picked.product,
        product_code=picked.code,
        line=picked.line,
        quantity=whole_number(
            errors, "quantity", quantity, low=1, high=MAX_QUANTITY, what="quantity", counts="pieces"
        )
        or 0,
        requested_date=future_date(
            errors, "requested_date", requested_date, today=today, what="requested_date"
        )
        or today,
        specification=text_field(
            errors, "specification", specification, required=True, limit=MAX_SPEC, what="specification"
        ),
    )
    return (None, errors) if errors else (fields, {})


def _answer_notes(errors: InputErrors, can_do: bool | None, notes: str | None, team: str) -> str:
    text = text_field(errors, "notes", notes, required=False, limit=MAX_NOTES, what="notes")
    if can_do is False and not text and "notes" not in errors:
        errors["notes"] = InputError("reason_needed", "notes", {"team": team})
    return text


def production_answer(
    *, can_do: str | None, lead_time_days: str | None, notes: str | None
) -> tuple[ProductionAnswer | None, InputErrors]:
    errors: InputErrors = {}
    yes = parse_yes_no(can_do)
    if yes is None:
        errors["can_do"] = InputError("choose_yes_no", "can_do")
    days = None
    if yes:
        days = whole_number(
            errors,
            "lead_time_days",
            lead_time_days,
            low=0,
            high=MAX_LEAD_DAYS,
            what="lead_time",
            counts="days",
        )
    text = _answer_notes(errors, yes, notes, "production")
    return (None, errors) if errors else (ProductionAnswer(bool(yes), days, text), {})


def supply_answer(
    *, can_do: str | None, material_date: date | None, notes: str | None, today: date
) -> tuple[SupplyAnswer | None, InputErrors]:
    errors: InputErrors = {}
    yes = parse_yes_no(can_do)
    if yes is None:
        errors["can_do"] = InputError("choose_yes_no", "can_do")
    arrival = None
    if yes:
        arrival = future_date(errors, "material_date", material_date, today=today, what="material_date")
    text = _answer_notes(errors, yes, notes, "supply")
    return (None, errors) if errors else (SupplyAnswer(bool(yes), arrival, text), {})


def commitment(
    *, committed_date: date | None, notes: str | None, today: date
) -> tuple[tuple[date, str] | None, InputErrors]:
    errors: InputErrors = {}
    # materials up to MAX_YEARS_AHEAD away plus the longest lead time: the suggested date must be committable
    horizon = MAX_YEARS_AHEAD + MAX_LEAD_DAYS // 365 + 1
    when = future_date(
        errors, "committed_date", committed_date, today=today, what="committed_date", years=horizon
    )
    text = text_field(errors, "notes", notes, required=False, limit=MAX_NOTES, what="notes")
    return (None, errors) if errors else ((when, text), {})  # type: ignore[return-value]


def override_reason(value: str | None) -> tuple[str, InputErrors]:
    """Why sales promises beyond what can be made (the commit form; needed only then)."""
    errors: InputErrors = {}
    text = text_field(errors, "override_reason", value, required=False, limit=MAX_NOTES, what="reason")
    return text, errors
