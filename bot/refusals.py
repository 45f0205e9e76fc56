"""Refusal codes → the sentence the person reads, in the language being built.

Each feature words its own codes in `bot/<feature>/refusals.py` with `@says("code", ...)`; the
function takes the refusal's data as keyword arguments and returns the sentence from the
catalog. The feature modules are loaded on first use, like the renderers.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable

from workflows.permissions import Refusal

log = logging.getLogger(__name__)

FEATURES = (
    "bot.orders.refusals",
    "bot.after_commit.refusals",
    "bot.review.refusals",
    "bot.stock.refusals",
    "bot.common_refusals",
)
Words = Callable[..., str]
_WORDS: dict[str, Words] = {}


def says(*codes: str) -> Callable[[Words], Words]:
    def register(words: Words) -> Words:
        for code in codes:
            if code in _WORDS:
                raise RuntimeError(f"two wordings for refusal {code!r}")
            _WORDS[code] = words
        return words

    return register


def wordings() -> dict[str, Words]:
    for module in FEATURES:
        importlib.import_module(module)
    return _WORDS


def say(refusal: Refusal) -> str:
    words = wordings().get(refusal.code)
    if words is None:
        # a code without words is a bug a unit test catches (tests/unit/test_catalogs.py)
        log.error("refusal %r has no words", refusal.code)
        return refusal.code
    return words(**refusal.data)
