"""The manifest asks for the scope of every Slack method the bot calls, and README names them."""

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_users_read_is_asked_for_because_the_bot_reads_each_persons_locale() -> None:
    scopes = yaml.safe_load((ROOT / "manifest.yml").read_text(encoding="utf-8"))["oauth_config"]["scopes"]
    assert "users:read" in scopes["bot"]
    assert "users_info(" in (ROOT / "bot" / "people.py").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for scope in scopes["bot"]:
        assert f"`{scope}`" in readme, scope
