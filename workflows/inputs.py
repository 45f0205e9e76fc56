"""Turning what people typed into checked values, or into one error per field.

Every function returns (value, errors); errors maps a field name to a sentence the person
sees next to that field. Nothing here raises on bad input.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

MAX_NAME = 120
MAX_SPEC = 2000
MAX_NOTES = 1000
MAX_QUANTITY = 10_000_000
MAX_LEAD_DAYS = 3650
MAX_YEARS_AHEAD = 5

Errors = dict[str, str]

# Bidirectional embeddings, overrides and isolates: invisible, they make text display in another
# order than it is stored ("Trojan Source"), so a name could read as a different customer.
DIRECTION_OVERRIDES = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Marks that show as nothing (zero-width space, joiners, BOM, direction marks, line and paragraph
# separators, soft hyphen, word joiner): in a name or code they make "ACME" and "AC\u200bME" read
# as one customer but match and sort as two. Removed from names and codes, kept in free text
# (a zero-width joiner holds an emoji such as a family together).
INVISIBLE = "\u200b\u200c\u200d\ufeff\u200e\u200f\u2028\u2029\u00ad\u2060"
_DROP_INVISIBLE = str.maketrans("", "", INVISIBLE)


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


def _text(
    errors: Errors,
    field: str,
    value: str | None,
    *,
    required: bool,
    limit: int,
    what: str,
    name: bool = False,
) -> str:
    text = clean_text(value, name=name)
    if required and not text:
        errors[field] = f"Enter the {what}."
    elif len(text) > limit:
        errors[field] = f"Keep the {what} within {limit:,} characters (it has {len(text):,})."
    elif problem := character_problem(text, what):
        errors[field] = problem
    return text


def character_problem(text: str, what: str) -> str | None:
    """Why `text` cannot be kept as typed (characters that are invisible or unsafe), or None."""
    if any(ord(c) < 32 and c not in "\n\t" for c in text):
        return f"The {what} contains control characters; please retype it."
    if any(c in DIRECTION_OVERRIDES for c in text):
        return f"The {what} contains invisible text-direction characters; please retype it."
    return None


def _whole_number(
    errors: Errors, field: str, value: str | None, *, low: int, high: int, what: str
) -> int | None:
    text = (value or "").strip().replace(",", "").replace("_", "")
    if not text:
        errors[field] = f"Enter the {what}."
        return None
    digits = text[1:] if text[:1] in "+-" else text
    if not text.isascii() or not digits.isdigit():
        errors[field] = f"The {what} must be a whole number, like 250."
        return None
    if len(digits.lstrip("0")) > len(str(high)):  # also keeps int() clear of Python's 4,300-digit limit
        errors[field] = (
            f"The {what} must be at least {low}."
            if text[0] == "-"
            else f"The {what} must be at most {high:,}."
        )
        return None
    number = int(text)
    if number < low:
        errors[field] = f"The {what} must be at least {low}."
    elif number > high:
        errors[field] = f"The {what} must be at most {high:,}."
    return number


def _future_date(
    errors: Errors, field: str, value: date | None, *, today: date, what: str, years: int = MAX_YEARS_AHEAD
) -> date | None:
    if value is None:
        errors[field] = f"Pick the {what}."
    elif value < today:
        errors[field] = f"The {what} cannot be in the past (today is {today.isoformat()})."
    elif value > today + timedelta(days=366 * years):
        errors[field] = f"The {what} is more than {years} years away; check the year."
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
) -> tuple[OrderFields | None, Errors]:
    errors: Errors = {}
    fields = OrderFields(
        customer=_text(
            errors, "customer", customer, required=True, limit=MAX_NAME, what="customer name", name=True
        ),
        product=_text(errors, "product", product, required=True, limit=MAX_NAME, what="product", name=True),
        quantity=_whole_number(errors, "quantity", quantity, low=1, high=MAX_QUANTITY, what="quantity") or 0,
        requested_date=_future_date(
            errors, "requested_date", requested_date, today=today, what="requested delivery date"
        )
        or today,
        specification=_text(
            errors, "specification", specification, required=True, limit=MAX_SPEC, what="specification"
        ),
    )
    return (None, errors) if errors else (fields, {})


def _answer_notes(errors: Errors, can_do: bool | None, notes: str | None, team_verb: str) -> str:
    text = _text(errors, "notes", notes, required=False, limit=MAX_NOTES, what="notes")
    if can_do is False and not text and "notes" not in errors:
        errors["notes"] = f"Say why {team_verb}: sales needs the reason to talk to the customer."
    return text


def production_answer(
    *, can_do: str | None, lead_time_days: str | None, notes: str | None
) -> tuple[ProductionAnswer | None, Errors]:
    errors: Errors = {}
    yes = parse_yes_no(can_do)
    if yes is None:
        errors["can_do"] = "Choose yes or no."
    days = None
    if yes:
        days = _whole_number(
            errors, "lead_time_days", lead_time_days, low=0, high=MAX_LEAD_DAYS, what="production lead time"
        )
    text = _answer_notes(errors, yes, notes, "production cannot make it")
    return (None, errors) if errors else (ProductionAnswer(bool(yes), days, text), {})


def supply_answer(
    *, can_do: str | None, material_date: date | None, notes: str | None, today: date
) -> tuple[SupplyAnswer | None, Errors]:
    errors: Errors = {}
    yes = parse_yes_no(can_do)
    if yes is None:
        errors["can_do"] = "Choose yes or no."
    arrival = None
    if yes:
        arrival = _future_date(
            errors, "material_date", material_date, today=today, what="material arrival date"
        )
    text = _answer_notes(errors, yes, notes, "the materials cannot be sourced")
    return (None, errors) if errors else (SupplyAnswer(bool(yes), arrival, text), {})


def commitment(
    *, committed_date: date | None, notes: str | None, today: date
) -> tuple[tuple[date, str] | None, Errors]:
    errors: Errors = {}
    # materials up to MAX_YEARS_AHEAD away plus the longest lead time: the suggested date must be committable
    horizon = MAX_YEARS_AHEAD + MAX_LEAD_DAYS // 365 + 1
    when = _future_date(
        errors, "committed_date", committed_date, today=today, what="committed delivery date", years=horizon
    )
    text = _text(errors, "notes", notes, required=False, limit=MAX_NOTES, what="notes")
    return (None, errors) if errors else ((when, text), {})  # type: ignore[return-value]
