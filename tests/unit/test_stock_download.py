"""The bot token goes only to Slack's file host: a file URL anywhere else is refused unread."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from slack_sdk import WebClient

from bot.stock import listeners
from workflows.permissions import Refusal


def svc(base_url: str = "https://slack.com/api/"):  # noqa: ANN201
    return SimpleNamespace(client=WebClient(token="xoxb-secret", base_url=base_url))


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ("https://files.slack.com/files-pri/T1-F1/download/a.xlsx", True),
        ("http://files.slack.com/files-pri/T1-F1/a.xlsx", False),  # never the token in clear text
        ("https://files.slack.com.evil.example/files-pri/T1-F1/a.xlsx", False),
        ("https://evil.example/files-pri/T1-F1/a.xlsx", False),
        ("https://slack.com/api/files.info", False),
        ("", False),
    ],
)
def test_only_slacks_file_host_gets_the_token(url: str, allowed: bool) -> None:
    assert listeners._file_host_allowed(svc(), url) is allowed


def test_a_stand_in_serves_files_from_its_own_origin_only() -> None:
    local = svc("http://127.0.0.1:5555/api/")
    assert listeners._file_host_allowed(local, "http://127.0.0.1:5555/files-pri/T1-F1/a.csv")
    assert not listeners._file_host_allowed(local, "http://127.0.0.1:6666/files-pri/T1-F1/a.csv")


def test_a_refused_url_is_never_opened(monkeypatch: pytest.MonkeyPatch) -> None:
    opened = []
    monkeypatch.setattr(listeners.urllib.request, "urlopen", lambda *a, **k: opened.append(a))
    with pytest.raises(Refusal) as refused:
        listeners.download(svc(), "https://evil.example/a.xlsx")
    assert refused.value.code == "stock_file_unavailable" and opened == []
