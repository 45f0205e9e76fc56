"""Finding words that skipped the catalogs: run a flow under the pseudo-locale, where every catalog
string reads ⟦…⟧, and look at everything a person could read for words outside the markers.

What may stand outside them is data: Slack's own tokens (<@U…>, <!date^…>, links), `code`
(commands, settings), emoji codes, numbers, dates, time zone names and punctuation, order numbers,
and the names and codes the test typed (pass them as `data`). A value filled into a placeholder is
marked ⟪…⟫ and must itself be marked or data."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

import pytest

import bot.text

SURFACES = (
    "chat.postMessage",
    "chat.update",
    "chat.postEphemeral",
    "views.open",
    "views.update",
    "views.push",
    "views.publish",
)
_MARKED = re.compile(r"⟦[^⟦⟧]*⟧")
_SLACK_TOKEN = re.compile(r"<[^<>]*>")
_ENTITY = re.compile(r"&(amp|lt|gt);")
_EMOJI = re.compile(r":[a-z0-9_+'-]+:")
_ORDER_NUMBER = re.compile(r"\bCO-\d+\b")
_CODE = re.compile(r"`[^`]*`")
_ZONE = re.compile(r"\b[A-Z][a-z]+/[A-Z][A-Za-z_]+\b")  # a time zone's IANA name, e.g. Asia/Shanghai
_WORD = re.compile(r"[A-Za-z]{2,}|[\u4e00-\u9fff]+")


@pytest.fixture
def pseudo(monkeypatch: pytest.MonkeyPatch) -> None:
    """Everything the bot builds, for channels and for each person, in the pseudo-locale."""
    monkeypatch.setattr(bot.text, "normalize", lambda code: bot.text.PSEUDO)


def texts_of(payload: object) -> list[str]:
    """Every string of a Slack payload a person can read: text objects, a message's fallback
    text, inline form errors, ephemeral replies."""
    found: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, list):
            for item in node:
                walk(item)
        if not isinstance(node, dict):
            return
        for key, value in node.items():
            if key in ("metadata", "private_metadata", "url", "value", "action_id", "block_id"):
                continue
            if key == "text" and isinstance(value, str):
                found.append(value)
            elif key == "errors" and isinstance(value, dict):
                found.extend(str(v) for v in value.values())
            else:
                walk(value)

    walk(payload)
    return found


def everything_shown(slack_bot) -> list[str]:  # noqa: ANN001
    """All text the bot sent to Slack or answered in an HTTP response so far."""
    shown: list[str] = []
    for call in slack_bot.standin.calls:
        if call.method in SURFACES or call.method == "response_url":
            shown += texts_of(call.args)
    for reply in slack_bot.slack.replies:
        if reply.body and reply.body.strip().startswith(b"{"):
            shown += texts_of(json.loads(reply.body))
        elif reply.body and reply.status == 200:
            shown.append(reply.body.decode())
    return shown


def unmarked_words(text: str, data: Iterable[str] = ()) -> list[str]:
    # Slack's tokens and `code` (commands, settings) are data; taken out first, whole, with any
    # marks inside them, so a link's URL cannot split the marks around it
    for pattern in (_SLACK_TOKEN, _CODE):
        text = pattern.sub(" ", text)
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    # A placeholder's value ⟪…⟫ is outside its sentence's marks: what it holds must be marked itself
    text = text.replace("⟪", "⟧").replace("⟫", "⟦")
    previous = None
    while previous != text:  # innermost first: a marked phrase may sit inside a marked sentence
        previous, text = text, _MARKED.sub(" ", text)
    for pattern in (_ENTITY, _EMOJI, _ORDER_NUMBER, _ZONE):
        text = pattern.sub(" ", text)
    return _WORD.findall(text)


def leaks(slack_bot, data: Iterable[str] = ()) -> list[tuple[str, list[str]]]:  # noqa: ANN001
    """(text, its unmarked words) for every shown text with words outside the catalog's markers."""
    data = list(data)
    return [(text, words) for text in everything_shown(slack_bot) if (words := unmarked_words(text, data))]
