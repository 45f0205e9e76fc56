"""The catalogs are complete and consistent, and every code the rules use has its words."""

import re
from pathlib import Path

from bot.messages import renderers
from bot.refusals import wordings
from bot.text import CHINESE, catalog_path, catalogs
from workflows.enums import MessageKind

ROOT = Path(__file__).resolve().parents[2]
RAISED = re.compile(r"\b(?:Refusal|FormRefused)\(\s*\"([^\"]+)\"")


def test_every_string_in_the_code_has_a_complete_chinese_translation():
    assert catalogs.problems() == []


def test_the_chinese_catalog_ships_with_the_package_data():
    assert catalog_path(CHINESE).exists()
    assert "text/locale/*/LC_MESSAGES/*.po" in (ROOT / "pyproject.toml").read_text()


def test_every_refusal_code_raised_has_words():
    raised = {
        code
        for folder in ("workflows", "bot")
        for path in (ROOT / folder).rglob("*.py")
        for code in RAISED.findall(path.read_text())
    }
    assert raised, "the scan found no refusals: the pattern is out of date"
    assert sorted(raised - set(wordings())) == []


def test_every_message_kind_has_a_renderer():
    assert set(MessageKind) == set(renderers())
