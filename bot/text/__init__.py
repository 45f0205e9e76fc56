"""The words: every sentence a person reads comes from a gettext catalog, in the reader's language.

Catalogs are the `.po` files in bot/text/locale/<language>/LC_MESSAGES/messages.po (managed with
Babel: `python -m bot.text.catalogs update`). They are read when first needed, so an installed
package carries its languages with no build step.

    _("{order} needs production's answer by {deadline}.", order=..., deadline=...)
    n_("{n} order", "{n} orders", n)                  # plural forms; `n` is a placeholder too
    p_("verb", "Answer")                               # context: one English word, two meanings

Placeholders are named and filled with str.format after translation, so a translator may move
them. The language is a context variable: `with language("zh_CN"): ...` around whatever is built
for one reader or one channel. "pseudo" is for tests only: every catalog string is wrapped in
⟦…⟧, and every value filled into a placeholder in ⟪…⟫, so a check can find text that skipped the
catalog, also when it was passed in as a value.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel import Locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parent / "locale"
ENGLISH = "en"
CHINESE = "zh_CN"
PSEUDO = "pseudo"  # tests only
LANGUAGES = (ENGLISH, CHINESE)
DOMAIN = "messages"

_current: ContextVar[str] = ContextVar("language", default=ENGLISH)


def normalize(code: str | None) -> str | None:
    """A language we ship for a setting or a Slack locale ("zh-CN", "zh", "en-US"), else None."""
    if not code:
        return None
    code = code.replace("-", "_")
    if code == PSEUDO:
        return PSEUDO
    head = code.split("_")[0].lower()
    if head == "en":
        return ENGLISH
    if head == "zh" and code.lower() in ("zh", "zh_cn", "zh_hans", "zh_hans_cn", "zh_sg"):
        return CHINESE
    return None


@contextmanager
def language(code: str | None) -> Iterator[str]:
    """Build everything inside in `code` (a shipped language; anything else keeps the current one)."""
    chosen = normalize(code) or _current.get()
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


def current() -> str:
    return _current.get()


def babel_locale() -> Locale:
    """The Babel locale for dates and numbers (the pseudo-locale formats like English)."""
    return Locale.parse(CHINESE if _current.get() == CHINESE else ENGLISH)


class _Pseudo(gettext.NullTranslations):
    """English, with every catalog string marked ⟦…⟧ (tests find text that skipped the catalog)."""

    def gettext(self, message: str) -> str:
        return f"⟦{message}⟧"

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return f"⟦{singular if n == 1 else plural}⟧"

    def pgettext(self, context: str, message: str) -> str:
        return f"⟦{message}⟧"

    def npgettext(self, context: str, singular: str, plural: str, n: int) -> str:
        return f"⟦{singular if n == 1 else plural}⟧"


def catalog_path(code: str) -> Path:
    return LOCALE_DIR / code / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(code: str) -> gettext.NullTranslations:
    if code == PSEUDO:
        return _Pseudo()
    path = catalog_path(code)
    if not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=code)
    compiled = BytesIO()
    write_mo(compiled, catalog, use_fuzzy=False)  # a fuzzy (unchecked) translation is never shown
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


def _fill(text: str, data: dict) -> str:
    if not data:
        return text
    if _current.get() == PSEUDO:
        # mark what fills a placeholder ⟪…⟫, so the leak check sees English passed in as a value
        data = {key: f"⟪{value}⟫" if isinstance(value, str) else value for key, value in data.items()}
    return text.format(**data)


def _(message: str, /, **data: object) -> str:
    return _fill(translations(_current.get()).gettext(message), data)


def n_(singular: str, plural: str, n: int, /, **data: object) -> str:
    return _fill(translations(_current.get()).ngettext(singular, plural, n), {"n": n, **data})


def p_(context: str, message: str, /, **data: object) -> str:
    return _fill(translations(_current.get()).pgettext(context, message), data)


def np_(context: str, singular: str, plural: str, n: int, /, **data: object) -> str:
    return _fill(translations(_current.get()).npgettext(context, singular, plural, n), {"n": n, **data})
