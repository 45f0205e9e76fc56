"""Keep the catalogs in step with the code: `python -m bot.text.catalogs update`.

It extracts every catalog string from bot/ (Python and Jinja2 templates, as babel.cfg maps
them) and merges them into each language's messages.po: new strings are added untranslated (English,
the source language, gets the code's own words),
strings no longer in the code are dropped, changed ones are marked fuzzy for a translator (a
fuzzy translation is never shown). `check` lists what a release must not ship with: a string
in the code that a catalog lacks, a missing, empty or fuzzy translation (English included), or
placeholders that differ between the languages.
"""

from __future__ import annotations

import copy
import re
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po, write_po

from bot.text import DOMAIN, ENGLISH, LANGUAGES, catalog_path

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "n_": (1, 2), "p_": ((1, "c"), 2), "np_": ((1, "c"), 2, 3)}
PLACEHOLDER = re.compile(r"\{(\w+)\}")


def extract() -> Catalog:
    with (ROOT / "babel.cfg").open() as cfg:
        method_map, options_map = parse_mapping_cfg(cfg)
    template = Catalog(project="OrderLoop", domain=DOMAIN)
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT),
        method_map,
        options_map,
        keywords=KEYWORDS,
        comment_tags=("TRANSLATORS:",),
        strip_comment_tags=True,
    ):
        template.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return template


def read(code: str) -> Catalog:
    path = catalog_path(code)
    if not path.exists():
        return Catalog(locale=code, domain=DOMAIN, project="OrderLoop")
    with path.open("rb") as po:
        return read_po(po, locale=code)


def write(code: str, catalog: Catalog) -> None:
    path = catalog_path(code)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("wb") as po:
        write_po(po, catalog, width=0, omit_header=False, sort_output=True, include_lineno=False)


def _source_words(catalog: Catalog) -> None:
    """The English catalog is the source language: an entry without a checked English text
    gets the code's own words, so English copy can be edited in the .po (kept on update) and
    the catalog is complete like every other."""
    for message in catalog:
        if not message.id:
            continue
        strings = _strs(message)
        if message.fuzzy or not all(strings):
            message.string = tuple(_ids(message)) if isinstance(message.id, tuple | list) else message.id
            message.flags.discard("fuzzy")


def update() -> None:
    template = extract()
    for code in LANGUAGES:
        catalog = read(code)
        # a copy each: Catalog.update adds the template's own Message objects, so the English
        # source words filled in below would otherwise reach the next language as its translation
        catalog.update(copy.deepcopy(template), no_fuzzy_matching=False)
        catalog.obsolete.clear()
        if code == ENGLISH:
            _source_words(catalog)
        write(code, catalog)
        print(f"{catalog_path(code).relative_to(ROOT)}: {len(catalog)} messages")


def _ids(message) -> list[str]:  # noqa: ANN001
    return list(message.id) if isinstance(message.id, tuple | list) else [message.id]


def _strs(message) -> list[str]:  # noqa: ANN001
    return list(message.string) if isinstance(message.string, tuple | list) else [message.string]


NAMES = {"OrderLoop"}  # the same in every language
PATTERNS = {"date"}  # contexts of date patterns (CLDR letters, not words)


def _has_words(strings: list[str]) -> bool:
    """Text a reader would read as English: a word outside the placeholders and names."""
    return any(
        word not in NAMES for s in strings for word in re.findall(r"[A-Za-z]{2,}", PLACEHOLDER.sub("", s))
    )


def problems() -> list[str]:
    """Everything that keeps the catalogs from being complete and consistent."""
    found: list[str] = []
    template = extract()
    for code in LANGUAGES:
        catalog = read(code)
        for message in template:
            if message.id and catalog.get(message.id, message.context) is None:
                found.append(
                    f"{code}: not in the catalog: {message.id!r} (run python -m bot.text.catalogs update)"
                )
    for code, message in [(language, m) for language in LANGUAGES for m in read(language)]:
        if not message.id:
            continue
        if message.fuzzy:
            found.append(f"{code}: fuzzy: {message.id!r}")
        strings = _strs(message)
        if not all(s and s.strip() for s in strings):
            found.append(f"{code}: no translation: {message.id!r}")
            continue
        kept = strings == _ids(message) and message.context not in PATTERNS
        if code != ENGLISH and kept and _has_words(strings):
            found.append(f"{code}: the English words kept as the translation: {message.id!r}")
        wanted = set().union(*(set(PLACEHOLDER.findall(i)) for i in _ids(message)))
        for string in strings:
            if set(PLACEHOLDER.findall(string)) != wanted:
                found.append(f"{code}: placeholders differ: {message.id!r} -> {string!r}")
    return found


def main(argv: list[str]) -> int:
    if argv[:1] == ["update"]:
        update()
        return 0
    if argv[:1] == ["check"]:
        found = problems()
        print("\n".join(found) or "catalogs complete")
        return 1 if found else 0
    print("usage: python -m bot.text.catalogs update | check", file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
