"""Block Kit primitives every feature builds with: sections, context lines, buttons, action rows.

Each clips its text to Slack's limit, so no builder can send a block Slack refuses for length;
a button's "are you sure?" dialog speaks the reader's language.
"""

from __future__ import annotations

from bot.mrkdwn import clip, clip_mrkdwn
from bot.text import _


def section(text: str) -> dict:
    return {"type": "section", "text": {"type": "mrkdwn", "text": clip_mrkdwn(text, 3000)}}


def context(text: str) -> dict:
    return {"type": "context", "elements": [{"type": "mrkdwn", "text": clip_mrkdwn(text, 3000)}]}


def button(
    label: str, action_id: str, value: str, style: str | None = None, confirm: str | None = None
) -> dict:
    element = {
        "type": "button",
        "text": {"type": "plain_text", "text": clip(label, 75)},
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    if confirm:  # Slack asks "are you sure?" before the click reaches us
        element["confirm"] = {
            "title": {"type": "plain_text", "text": clip(_("Are you sure?"), 100)},
            "text": {"type": "mrkdwn", "text": clip(confirm, 300)},
            "confirm": {"type": "plain_text", "text": clip(_("Yes"), 30)},
            "deny": {"type": "plain_text", "text": clip(_("No, keep it"), 30)},
        }
    return element


def actions(*elements: dict, block_id: str | None = None) -> dict:
    block = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block
