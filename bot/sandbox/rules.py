"""Block Kit rules Slack enforces that slack_sdk's models do not check (SLACK-FACTS.md).

Each check raises ValueError naming the rule and where, as `[json-pointer:/blocks/…]`, like
Slack's own error strings; the stand-in turns that into `invalid_blocks` or `invalid_arguments`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from typing import Any

MAX_OPTIONS = {"radio_buttons": 10, "checkboxes": 10, "static_select": 100, "multi_static_select": 100}
MAX_SUGGESTED_OPTIONS = 100  # an options response (external_select's type-ahead)
MAX_OPTION_TEXT = 75
MAX_OPTION_VALUE = 150
MAX_BUTTON_TEXT = 75
MAX_HEADER_TEXT = 150
BUTTON_STYLES = ("primary", "danger")
CONFIRM_PARTS = ("title", "text", "confirm", "deny")
MAX_UPLOAD_BYTES = 1024**3  # files.getUploadURLExternal: a file of at most 1 GB
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def check_blocks(blocks: list[Any]) -> None:
    """Rules across the blocks of one message, modal or Home tab, then each block's own."""
    seen: set[str] = set()
    for i, block in enumerate(blocks):
        where = f"[json-pointer:/blocks/{i}]"
        if not isinstance(block, dict):
            raise ValueError(f"a block must be an object {where}")
        _once(seen, block.get("block_id"), "block_id", "one message or view", where)
        check_block(block, where)


def _once(seen: set[str], value: Any, name: str, scope: str, where: str) -> None:
    """Slack refuses an id used twice where it must be unique (block_id, action_id)."""
    if value is None:
        return
    if value in seen:
        raise ValueError(f"{name} {value!r} is used twice in {scope} {where}")
    seen.add(value)


def check_block(block: dict[str, Any], where: str) -> None:
    kind = block.get("type")
    if kind == "section":
        _check_section(block, where)
    if kind == "header":
        text = block.get("text") or {}
        if text.get("type") != "plain_text":
            raise ValueError(f"header text must be plain_text {where}")
        if len(str(text.get("text") or "")) > MAX_HEADER_TEXT:
            raise ValueError(f"header text must be at most {MAX_HEADER_TEXT} characters {where}")
    action_ids: set[str] = set()
    for name, element in _elements(block):
        at = f"{where[:-1]}/{name}]"
        _once(action_ids, element.get("action_id"), "action_id", "one block", at)
        check_element(element, at)


def _check_section(block: dict[str, Any], where: str) -> None:
    text, fields = block.get("text"), block.get("fields")
    if text is None and not fields:
        raise ValueError(f"a section needs text or fields {where}")
    if text is not None and not str(text.get("text") or "").strip():
        raise ValueError(f"section text must not be empty {where}")
    for j, item in enumerate(fields or []):
        if not str((item or {}).get("text") or "").strip():
            raise ValueError(f"section field must not be empty {where[:-1]}/fields/{j}]")


def _elements(block: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """The interactive elements of a block (context elements are text or images, no ids)."""
    if block.get("type") in ("actions", "context"):
        for j, element in enumerate(block.get("elements") or []):
            if isinstance(element, dict):
                yield f"elements/{j}", element
    for name in ("accessory", "element"):
        if isinstance(block.get(name), dict):
            yield name, block[name]


def check_element(element: dict[str, Any], where: str) -> None:
    kind = element.get("type")
    if kind == "button":
        _check_button(element, where)
    if "confirm" in element:
        _check_confirm(element["confirm"], where)
    if kind in MAX_OPTIONS:
        _check_options(element, MAX_OPTIONS[kind], where)
    elif kind == "overflow":
        _check_options(element, 5, where)
    if kind == "datepicker" and "initial_date" in element:
        _check_date(element["initial_date"], where)
    if kind == "number_input" and "is_decimal_allowed" not in element:
        raise ValueError(f"a number_input needs is_decimal_allowed {where}")


def _check_button(element: dict[str, Any], where: str) -> None:
    text = element.get("text") or {}
    if text.get("type") != "plain_text":
        raise ValueError(f"button text must be plain_text {where}")
    if len(str(text.get("text") or "")) > MAX_BUTTON_TEXT:
        raise ValueError(f"button text must be at most {MAX_BUTTON_TEXT} characters {where}")
    if "style" in element and element["style"] not in BUTTON_STYLES:
        raise ValueError(f"button style must be primary or danger, not {element['style']!r} {where}")


def _check_confirm(confirm: Any, where: str) -> None:
    missing = [part for part in CONFIRM_PARTS if not isinstance(confirm, dict) or not confirm.get(part)]
    if missing:
        raise ValueError(f"a confirm object needs {', '.join(missing)} {where[:-1]}/confirm]")


def _check_options(element: dict[str, Any], limit: int, where: str) -> None:
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options += group.get("options") or []
    if len(options) > limit:
        raise ValueError(f"no more than {limit} options allowed {where[:-1]}/options]")
    initial = element.get("initial_options") or [element.get("initial_option")]
    for j, option in enumerate(options + [o for o in initial if o]):
        at = f"{where[:-1]}/options/{j}]"
        if len(str((option.get("text") or {}).get("text") or "")) > MAX_OPTION_TEXT:
            raise ValueError(f"option text must be at most {MAX_OPTION_TEXT} characters {at}")
        if len(str(option.get("value") or "")) > MAX_OPTION_VALUE:
            raise ValueError(f"option value must be at most {MAX_OPTION_VALUE} characters {at}")


def _check_date(value: Any, where: str) -> None:
    try:
        valid = isinstance(value, str) and bool(_ISO_DATE.fullmatch(value)) and date.fromisoformat(value)
    except ValueError:
        valid = False
    if not valid:
        raise ValueError(f"initial_date must be a date like 2026-12-31, not {value!r} {where}")


def check_modal_submit(view: dict[str, Any]) -> None:
    blocks = view.get("blocks") or []
    has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
    if view.get("type") == "modal" and has_input and not view.get("submit"):
        raise ValueError("a modal with input blocks needs a submit button")


def check_options_response(body: Any) -> None:
    """What an external_select's options URL answers: `options` (or `option_groups`), at most 100
    in all, each plain_text text of at most 75 characters and a value of at most 150; Slack
    shows nothing for a response that breaks these."""
    if not isinstance(body, dict) or not ("options" in body or "option_groups" in body):
        raise ValueError("an options response needs options or option_groups")
    options = list(body.get("options") or [])
    for group in body.get("option_groups") or []:
        options += group.get("options") or []
    if len(options) > MAX_SUGGESTED_OPTIONS:
        raise ValueError(f"no more than {MAX_SUGGESTED_OPTIONS} options allowed in an options response")
    for j, option in enumerate(options):
        text = (option or {}).get("text") or {}
        if text.get("type") != "plain_text":
            raise ValueError(f"option text must be plain_text [json-pointer:/options/{j}]")
        if not str(text.get("text") or "") or len(str(text.get("text"))) > MAX_OPTION_TEXT:
            raise ValueError(
                f"option text must be 1 to {MAX_OPTION_TEXT} characters [json-pointer:/options/{j}]"
            )
        value = str((option or {}).get("value") or "")
        if not value or len(value) > MAX_OPTION_VALUE:
            raise ValueError(
                f"option value must be 1 to {MAX_OPTION_VALUE} characters [json-pointer:/options/{j}]"
            )
