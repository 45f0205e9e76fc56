"""The manifest asks for the scope of every Slack method the bot calls, and README names them."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def bot_scopes() -> list[str]:
    """The `bot:` list under `oauth_config.scopes` (read as text: no YAML parser is a dependency)."""
    manifest = (ROOT / "manifest.yml").read_text(encoding="utf-8")
    listed = re.search(r"^    bot:\n((?:      - .+\n)+)", manifest, re.MULTILINE)
    assert listed, "no bot scopes found in manifest.yml"
    return [line.removeprefix("      - ").strip() for line in listed[1].splitlines()]


def test_users_read_is_asked_for_because_the_bot_reads_each_persons_locale() -> None:
    scopes = bot_scopes()
    assert "users:read" in scopes and "commands" in scopes
    assert "users_info(" in (ROOT / "bot" / "people.py").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for scope in scopes:
        assert f"`{scope}`" in readme, scope
